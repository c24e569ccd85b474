"""Writes to pairs and groups. Matching's confirmation creates them here; the life of a pair
(issue 7) adds its changes here too.

Each function is atomic and validated: bad data raise ValidationError and write nothing.
Counting a mentor's mentees is only safe with the mentor's row locked (`lock_mentors`): two
confirmations at once then queue on it and the second counts what the first committed.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import User
from nastavnik.audit.models import AuditAction, AuditObject
from nastavnik.audit.services import audit_record, created
from nastavnik.catalogue.models import MentoringForm, RoleModel
from nastavnik.mentees.models import Mentee
from nastavnik.mentors.models import GROUP_LIMIT, ONE_TO_ONE_LIMIT, Mentor
from nastavnik.mentorships.models import Mentorship, MentorshipMentee
from nastavnik.programmes.models import Programme

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
}


def _error(key: str, **params: Any) -> ValidationError:
    return ValidationError(MESSAGES[key], code=key, params=params or None)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def latest_end(started_on: date) -> date:
    """The last planned end the one-year rule (seed 002 §2.7) allows."""
    return add_years(started_on, 1)


def default_planned_end(started_on: date) -> date:
    """The end of the teaching year (31 May) that follows the start, if within a year."""
    may_end = date(started_on.year + (1 if started_on.month >= 6 else 0), 5, 31)
    if may_end <= started_on:
        may_end = add_years(may_end, 1)
    return min(may_end, latest_end(started_on) - timedelta(days=1))


def check_term(started_on: date | None, planned_end: date | None) -> None:
    if started_on is None or planned_end is None:
        raise _error("dates_required")
    if planned_end <= started_on:
        raise _error("end_before_start")
    latest = latest_end(started_on)
    if planned_end > latest:
        raise _error("over_a_year", latest=latest.strftime("%d.%m.%Y"))


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
) -> Mentorship:
    """A pair (one mentee) or a group (a group mentor, several). The caller has locked the
    mentor (`lock_mentors`) and checked the places (`check_places`); the database refuses a
    mentee already in an active pair whatever the caller did."""
    check_term(started_on, planned_end)
    if not members:
        raise _error("no_mentees")
    if len(members) > 1 and not is_group:
        raise _error("group_needed", name=mentor.person.full_name)
    mentorship = Mentorship.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        form=form,
        role_model=role_model,
        mentor=mentor,
        is_group=is_group,
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
