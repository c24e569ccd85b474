"""Writes to meetings and their feedback. Each function is atomic and validated: bad data raise
ValidationError and write nothing; every change is in the audit log.

Who may call which one is the views' business (the mentor and the curator plan and mark
meetings; the pair's participants rate them), except for feedback, whose author the rule
itself names: only the pair's mentor and its active mentees, once each.
"""

from __future__ import annotations

import hashlib
import secrets
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import User
from nastavnik.audit.models import AuditAction, AuditObject
from nastavnik.audit.services import audit_record, created, diff
from nastavnik.core import events
from nastavnik.core.rules import rule_errors
from nastavnik.meetings.models import (
    RATING_MAX,
    RATING_MIN,
    Attendance,
    CalendarFeed,
    Feedback,
    FeedbackSide,
    Meeting,
    MeetingFormat,
    MeetingKind,
    MeetingSettings,
    MeetingStatus,
)
from nastavnik.mentorships.models import Mentorship, MentorshipMentee
from nastavnik.mentorships.services import mentor_on
from nastavnik.mentorships.suspension import is_suspended
from nastavnik.orgs.models import Organisation
from nastavnik.people.models import Person

MESSAGES = {
    "pair_suspended": _(
        "The participation of this pair or group is suspended: the consent to participation was "
        "withdrawn. The curator ends it by an early completion."
    ),
    "inactive_pair": _("This pair or group is no longer active: its meetings cannot change."),
    "before_start": _(
        "The pair began working on %(start)s: a meeting cannot take place before that."
    ),
    "after_end": _(
        "The pair's work is planned to end on %(end)s: a meeting cannot take place after that."
    ),
    "group_final_pair": _("The final group meeting is held by groups only."),
    "place_required": _("Enter the place of an in-person meeting."),
    "link_required": _("Enter the link to the call of a remote meeting."),
    "bad_link": _("Enter a full web address of the call, starting with https://."),
    "duration": _("A meeting lasts from 5 minutes to 10 hours."),
    "not_planned": _("Only a planned meeting can be changed; this one is %(status)s."),
    "hold_future": _("A meeting can be marked as held once it has begun."),
    "nobody_present": _("Mark at least one mentee who attended the group meeting."),
    "foreign_member": _("Only mentees of this group can be marked as present."),
    "cancelled": _("A cancelled meeting cannot be rated."),
    "not_yet": _("A meeting can be rated once it has taken place."),
    "outsider": _("Only the mentor and the mentees of this pair or group can rate its meetings."),
    "absent": _("Only mentees who attended the meeting can rate it."),
    "twice": _("You have already rated this meeting."),
    "rating": _("The rating is a whole number from %(min)s to %(max)s."),
    "weeks": _("Enter a number of weeks from 1 to 52."),
    "hours": _("Enter a number of hours from 1 to 168."),
}


_error = rule_errors(MESSAGES)


@dataclass(frozen=True)
class MeetingData:
    kind: str
    starts_at: datetime
    duration_minutes: int
    format: str
    place: str = ""
    link: str = ""
    notes: str = ""
    next_steps: str = ""


def _local_day(organisation: Organisation, moment: datetime) -> Any:
    return timezone.localtime(moment, zoneinfo.ZoneInfo(organisation.timezone)).date()


def _check_pair(mentorship: Mentorship) -> None:
    if not mentorship.is_active:
        raise _error("inactive_pair")
    if is_suspended(mentorship):
        raise _error("pair_suspended")


def _check_meeting(mentorship: Mentorship, data: MeetingData) -> None:
    _check_pair(mentorship)
    if timezone.is_naive(data.starts_at):
        raise ValueError("starts_at must be an aware datetime")
    day = _local_day(mentorship.organisation, data.starts_at)
    if day < mentorship.started_on:
        raise _error("before_start", "starts_at", start=mentorship.started_on.strftime("%d.%m.%Y"))
    if day > mentorship.planned_end:
        raise _error("after_end", "starts_at", end=mentorship.planned_end.strftime("%d.%m.%Y"))
    if data.kind == MeetingKind.GROUP_FINAL and not mentorship.is_group:
        raise _error("group_final_pair", "kind")
    if not 5 <= data.duration_minutes <= 600:
        raise _error("duration", "duration_minutes")
    if data.format == MeetingFormat.IN_PERSON and not data.place.strip():
        raise _error("place_required", "place")
    if data.format == MeetingFormat.REMOTE:
        if not data.link.strip():
            raise _error("link_required", "link")
        try:
            URLValidator(schemes=["http", "https"])(data.link.strip())
        except ValidationError:
            raise _error("bad_link", "link") from None


def _values(data: MeetingData) -> dict[str, Any]:
    """The stored fields of a meeting; the other format's place or link is not kept."""
    in_person = data.format == MeetingFormat.IN_PERSON
    return {
        "kind": data.kind,
        "starts_at": data.starts_at,
        "duration_minutes": data.duration_minutes,
        "format": data.format,
        "place": data.place.strip() if in_person else "",
        "link": "" if in_person else data.link.strip(),
        "notes": data.notes.strip(),
        "next_steps": data.next_steps.strip(),
    }


def _audit(meeting: Meeting, action: AuditAction, by: User | None, changes: Any) -> None:
    audit_record(
        meeting.organisation_id,
        action=action,
        object_type=AuditObject.MEETING,
        object_id=meeting.pk,
        label=f"{meeting.get_kind_display()}, {meeting.mentorship}",
        by=by,
        changes=changes,
    )


def _locked(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related(
            "organisation", "mentorship__organisation", "mentorship__mentor__person", "mentor"
        )
        .get(pk=meeting.pk)
    )


@transaction.atomic
def meeting_create(mentorship: Mentorship, data: MeetingData, *, by: User | None) -> Meeting:
    _check_meeting(mentorship, data)
    meeting = Meeting.objects.create(
        organisation_id=mentorship.organisation_id,
        mentorship=mentorship,
        mentor_id=mentor_on(mentorship, _local_day(mentorship.organisation, data.starts_at)),
        created_by=by,
        **_values(data),
    )
    _audit(meeting, AuditAction.CREATE, by, created(_values(data)))
    events.emit("meeting.scheduled", meeting=meeting, by=by)
    return meeting


@transaction.atomic
def meeting_update(meeting: Meeting, data: MeetingData, *, by: User | None) -> Meeting:
    """Change a planned meeting; a new time means a new reminder."""
    locked = _locked(meeting)
    if not locked.is_planned:
        raise _error("not_planned", status=locked.get_status_display().lower())
    _check_meeting(locked.mentorship, data)
    before = {field: getattr(locked, field) for field in _values(data)}
    after = _values(data)
    changes = diff(before, after)
    for field, value in after.items():
        setattr(locked, field, value)
    fields = list(after)
    if "starts_at" in changes:
        locked.reminded_at = None
        # Moved across a replacement, it is held by the mentor of its new day.
        locked.mentor_id = mentor_on(
            locked.mentorship, _local_day(locked.organisation, locked.starts_at)
        )
        fields += ["reminded_at", "mentor"]
    locked.save(update_fields=[*fields, "updated_at"])
    if changes:
        _audit(locked, AuditAction.UPDATE, by, changes)
        events.emit("meeting.changed", meeting=locked, by=by)
    return locked


@transaction.atomic
def meeting_cancel(meeting: Meeting, *, by: User | None, reason: str = "") -> Meeting:
    locked = _locked(meeting)
    if not locked.is_planned:
        raise _error("not_planned", status=locked.get_status_display().lower())
    locked.status = MeetingStatus.CANCELLED
    locked.cancel_reason = reason.strip()[:300]
    locked.save(update_fields=["status", "cancel_reason", "updated_at"])
    _audit(
        locked,
        AuditAction.UPDATE,
        by,
        {"status": [MeetingStatus.PLANNED, MeetingStatus.CANCELLED], "reason": [None, reason]},
    )
    events.emit("meeting.cancelled", meeting=locked, by=by, reason=locked.cancel_reason)
    return locked


@transaction.atomic
def meeting_mark_held(
    meeting: Meeting,
    *,
    by: User | None,
    present: Iterable[MentorshipMentee] | None = None,
    notes: str = "",
    next_steps: str = "",
    now: datetime | None = None,
) -> Meeting:
    """Record that a planned meeting took place, with its notes and the agreed next steps.

    In a pair the mentee was there by definition; in a group the mentor marks who came
    (`present`), and only those rate the meeting."""
    locked = _locked(meeting)
    if not locked.is_planned:
        raise _error("not_planned", status=locked.get_status_display().lower())
    _check_pair(locked.mentorship)
    if locked.starts_at > (now or timezone.now()):
        raise _error("hold_future")
    members = list(locked.mentorship.members.filter(active=True))
    if locked.mentorship.is_group:
        chosen = {member.pk for member in present or ()}
        if not chosen:
            raise _error("nobody_present", "present")
        if chosen - {member.pk for member in members}:
            raise _error("foreign_member", "present")
        members = [member for member in members if member.pk in chosen]
    locked.status = MeetingStatus.HELD
    locked.notes = notes.strip() or locked.notes
    locked.next_steps = next_steps.strip() or locked.next_steps
    locked.save(update_fields=["status", "notes", "next_steps", "updated_at"])
    Attendance.objects.bulk_create(
        Attendance(organisation_id=locked.organisation_id, meeting=locked, member=member)
        for member in members
    )
    _audit(
        locked,
        AuditAction.UPDATE,
        by,
        {
            "status": [MeetingStatus.PLANNED, MeetingStatus.HELD],
            "present": [None, [member.pk for member in members]],
        },
    )
    # Those present are asked to rate it (feedback due).
    events.emit("meeting.held", meeting=locked, by=by)
    return locked


def feedback_side(meeting: Meeting, author: Person) -> FeedbackSide | None:
    """The side of `author` in the meeting's pair, or None for anyone else. The mentor's side
    is the mentor who held the meeting: after a replacement the new mentor does not rate the
    meetings of the old one."""
    mentorship = meeting.mentorship
    held_by = meeting.mentor.person_id if meeting.mentor_id else mentorship.mentor.person_id
    if held_by == author.pk:
        return FeedbackSide.MENTOR
    if mentorship.members.filter(active=True, mentee__person=author).exists():
        return FeedbackSide.MENTEE
    return None


@transaction.atomic
def feedback_give(
    meeting: Meeting,
    *,
    author: Person,
    rating: Any,
    comment: str = "",
    by: User | None,
    now: datetime | None = None,
) -> Feedback:
    """One person's rating (1–10) of a meeting they took part in, once."""
    locked = _locked(meeting)
    side = feedback_side(locked, author)
    if side is None:
        raise _error("outsider")
    if locked.is_cancelled:
        raise _error("cancelled")
    if locked.is_planned and locked.starts_at > (now or timezone.now()):
        raise _error("not_yet")
    if (
        side == FeedbackSide.MENTEE
        and locked.is_held
        and not locked.attendance.filter(member__mentee__person=author).exists()
    ):
        raise _error("absent")
    if isinstance(rating, bool) or not isinstance(rating, int):
        raise _error("rating", "rating", min=RATING_MIN, max=RATING_MAX)
    if not RATING_MIN <= rating <= RATING_MAX:
        raise _error("rating", "rating", min=RATING_MIN, max=RATING_MAX)
    if Feedback.objects.filter(meeting=locked, author=author).exists():
        raise _error("twice")
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                organisation_id=locked.organisation_id,
                meeting=locked,
                author=author,
                side=side,
                rating=rating,
                comment=comment.strip(),
            )
    except IntegrityError:  # the same person in two tabs at once
        raise _error("twice") from None
    audit_record(
        locked.organisation_id,
        action=AuditAction.CREATE,
        object_type=AuditObject.FEEDBACK,
        object_id=feedback.pk,
        label=f"{locked.get_kind_display()}, {author.full_name}",
        by=by,
        person=author,
        changes=created({"meeting": locked.pk, "rating": rating, "side": side}),
    )
    return feedback


# --- Settings -------------------------------------------------------------------------------


def settings_of(organisation: Organisation) -> MeetingSettings:
    """The organisation's settings, or the defaults (unsaved) when the curator kept them."""
    found = MeetingSettings.objects.filter(organisation=organisation).first()
    return found or MeetingSettings(organisation=organisation)


@transaction.atomic
def settings_update(
    organisation: Organisation, *, weeks_without_meeting: Any, reminder_hours: Any, by: User | None
) -> MeetingSettings:
    if not isinstance(weeks_without_meeting, int) or not 1 <= weeks_without_meeting <= 52:
        raise _error("weeks", "weeks_without_meeting")
    if not isinstance(reminder_hours, int) or not 1 <= reminder_hours <= 168:
        raise _error("hours", "reminder_hours")
    found, _created = MeetingSettings.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    found.weeks_without_meeting = weeks_without_meeting
    found.reminder_hours = reminder_hours
    found.save(update_fields=["weeks_without_meeting", "reminder_hours"])
    return found


# --- Calendar feed --------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def feed_issue(person: Person) -> str:
    """A new secret token for the person's calendar address; the previous one stops working.
    The token is returned once and never stored."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        person=person,
        defaults={
            "organisation_id": person.organisation_id,
            "token_hash": hash_token(token),
            "created_at": timezone.now(),
        },
    )
    return token


@transaction.atomic
def feed_revoke(person: Person) -> None:
    CalendarFeed.objects.filter(person=person).delete()


def feed_person(token: str) -> Person | None:
    """The person whose calendar the token opens, or None."""
    if not token or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("person__organisation")
        .filter(token_hash=hash_token(token))
        .first()
    )
    return feed.person if feed else None


def meeting_window_start(now: datetime) -> datetime:
    """Feeds show the meetings of the last three months and every future one."""
    return now - timedelta(days=92)
