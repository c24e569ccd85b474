"""Meetings of pairs and groups and the feedback on them (stage 6, seed 004 stage 6: the first,
organisational, meeting; the second, trial; planning; regular meetings; the final one and the
final meeting of all pairs and groups).

A meeting belongs to one mentorship; its time is an aware datetime, entered and shown in the
organisation's time zone. Feedback is a 1–10 rating with a comment, one per person per meeting.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from nastavnik.core.tenancy import Authored, OrgPage, TenantModel, TenantQuerySet
from nastavnik.mentorships.models import MentorshipMentee, MentorshipStatus
from nastavnik.orgs.models import Organisation

RATING_MIN, RATING_MAX = 1, 10
DEFAULT_WEEKS_WITHOUT_MEETING = 3


class MeetingKind(models.TextChoices):
    FIRST = "first", _("First, organisational")
    TRIAL = "trial", _("Second, trial")
    PLANNING = "planning", _("Planning meeting")
    REGULAR = "regular", _("Regular")
    FINAL = "final", _("Final")
    GROUP_FINAL = "group_final", _("Final group meeting")


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    REMOTE = "remote", _("Remote")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingQuerySet(TenantQuerySet["Meeting"]):
    def planned(self) -> MeetingQuerySet:
        return self.filter(status=MeetingStatus.PLANNED)

    def held(self) -> MeetingQuerySet:
        return self.filter(status=MeetingStatus.HELD)

    def of_person(self, person_ids: Iterable[int] | QuerySet[Any, Any]) -> MeetingQuerySet:
        """Meetings the people hold as the mentor, or of the pairs and groups they are active
        mentees of; not those a replaced mentor held nor those left to the next one."""
        # The pairs by a subquery, not a join through their members: no row twice, so no
        # DISTINCT, and the database reads the meetings by their own indexes.
        return self.filter(
            Q(mentor__person__in=person_ids)
            | Q(
                mentorship__in=MentorshipMentee.objects.filter(
                    mentee__person__in=person_ids, active=True
                ).values("mentorship")
            )
        )

    def in_calendars(self) -> MeetingQuerySet:
        """What calendars and feeds show: not the meetings cancelled with the end of their
        pair or group (they were never to take place)."""
        return self.exclude(
            Q(status=MeetingStatus.CANCELLED) & ~Q(mentorship__status=MentorshipStatus.ACTIVE)
        )


class Meeting(OrgPage, Authored, TenantModel):
    page_url = "meetings:detail"
    page_pk = "meeting_pk"

    mentorship = models.ForeignKey(
        "mentorships.Mentorship",
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("pair or group"),
    )
    # Who held (or is to hold) it: the pair's mentor on its day (`MentorAssignment`). A
    # replacement passes on the pair and its planned meetings, never the held ones: they, their
    # ratings and the flags they raise stay with the mentor who held them.
    mentor = models.ForeignKey(
        "mentors.Mentor",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="meetings_held",
        verbose_name=_("mentor"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration, minutes"), default=45)
    format = models.CharField(
        _("format"), max_length=16, choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    link = models.URLField(_("link to the call"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    notes = models.TextField(_("notes"), blank=True)
    next_steps = models.TextField(_("agreed next steps"), blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    # Set when the reminder went out, so `remind_meetings` mails each meeting once.
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5, duration_minutes__lte=600),
                name="meeting_duration_sane",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "starts_at"]),
            models.Index(fields=["mentorship", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.starts_at:%Y-%m-%d %H:%M})"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_planned(self) -> bool:
        return self.status == MeetingStatus.PLANNED

    @property
    def is_held(self) -> bool:
        return self.status == MeetingStatus.HELD

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED


class Attendance(TenantModel):
    """A mentee who came to a held meeting. For a pair it is the mentee; for a group, those the
    mentor marked present. Who attended may rate the meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        "mentorships.MentorshipMentee", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="meeting_attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.member_id}"


class FeedbackSide(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")


class Feedback(TenantModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="feedback")
    # Feedback goes with its author's record: it is the author's personal opinion.
    author = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("author")
    )
    side = models.CharField(_("side"), max_length=8, choices=FeedbackSide.choices)
    rating = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback on a meeting")
        verbose_name_plural = _("feedback on meetings")
        ordering = ["meeting", "side", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "author"], name="feedback_once_per_person"),
            models.CheckConstraint(
                condition=Q(rating__gte=RATING_MIN, rating__lte=RATING_MAX),
                name="feedback_rating_1_to_10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.rating}"


class MeetingSettings(models.Model):
    """The curator's thresholds for the pairs' work in one organisation."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="meeting_settings"
    )
    weeks_without_meeting = models.PositiveSmallIntegerField(
        _("weeks without a meeting before a pair is flagged"),
        default=DEFAULT_WEEKS_WITHOUT_MEETING,
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("remind participants this many hours before a meeting"), default=24
    )

    class Meta:
        verbose_name = _("settings of the pairs' meetings")
        verbose_name_plural = _("settings of the pairs' meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(weeks_without_meeting__gte=1, weeks_without_meeting__lte=52),
                name="meeting_settings_weeks_sane",
            ),
            models.CheckConstraint(
                condition=Q(reminder_hours__gte=1, reminder_hours__lte=168),
                name="meeting_settings_reminder_sane",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class CalendarFeed(TenantModel):
    """A person's secret calendar address. Only the SHA-256 of the token is kept: a leaked
    database gives no working address; a new token makes the old address stop working."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.person_id)
