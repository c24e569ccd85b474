"""Self-match: a mentee chooses a mentor among those the engine suggests, the mentor answers,
the curator approves, and the pair is formed the way a confirmed run forms its pairs.

The curator switches it on per form of the programme for a window of dates (`window_save`).
A mentee of 14 or more acts for themselves (a guardian is told through the events); for a child
under 14 a guardian acts. The suggestions are the engine's admissible mentors of a run of the
form, scored by the run's default weights (`compute.admissible_mentors`: one rule for a run and
for a suggestion) — a withdrawn consent, a full mentor, a mentor of the same family never
appear — less the mentors who paused or already said no to this mentee.

What happens is announced with `core.events.emit` (``selfmatch.*``); the notification centre
decides who is told. Without it the flow still works: the mentor sees the requests in the
cabinet, the curator on the form's self-match page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import User
from nastavnik.consents.rules import OWN_SIGNATURE_AGE
from nastavnik.core.events import emit
from nastavnik.matching.compute import Admissible, admissible_mentors, engine_weights
from nastavnik.matching.models import (
    SELFMATCH_MAX_ANSWER_DAYS,
    SELFMATCH_MAX_SUGGESTIONS,
    SELFMATCH_MESSAGE_MAX,
    SELFMATCH_MODE,
    SelfMatchMentor,
    SelfMatchRequest,
    SelfMatchStatus,
    SelfMatchWindow,
)
from nastavnik.matching.profiles import RunInputs, build_inputs
from nastavnik.matching.services import (
    Pairing,
    RunSettings,
    pairs_form,
)
from nastavnik.mentees.models import Mentee, MenteeStatus
from nastavnik.mentors.models import Mentor
from nastavnik.mentorships.services import check_term
from nastavnik.orders.services import OrderDetails
from nastavnik.people.models import GuardianLink, Person
from nastavnik.people.validators import org_today
from nastavnik.programmes.models import ProgrammeForm, ProgrammeStatus

logger = logging.getLogger(__name__)

#: The mentor is reminded once, this long before the request expires.
REMIND_BEFORE = timedelta(days=1)

MESSAGES = {
    "not_enabled": _("Choosing a mentor is not switched on for this form."),
    "window_closed": _("Choosing a mentor is open from %(opens)s to %(closes)s."),
    "programme_closed": _("Choosing a mentor is possible in an approved, running programme."),
    "not_waiting": _("%(name)s is not waiting for a mentor in this programme."),
    "guardian_acts": _(
        "For a child under 14 the mentor is chosen by a parent or other legal representative."
    ),
    "not_yours": _("You may choose a mentor only for yourself or for your own child."),
    "open_request": _(
        "There is already a request waiting for an answer: wait for it or for its end before "
        "asking another mentor."
    ),
    "not_suggested": _(
        "This mentor is not among the suggested ones (any more): choose one from the list."
    ),
    "message_empty": _("Write a few words to the mentor."),
    "message_long": _("The message may be at most %(limit)s characters long (now %(length)s)."),
    "not_pending": _("The request has already been answered or has ended."),
    "expired": _("The time to answer this request ended on %(day)s."),
    "mentor_full": _("You have no free place for one more mentee."),
    "not_accepted": _("Only a request the mentor accepted can be approved."),
    "not_open": _("The request is already decided."),
    "no_longer_admissible": _(
        "%(mentee)s and %(mentor)s can no longer be paired (consent, places or the form's "
        "rules changed): decline the request."
    ),
    "window_order": _("The window must close on or after the day it opens."),
    "bounds": _("%(field)s must be between %(low)s and %(high)s."),
}


def _error(key: str, **params: Any) -> ValidationError:
    return ValidationError(MESSAGES[key], code=key, params=params or None)


def _day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


# --- The curator's window ---------------------------------------------------------------------


def window_of(programme_form: ProgrammeForm) -> SelfMatchWindow | None:
    return SelfMatchWindow.objects.filter(programme_form=programme_form).first()


@transaction.atomic
def window_save(
    programme_form: ProgrammeForm,
    *,
    enabled: bool,
    opens_on: date,
    closes_on: date,
    suggestions: int,
    answer_days: int,
    by: User | None,
) -> SelfMatchWindow:
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _error("window_order")})
    for name, value, high, label in (
        ("suggestions", suggestions, SELFMATCH_MAX_SUGGESTIONS, _("Mentors suggested")),
        ("answer_days", answer_days, SELFMATCH_MAX_ANSWER_DAYS, _("Days to answer")),
    ):
        if not 1 <= value <= high:
            raise ValidationError({name: _error("bounds", field=label, low=1, high=high)})
    window, _created = SelfMatchWindow.objects.update_or_create(
        programme_form=programme_form,
        defaults={
            "organisation_id": programme_form.organisation_id,
            "enabled": enabled,
            "opens_on": opens_on,
            "closes_on": closes_on,
            "suggestions": suggestions,
            "answer_days": answer_days,
            "updated_by": by,
        },
    )
    logger.info("self-match of programme form %s set by %s", programme_form.pk, by)
    return window


def _open_window(mentee: Mentee, today: date) -> SelfMatchWindow:
    """The window of the mentee's form, open today, or the reason there is none."""
    if mentee.programme.status != ProgrammeStatus.APPROVED:
        raise _error("programme_closed")
    window = (
        SelfMatchWindow.objects.filter(
            programme_form__programme_id=mentee.programme_id, programme_form__form_id=mentee.form_id
        ).first()
        if mentee.form_id
        else None
    )
    if window is None or not window.enabled:
        raise _error("not_enabled")
    if not window.is_open(today):
        raise _error("window_closed", opens=_day(window.opens_on), closes=_day(window.closes_on))
    return window


# --- The mentor's choices ---------------------------------------------------------------------


def mentor_settings(mentor: Mentor) -> SelfMatchMentor:
    found = SelfMatchMentor.objects.filter(mentor=mentor).first()
    return found or SelfMatchMentor(organisation_id=mentor.organisation_id, mentor=mentor)


@transaction.atomic
def mentor_settings_save(
    mentor: Mentor, *, paused: bool, shows_reasons: bool, by: User | None
) -> SelfMatchMentor:
    made, _created = SelfMatchMentor.objects.update_or_create(
        mentor=mentor,
        defaults={
            "organisation_id": mentor.organisation_id,
            "paused": paused,
            "shows_reasons": shows_reasons,
        },
    )
    logger.info("self-match settings of mentor %s set by %s", mentor.pk, by)
    return made


# --- Who acts for a mentee --------------------------------------------------------------------


def acts_for_self(mentee: Mentee, today: date) -> bool:
    """From 14 the mentee chooses (a guardian is told); under 14 a guardian chooses."""
    age = mentee.person.age_on(today)
    return age is None or age >= OWN_SIGNATURE_AGE


def _check_actor(mentee: Mentee, actor: Person, today: date) -> None:
    if actor.pk == mentee.person_id:
        if not acts_for_self(mentee, today):
            raise _error("guardian_acts")
        return
    if not GuardianLink.objects.filter(guardian=actor, child_id=mentee.person_id).exists():
        raise _error("not_yours")
    if acts_for_self(mentee, today):
        # A minor of 14–17 acts with the guardian's knowledge, not through the guardian.
        raise _error("not_yours")


# --- Suggestions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    mentor: Mentor
    points: int
    #: Why the engine suggests the mentor, in sentences (empty unless the mentor agreed).
    reasons: list[str] = field(default_factory=list)


def _reasons(found: Admissible) -> list[str]:
    """The matched parts of the pair's score, in plain words. Only what both share: the words
    of the mentee's request met in the mentor's strengths, common subjects, common time."""
    score, lines = found.score, []
    if score.matched_subjects:
        lines.append(
            gettext("Common subjects: %(items)s.") % {"items": ", ".join(score.matched_subjects)}
        )
    if score.matched_terms:
        lines.append(
            gettext("Your request meets the mentor's strengths: %(items)s.")
            % {"items": ", ".join(score.matched_terms[:6])}
        )
    if score.common_slots:
        lines.append(
            gettext("You both have free time: %(items)s.")
            % {"items": ", ".join(score.common_slots)}
        )
    return lines


def _inputs(mentee: Mentee, today: date) -> RunInputs:
    # A mentee without a form has no window either (`_open_window`): nobody to suggest.
    if mentee.form is None:
        raise _error("not_enabled")
    return build_inputs(mentee.programme, mentee.form, today)


def _ranked(mentee: Mentee, inputs: RunInputs, limit: int) -> list[tuple[Mentor, Admissible]]:
    """The mentee's admissible mentors, best first, less the paused ones, those who already
    said no to (or let expire a request of) this mentee, and those whose free places are all
    promised to requests they accepted."""
    found = admissible_mentors(inputs, mentee.person_id, engine_weights(RunSettings().weight_map))
    rows = [inputs.mentor_rows[a.mentor_person] for a in found]
    paused = set(
        SelfMatchMentor.objects.filter(mentor__in=rows, paused=True).values_list(
            "mentor_id", flat=True
        )
    )
    refused = set(
        SelfMatchRequest.objects.filter(
            mentee=mentee,
            status__in=(
                SelfMatchStatus.DECLINED,
                SelfMatchStatus.EXPIRED,
                SelfMatchStatus.OVERRIDDEN,
            ),
        ).values_list("mentor_id", flat=True)
    )
    promised = _promised(rows)
    chosen = []
    for mentor, admissible in zip(rows, found, strict=True):
        if mentor.pk in paused or mentor.pk in refused:
            continue
        if promised.get(mentor.pk, 0) >= inputs.places[mentor.person_id]:
            continue
        chosen.append((mentor, admissible))
        if len(chosen) == limit:
            break
    return chosen


def _promised(mentors: list[Mentor]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for pk in SelfMatchRequest.objects.filter(
        mentor__in=mentors, status=SelfMatchStatus.ACCEPTED
    ).values_list("mentor_id", flat=True):
        counts[pk] = counts.get(pk, 0) + 1
    return counts


def suggestions_for(mentee: Mentee, today: date) -> list[Suggestion]:
    """Up to the window's number of mentors for the mentee; none when the window is closed,
    the mentee is not waiting for a mentor, or a request of theirs is open."""
    if mentee.status != MenteeStatus.IN_BASE:
        return []
    try:
        window = _open_window(mentee, today)
    except ValidationError:
        return []
    if SelfMatchRequest.objects.open().filter(mentee=mentee).exists():
        return []
    ranked = _ranked(mentee, _inputs(mentee, today), window.suggestions)
    shows = set(
        SelfMatchMentor.objects.filter(
            mentor__in=[m for m, _a in ranked], shows_reasons=True
        ).values_list("mentor_id", flat=True)
    )
    return [
        Suggestion(mentor, found.points, _reasons(found) if mentor.pk in shows else [])
        for mentor, found in ranked
    ]


# --- Asking, answering, deciding --------------------------------------------------------------


def _clean_message(message: str) -> str:
    text = (message or "").strip()
    if not text:
        raise ValidationError({"message": _error("message_empty")})
    if len(text) > SELFMATCH_MESSAGE_MAX:
        raise ValidationError(
            {"message": _error("message_long", limit=SELFMATCH_MESSAGE_MAX, length=len(text))}
        )
    return text


def _locked_mentee(mentee: Mentee) -> Mentee:
    return (
        Mentee.objects.select_for_update(of=("self",))
        .select_related("person", "programme__organisation", "form")
        .get(pk=mentee.pk)
    )


@transaction.atomic
def request_create(
    mentee: Mentee, mentor_pk: Any, message: str, *, actor: Person, by: User | None
) -> SelfMatchRequest:
    """The mentee (or the guardian of a child under 14) asks one of the suggested mentors.
    `mentor_pk` is what the page sent: anything but a suggested mentor's key is refused."""
    text = _clean_message(message)
    locked = _locked_mentee(mentee)
    today = org_today(locked.organisation)
    _check_actor(locked, actor, today)
    if locked.status != MenteeStatus.IN_BASE:
        raise _error("not_waiting", name=locked.person.full_name)
    window = _open_window(locked, today)
    if SelfMatchRequest.objects.open().filter(mentee=locked).exists():
        raise _error("open_request")
    ranked = _ranked(locked, _inputs(locked, today), window.suggestions)
    chosen = next(((m, a) for m, a in ranked if str(m.pk) == str(mentor_pk)), None)
    if chosen is None:
        raise ValidationError({"mentor": _error("not_suggested")})
    mentor, found = chosen
    form_id = window.programme_form.form_id
    now = timezone.now()
    try:
        with transaction.atomic():
            request = SelfMatchRequest.objects.create(
                organisation_id=locked.organisation_id,
                programme_id=locked.programme_id,
                form_id=form_id,
                mentee=locked,
                mentor=mentor,
                message=text,
                points=found.points,
                requested_by=by,
                answer_by=now + timedelta(days=window.answer_days),
            )
    except IntegrityError as error:
        raise _error("open_request") from error
    logger.info("self-match request %s: mentee %s asks mentor %s", request.pk, mentee.pk, mentor.pk)
    emit("selfmatch.requested", request=request, by=by, for_self=actor.pk == locked.person_id)
    return request


def _locked_request(request: SelfMatchRequest) -> SelfMatchRequest:
    return (
        SelfMatchRequest.objects.select_for_update(of=("self",))
        .select_related("mentee__person", "mentor__person", "programme__organisation", "form")
        .get(pk=request.pk)
    )


@transaction.atomic
def request_answer(request: SelfMatchRequest, *, accept: bool, by: User | None) -> SelfMatchRequest:
    """The mentor accepts (the curator decides next) or declines, before the time runs out."""
    locked = _locked_request(request)
    if locked.status != SelfMatchStatus.PENDING:
        raise _error("not_pending")
    now = timezone.now()
    if now >= locked.answer_by:
        raise _error("expired", day=_day(timezone.localtime(locked.answer_by).date()))
    if accept:
        # The mentor row is the queue of everything that fills the mentor's places.
        mentor = Mentor.objects.select_for_update(of=("self",)).get(pk=locked.mentor_id)
        inputs = _inputs(locked.mentee, org_today(locked.organisation))
        places = inputs.places.get(mentor.person_id, 0)
        if _promised([mentor]).get(mentor.pk, 0) >= places:
            raise _error("mentor_full")
    locked.status = SelfMatchStatus.ACCEPTED if accept else SelfMatchStatus.DECLINED
    locked.answered_at = now
    locked.save(update_fields=["status", "answered_at"])
    logger.info("self-match request %s answered %s by %s", locked.pk, locked.status, by)
    emit("selfmatch.answered", request=locked, accepted=accept, by=by)
    request.status = locked.status
    return locked


@transaction.atomic
def request_approve(
    request: SelfMatchRequest,
    *,
    order: OrderDetails,
    started_on: date,
    planned_end: date,
    by: User | None,
) -> SelfMatchRequest:
    """The curator's approval: the pair is formed through the confirmation of a run
    (`services.pairs_form`: mentor row locked, places counted again, the order drafted), after
    the engine admits the pair again with everything locked."""
    locked = _locked_request(request)
    if locked.status != SelfMatchStatus.ACCEPTED:
        raise _error("not_accepted")
    programme = locked.programme
    if programme.status != ProgrammeStatus.APPROVED:
        raise _error("programme_closed")
    check_term(started_on, planned_end)
    mentee = Mentee.objects.select_related("person", "role_model").get(pk=locked.mentee_id)
    mentor = Mentor.objects.select_related("person").get(pk=locked.mentor_id)

    def still_admissible() -> None:
        inputs = build_inputs(programme, locked.form, org_today(programme.organisation))
        found = admissible_mentors(
            inputs, mentee.person_id, engine_weights(RunSettings().weight_map)
        )
        if not any(a.mentor_person == mentor.person_id for a in found):
            raise _error(
                "no_longer_admissible",
                mentee=mentee.person.full_name,
                mentor=mentor.person.full_name,
            )

    mentorships, made = pairs_form(
        programme,
        locked.form,
        [Pairing(mentee, mentor, locked.points)],
        order=order,
        started_on=started_on,
        planned_end=planned_end,
        by=by,
        recheck=still_admissible,
        mode=SELFMATCH_MODE,
    )
    locked.status = SelfMatchStatus.APPROVED
    locked.decided_at, locked.decided_by = timezone.now(), by
    locked.mentorship = mentorships[0]
    locked.save(update_fields=["status", "decided_at", "decided_by", "mentorship"])
    logger.info("self-match request %s approved by %s: order %s", locked.pk, by, made and made.pk)
    emit("selfmatch.approved", request=locked, mentorship=mentorships[0], order=made, by=by)
    request.status = locked.status
    return locked


@transaction.atomic
def request_decline(request: SelfMatchRequest, *, by: User | None) -> SelfMatchRequest:
    """The curator overrides: the request ends and the mentee is back for a run (or asks
    another mentor)."""
    locked = _locked_request(request)
    if not locked.is_open:
        raise _error("not_open")
    locked.status = SelfMatchStatus.OVERRIDDEN
    locked.decided_at, locked.decided_by = timezone.now(), by
    locked.save(update_fields=["status", "decided_at", "decided_by"])
    logger.info("self-match request %s declined by the curator %s", locked.pk, by)
    emit("selfmatch.declined_by_curator", request=locked, by=by)
    request.status = locked.status
    return locked


# --- Time running out -------------------------------------------------------------------------


def requests_sweep(now: datetime | None = None) -> dict[str, int]:
    """Remind mentors once a day before a request runs out, and end the unanswered ones.
    Idempotent: each row is taken under its lock and changed once."""
    now = now or timezone.now()
    counts = {"reminded": 0, "expired": 0}
    due = SelfMatchRequest.objects.filter(status=SelfMatchStatus.PENDING, answer_by__lte=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            row = (
                SelfMatchRequest.objects.select_for_update(of=("self",))
                .filter(pk=pk, status=SelfMatchStatus.PENDING, answer_by__lte=now)
                .first()
            )
            if row is None:
                continue
            row.status = SelfMatchStatus.EXPIRED
            row.save(update_fields=["status"])
            emit("selfmatch.expired", request=row)
            counts["expired"] += 1
    soon = SelfMatchRequest.objects.filter(
        status=SelfMatchStatus.PENDING,
        reminded_at__isnull=True,
        answer_by__gt=now,
        answer_by__lte=now + REMIND_BEFORE,
    )
    for pk in soon.values_list("pk", flat=True):
        with transaction.atomic():
            changed = SelfMatchRequest.objects.filter(pk=pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if changed:
                emit("selfmatch.reminder", request=SelfMatchRequest.objects.get(pk=pk))
                counts["reminded"] += 1
    return counts
