"""The shared mentor base's pages: «Наставники других организаций» (the other organisations'
shared mentors, their limited cards, asking for one), an offer seen from either side, the
home organisation's and the mentor's answers, and forming the pair. The rules are in
`sharing`; every row is reached through `access` (an offer only by one of its two sides).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nastavnik.catalogue.models import MentoringForm
from nastavnik.core.access import OrgContext, OrgRequest, org_view
from nastavnik.core.outcomes import perform, submit
from nastavnik.core.outcomes import refuse as _refuse
from nastavnik.matching import sharing
from nastavnik.matching.access import (
    home_offer_for,
    host_offer_for,
    offer_for,
    offers_of,
    own_offer_for,
)
from nastavnik.matching.forms import OfferAnswerForm, SharedAskForm
from nastavnik.matching.models import OfferStatus, SharedOffer
from nastavnik.mentors.access import own_person
from nastavnik.orgs.policy import Perm
from nastavnik.people.validators import org_today

#: Offers listed on a page, newest first; older ones stay reachable by their address.
OFFERS_SHOWN = 100


def _to_offer(ctx: OrgContext, offer: SharedOffer) -> HttpResponse:
    return redirect(
        reverse(
            "matching:shared_offer",
            kwargs={"org_slug": ctx.organisation.slug, "shared_offer_pk": offer.pk},
        )
    )


@org_view(Perm.MATCHING_RUN)
def shared_list(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    today = org_today(ctx.organisation)
    forms = list(MentoringForm.objects.filter(organisation__isnull=True).order_by("order", "name"))
    chosen = next((f for f in forms if f.code == request.GET.get("form")), None)
    offers = offers_of(ctx)
    return render(
        request,
        "matching/shared_list.html",
        {
            "cards": sharing.shared_cards(ctx.organisation, today, chosen),
            "forms": forms,
            "chosen": chosen,
            "asked": list(offers.filter(host_organisation=ctx.organisation)[:OFFERS_SHOWN]),
            "incoming": list(offers.filter(home_organisation=ctx.organisation)[:OFFERS_SHOWN]),
            "elsewhere": sharing.mentors_elsewhere(ctx.organisation),
        },
    )


@org_view(Perm.MATCHING_RUN)
def shared_card(request: OrgRequest, shared_mentor_pk: int) -> HttpResponse:
    ctx = request.org
    card = sharing.shared_card(ctx.organisation, org_today(ctx.organisation), shared_mentor_pk)
    if card is None:
        raise Http404
    mentees = [
        (m.pk, f"{m.person.full_name} · {m.form}")
        for m in sharing.waiting_mentees(ctx.organisation)
    ]
    form = SharedAskForm(request.POST or None, mentees=mentees)
    return submit(
        request,
        form,
        lambda: sharing.offer_ask(
            ctx.organisation,
            mentor_pk=shared_mentor_pk,
            mentee_pk=form.cleaned_data["mentee"],
            message=form.cleaned_data["message"],
            by=request.user,
        ),
        success=_("Asked: the mentor's organisation and the mentor will answer."),
        redirect_to=lambda offer: _to_offer(ctx, offer),
        template="matching/shared_card.html",
        context={"card": card},
    )


@org_view(Perm.MATCHING_RUN)
def shared_offer(request: OrgRequest, shared_offer_pk: int) -> HttpResponse:
    ctx = request.org
    offer = offer_for(ctx, shared_offer_pk)
    is_home = offer.home_organisation_id == ctx.organisation.pk
    card = None
    if not is_home:
        # The host sees the mentor's card only while the mentor is shared.
        card = sharing.shared_card(ctx.organisation, org_today(ctx.organisation), offer.mentor_id)
    return render(
        request,
        "matching/shared_offer.html",
        {
            "offer": offer,
            "is_home": is_home,
            "card": card,
            "answer_form": OfferAnswerForm(),
            "can_pair": not is_home and offer.status == OfferStatus.AGREED,
        },
    )


def _answered(request: HttpRequest, offer: SharedOffer, write: object) -> None:
    form = OfferAnswerForm(request.POST)
    if not form.is_valid():
        _refuse(request, ValidationError(_("Choose whether you agree or refuse.")))
        return
    try:
        write(form.agrees, form.cleaned_data["reason"])  # type: ignore[operator]
    except ValidationError as error:
        _refuse(request, error)
        return
    if form.agrees:
        messages.success(request, _("Your agreement is recorded."))
    else:
        messages.success(request, _("The offer is refused."))


@org_view(Perm.MATCHING_RUN)
@require_POST
def shared_answer(request: OrgRequest, shared_offer_pk: int) -> HttpResponse:
    """The mentor's organisation answers."""
    ctx = request.org
    offer = home_offer_for(ctx, shared_offer_pk)
    _answered(
        request,
        offer,
        lambda agree, reason: sharing.offer_home_answer(
            offer, agree=agree, reason=reason, by=request.user
        ),
    )
    return _to_offer(ctx, offer)


@org_view(Perm.MATCHING_RUN)
@require_POST
def shared_withdraw(request: OrgRequest, shared_offer_pk: int) -> HttpResponse:
    """The mentee's organisation no longer asks."""
    ctx = request.org
    offer = host_offer_for(ctx, shared_offer_pk)
    return perform(
        request,
        lambda: sharing.offer_withdraw(
            offer, reason=request.POST.get("reason", ""), by=request.user
        ),
        success=_("The request is withdrawn."),
        redirect_to=_to_offer(ctx, offer),
    )


@org_view(Perm.MATCHING_RUN)
@require_POST
def shared_pair(request: OrgRequest, shared_offer_pk: int) -> HttpResponse:
    """The mentee's organisation forms the pair both sides agreed to."""
    ctx = request.org
    offer = host_offer_for(ctx, shared_offer_pk)
    try:
        sharing.offer_pair(offer, by=request.user)
    except ValidationError as error:
        _refuse(request, error)
        return _to_offer(ctx, offer)
    messages.success(
        request,
        _("The pair is formed in your programme: its order, plan and meetings are yours."),
    )
    return redirect(
        reverse(
            "mentorships:detail",
            kwargs={"org_slug": ctx.organisation.slug, "mentorship_pk": offer.mentorship_id},
        )
    )


# --- The mentor's own answers -------------------------------------------------------------------


@org_view(Perm.OFFERS_OWN)
def my_offers(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    person = own_person(ctx, request)
    offers = (
        list(
            offers_of(ctx).filter(home_organisation=ctx.organisation, mentor__person=person)[
                :OFFERS_SHOWN
            ]
        )
        if person is not None
        else []
    )
    return render(
        request,
        "matching/my_offers.html",
        {"offers": offers, "answer_form": OfferAnswerForm()},
    )


@org_view(Perm.OFFERS_OWN)
@require_POST
def my_offer_answer(request: OrgRequest, shared_offer_pk: int) -> HttpResponse:
    ctx = request.org
    person = own_person(ctx, request)
    if person is None:
        raise Http404
    offer = own_offer_for(ctx, person, shared_offer_pk)
    _answered(
        request,
        offer,
        lambda agree, reason: sharing.offer_mentor_answer(
            offer, person, agree=agree, reason=reason, by=request.user
        ),
    )
    return redirect(reverse("matching:my_offers", kwargs={"org_slug": ctx.organisation.slug}))
