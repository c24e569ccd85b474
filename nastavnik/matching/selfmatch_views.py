"""The curator's self-match page of a form: the window, the requests and their decisions."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nastavnik.core.access import OrgContext, OrgRequest, org_view
from nastavnik.core.outcomes import perform, submit
from nastavnik.matching import selfmatch
from nastavnik.matching.access import selfmatch_request_for
from nastavnik.matching.forms import ConfirmForm, SelfMatchWindowForm
from nastavnik.matching.models import SelfMatchRequest, SelfMatchStatus
from nastavnik.matching.views import confirm_page
from nastavnik.orgs.policy import Perm
from nastavnik.people.validators import org_today
from nastavnik.programmes.access import programme_form_for
from nastavnik.programmes.models import ProgrammeForm

#: The page lists the latest requests of the form; older ones stay in the database.
REQUESTS_SHOWN = 200


def _to_page(ctx: OrgContext, chosen_pk: int) -> HttpResponse:
    return redirect(
        "matching:selfmatch", org_slug=ctx.organisation.slug, programme_form_pk=chosen_pk
    )


def _chosen_of(request_row: SelfMatchRequest) -> ProgrammeForm:
    return ProgrammeForm.objects.get(programme=request_row.programme, form=request_row.form)


@org_view(Perm.MATCHING_RUN)
def window(request: OrgRequest, programme_form_pk: int) -> HttpResponse:
    ctx = request.org
    chosen = programme_form_for(ctx, programme_form_pk)
    today = org_today(ctx.organisation)
    current = selfmatch.window_of(chosen)
    initial = (
        {
            "enabled": current.enabled,
            "opens_on": current.opens_on,
            "closes_on": current.closes_on,
            "suggestions": current.suggestions,
            "answer_days": current.answer_days,
        }
        if current
        else {"opens_on": today, "closes_on": today + timedelta(days=14)}
    )
    form = SelfMatchWindowForm(request.POST or None, initial=initial)
    return submit(
        request,
        form,
        lambda: selfmatch.window_save(chosen, **form.cleaned_data, by=request.user),
        success=_("The self-match settings are saved."),
        redirect_to=_to_page(ctx, chosen.pk),
        template="matching/selfmatch.html",
        context=lambda: {
            "chosen": chosen,
            "requests": list(
                SelfMatchRequest.objects.for_org(ctx.organisation)
                .filter(programme=chosen.programme, form=chosen.form)
                .select_related("mentee__person", "mentor__person", "mentorship__pairs_order")
                .order_by("-created_at", "-pk")[:REQUESTS_SHOWN]
            ),
            "statuses": SelfMatchStatus,
        },
    )


@org_view(Perm.MATCHING_RUN)
def approve(request: OrgRequest, selfmatch_request_pk: int) -> HttpResponse:
    ctx = request.org
    row = selfmatch_request_for(ctx, selfmatch_request_pk)
    return confirm_page(
        request,
        ConfirmForm.offered(request.POST or None, ctx.organisation),
        lambda **terms: selfmatch.request_approve(row, **terms),
        success=lambda done: (
            _("The pair is formed and the order № %(number)s is prepared.")
            % {"number": done.mentorship.pairs_order.number}
        ),
        redirect_to=lambda _done: _to_page(ctx, _chosen_of(row).pk),
        template="matching/selfmatch_approve.html",
        context=lambda: {"row": row, "chosen": _chosen_of(row)},
    )


@org_view(Perm.MATCHING_RUN)
@require_POST
def decline(request: OrgRequest, selfmatch_request_pk: int) -> HttpResponse:
    ctx = request.org
    row = selfmatch_request_for(ctx, selfmatch_request_pk)
    return perform(
        request,
        lambda: selfmatch.request_decline(row, by=request.user),
        success=_("The request is declined; the mentee may ask another mentor."),
        redirect_to=_to_page(ctx, _chosen_of(row).pk),
    )
