"""A person's meetings as an iCalendar feed at a secret address (`/calendar/<token>.ics`), for
Yandex, Google or Apple calendars, which fetch it without logging in.

Only the meetings of the person's own pairs and groups (as mentor or active mentee) are in it.
The person turns it on for themselves; each event carries the least a calendar needs (kind,
time, place or call link, the other side's short name) and a link back: notes never leave the
server. Times carry the organisation's zone.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from nastavnik.core.access import public_view
from nastavnik.meetings.models import Meeting, MeetingFormat, MeetingStatus
from nastavnik.meetings.services import feed_person, meeting_window_start
from nastavnik.mentorships.models import MentorshipMentee
from nastavnik.people.models import Person

ICS_STATUS = {
    MeetingStatus.PLANNED: "CONFIRMED",
    MeetingStatus.HELD: "CONFIRMED",
    MeetingStatus.CANCELLED: "CANCELLED",
}


def meetings_of(person: Person) -> Iterable[Meeting]:
    return (
        Meeting.objects.for_org(person.organisation)
        .of_person([person.pk])
        .in_calendars()
        .filter(starts_at__gte=meeting_window_start(timezone.now()))
        .select_related("mentorship__mentor__person", "mentor__person", "organisation")
        .prefetch_related(
            Prefetch(
                "mentorship__members",
                queryset=MentorshipMentee.objects.select_related("mentee__person"),
            )
        )
        .order_by("starts_at", "pk")
    )


def _other_side(meeting: Meeting, person: Person) -> str:
    mentorship = meeting.mentorship
    mentor = meeting.mentor.person if meeting.mentor_id else mentorship.mentor.person
    if mentor.pk == person.pk:
        return ", ".join(m.mentee.person.short_name for m in mentorship.roster)
    return mentor.short_name


def build_calendar(person: Person, meetings: Iterable[Meeting], base_url: str) -> Calendar:
    zone = zoneinfo.ZoneInfo(person.organisation.timezone)
    cal = Calendar()
    cal.add("prodid", "-//Nastavnik//Meetings//RU")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("Mentoring meetings — %(org)s") % {"org": person.organisation})
    cal.add("x-wr-timezone", person.organisation.timezone)
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{person.organisation.slug}.nastavnik")
        event.add("dtstamp", meeting.updated_at)
        event.add("last-modified", meeting.updated_at)
        event.add("dtstart", timezone.localtime(meeting.starts_at, zone))
        event.add("dtend", timezone.localtime(meeting.ends_at, zone))
        event.add(
            "summary",
            _("Meeting (%(kind)s): %(with)s")
            % {"kind": meeting.get_kind_display(), "with": _other_side(meeting, person)},
        )
        event.add("status", ICS_STATUS[MeetingStatus(meeting.status)])
        if meeting.format == MeetingFormat.REMOTE:
            event.add("location", meeting.link)
        elif meeting.place:
            event.add("location", meeting.place)
        page = base_url + reverse(
            "meetings:detail",
            kwargs={"org_slug": person.organisation.slug, "meeting_pk": meeting.pk},
        )
        event.add("url", page)
        # Notes and agreements stay on the server: the feed goes to whatever calendar service
        # the person uses, so it carries only what a calendar needs and a link back.
        event.add("description", page)
        cal.add_component(event)
    # The zone's rules only for the feed's window (its meetings lie within a year either way),
    # not since 1970: a short feed the calendar programs poll every few minutes.
    now = timezone.now()
    cal.add_missing_timezones(
        first_date=meeting_window_start(now).date() - timedelta(days=1),
        last_date=(now + timedelta(days=2 * 366)).date(),
    )
    return cal


@public_view
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    person = feed_person(token)
    if person is None:
        raise Http404
    base_url = request.build_absolute_uri("/").rstrip("/")
    # Calendar programs send no language: the feed speaks the installation's language.
    with translation.override(settings.LANGUAGE_CODE):
        body = build_calendar(person, meetings_of(person), base_url).to_ical()
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
