"""What the end of a pair or group and a replacement of its mentor do to its meetings.

Registered with `mentorships.services.on_end` / `on_replacement` (MeetingsConfig.ready) and run
inside the change's transaction:

- a pair or group that ends (completed, early or not, or terminated) holds no more meetings:
  the planned ones after its end are cancelled, each in the audit log, and so leave the
  calendars and feeds (`MeetingQuerySet.in_calendars`);
- a new mentor takes over the planned meetings from the day of the replacement; the held ones
  stay with the mentor who held them.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from nastavnik.meetings.models import Meeting
from nastavnik.meetings.services import meeting_cancel
from nastavnik.mentorships.models import MentorAssignment, Mentorship, MentorshipStatus

if TYPE_CHECKING:
    from nastavnik.accounts.models import User


def _start_of(mentorship: Mentorship, day: object) -> datetime:
    zone = zoneinfo.ZoneInfo(mentorship.organisation.timezone)
    return datetime.combine(day, time.min, tzinfo=zone)  # type: ignore[arg-type]


def cancel_after_end(mentorship: Mentorship, by: User | None) -> int:
    """Cancel the planned meetings that would come after the end: those after its day, and
    those still to come today when it ends today."""
    assert mentorship.ended_on is not None
    cutoff = min(timezone.now(), _start_of(mentorship, mentorship.ended_on + timedelta(days=1)))
    with override(settings.LANGUAGE_CODE):
        reason = _("The pair or group ended on %(date)s (%(status)s).") % {
            "date": date_format(mentorship.ended_on, "d.m.Y"),
            "status": MentorshipStatus(mentorship.status).label.lower(),
        }
    cancelled = 0
    future = Meeting.objects.filter(mentorship=mentorship, starts_at__gte=cutoff).planned()
    for meeting in future.order_by("starts_at", "pk"):
        meeting_cancel(meeting, by=by, reason=reason)
        cancelled += 1
    return cancelled


def pass_on_planned(mentorship: Mentorship, assignment: MentorAssignment, by: User | None) -> int:
    """The planned meetings from the new mentor's first day are theirs to hold."""
    return (
        Meeting.objects.filter(
            mentorship=mentorship, starts_at__gte=_start_of(mentorship, assignment.assigned_on)
        )
        .planned()
        .update(mentor=assignment.mentor_id)
    )
