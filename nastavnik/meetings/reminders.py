"""Reminders of planned meetings: each participant with an e-mail gets one letter some hours
before (the organisation's `MeetingSettings.reminder_hours`, 24 by default). Run often
(`manage.py remind_meetings`, every 15 minutes or hourly); `reminded_at` makes it once."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from nastavnik.consents.rules import hidden_q
from nastavnik.core import events
from nastavnik.core.tasks import queue_mail
from nastavnik.core.timezones import zone_label
from nastavnik.meetings.models import Meeting, MeetingSettings
from nastavnik.mentorships.models import MentorshipMentee, MentorshipStatus
from nastavnik.people.models import Person

DEFAULT_HOURS = 24
LONGEST_HOURS = 168  # the most a curator may set


def _participants(meeting: Meeting) -> list[Person]:
    mentorship = meeting.mentorship
    return [mentorship.mentor.person, *(m.mentee.person for m in mentorship.members.all())]


def _hidden(meetings: list[Meeting]) -> set[int]:
    """Those whose processing consent is withdrawn: their address is not used any more
    (152-ФЗ), so they get no letters."""
    people = {person.pk for meeting in meetings for person in _participants(meeting)}
    return set(Person.objects.filter(pk__in=people).filter(hidden_q()).values_list("pk", flat=True))


def _mail(meeting: Meeting, person: Person, base_url: str) -> None:
    zone = zoneinfo.ZoneInfo(meeting.organisation.timezone)
    path = reverse(
        "meetings:detail",
        kwargs={"org_slug": meeting.organisation.slug, "meeting_pk": meeting.pk},
    )
    context = {
        "meeting": meeting,
        "person": person,
        "organisation": meeting.organisation,
        "starts_at": meeting.starts_at,
        "zone": zone_label(meeting.organisation.timezone, meeting.starts_at),
        "is_mentor": person.pk == meeting.mentorship.mentor.person_id,
        "mentorship": meeting.mentorship,
        "url": base_url.rstrip("/") + path,
    }
    # Template date filters show times in the active zone: the organisation's, not the server's.
    with timezone.override(zone):
        subject = render_to_string("meetings/email/reminder_subject.txt", context)
        body = render_to_string("meetings/email/reminder.txt", context)
    queue_mail(subject, body, person.email)


def remind_due(now: datetime | None = None, base_url: str | None = None) -> int:
    """Mail the participants of planned meetings that start within their organisation's
    reminder time and were not reminded yet. Returns the number of letters."""
    moment = now or timezone.now()
    hours = dict(MeetingSettings.objects.values_list("organisation_id", "reminder_hours"))
    candidates = (
        Meeting.objects.planned()
        .filter(
            reminded_at__isnull=True,
            starts_at__gt=moment,
            starts_at__lte=moment + timedelta(hours=LONGEST_HOURS),
            mentorship__status=MentorshipStatus.ACTIVE,
        )
        .select_related("organisation", "mentorship__mentor__person")
        .prefetch_related(
            Prefetch(
                "mentorship__members",
                queryset=MentorshipMentee.objects.filter(active=True).select_related(
                    "mentee__person"
                ),
            )
        )
        .order_by("starts_at", "pk")
    )
    due = list(candidates)
    hidden = _hidden(due)
    sent = 0
    for meeting in due:
        ahead = timedelta(hours=hours.get(meeting.organisation_id, DEFAULT_HOURS))
        if meeting.starts_at > moment + ahead:
            continue
        with transaction.atomic():
            # Claimed first: a second run at the same moment finds nothing to claim.
            claimed = Meeting.objects.filter(pk=meeting.pk, reminded_at__isnull=True).update(
                reminded_at=moment
            )
            if not claimed:
                continue
            # The letters below are the reminder by mail; the bell shows it too.
            events.emit("meeting.reminder", meeting=meeting)
            for person in _participants(meeting):
                if not person.email or person.pk in hidden:
                    continue
                _mail(meeting, person, base_url or settings.SITE_URL)
                sent += 1
    return sent
