"""Pages of the pairs' meetings: a pair's list, a meeting with its feedback, planning and
recording forms, the month calendar, the personal calendar address, and the curator's settings.

Every page is Perm.PAIR_WORK and fetches rows through `access.py`, so a mentor or a mentee sees
only their own pairs' meetings and those who run the programme see all of the organisation.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nastavnik.accounts.models import User
from nastavnik.core.access import OrgContext, OrgRequest, org_view
from nastavnik.core.outcomes import perform, submit
from nastavnik.meetings import services
from nastavnik.meetings.access import (
    may_plan,
    meeting_for,
    meetings_in_calendar,
    with_feedback,
)
from nastavnik.meetings.forms import CancelForm, FeedbackForm, HeldForm, MeetingForm, SettingsForm
from nastavnik.meetings.models import (
    CalendarFeed,
    Feedback,
    FeedbackSide,
    Meeting,
    MeetingStatus,
)
from nastavnik.meetings.selectors import feedback_due, rateable_q
from nastavnik.mentorships.access import Side, own_people, side_of, workable_for
from nastavnik.mentorships.models import Mentorship, MentorshipMentee
from nastavnik.mentorships.suspension import is_suspended
from nastavnik.orgs.policy import Perm
from nastavnik.people.models import Person


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _participant(ctx: OrgContext, user: User, mentorship: Mentorship) -> Person | None:
    """The user's own record on this pair's side (its mentor or an active mentee), if any."""
    mine = {person.pk: person for person in own_people(ctx, user)}
    if mentorship.mentor.person_id in mine:
        return mine[mentorship.mentor.person_id]
    for member in mentorship.members.all():
        if member.active and member.mentee.person_id in mine:
            return mine[member.mentee.person_id]
    return None


def _list_url(ctx: OrgContext, mentorship: Mentorship) -> str:
    return reverse(
        "meetings:list",
        kwargs={"org_slug": ctx.organisation.slug, "mentorship_pk": mentorship.pk},
    )


def _require_planner(ctx: OrgContext, user: User, mentorship: Mentorship) -> Side | None:
    side = side_of(ctx, user, mentorship)
    if not may_plan(side):
        raise PermissionDenied
    return side


@dataclass(frozen=True)
class Ratings:
    mentor: int | None
    mentees: list[int]

    @classmethod
    def of(cls, meeting: Meeting) -> Ratings:
        given = list(meeting.feedback.all())
        return cls(
            mentor=next((f.rating for f in given if f.side == FeedbackSide.MENTOR), None),
            mentees=[f.rating for f in given if f.side == FeedbackSide.MENTEE],
        )


@org_view(Perm.PAIR_WORK)
def meeting_list(request: OrgRequest, mentorship_pk: int) -> HttpResponse:
    ctx, user = request.org, _user(request)
    mentorship = workable_for(ctx, user, mentorship_pk)
    side = side_of(ctx, user, mentorship)
    meetings = [
        (meeting, Ratings.of(meeting))
        for meeting in with_feedback(mentorship.meetings.select_related("mentor__person")).order_by(
            "-starts_at", "-pk"
        )
    ]
    me = _participant(ctx, user, mentorship)
    due = (
        {m.pk for m in feedback_due([me.pk], timezone.now()) if m.mentorship_id == mentorship.pk}
        if me
        else set()
    )
    suspended = is_suspended(mentorship)
    return render(
        request,
        "meetings/list.html",
        {
            "mentorship": mentorship,
            "side": side,
            "may_plan": may_plan(side) and mentorship.is_active and not suspended,
            "suspended": suspended,
            "meetings": meetings,
            # After a replacement each meeting names the mentor who held it.
            "replaced": mentorship.assignments.count() > 1,
            "due": due,
            "now": timezone.now(),
        },
    )


@org_view(Perm.PAIR_WORK)
def meeting_create(request: OrgRequest, mentorship_pk: int) -> HttpResponse:
    ctx, user = request.org, _user(request)
    mentorship = workable_for(ctx, user, mentorship_pk)
    _require_planner(ctx, user, mentorship)
    form = MeetingForm(request.POST or None, mentorship=mentorship)
    return submit(
        request,
        form,
        lambda: services.meeting_create(mentorship, form.data_for_service(), by=user),
        success=_("The meeting is planned."),
        redirect_to=lambda meeting: meeting.get_absolute_url(),
        template="meetings/form.html",
        context={
            "mentorship": mentorship,
            "title": _("New meeting"),
            "back": _list_url(ctx, mentorship),
        },
    )


@dataclass(frozen=True)
class FeedbackRow:
    feedback: Feedback
    show_comment: bool


@org_view(Perm.PAIR_WORK)
def meeting_detail(request: OrgRequest, meeting_pk: int) -> HttpResponse:
    ctx, user = request.org, _user(request)
    meeting = meeting_for(ctx, user, meeting_pk)
    mentorship = meeting.mentorship
    side = side_of(ctx, user, mentorship)
    me = _participant(ctx, user, mentorship)
    # Ratings are seen by everyone on the pair; a comment only by its author and those who run
    # the programme: a mentee (often a child) tells the curator frankly how it goes.
    rows = [
        FeedbackRow(item, side == Side.CURATOR or (me is not None and item.author_id == me.pk))
        for item in meeting.feedback.all()
    ]
    may_rate = (
        me is not None
        and not any(item.author_id == me.pk for item in meeting.feedback.all())
        and Meeting.objects.filter(rateable_q([me.pk], timezone.now()), pk=meeting.pk).exists()
    )
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "mentorship": mentorship,
            "side": side,
            "may_plan": may_plan(side)
            and mentorship.is_active
            and meeting.is_planned
            and not is_suspended(mentorship),
            "may_hold": meeting.is_planned and meeting.starts_at <= timezone.now(),
            "feedback_rows": rows,
            "may_rate": may_rate,
            "feedback_form": FeedbackForm() if may_rate else None,
            "present": [a.member for a in meeting.attendance.all()],
        },
    )


def _planned_meeting(request: OrgRequest, meeting_pk: int) -> Meeting:
    """A meeting its pair's planner is about to change: 403 for the others of the pair."""
    meeting = meeting_for(request.org, _user(request), meeting_pk)
    _require_planner(request.org, _user(request), meeting.mentorship)
    return meeting


def _meeting_form(
    request: OrgRequest,
    meeting: Meeting,
    form: Any,
    write: Callable[[], Any],
    *,
    success: str,
    title: str,
    **context: Any,
) -> HttpResponse:
    """The page of a change to one meeting; done, back to the meeting."""
    return submit(
        request,
        form,
        write,
        success=success,
        redirect_to=meeting.get_absolute_url(),
        template="meetings/form.html",
        context={
            "mentorship": meeting.mentorship,
            "meeting": meeting,
            "title": title,
            "back": meeting.get_absolute_url(),
            **context,
        },
    )


@org_view(Perm.PAIR_WORK)
def meeting_edit(request: OrgRequest, meeting_pk: int) -> HttpResponse:
    meeting = _planned_meeting(request, meeting_pk)
    initial = {
        "kind": meeting.kind,
        "starts_at": timezone.localtime(meeting.starts_at),
        "duration_minutes": meeting.duration_minutes,
        "format": meeting.format,
        "place": meeting.place,
        "link": meeting.link,
        "notes": meeting.notes,
    }
    form = MeetingForm(request.POST or None, mentorship=meeting.mentorship, initial=initial)
    return _meeting_form(
        request,
        meeting,
        form,
        lambda: services.meeting_update(meeting, form.data_for_service(), by=request.user),
        success=_("The meeting is changed."),
        title=_("Change the meeting"),
    )


@org_view(Perm.PAIR_WORK)
def meeting_hold(request: OrgRequest, meeting_pk: int) -> HttpResponse:
    meeting = _planned_meeting(request, meeting_pk)
    form = HeldForm(
        request.POST or None,
        mentorship=meeting.mentorship,
        initial={"notes": meeting.notes, "next_steps": meeting.next_steps},
    )
    return _meeting_form(
        request,
        meeting,
        form,
        lambda: services.meeting_mark_held(
            meeting,
            by=request.user,
            present=form.cleaned_data.get("present"),
            notes=form.cleaned_data["notes"],
            next_steps=form.cleaned_data["next_steps"],
        ),
        success=_("The meeting is marked as held."),
        title=_("The meeting took place"),
        submit=_("Mark as held"),
    )


@org_view(Perm.PAIR_WORK)
def meeting_cancel(request: OrgRequest, meeting_pk: int) -> HttpResponse:
    meeting = _planned_meeting(request, meeting_pk)
    form = CancelForm(request.POST or None)
    return _meeting_form(
        request,
        meeting,
        form,
        lambda: services.meeting_cancel(
            meeting, by=request.user, reason=form.cleaned_data["reason"]
        ),
        success=_("The meeting is cancelled."),
        title=_("Cancel the meeting"),
        submit=_("Cancel the meeting"),
    )


@require_POST
@org_view(Perm.PAIR_WORK)
def meeting_rate(request: OrgRequest, meeting_pk: int) -> HttpResponse:
    ctx, user = request.org, _user(request)
    meeting = meeting_for(ctx, user, meeting_pk)
    me = _participant(ctx, user, meeting.mentorship)
    form = FeedbackForm(request.POST)
    if me is None:
        messages.error(request, services.MESSAGES["outsider"])
    elif not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                # An ErrorList yields its messages as text already; str() tells the types so.
                messages.error(request, str(error))
    else:
        return perform(
            request,
            lambda: services.feedback_give(
                meeting,
                author=me,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                by=user,
            ),
            success=_("Thank you: your rating is saved."),
            redirect_to=meeting.get_absolute_url(),
        )
    return redirect(meeting.get_absolute_url())


# --- Month calendar -------------------------------------------------------------------------


def _month_of(value: str | None, today: date) -> date:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


@dataclass(frozen=True)
class CalendarDay:
    day: date
    in_month: bool
    is_today: bool
    meetings: list[Meeting]


@org_view(Perm.PAIR_WORK)
def meeting_calendar(request: OrgRequest) -> HttpResponse:
    ctx, user = request.org, _user(request)
    today = timezone.localdate()
    first = _month_of(request.GET.get("month"), today)
    following = (first + timedelta(days=32)).replace(day=1)
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(following, datetime.min.time(), tzinfo=zone)
    found = (
        meetings_in_calendar(ctx, user)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("mentorship__mentor__person", "mentor__person")
        .prefetch_related(
            Prefetch(
                "mentorship__members",
                queryset=MentorshipMentee.objects.select_related("mentee__person"),
            )
        )
        .order_by("starts_at", "pk")
    )
    by_day: dict[date, list[Meeting]] = {}
    for meeting in found:
        by_day.setdefault(timezone.localtime(meeting.starts_at).date(), []).append(meeting)
    weeks = [
        [
            CalendarDay(day, day.month == first.month, day == today, by_day.get(day, []))
            for day in week
        ]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    previous = (first - timedelta(days=1)).replace(day=1)
    return render(
        request,
        "meetings/calendar.html",
        {
            "month": first,
            "weeks": weeks,
            "previous": f"{previous:%Y-%m}",
            "next": f"{following:%Y-%m}",
            "count": sum(len(day) for day in by_day.values()),
            "statuses": MeetingStatus,
        },
    )


# --- Personal calendar address --------------------------------------------------------------


@org_view(Perm.PAIR_WORK)
def feed_page(request: OrgRequest) -> HttpResponse:
    """Shows whether the user has a calendar address and issues a new one. The address holds a
    secret shown once, right after it is made: only its hash is kept."""
    ctx, user = request.org, _user(request)
    person = own_people(ctx, user).first()
    address = ""
    if request.method == "POST" and person is not None:
        if request.POST.get("action") == "revoke":
            services.feed_revoke(person)
            messages.success(request, _("The calendar address is switched off."))
            return redirect("meetings:feed", org_slug=ctx.organisation.slug)
        token = services.feed_issue(person)
        address = request.build_absolute_uri(reverse("calendar_feed:feed", args=[token]))
    feed = CalendarFeed.objects.filter(person=person).first() if person else None
    return render(
        request,
        "meetings/feed.html",
        {"person": person, "feed": feed, "address": address},
    )


# --- Settings -------------------------------------------------------------------------------


@org_view(Perm.MENTORSHIPS_MANAGE)
def meeting_settings(request: OrgRequest) -> HttpResponse:
    ctx, user = request.org, _user(request)
    current = services.settings_of(ctx.organisation)
    form = SettingsForm(
        request.POST or None,
        initial={
            "weeks_without_meeting": current.weeks_without_meeting,
            "reminder_hours": current.reminder_hours,
        },
    )
    return submit(
        request,
        form,
        lambda: services.settings_update(ctx.organisation, by=user, **form.cleaned_data),
        success=_("The settings are saved."),
        redirect_to=redirect("orgs:dashboard", org_slug=ctx.organisation.slug),
        template="meetings/settings.html",
        context={"back": reverse("orgs:dashboard", args=[ctx.organisation.slug])},
    )
