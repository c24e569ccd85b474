"""Stage 6 of the demo year: meetings of the pairs and groups, and their feedback.

Every active pair of the programme held its first, organisational, meeting in the week it was
fixed and its second, trial, meeting in the last fortnight; both sides rated them (6–10), and
the planning meeting is in the coming week. Two pairs give the curator's dashboard something
to show: one has not met since its first meeting (over a month: "no meetings"), and in one the
ratings fell from the first meeting to the second. The demo mentee has not yet rated the trial
meeting, so the mentee's page asks for it. Built through the services a click goes through.
"""

from __future__ import annotations

import logging
import zoneinfo
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.meetings import services
from nastavnik.meetings.models import Meeting, MeetingFormat, MeetingKind
from nastavnik.meetings.services import MeetingData
from nastavnik.mentorships.models import Mentorship, MentorshipStatus
from nastavnik.people.models import Person
from nastavnik.programmes.models import Programme

logger = logging.getLogger(__name__)

PLACES = ("Кабинет 21", "Библиотека", "Кабинет 305", "Кванториум, лаборатория робототехники")
CALL = "https://telemost.yandex.ru/j/{number}"

FIRST_NOTES = (
    "Познакомились, рассказали о себе и своих интересах. Обсудили ожидания от наставничества, "
    "договорились о правилах общения и удобном времени встреч."
)
FIRST_STEPS = "Заполнить анкету интересов; подумать, чему хочется научиться за год."
TRIAL_NOTES = (
    "Пробная рабочая встреча: разобрали первое задание, обсудили, что получилось и что "
    "оказалось трудным. Наметили темы для плана развития."
)
TRIAL_STEPS = "Подготовить предложения в индивидуальный план; принести вопросы к следующей встрече."
PLANNING_NOTES = "Составляем индивидуальный план развития на полугодие: цели, шаги, сроки."

MENTEE_COMMENTS = (
    "Было интересно, наставник всё понятно объяснил.",
    "Понравилось, что можно задавать любые вопросы.",
    "Полезно, хочется встречаться чаще.",
    "Немного волновался, но в целом хорошо.",
)
MENTOR_COMMENTS = (
    "Наставляемый открыт к общению, цели пока размыты — уточним на планировании.",
    "Хороший контакт, задание выполнено вовремя.",
    "Есть мотивация, нужно помочь с планированием времени.",
)
FALLING_COMMENT = "Встреча прошла скомканно: наставляемый опоздал, задание не сделано."


def _school_day(day: date, *, back: bool = False) -> date:
    """The day itself on a weekday, else the Friday before (`back`) or the Monday after."""
    while day.weekday() >= 5:
        day += timedelta(days=-1 if back else 1)
    return day


def _at(zone: zoneinfo.ZoneInfo, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), zone)


def _ratings(index: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """(mentor, mentee) ratings of the first and the trial meeting: 6–10, varied, the same on
    every run, and never falling from the first to the second (one pair falls on purpose)."""
    first = (6 + index % 4, 7 + (index + 1) % 4)
    trial = (min(10, first[0] + index % 2), min(10, first[1] + (index + 1) % 2))
    return first, trial


def _plan(
    mentorship: Mentorship, kind: str, starts_at: datetime, index: int, by: User | None
) -> Meeting:
    remote = index % 4 == 3
    return services.meeting_create(
        mentorship,
        MeetingData(
            kind=kind,
            starts_at=starts_at,
            duration_minutes=45 if kind != MeetingKind.PLANNING else 60,
            format=MeetingFormat.REMOTE if remote else MeetingFormat.IN_PERSON,
            place="" if remote else PLACES[index % len(PLACES)],
            link=CALL.format(number=48213000 + mentorship.pk * 10 + index) if remote else "",
            notes=PLANNING_NOTES if kind == MeetingKind.PLANNING else "",
        ),
        by=by,
    )


def _rate(meeting: Meeting, person: Person, rating: int, comment: str) -> None:
    services.feedback_give(
        meeting, author=person, rating=rating, comment=comment, by=person.user, now=meeting.ends_at
    )


def _hold_and_rate(
    meeting: Meeting,
    mentorship: Mentorship,
    *,
    notes: str,
    steps: str,
    ratings: tuple[int, int],
    index: int,
    not_yet: Person | None = None,
) -> None:
    """Mark the meeting held and rate it from both sides; `not_yet` has not rated it yet."""
    by = mentorship.mentor.person.user
    services.meeting_mark_held(
        meeting,
        by=by,
        present=list(mentorship.members.filter(active=True)),
        notes=notes,
        next_steps=steps,
        now=meeting.ends_at,
    )
    mentor_rating, mentee_rating = ratings
    _rate(
        meeting,
        mentorship.mentor.person,
        mentor_rating,
        MENTOR_COMMENTS[index % len(MENTOR_COMMENTS)] if index % 2 == 0 else "",
    )
    for member in mentorship.members.filter(active=True).select_related("mentee__person"):
        if member.mentee.person == not_yet:
            continue
        comment = (
            FALLING_COMMENT
            if mentee_rating < 6
            else MENTEE_COMMENTS[(index + member.pk) % len(MENTEE_COMMENTS)]
        )
        _rate(meeting, member.mentee.person, mentee_rating, comment)


def _build_pair(
    mentorship: Mentorship,
    index: int,
    today: date,
    zone: zoneinfo.ZoneInfo,
    role: str,
    demo_mentee: Person | None,
) -> None:
    by = mentorship.mentor.person.user
    now = timezone.now()
    first_day = _school_day(mentorship.started_on + timedelta(days=3 + index % 3))
    first = _plan(mentorship, MeetingKind.FIRST, _at(zone, first_day, 15, 30), index, by)
    if first.starts_at >= now:
        return  # the pairs were fixed only days ago: the first meeting is still ahead
    falling = role == "falling"
    _hold_and_rate(
        first,
        mentorship,
        notes=FIRST_NOTES,
        steps=FIRST_STEPS,
        ratings=(9, 9) if falling else _ratings(index)[0],
        index=index,
    )
    if role == "stale":
        return  # no meeting since the first: the dashboard flags the pair
    trial_day = _school_day(
        max(today - timedelta(days=5 + index % 9), first_day + timedelta(days=7)), back=True
    )
    if trial_day < today:
        trial = _plan(mentorship, MeetingKind.TRIAL, _at(zone, trial_day, 16), index, by)
        _hold_and_rate(
            trial,
            mentorship,
            notes=TRIAL_NOTES,
            steps=TRIAL_STEPS,
            ratings=(7, 6) if falling else _ratings(index)[1],
            index=index,
            not_yet=demo_mentee if role == "demo" else None,
        )
    planning_day = _school_day(today + timedelta(days=2 + index % 5))
    if planning_day <= mentorship.planned_end:
        _plan(mentorship, MeetingKind.PLANNING, _at(zone, planning_day, 15, 30), index, by)


def build_meetings(
    programme: Programme, people: list[Person], accounts: dict[str, Person], today: date
) -> None:
    zone = zoneinfo.ZoneInfo(programme.organisation.timezone)
    pairs = list(
        Mentorship.objects.filter(programme=programme, status=MentorshipStatus.ACTIVE)
        .select_related("organisation", "mentor__person__user")
        .order_by("pk")
    )
    demo_mentor = accounts.get("mentor")
    others = [m for m in pairs if demo_mentor is None or m.mentor.person_id != demo_mentor.pk]
    # Which pairs tell the dashboard's two stories: never the demo mentor's own pair.
    roles = {}
    if len(others) >= 3:
        roles[others[-1].pk] = "stale"
        roles[others[-2].pk] = "falling"
    for index, mentorship in enumerate(pairs):
        role = roles.get(mentorship.pk, "")
        if demo_mentor is not None and mentorship.mentor.person_id == demo_mentor.pk:
            role = "demo"
        try:
            _build_pair(mentorship, index, today, zone, role, accounts.get("mentee"))
        except ValidationError as error:
            # A pair whose term does not allow the story keeps what was built, said in the log.
            logger.info("demo: meetings of pair %s stop: %s", mentorship.pk, error.messages)
