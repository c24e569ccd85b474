"""The shared mentor base: a mentor of one organisation mentoring a mentee of another
organisation of the same municipality.

Who may be offered is `shared_base.shareable_mentors`, the one rule (registry, approved
programme, the flag, valid consents to participation and sharing; the municipality's scope).

The walk, each step an explicit action of one side, any side may refuse while it is open:

1. the mentee's organisation (host) finds the mentor in «Наставники других организаций» and asks
   for the mentor for one of its mentees (`offer_ask`);
2. the mentor's organisation (home) agrees or refuses (`offer_home_answer`);
3. the mentor agrees or refuses (`offer_mentor_answer`) — 2 and 3 in either order;
4. the host forms the pair (`offer_pair`): it belongs to the host's programme (its order, plan
   and meetings); the home organisation sees the offer as «pair formed».

The sharing ends when the mentor stops being shareable (a consent withdrawn, the flag off, the
mentor left): every step checks again, open offers are ended (`offers_end_unshared`), and no
new pair is formed. The mentor's places count across organisations: `mentorships.services`
counts a person's active mentees in every programme, under the lock of the mentor's row.

What the host sees of the mentor is `SharedCard`: the name (the sharing consent covers the
mentor's name with the profile — the consent text names «сведения о наставнике»), the home
organisation, competencies, subjects, forms, format, availability and experience; never
contacts, birth date, documents or anything else of the person.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import User
from nastavnik.catalogue.models import MentoringForm
from nastavnik.catalogue.profile import MeetingFormat
from nastavnik.consents.models import Consent, Purpose
from nastavnik.consents.rules import hidden_q
from nastavnik.matching.models import OfferSide, OfferStatus, SharedOffer
from nastavnik.matching.profiles import active_mentees_of
from nastavnik.matching.shared_base import shared_mentors_for
from nastavnik.mentees.models import Mentee, MenteeStatus
from nastavnik.mentees.services import mentee_set_status
from nastavnik.mentors.models import Mentor, MentorQuerySet
from nastavnik.mentorships.services import (
    NewMember,
    capacity_of,
    check_places,
    check_term,
    default_planned_end,
    lock_mentors,
    mentorship_create,
)
from nastavnik.orgs.models import Organisation
from nastavnik.people.models import Person
from nastavnik.people.validators import org_today

logger = logging.getLogger(__name__)

REASON_MAX_LENGTH = 1000

MESSAGES = {
    "mentor_not_shared": _(
        "This mentor is not offered to the organisations of your municipality (no consent to "
        "sharing, not agreed to be offered, or not in the registry)."
    ),
    "mentee_not_waiting": _(
        "Choose a mentee of your base who is waiting for a mentor and has a mentoring form."
    ),
    "form_not_taken": _("%(mentor)s does not mentor in the form «%(form)s»."),
    "already_asked": _("%(mentor)s is already asked for %(mentee)s."),
    "not_open": _("The offer is %(status)s: it can no longer be answered."),
    "already_agreed": _("The agreement is already given."),
    "not_agreed": _(
        "The pair is formed once both the mentor's organisation and the mentor have agreed."
    ),
    "no_longer_shared": _(
        "%(mentor)s is no longer offered to other organisations: the offer has ended."
    ),
    "mentee_taken": _("%(mentee)s is no longer waiting for a mentor: the offer has ended."),
    "reason_too_long": _("The reason is too long (at most %(limit)s characters)."),
}


def _error(key: str, **params: Any) -> ValidationError:
    return ValidationError(MESSAGES[key], code=key, params=params or None)


@dataclass(frozen=True)
class SharedCard:
    """What another organisation sees of a shared mentor — nothing more (see the module)."""

    pk: int
    name: str
    home: str
    competencies: str
    subjects: list[str]
    forms: list[str]
    meeting_format: str
    availability: list[str]
    experience_years: int | None
    free_places: int

    @classmethod
    def of(cls, mentor: Mentor) -> SharedCard:
        taken = getattr(mentor, "active_mentees", 0)
        return cls(
            pk=mentor.pk,
            name=mentor.person.full_name,
            home=mentor.organisation.short_name,
            competencies=mentor.competencies,
            subjects=mentor.subject_list,
            forms=[form.shown_name for form in mentor.forms.all()],
            meeting_format=str(MeetingFormat(mentor.meeting_format).label),
            availability=mentor.availability_labels(),
            experience_years=mentor.experience_years,
            free_places=max(0, capacity_of(mentor) - taken),
        )


def _with_card_data(mentors: MentorQuerySet) -> MentorQuerySet:
    return (
        mentors.select_related("person", "organisation")
        .prefetch_related(Prefetch("forms", queryset=MentoringForm.objects.order_by("order")))
        .annotate(active_mentees=active_mentees_of())
    )


def shared_cards(
    organisation: Organisation, on: date, form: MentoringForm | None = None, limit: int = 200
) -> list[SharedCard]:
    """The cards of «Наставники других организаций», the `limit` first by name."""
    mentors = shared_mentors_for(organisation, on)
    if form is not None:
        mentors = mentors.filter(forms__code=form.code).distinct()
    return [SharedCard.of(m) for m in _with_card_data(mentors).order_by("person__name_key")[:limit]]


def shared_card(organisation: Organisation, on: date, mentor_pk: int) -> SharedCard | None:
    mentor = _with_card_data(shared_mentors_for(organisation, on)).filter(pk=mentor_pk).first()
    return SharedCard.of(mentor) if mentor is not None else None


def waiting_mentees(organisation: Organisation) -> list[Mentee]:
    """The host's mentees a shared mentor may be asked for."""
    return list(
        Mentee.objects.filter(
            organisation=organisation, status=MenteeStatus.IN_BASE, form__isnull=False
        )
        .exclude(hidden_q(ref="person"))
        .select_related("person", "form")
        .order_by("person__name_key")
    )


# --- The walk -----------------------------------------------------------------------------------


def _still_shared(offer: SharedOffer) -> bool:
    on = org_today(offer.home_organisation)
    return shared_mentors_for(offer.host_organisation, on).filter(pk=offer.mentor_id).exists()


def _locked(offer: SharedOffer) -> SharedOffer:
    return (
        SharedOffer.objects.select_for_update(of=("self",))
        .select_related(
            "mentor__person",
            "mentee__person",
            "mentee__form",
            "mentee__programme",
            "mentee__role_model",
            "home_organisation",
            "host_organisation",
        )
        .get(pk=offer.pk)
    )


def _check_places(mentor: Mentor) -> None:
    """One more mentee must fit the mentor's places, counted across organisations."""
    locked = lock_mentors([mentor.pk])
    check_places(locked, Counter({mentor.pk: 1}))


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise _error("reason_too_long", limit=REASON_MAX_LENGTH)
    return reason


def _step(write: Any) -> Any:
    """Run one step in a transaction; an offer found ended meanwhile stays ended even though
    the step itself is refused (the ending is a fact, not part of the refused step)."""
    ended: list[int] = []
    try:
        with transaction.atomic():
            return write(ended)
    except ValidationError as error:
        if error.code == "no_longer_shared" and ended:
            offers_end(ended)
        raise


def offers_end(pks: list[int]) -> int:
    return (
        SharedOffer.objects.open()
        .filter(pk__in=pks)
        .update(status=OfferStatus.ENDED, ended_at=timezone.now())
    )


def offer_ask(
    host: Organisation, *, mentor_pk: Any, mentee_pk: Any, message: str = "", by: User | None
) -> SharedOffer:
    """The host asks for a shared mentor of another organisation for one of its mentees."""
    message = _clean_reason(message)
    with transaction.atomic():
        mentee = (
            Mentee.objects.select_for_update(of=("self",))
            .filter(organisation=host, status=MenteeStatus.IN_BASE, form__isnull=False)
            .exclude(hidden_q(org_today(host), ref="person"))
            .select_related("person", "form")
            .filter(pk=_int(mentee_pk))
            .first()
        )
        mentor = (
            shared_mentors_for(host, org_today(host))
            .select_related("person", "organisation")
            .filter(pk=_int(mentor_pk))
            .first()
        )
        if mentor is None:
            raise _error("mentor_not_shared")
        if mentee is None or mentee.form is None:
            raise _error("mentee_not_waiting")
        if not mentor.forms.filter(code=mentee.form.code).exists():
            raise _error(
                "form_not_taken", mentor=mentor.person.full_name, form=mentee.form.shown_name
            )
        if SharedOffer.objects.open().filter(mentor=mentor, mentee=mentee).exists():
            raise _error(
                "already_asked", mentor=mentor.person.full_name, mentee=mentee.person.full_name
            )
        _check_places(mentor)
        offer = SharedOffer.objects.create(
            home_organisation=mentor.organisation,
            host_organisation=host,
            mentor=mentor,
            mentee=mentee,
            message=message,
            asked_by=by,
        )
    logger.info("shared offer %s asked by %s", offer.pk, by)
    return offer


def offers_ask_from_run(
    run: Any, pairs: list[tuple[Mentor, Mentee]], *, by: User | None
) -> list[SharedOffer]:
    """A confirmed run's proposals with other organisations' shared mentors become requests,
    as if the curator had asked for each (`offer_ask`). The run's confirmation has checked that
    the bases, shared mentors among them, are as the run read them."""
    open_pairs = set(
        SharedOffer.objects.open()
        .filter(mentee__in=[mentee for _m, mentee in pairs])
        .values_list("mentor_id", "mentee_id")
    )
    message = f"Предложено подбором № {run.number} ({run.form.name})."
    return SharedOffer.objects.bulk_create(
        SharedOffer(
            home_organisation_id=mentor.organisation_id,
            host_organisation_id=run.organisation_id,
            mentor=mentor,
            mentee=mentee,
            message=message,
            asked_by=by,
        )
        for mentor, mentee in pairs
        if (mentor.pk, mentee.pk) not in open_pairs
    )


def _int(value: Any) -> int:
    """A primary key from a form field; anything else is 0, which names no row."""
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() else 0


def _answer(
    offer: SharedOffer, side: OfferSide, *, agree: bool, reason: str, by: User | None
) -> SharedOffer:
    reason = _clean_reason(reason)

    def write(ended: list[int]) -> SharedOffer:
        locked = _locked(offer)
        agreed_field = "home_agreed_at" if side == OfferSide.HOME else "mentor_agreed_at"
        if not locked.is_open:
            raise _error("not_open", status=locked.get_status_display().lower())
        if agree and getattr(locked, agreed_field) is not None:
            raise _error("already_agreed")
        if not agree:
            locked.status = OfferStatus.REFUSED
            locked.refused_by = side
            locked.refusal_reason = reason
            locked.ended_at = timezone.now()
            locked.save(update_fields=["status", "refused_by", "refusal_reason", "ended_at"])
            return locked
        if not _still_shared(locked):
            ended.append(locked.pk)
            raise _error("no_longer_shared", mentor=locked.mentor.person.full_name)
        _check_places(locked.mentor)
        setattr(locked, agreed_field, timezone.now())
        fields = [agreed_field]
        if side == OfferSide.HOME:
            locked.home_agreed_by = by
            fields.append("home_agreed_by")
        if locked.home_agreed_at is not None and locked.mentor_agreed_at is not None:
            locked.status = OfferStatus.AGREED
            fields.append("status")
        locked.save(update_fields=fields)
        return locked

    answered = _step(write)
    logger.info("shared offer %s: %s %s by %s", offer.pk, side, agree, by)
    offer.status = answered.status
    return answered


def offer_home_answer(
    offer: SharedOffer, *, agree: bool, reason: str = "", by: User | None
) -> SharedOffer:
    """The mentor's organisation agrees to lend its mentor, or refuses."""
    return _answer(offer, OfferSide.HOME, agree=agree, reason=reason, by=by)


def offer_mentor_answer(
    offer: SharedOffer, person: Person, *, agree: bool, reason: str = "", by: User | None
) -> SharedOffer:
    """The mentor agrees to mentor the mentee of the other organisation, or refuses."""
    if offer.mentor.person_id != person.pk:
        raise ValueError("only the mentor answers for the mentor")
    return _answer(offer, OfferSide.MENTOR, agree=agree, reason=reason, by=by)


def offer_withdraw(offer: SharedOffer, *, reason: str = "", by: User | None) -> SharedOffer:
    """The host no longer asks (found another mentor, the mentee left …)."""
    return _answer(offer, OfferSide.HOST, agree=False, reason=reason, by=by)


def offer_pair(
    offer: SharedOffer,
    *,
    started_on: date | None = None,
    planned_end: date | None = None,
    by: User | None,
) -> SharedOffer:
    """The host forms the pair both the home organisation and the mentor agreed to: in the
    mentee's programme, so its plan, meetings and order are the host's."""

    def write(ended: list[int]) -> SharedOffer:
        locked = _locked(offer)
        if locked.status != OfferStatus.AGREED:
            if locked.status == OfferStatus.ASKED:
                raise _error("not_agreed")
            raise _error("not_open", status=locked.get_status_display().lower())
        if not _still_shared(locked):
            ended.append(locked.pk)
            raise _error("no_longer_shared", mentor=locked.mentor.person.full_name)
        mentee = Mentee.objects.select_for_update(of=("self",)).get(pk=locked.mentee_id)
        if mentee.status != MenteeStatus.IN_BASE or mentee.form is None:
            raise _error("mentee_taken", mentee=locked.mentee.person.full_name)
        start = started_on or org_today(locked.host_organisation)
        end = planned_end or default_planned_end(start)
        check_term(start, end)
        mentors = lock_mentors([locked.mentor_id])
        check_places(mentors, Counter({locked.mentor_id: 1}))
        mentorship = mentorship_create(
            mentee.programme,
            form=mentee.form,
            mentor=mentors[locked.mentor_id],
            members=[NewMember(mentee)],
            role_model=mentee.role_model,
            started_on=start,
            planned_end=end,
            by=by,
        )
        mentee_set_status(mentee, MenteeStatus.PAIRED, by=by)
        locked.status = OfferStatus.PAIRED
        locked.mentorship = mentorship
        locked.save(update_fields=["status", "mentorship"])
        # The mentee has a mentor now: the other open asks for this mentee are over.
        SharedOffer.objects.open().filter(mentee_id=locked.mentee_id).exclude(pk=locked.pk).update(
            status=OfferStatus.ENDED, ended_at=timezone.now()
        )
        return locked

    formed = _step(write)
    logger.info("shared offer %s: pair %s formed by %s", offer.pk, formed.mentorship_id, by)
    offer.status, offer.mentorship = formed.status, formed.mentorship
    return formed


def offers_end_unshared(person: Person | None = None) -> int:
    """End the open offers whose mentor is no longer shared (of one person, or all). Called
    when a consent is withdrawn; every step checks again besides."""
    offers = SharedOffer.objects.open()
    if person is not None:
        offers = offers.filter(mentor__person=person)
    stale = [
        o.pk
        for o in offers.select_related("home_organisation", "host_organisation")
        if not _still_shared(o)
    ]
    return offers_end(stale) if stale else 0


def offers_end_on_withdrawal(consent: Consent, by: User | None) -> None:
    """`consents.services.on_withdrawal`: inside the withdrawal's transaction."""
    if consent.purpose in (Purpose.PROCESSING, Purpose.PARTICIPATION, Purpose.SHARING):
        offers_end_unshared(consent.subject)


def mentors_elsewhere(home: Organisation) -> list[SharedOffer]:
    """The home organisation's mentors at work in other organisations (pairs formed)."""
    return list(
        SharedOffer.objects.filter(home_organisation=home, status=OfferStatus.PAIRED)
        .select_related("mentor__person", "host_organisation", "mentorship")
        .order_by("mentor__person__name_key", F("mentorship__started_on").desc(nulls_last=True))
    )
