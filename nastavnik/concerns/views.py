"""The safeguarding channel's pages: the reporter's (raise, list, read the answer) and the
handlers' (list, read, record what was done). Every concern is fetched through
`concerns.access`, and every opening of one is audited."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from nastavnik.concerns import services
from nastavnik.concerns.access import (
    handled_concern_for,
    handled_concerns,
    is_psychologist,
    own_concern_for,
    own_concerns,
)
from nastavnik.concerns.forms import OutcomeForm, RaiseForm
from nastavnik.concerns.models import Concern, Topic
from nastavnik.core.access import OrgContext, OrgRequest, org_view
from nastavnik.core.outcomes import attempt, submit
from nastavnik.mentorships.models import MentorAssignment
from nastavnik.orgs.policy import Perm


def _may_read_handled(ctx: OrgContext, request: HttpRequest) -> None:
    # Specialists other than the psychologist (class teachers, social pedagogues) read none.
    if not ctx.can(Perm.CONCERNS_HANDLE) and not is_psychologist(ctx, request.user):  # type: ignore[arg-type]
        raise PermissionDenied


@org_view(Perm.CONCERNS_RAISE)
def concern_new(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    standings = services.standings(ctx.organisation, request.user)
    # The user's first pair chosen; the mentee cabinet's link asks for another mentor.
    initial = {
        "standing": services.standing_key(standings[0]) if standings else "",
        "topic": request.GET.get("topic", "") if request.GET.get("topic") in Topic.values else "",
    }
    form = RaiseForm(request.POST or None, standings=standings, initial=initial)

    def write() -> Concern:
        data = form.cleaned_data
        return services.concern_raise(
            ctx.organisation,
            user=request.user,
            standing=data["standing"],
            topic=data["topic"],
            text=data["text"],
            urgent=data["urgent"],
            to_psychologist=data["to_psychologist"],
        )

    return submit(
        request,
        form,
        write,
        success=_("Your concern is sent to the curator. You will see the answer here."),
        redirect_to=lambda concern: redirect(
            "concerns:own_detail", org_slug=ctx.organisation.slug, own_concern_pk=concern.pk
        ),
        template="concerns/new.html",
    )


@org_view(Perm.CONCERNS_RAISE)
def own_list(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    concerns = own_concerns(ctx, request.user).select_related("child")
    return render(request, "concerns/own_list.html", {"concerns": concerns})


# Any member: the row is found among the user's own concerns or not at all, so one who has
# since lost the role (a pair ended, a child grown up) still reads the answer.
@org_view(Perm.DASHBOARD)
def own_detail(request: OrgRequest, own_concern_pk: int) -> HttpResponse:
    ctx = request.org
    concern = own_concern_for(ctx, request.user, own_concern_pk)
    services.concern_read(concern, by=request.user)
    return render(request, "concerns/own_detail.html", {"concern": concern})


@org_view(Perm.CONCERNS_READ)
def concern_list(request: OrgRequest) -> HttpResponse:
    """Dates, topics, urgency and status only: the content is read, and audited, one by one."""
    ctx = request.org
    _may_read_handled(ctx, request)
    concerns = handled_concerns(ctx, request.user)
    return render(
        request,
        "concerns/list.html",
        {"open": list(concerns.open()), "closed": list(concerns.filter(status="closed")[:50])},
    )


def _replacements(concern: Concern) -> list[MentorAssignment]:
    if concern.mentorship_id is None:
        return []
    return list(
        MentorAssignment.objects.filter(mentorship_id=concern.mentorship_id)
        .exclude(ground="")
        .select_related("mentor__person")
        .order_by("-assigned_on", "-pk")
    )


@org_view(Perm.CONCERNS_READ)
def concern_detail(request: OrgRequest, concern_pk: int) -> HttpResponse:
    ctx = request.org
    _may_read_handled(ctx, request)
    concern = handled_concern_for(ctx, request.user, concern_pk)
    handle = ctx.can(Perm.CONCERNS_HANDLE)
    if request.method == "POST" and not handle:
        raise PermissionDenied
    form = OutcomeForm(
        request.POST or None,
        replacements=_replacements(concern),
        initial={"outcome": concern.outcome, "answer": concern.answer, "note": concern.note},
    )

    def write() -> Any:
        data = form.cleaned_data
        return services.concern_record(
            concern,
            outcome=data["outcome"],
            answer=data["answer"],
            note=data["note"],
            replacement=data["replacement"],
            close=data["close"],
            by=request.user,
        )

    if request.method == "POST" and form.is_valid() and attempt(form, write) is not None:
        messages.success(request, _("What was done is recorded; the reporter sees the answer."))
        return redirect(concern.get_absolute_url())
    # Read only when shown: a refused write re-renders the page, which is a read too.
    services.concern_read(concern, by=request.user)
    return render(
        request,
        "concerns/detail.html",
        {
            "concern": concern,
            "form": form if handle else None,
            "replace_url": (
                services.replacement_url(concern)
                if handle and concern.mentorship_id and concern.mentorship.is_active
                else None
            ),
        },
    )
