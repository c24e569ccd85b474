"""Writes to pairs and groups. Matching's confirmation creates them here; so does their life
(stages 6–7): extension for an absence, replacement of the mentor, completion (normal or early,
by order), termination, and the results.

Each function is atomic and validated: bad data raise ValidationError and write nothing.
Counting a mentor's mentees is only safe with the mentor's row locked (`lock_mentors`): two
confirmations at once then queue on it and the second counts what the first committed.

Orders. A replacement of the mentor and an early completion are made by an order of the
director (seed 002 §2.7–2.8). Both apply at once, and the draft order is made with them and
linked (the assignment, the mentorship): the curator's work goes on the same day — the new
mentor sees the pair — while the paper is signed. Signing the order changes nothing more;
the order is the record. A deleted draft leaves the change in place (the link is emptied).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import User
from nastavnik.audit.models import AuditAction, AuditObject
from nastavnik.audit.services import audit_record, created, diff
from nastavnik.catalogue.models import MentoringForm, MentoringKind, RoleModel
from nastavnik.consents.models import Purpose
from nastavnik.consents.rules import hidden_q, valid_exists
from nastavnik.core import events
from nastavnik.core.dates import years_later
from nastavnik.core.text import typed_text
from nastavnik.mentees.models import Mentee, MenteeStatus
from nastavnik.mentees.services import mentee_set_status
from nastavnik.mentors.models import GROUP_LIMIT, ONE_TO_ONE_LIMIT, Mentor, MentorStatus
from nastavnik.mentorships.models import (
    RESULT_FIELDS,
    AbsenceReason,
    AbsentSide,
    MentorAssignment,
    Mentorship,
    MentorshipExtension,
    MentorshipMentee,
    MentorshipResult,
    MentorshipStatus,
)
from nastavnik.orders.kinds import OrderKind
from nastavnik.orders.models import Order
from nastavnik.orders.services import OrderDetails, order_defaults, order_draft
from nastavnik.people.models import Person
from nastavnik.people.validators import org_today
from nastavnik.programmes.models import Programme, ProgrammeForm
from nastavnik.programmes.services import require_open

logger = logging.getLogger(__name__)

MESSAGES = {
    "dates_required": _("Enter the start and the planned end of the mentoring."),
    "end_before_start": _("The planned end must come after the start."),
    "over_a_year": _(
        "A mentorship lasts at most one year: the planned end can be %(latest)s at the latest."
    ),
    "no_mentees": _("A pair or group needs at least one mentee."),
    "mentor_full": _(
        "These mentors have no free place for the new mentees (at most %(limit)s at once, a "
        "group mentor the size of the group): %(names)s."
    ),
    "mentee_paired": _("These mentees are already in an active pair or group: %(names)s."),
    "group_needed": _("%(name)s does not lead a group: a pair has one mentee."),
    "over_a_year_extended": _(
        "A mentorship lasts at most one year and the days it was extended by: the planned end "
        "can be %(latest)s at the latest."
    ),
    "not_active": _(
        "This pair or group is no longer active (%(status)s): nothing was changed. Only an "
        "active pair or group can be completed, extended or given another mentor."
    ),
    "end_date_required": _("Enter the date the mentoring ended."),
    "end_before_start_of_pair": _("The mentoring cannot end before it started (%(start)s)."),
    "end_in_future": _("The mentoring cannot end later than today (%(today)s)."),
    "reason_required": _("Give the reason."),
    "too_long": _("At most %(max)s characters."),
    "ground_required": _("Choose the ground for replacing the mentor."),
    "new_mentor_required": _("Choose the new mentor."),
    "same_mentor": _("%(name)s already mentors this pair or group: choose another mentor."),
    "mentor_not_eligible": _(
        "%(name)s cannot take this pair or group: the new mentor must be in the mentor "
        "registry of this programme, take the form «%(form)s» and have a valid consent."
    ),
    "mentor_is_mentee": _("%(name)s is a mentee of this pair or group."),
    "group_mentor_needed": _(
        "%(name)s does not lead a group: a group's new mentor must be a group mentor."
    ),
    "replacement_date": _(
        "The new mentor takes over within the mentoring period, from %(start)s to %(end)s."
    ),
    "replacement_before_current": _(
        "The current mentor took over on %(date)s: the replacement cannot come earlier."
    ),
    "absence_dates_required": _("Enter the first and the last day of the absence."),
    "absence_order": _("The absence cannot end before it starts."),
    "absence_outside": _(
        "The absence must fall within the mentoring period, from %(start)s to %(end)s."
    ),
    "absence_overlap": _(
        "These days overlap an absence already recorded (%(start)s – %(end)s): record only the "
        "days not yet counted."
    ),
    "absence_reason_required": _("Choose the reason for the absence."),
    "absence_side_required": _("Choose who was absent."),
    "other_reason_text": _("Describe the valid reason for the absence."),
    "end_before_current": _(
        "The current mentor took over on %(date)s: the mentoring cannot end earlier."
    ),
    "not_early": _(
        "An early completion comes before the planned end (%(end)s); on or after it, complete "
        "the mentoring as planned."
    ),
    "not_ended": _("Results are entered when the pair or group is completed."),
    "kind_invalid": _("Choose a kind of mentoring from the list."),
    "kind_group_only": _(
        "Group mentoring is the kind of a group: a pair of one mentor and one mentee takes "
        "another kind."
    ),
    "planned_end_passed": _(
        "The new planned end must come after today (%(today)s): to end the mentoring now, "
        "complete it early, with the reason and the order."
    ),
    "before_planned_end": _(
        "The planned end of this mentoring is %(end)s: before it, the mentoring can be "
        "completed only early — with the reason, the agreement of the mentor and the curator "
        "and the director's order (regulation §2.7). Use «Complete early»."
    ),
}

#: The most a text of the results, a reason or a note may hold.
TEXT_MAX_LENGTH = 4000
PROJECT_MAX_LENGTH = 300
REASON_TEXT_MAX_LENGTH = 300

MENTOR_REPLACEMENT_TITLE = "О замене наставника"
EARLY_COMPLETION_TITLE = "О досрочном завершении наставничества"


def _error(key: str, **params: Any) -> ValidationError:
    return ValidationError(MESSAGES[key], code=key, params=params or None)


def latest_end(started_on: date, extension_days: int = 0) -> date:
    """The last planned end the one-year rule (seed 002 §2.7) allows, with the days the pair
    was extended by for absences (the database checks the same: `models.LatestEnd`)."""
    return years_later(started_on, 1) + timedelta(days=extension_days)


def default_planned_end(started_on: date) -> date:
    """The end of the teaching year (31 May) that follows the start, if within a year."""
    may_end = date(started_on.year + (1 if started_on.month >= 6 else 0), 5, 31)
    if may_end <= started_on:
        may_end = years_later(may_end, 1)
    return min(may_end, latest_end(started_on) - timedelta(days=1))


def check_term(started_on: date | None, planned_end: date | None, extension_days: int = 0) -> None:
    if started_on is None or planned_end is None:
        raise _error("dates_required")
    if planned_end <= started_on:
        raise _error("end_before_start")
    latest = latest_end(started_on, extension_days)
    if planned_end > latest:
        key = "over_a_year_extended" if extension_days else "over_a_year"
        raise _error(key, latest=latest.strftime("%d.%m.%Y"))


def capacity_of(mentor: Mentor) -> int:
    """The places of a mentor: at most two, a group mentor the size of the group."""
    limit = GROUP_LIMIT if mentor.leads_group else ONE_TO_ONE_LIMIT
    return min(mentor.capacity, limit)


def lock_mentors(pks: Iterable[int]) -> dict[int, Mentor]:
    """The mentors' rows locked in the order of their keys (so two writers never wait on each
    other crosswise), with their people."""
    return {
        mentor.pk: mentor
        for mentor in Mentor.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(pk__in=set(pks))
        .order_by("pk")
    }


def active_mentees(people: Iterable[int]) -> dict[int, int]:
    """How many mentees each mentor (by Person pk, in any programme) has in active pairs."""
    counts = (
        MentorshipMentee.objects.filter(active=True, mentorship__mentor__person__in=set(people))
        .values("mentorship__mentor__person")
        .annotate(n=Count("pk"))
    )
    return {row["mentorship__mentor__person"]: row["n"] for row in counts}


def check_places(mentors: dict[int, Mentor], wanted: Counter[int]) -> None:
    """Refuse when the new mentees (per mentor pk) would not fit the places left. Call with the
    mentors locked."""
    taken = active_mentees(m.person_id for m in mentors.values())
    over = [
        mentors[pk]
        for pk, count in sorted(wanted.items())
        if taken.get(mentors[pk].person_id, 0) + count > capacity_of(mentors[pk])
    ]
    if over:
        raise _error(
            "mentor_full",
            limit=ONE_TO_ONE_LIMIT,
            names=", ".join(m.person.full_name for m in over),
        )


def default_kind(programme: Programme, form: MentoringForm, *, is_group: bool) -> str:
    """The kind a new pair or group starts with: a group is group mentoring; a pair takes the
    default of its form in the programme, traditional when the form is not in it."""
    if is_group:
        return MentoringKind.GROUP
    chosen = (
        ProgrammeForm.objects.filter(programme=programme, form=form)
        .values_list("default_kind", flat=True)
        .first()
    )
    if chosen is None or chosen == MentoringKind.GROUP:
        return MentoringKind.TRADITIONAL
    return chosen


def check_kind(kind: Any, *, is_group: bool) -> str:
    if kind not in MentoringKind.values:
        raise ValidationError({"kind": _error("kind_invalid")})
    if kind == MentoringKind.GROUP and not is_group:
        raise ValidationError({"kind": _error("kind_group_only")})
    return str(kind)


@dataclass(frozen=True)
class NewMember:
    mentee: Mentee
    score: int | None = None
    mentee_rank: int | None = None
    mentor_rank: int | None = None


@transaction.atomic
def mentorship_create(
    programme: Programme,
    *,
    form: MentoringForm,
    mentor: Mentor,
    members: Sequence[NewMember],
    started_on: date,
    planned_end: date,
    by: User | None,
    role_model: RoleModel | None = None,
    is_group: bool = False,
    matching_run: Any = None,
    mode: str = "",
    weights: dict[str, float] | None = None,
    kind: str | None = None,
) -> Mentorship:
    """A pair (one mentee) or a group (a group mentor, several). The caller has locked the
    mentor (`lock_mentors`) and checked the places (`check_places`); the database refuses a
    mentee already in an active pair whatever the caller did. Without a `kind` it starts with
    its form's default (`default_kind`)."""
    check_term(started_on, planned_end)
    if not members:
        raise _error("no_mentees")
    if len(members) > 1 and not is_group:
        raise _error("group_needed", name=mentor.person.full_name)
    if kind is None:
        kind = default_kind(programme, form, is_group=is_group)
    kind = check_kind(kind, is_group=is_group)
    mentorship = Mentorship.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        form=form,
        role_model=role_model,
        mentor=mentor,
        is_group=is_group,
        kind=kind,
        started_on=started_on,
        planned_end=planned_end,
        matching_run=matching_run,
        mode=mode,
        weights=weights or {},
        created_by=by,
    )
    try:
        with transaction.atomic():
            MentorshipMentee.objects.bulk_create(
                MentorshipMentee(
                    organisation_id=programme.organisation_id,
                    mentorship=mentorship,
                    mentee=member.mentee,
                    grade=member.mentee.person.grade,
                    class_letter=member.mentee.person.class_letter,
                    score=member.score,
                    mentee_rank=member.mentee_rank,
                    mentor_rank=member.mentor_rank,
                )
                for member in members
            )
    except IntegrityError as error:
        raise _error(
            "mentee_paired", names=", ".join(m.mentee.person.full_name for m in members)
        ) from error
    MentorAssignment.objects.create(
        organisation_id=programme.organisation_id,
        mentorship=mentorship,
        mentor=mentor,
        assigned_on=started_on,
        grade=mentor.person.grade,
        class_letter=mentor.person.class_letter,
        created_by=by,
    )
    for member in members:
        audit_record(
            programme.organisation_id,
            action=AuditAction.CREATE,
            object_type=AuditObject.MENTORSHIP,
            object_id=mentorship.pk,
            label=f"{mentor.person.full_name} — {member.mentee.person.full_name}",
            by=by,
            changes=created(
                {
                    "form": form.name,
                    "kind": MentoringKind(kind).label,
                    "mentor": mentor.person.full_name,
                    "started_on": started_on,
                    "planned_end": planned_end,
                    "mode": mode,
                }
            ),
            person=member.mentee.person,
            related_person=mentor.person,
        )
    logger.info(
        "mentorship %s (%s mentees) created in programme %s by %s",
        mentorship.pk,
        len(members),
        programme.pk,
        by,
    )
    return mentorship


# --- The life of a pair or group ---------------------------------------------------------------


def _d(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _clean_text(value: Any, field: str, limit: int = TEXT_MAX_LENGTH) -> str:
    text = typed_text(value)
    if len(text) > limit:
        raise ValidationError({field: _error("too_long", max=limit)})
    return text


def _locked(mentorship: Mentorship) -> Mentorship:
    return (
        Mentorship.objects.select_for_update(of=("self",))
        .select_related("programme", "organisation", "mentor__person", "form")
        .get(pk=mentorship.pk)
    )


def _require_open(locked: Mentorship) -> None:
    require_open(locked.programme)


def _locked_active(mentorship: Mentorship) -> Mentorship:
    """The pair locked for the change, refused unless it is active in an open programme: a
    second completion, or a replacement in an ended pair, changes nothing."""
    locked = _locked(mentorship)
    if locked.status != MentorshipStatus.ACTIVE:
        raise _error("not_active", status=MentorshipStatus(locked.status).label.lower())
    _require_open(locked)
    return locked


def _members(locked: Mentorship) -> list[MentorshipMentee]:
    return list(
        MentorshipMentee.objects.filter(mentorship=locked, active=True)
        .select_related("mentee__person", "mentee__programme")
        .order_by("mentee__person__name_key", "pk")
    )


def _label(locked: Mentorship, members: Sequence[MentorshipMentee]) -> str:
    names = ", ".join(m.mentee.person.full_name for m in members)
    return f"{locked.mentor.person.full_name} — {names}"[:300]


def _audit(
    locked: Mentorship,
    members: Sequence[MentorshipMentee],
    changes: dict[str, Any],
    by: User | None,
    related: Person | None = None,
) -> None:
    # A pair without members is still recorded once, under its mentor.
    recorded: Sequence[MentorshipMentee | None] = members or [None]
    for member in recorded:
        audit_record(
            locked.organisation_id,
            action=AuditAction.UPDATE,
            object_type=AuditObject.MENTORSHIP,
            object_id=locked.pk,
            label=_label(locked, members),
            by=by,
            changes=changes,
            person=member.mentee.person if member else locked.mentor.person,
            related_person=related or locked.mentor.person,
        )


def _sync(mentorship: Mentorship, locked: Mentorship, names: Iterable[str]) -> None:
    """The caller's object shows what was written."""
    if mentorship is not locked:
        for name in names:
            setattr(mentorship, name, getattr(locked, name))


def mentor_on(mentorship: Mentorship, day: date) -> int:
    """The pk of the mentor who mentored the pair on `day`: the last assignment that began on
    or before it (a replacement takes over on its own day), the first one before the start."""
    periods = list(
        MentorAssignment.objects.filter(mentorship=mentorship)
        .order_by("assigned_on", "pk")
        .values_list("assigned_on", "mentor_id")
    )
    if not periods:
        return mentorship.mentor_id
    found = periods[0][1]
    for assigned_on, mentor_id in periods:
        if assigned_on <= day:
            found = mentor_id
    return found


# What other apps do when a pair or group ends or changes its mentor (the meetings app cancels
# the meetings that will not take place and passes the planned ones on), run inside the
# change's transaction; registered in their AppConfig.ready, as consents' `on_withdrawal`.
# What a consequence answers (some count what they changed) is not used.
EndConsequence = Callable[[Mentorship, User | None], object]
ReplacementConsequence = Callable[[Mentorship, MentorAssignment, User | None], object]
_END_CONSEQUENCES: list[EndConsequence] = []
_REPLACEMENT_CONSEQUENCES: list[ReplacementConsequence] = []


def on_end(consequence: EndConsequence) -> None:
    if consequence not in _END_CONSEQUENCES:
        _END_CONSEQUENCES.append(consequence)


def on_replacement(consequence: ReplacementConsequence) -> None:
    if consequence not in _REPLACEMENT_CONSEQUENCES:
        _REPLACEMENT_CONSEQUENCES.append(consequence)


def _check_end_date(locked: Mentorship, ended_on: date | None) -> date:
    if ended_on is None:
        raise ValidationError({"ended_on": _error("end_date_required")})
    if ended_on < locked.started_on:
        raise ValidationError(
            {"ended_on": _error("end_before_start_of_pair", start=_d(locked.started_on))}
        )
    today = org_today(locked.organisation)
    if ended_on > today:
        raise ValidationError({"ended_on": _error("end_in_future", today=_d(today))})
    taken_over = _current_assignment(locked).assigned_on
    if ended_on < taken_over:
        raise ValidationError({"ended_on": _error("end_before_current", date=_d(taken_over))})
    return ended_on


def check_ordinary_end(mentorship: Mentorship, ended_on: date | None) -> None:
    """An ordinary completion comes on or after the planned end: before it the mentoring ends
    only early, with the reason, the agreement and the order (seed 002 §2.7 names no
    tolerance, so there is none). One place for the service and the form."""
    if ended_on is not None and ended_on < mentorship.planned_end:
        raise ValidationError(
            {"ended_on": _error("before_planned_end", end=_d(mentorship.planned_end))}
        )


def _current_assignment(locked: Mentorship) -> MentorAssignment:
    """The open assignment of the current mentor (made for a pair created before the history
    was kept)."""
    current = MentorAssignment.objects.filter(mentorship=locked, released_on__isnull=True).first()
    if current is None:
        current = MentorAssignment.objects.create(
            organisation_id=locked.organisation_id,
            mentorship=locked,
            mentor_id=locked.mentor_id,
            assigned_on=locked.started_on,
            grade=locked.mentor.person.grade,
            class_letter=locked.mentor.person.class_letter,
        )
    return current


def _end(
    locked: Mentorship,
    *,
    status: MentorshipStatus,
    ended_on: date,
    reason: str,
    by: User | None,
    results: dict[str, str] | None = None,
) -> list[MentorshipMentee]:
    """Close the pair: its status, the day, the mentor's assignment, and its mentees free to be
    paired again (their base entries move on as the kind of ending says)."""
    members = _members(locked)
    locked.status, locked.ended_on, locked.end_reason = status, ended_on, reason
    locked.save(update_fields=["status", "ended_on", "end_reason", "updated_at"])
    MentorAssignment.objects.filter(mentorship=locked, released_on__isnull=True).update(
        released_on=ended_on
    )
    MentorshipMentee.objects.filter(mentorship=locked, active=True).update(active=False)
    for member in members:
        _mentee_after(member.mentee, status, reason, by)
    for consequence in _END_CONSEQUENCES:
        consequence(locked, by)
    # The members are inactive from now: the event names who was in the pair at its end.
    events.emit(
        "mentorship.ended",
        mentorship=locked,
        mentees=[member.mentee.person for member in members],
        by=by,
    )
    _audit(
        locked,
        members,
        diff(
            {"status": MentorshipStatus.ACTIVE, "ended_on": None, "end_reason": ""},
            {"status": status, "ended_on": ended_on, "end_reason": reason},
        )
        | created(results or {}),
        by,
    )
    return members


def _mentee_after(mentee: Mentee, status: MentorshipStatus, reason: str, by: User | None) -> None:
    """A mentee whose pair completed has finished mentoring this year (and may enter next
    year's base as anyone else); one whose pair was terminated goes back to the base to be
    paired again, or, if they may no longer take part (consent, age), leaves it."""
    if mentee.status != MenteeStatus.PAIRED:
        return  # the curator has already moved the entry on
    if status != MentorshipStatus.TERMINATED:
        mentee_set_status(mentee, MenteeStatus.FINISHED, by=by)
        return
    try:
        with transaction.atomic():
            mentee_set_status(mentee, MenteeStatus.IN_BASE, by=by)
    except ValidationError:
        mentee_set_status(mentee, MenteeStatus.LEFT, by=by, reason=reason)


def _save_result(locked: Mentorship, values: dict[str, str], by: User | None) -> MentorshipResult:
    result, _created = MentorshipResult.objects.get_or_create(
        mentorship=locked, defaults={"organisation_id": locked.organisation_id}
    )
    for name, value in values.items():
        setattr(result, name, value)
    result.updated_by = by
    result.save()
    return result


def _clean_results(values: dict[str, Any]) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    errors: dict[str, list[ValidationError]] = {}
    for name in RESULT_FIELDS:
        limit = PROJECT_MAX_LENGTH if name == "project" else TEXT_MAX_LENGTH
        try:
            cleaned[name] = _clean_text(values.get(name, ""), name, limit)
        except ValidationError as error:
            errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def mentorship_complete(
    mentorship: Mentorship,
    *,
    ended_on: date,
    by: User | None,
    achievements: str = "",
    project: str = "",
    grades_change: str = "",
    summary: str = "",
    mentor_feedback: str = "",
    mentee_feedback: str = "",
) -> Mentorship:
    """The normal end of a pair or group (stage 7), on or after its planned end, with its
    results: the mentees have finished mentoring this year, the mentor's place is free, the
    results go to the mentor's history. Before the planned end only `mentorship_complete_early`
    ends it."""
    locked = _locked_active(mentorship)
    ended_on = _check_end_date(locked, ended_on)
    check_ordinary_end(locked, ended_on)
    results = _clean_results(
        {
            "achievements": achievements,
            "project": project,
            "grades_change": grades_change,
            "summary": summary,
            "mentor_feedback": mentor_feedback,
            "mentee_feedback": mentee_feedback,
        }
    )
    _end(
        locked,
        status=MentorshipStatus.COMPLETED,
        ended_on=ended_on,
        reason="",
        by=by,
        results=results,
    )
    _save_result(locked, results, by)
    _sync(mentorship, locked, ["status", "ended_on", "end_reason"])
    logger.info("mentorship %s completed on %s by %s", locked.pk, ended_on, by)
    return locked


def _order(
    locked: Mentorship, kind: str, title: str, details: OrderDetails | None, by: User | None
) -> Order:
    details = details or order_defaults(locked.organisation, org_today(locked.organisation))
    return order_draft(locked.organisation, kind, details, title=title, subjects=[locked], by=by)


@transaction.atomic
def mentorship_complete_early(
    mentorship: Mentorship,
    *,
    ended_on: date,
    reason: str,
    by: User | None,
    order: OrderDetails | None = None,
) -> Mentorship:
    """The end before the planned day by agreement of the mentor and the curator, when the
    mentee mastered what was planned quickly (seed 002 §2.7). The draft order of the early
    completion is made with it; its results are entered on the pair's card."""
    locked = _locked_active(mentorship)
    ended_on = _check_end_date(locked, ended_on)
    if ended_on >= locked.planned_end:
        raise ValidationError({"ended_on": _error("not_early", end=_d(locked.planned_end))})
    reason = _clean_text(reason, "reason")
    if not reason:
        raise ValidationError({"reason": _error("reason_required")})
    _end(locked, status=MentorshipStatus.COMPLETED_EARLY, ended_on=ended_on, reason=reason, by=by)
    locked.end_order = _order(locked, OrderKind.EARLY_COMPLETION, EARLY_COMPLETION_TITLE, order, by)
    locked.save(update_fields=["end_order", "updated_at"])
    _sync(mentorship, locked, ["status", "ended_on", "end_reason", "end_order"])
    logger.info("mentorship %s completed early on %s by %s", locked.pk, ended_on, by)
    return locked


@transaction.atomic
def mentorship_terminate(
    mentorship: Mentorship, *, ended_on: date, reason: str, by: User | None
) -> Mentorship:
    """The pair or group dissolved without completing (the mentee left, the pair did not work
    and no other mentor is found): its mentees go back to the base to be paired again."""
    locked = _locked_active(mentorship)
    ended_on = _check_end_date(locked, ended_on)
    reason = _clean_text(reason, "reason")
    if not reason:
        raise ValidationError({"reason": _error("reason_required")})
    _end(locked, status=MentorshipStatus.TERMINATED, ended_on=ended_on, reason=reason, by=by)
    _sync(mentorship, locked, ["status", "ended_on", "end_reason"])
    logger.info("mentorship %s terminated on %s by %s", locked.pk, ended_on, by)
    return locked


@transaction.atomic
def mentorship_results_save(
    mentorship: Mentorship, *, by: User | None, **values: str
) -> MentorshipResult:
    """The results of an ended pair or group, edited while the programme is open."""
    locked = _locked(mentorship)
    _require_open(locked)
    if locked.status == MentorshipStatus.ACTIVE:
        raise _error("not_ended")
    unknown = set(values) - set(RESULT_FIELDS)
    if unknown:
        raise TypeError(f"unknown results: {sorted(unknown)}")
    cleaned = _clean_results(values)
    existing = MentorshipResult.objects.filter(mentorship=locked).first()
    before = {name: getattr(existing, name) if existing else "" for name in RESULT_FIELDS}
    result = _save_result(locked, cleaned, by)
    members = list(
        MentorshipMentee.objects.filter(mentorship=locked).select_related("mentee__person")
    )
    _audit(locked, members, diff(before, cleaned), by)
    return result


@transaction.atomic
def mentorship_set_end(
    mentorship: Mentorship, *, planned_end: date | None, by: User | None
) -> Mentorship:
    """A new planned end of an active pair: set individually (seed 002 §2.7), within one year of
    the start and the days of its extensions, and after today: a planned end moved into the
    past would let an ordinary completion end the pair early without the order."""
    locked = _locked_active(mentorship)
    try:
        check_term(locked.started_on, planned_end, locked.extension_days)
    except ValidationError as error:
        raise ValidationError({"planned_end": error}) from error
    assert planned_end is not None
    today = org_today(locked.organisation)
    if planned_end <= today:
        raise ValidationError({"planned_end": _error("planned_end_passed", today=_d(today))})
    before = locked.planned_end
    locked.planned_end = planned_end
    locked.save(update_fields=["planned_end", "updated_at"])
    _audit(
        locked, _members(locked), {"planned_end": [before.isoformat(), planned_end.isoformat()]}, by
    )
    _sync(mentorship, locked, ["planned_end"])
    return locked


@transaction.atomic
def mentorship_set_kind(mentorship: Mentorship, *, kind: Any, by: User | None) -> Mentorship:
    """The kind of mentoring of a pair or group, as the curator sets it while the programme is
    open: also after the pair ended, so the year's figures by kind can be corrected."""
    locked = _locked(mentorship)
    _require_open(locked)
    cleaned = check_kind(kind, is_group=locked.is_group)
    before = locked.kind
    if cleaned != before:
        locked.kind = cleaned
        locked.save(update_fields=["kind", "updated_at"])
        _audit(
            locked,
            _members(locked),
            {"kind": [str(MentoringKind(before).label), str(MentoringKind(cleaned).label)]},
            by,
        )
    _sync(mentorship, locked, ["kind"])
    return locked


def _check_absence(
    locked: Mentorship,
    *,
    reason: str,
    reason_text: str,
    absent_side: str,
    absent_from: date | None,
    absent_to: date | None,
) -> None:
    if reason not in AbsenceReason.values:
        raise ValidationError({"reason": _error("absence_reason_required")})
    if reason == AbsenceReason.OTHER and not reason_text:
        raise ValidationError({"reason_text": _error("other_reason_text")})
    if absent_side not in AbsentSide.values:
        raise ValidationError({"absent_side": _error("absence_side_required")})
    if absent_from is None or absent_to is None:
        raise ValidationError({"absent_from": _error("absence_dates_required")})
    if absent_to < absent_from:
        raise ValidationError({"absent_to": _error("absence_order")})
    if absent_from < locked.started_on or absent_to > locked.planned_end:
        raise ValidationError(
            {
                "absent_from": _error(
                    "absence_outside", start=_d(locked.started_on), end=_d(locked.planned_end)
                )
            }
        )
    overlapping = (
        MentorshipExtension.objects.filter(
            mentorship=locked, absent_from__lte=absent_to, absent_to__gte=absent_from
        )
        .order_by("absent_from")
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            {
                "absent_from": _error(
                    "absence_overlap",
                    start=_d(overlapping.absent_from),
                    end=_d(overlapping.absent_to),
                )
            }
        )


@transaction.atomic
def mentorship_extend(
    mentorship: Mentorship,
    *,
    reason: str,
    absent_side: str,
    absent_from: date | None,
    absent_to: date | None,
    by: User | None,
    reason_text: str = "",
) -> MentorshipExtension:
    """The term extended for an absence of the mentor or the mentee (illness, a business trip,
    another valid reason; seed 002 §2.7): the planned end moves later by the days of the
    absence, and the one-year limit with it. Overlapping absences are counted once: a period
    already recorded is refused, whoever was absent."""
    locked = _locked_active(mentorship)
    reason_text = _clean_text(reason_text, "reason_text", REASON_TEXT_MAX_LENGTH)
    _check_absence(
        locked,
        reason=reason,
        reason_text=reason_text,
        absent_side=absent_side,
        absent_from=absent_from,
        absent_to=absent_to,
    )
    assert absent_from is not None and absent_to is not None
    days = (absent_to - absent_from).days + 1
    before = locked.planned_end
    locked.planned_end = before + timedelta(days=days)
    locked.extension_days += days
    check_term(locked.started_on, locked.planned_end, locked.extension_days)
    locked.save(update_fields=["planned_end", "extension_days", "updated_at"])
    extension = MentorshipExtension.objects.create(
        organisation_id=locked.organisation_id,
        mentorship=locked,
        reason=reason,
        reason_text=reason_text if reason == AbsenceReason.OTHER else "",
        absent_side=absent_side,
        absent_from=absent_from,
        absent_to=absent_to,
        days=days,
        planned_end_before=before,
        planned_end_after=locked.planned_end,
        created_by=by,
    )
    _audit(
        locked,
        _members(locked),
        {
            "planned_end": [before.isoformat(), locked.planned_end.isoformat()],
            "extension": [None, f"{reason}: {absent_from.isoformat()}–{absent_to.isoformat()}"],
        },
        by,
    )
    _sync(mentorship, locked, ["planned_end", "extension_days"])
    events.emit("mentorship.extended", extension=extension, by=by)
    logger.info("mentorship %s extended by %s days by %s", locked.pk, days, by)
    return extension


def replacement_eligible(mentorship: Mentorship, on: date) -> QuerySet[Mentor]:
    """The mentors who may take the pair over: registered in the programme's registry, taking
    its form, with valid consents and not hidden; not the current mentor, nor a mentee of it.
    Places are counted separately (`check_places`, with the mentor locked)."""
    mentees = MentorshipMentee.objects.filter(mentorship=mentorship, active=True).values(
        "mentee__person"
    )
    return (
        Mentor.objects.filter(
            organisation_id=mentorship.organisation_id,
            programme_id=mentorship.programme_id,
            forms=mentorship.form_id,
            status=MentorStatus.REGISTERED,
        )
        .filter(valid_exists(Purpose.PROCESSING, on, "person"))
        .filter(valid_exists(Purpose.PARTICIPATION, on, "person"))
        .exclude(hidden_q(on, ref="person"))
        .exclude(person_id=mentorship.mentor.person_id)
        .exclude(person__in=mentees)
    )


@transaction.atomic
def mentor_replace(
    mentorship: Mentorship,
    *,
    new_mentor: Mentor | None,
    ground: str,
    on: date | None,
    by: User | None,
    note: str = "",
    order: OrderDetails | None = None,
) -> Mentorship:
    """Another mentor for the pair or group from `on`, on one of the grounds of seed 002 §2.8,
    by an order of the director (made here as a draft and linked). The period of the
    mentorship does not change; the history of who mentored when is kept."""
    locked = _locked_active(mentorship)
    if ground not in MentorAssignment.Ground.values:
        raise ValidationError({"ground": _error("ground_required")})
    if new_mentor is None:
        raise ValidationError({"new_mentor": _error("new_mentor_required")})
    name = new_mentor.person.full_name
    if new_mentor.pk == locked.mentor_id or new_mentor.person_id == locked.mentor.person_id:
        raise ValidationError({"new_mentor": _error("same_mentor", name=name)})
    members = _members(locked)
    if any(m.mentee.person_id == new_mentor.person_id for m in members):
        raise ValidationError({"new_mentor": _error("mentor_is_mentee", name=name)})
    if on is None or not locked.started_on <= on <= locked.planned_end:
        raise ValidationError(
            {
                "on": _error(
                    "replacement_date", start=_d(locked.started_on), end=_d(locked.planned_end)
                )
            }
        )
    current = _current_assignment(locked)
    if on < current.assigned_on:
        raise ValidationError(
            {"on": _error("replacement_before_current", date=_d(current.assigned_on))}
        )
    if not replacement_eligible(locked, on).filter(pk=new_mentor.pk).exists():
        raise ValidationError(
            {"new_mentor": _error("mentor_not_eligible", name=name, form=locked.form.shown_name)}
        )
    if len(members) > 1 and not new_mentor.leads_group:
        raise ValidationError({"new_mentor": _error("group_mentor_needed", name=name)})
    note = _clean_text(note, "note")
    mentors = lock_mentors([new_mentor.pk])
    try:
        check_places(mentors, Counter({new_mentor.pk: len(members)}))
    except ValidationError as error:
        raise ValidationError({"new_mentor": error}) from error

    previous = locked.mentor
    current.released_on = on
    current.save(update_fields=["released_on"])
    locked.mentor = mentors[new_mentor.pk]
    locked.save(update_fields=["mentor", "updated_at"])
    assignment = MentorAssignment.objects.create(
        organisation_id=locked.organisation_id,
        mentorship=locked,
        mentor=locked.mentor,
        assigned_on=on,
        grade=locked.mentor.person.grade,
        class_letter=locked.mentor.person.class_letter,
        ground=ground,
        note=note,
        created_by=by,
    )
    # Made after the new assignment exists: the document reads it.
    assignment.order = _order(
        locked, OrderKind.MENTOR_REPLACEMENT, MENTOR_REPLACEMENT_TITLE, order, by
    )
    assignment.save(update_fields=["order"])
    for consequence in _REPLACEMENT_CONSEQUENCES:
        consequence(locked, assignment, by)
    _audit(
        locked,
        members,
        {
            "mentor": [previous.person.full_name, locked.mentor.person.full_name],
            "ground": [None, ground],
            "from": [None, on.isoformat()],
        },
        by,
        related=locked.mentor.person,
    )
    _sync(mentorship, locked, ["mentor"])
    events.emit("mentorship.mentor_replaced", mentorship=locked, previous=previous, on=on, by=by)
    logger.info(
        "mentorship %s: mentor %s replaced by %s from %s by %s",
        locked.pk,
        previous.pk,
        locked.mentor.pk,
        on,
        by,
    )
    return locked
