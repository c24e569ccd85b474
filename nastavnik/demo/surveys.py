"""The demo's questionnaire campaigns, made and answered through the questionnaire services (so
the answers that feed the bases land there, as in real use):

- a closed campaign of the school's own copy of the mentee application, sent in September to
  the class with most students in the mentee base; most of the class answered by code or link,
  a few on paper, and the applicants not yet in the base became candidates;
- an open mentor application sent to the staff, a part of it answered;
- an open anonymous mentee satisfaction survey of the mentees, about half answered.

Respondents already in the mentee base answer as their entry says, so the base and the answers
tell the same story; the others answer plausibly and become candidates. Works whether or not the
bases' demos made their rows. Deterministic: one fixed random seed.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError

from nastavnik.catalogue.profile import RequestTopic
from nastavnik.people.models import Person, PersonKind
from nastavnik.programmes.models import Programme
from nastavnik.questionnaires import builtin
from nastavnik.questionnaires.campaigns import campaign_close, campaign_send
from nastavnik.questionnaires.models import Campaign, Channel, Invitation, Questionnaire, Response
from nastavnik.questionnaires.responses import response_submit
from nastavnik.questionnaires.services import questionnaire_copy

SEED = 20250905
# Applicants of the class campaign not yet in the mentee base: they become candidates.
NEW_CANDIDATES = 3
T = RequestTopic

REQUESTS: list[tuple[list[str], str]] = [
    ([T.SUBJECT, T.EXAMS], "Хочу подтянуть алгебру и геометрию, чтобы спокойно сдать ОГЭ."),
    ([T.CAREER], "Не понимаю, кем хочу стать. Хочется поговорить с человеком из профессии."),
    ([T.PROJECT, T.DIGITAL], "Хочу сделать проект по робототехнике для конференции."),
    ([T.COMMUNICATION], "Боюсь выступать перед классом, хочу стать увереннее."),
    ([T.SUBJECT], "По русскому много ошибок в диктантах, хочу писать грамотнее."),
    ([T.LEADERSHIP], "Хочу научиться организовывать дела класса и вести за собой."),
    ([T.ADAPTATION, T.COMMUNICATION], "Я новенький, хочу быстрее освоиться в классе."),
    ([T.COMPETITIONS, T.SUBJECT], "Хочу готовиться к олимпиаде по биологии."),
]
SUBJECT_BY_TOPIC = ["Математика", "Русский язык", "Английский язык", "Биология", "Физика"]
SLOTS = [value for value, _label in builtin.SLOTS]
MOTIVATIONS = [
    "Хочу передать опыт и помочь ребятам поверить в свои силы.",
    "Помню своего наставника — хочу быть для кого-то таким же.",
    "Интересно попробовать себя в новой роли и поработать с проектами Кванториума.",
    "Молодым коллегам нужна поддержка в первый год, я готова её дать.",
]


def _moment(day: date, zone: ZoneInfo, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(8, 20), rng.randrange(60)), zone)


def _mentee_entries(programme: Programme) -> dict[int, Any]:
    """The mentee base's entries by person, if the mentee base exists in this build."""
    try:
        from nastavnik.mentees.models import Mentee
    except ImportError:
        return {}
    return {m.person_id: m for m in Mentee.objects.filter(programme=programme)}


def _class_to_ask(
    programme: Programme, entries: dict[int, Any], fallback: Person
) -> tuple[int, str]:
    """The class of grades 5–10 with the most students in the mentee base."""
    counts: dict[tuple[int, str], int] = {}
    students = Person.objects.filter(
        pk__in=list(entries), kind=PersonKind.STUDENT, grade__gte=5, grade__lte=10
    )
    for grade, letter in students.values_list("grade", "class_letter"):
        counts[(grade, letter)] = counts.get((grade, letter), 0) + 1
    if not counts:
        return fallback.grade or 8, fallback.class_letter
    return max(sorted(counts), key=lambda key: counts[key])


def _mentor_people(programme: Programme) -> set[int]:
    try:
        from nastavnik.mentors.models import Mentor
    except ImportError:
        return set()
    return set(Mentor.objects.filter(programme=programme).values_list("person_id", flat=True))


def _application_answers(entry: Any, rng: random.Random) -> dict[str, list[str]]:
    """A mentee application as the entry of the base says, or a plausible new one."""
    subjects = [name for name, _label in builtin.SUBJECTS]
    if entry is not None and entry.topics:
        topics = [t for t in entry.topics if t in RequestTopic.values]
        text = entry.request_text or REQUESTS[0][1]
        chosen_subjects = [s.strip() for s in (entry.subjects or "").split(",") if s.strip()]
        availability = [s for s in entry.availability if s in SLOTS] or rng.sample(SLOTS, 3)
        meeting = entry.meeting_format or "in_person"
    else:
        topics, text = rng.choice(REQUESTS)
        chosen_subjects = [rng.choice(SUBJECT_BY_TOPIC)]
        availability = rng.sample(SLOTS, 3)
        meeting = rng.choice(["in_person", "in_person", "both", "remote"])
    chosen_subjects = [s for s in chosen_subjects if s in subjects] or ["Математика"]
    mentor_kind = rng.choice(["senior", "teacher", "professional", "any", "other"])
    return {
        "topics": list(topics),
        "subjects": chosen_subjects,
        "request_text": [text],
        "availability": availability,
        "format": [meeting],
        "mentor_kind": [mentor_kind],
        "mentor_kind_other": ["Студента IT-колледжа"] if mentor_kind == "other" else [],
        "interests": [rng.choice(["Футбол и компьютерные игры", "Рисую", "Читаю фантастику", ""])],
        "was_mentored": [rng.choice(["no", "no", "yes"])],
        "was_mentored_note": ["Помогли подготовиться к олимпиаде."],
    }


def _mentor_answers(person: Person, rng: random.Random) -> dict[str, list[str]]:
    experience = person.experience_years if person.experience_years is not None else 5
    return {
        "competencies": rng.sample([T.SUBJECT, T.EXAMS, T.PROJECT, T.CAREER, T.METHODS], 2),
        "subjects": [rng.choice(SUBJECT_BY_TOPIC)],
        "experience": [str(min(experience, 70))],
        "mentored_before": [rng.choice(["yes", "no"])],
        "mentored_before_note": ["Вела молодого специалиста два года назад."],
        "hours": [str(rng.choice([4, 6, 8]))],
        "availability": rng.sample(SLOTS, 4),
        "format": [rng.choice(["in_person", "both"])],
        "forms": [rng.choice(["teacher-teacher", "teacher-student"])],
        "motivation": [rng.choice(MOTIVATIONS)],
        "share": [rng.choice(["yes", "no"])],
    }


def _satisfaction_answers(rng: random.Random) -> dict[str, list[str]]:
    def mark() -> list[str]:
        return [str(min(10, max(3, round(rng.gauss(8, 1.6)))))]

    codes = ("effectiveness", "comfort", "personal_meetings", "group_meetings", "support")
    answers = {code: mark() for code in codes}
    answers.update(
        clarity=mark(),
        organisation=mark(),
        expectations=mark(),
        progress=mark(),
        frequency=[rng.choice(["weekly", "weekly", "fortnightly", "more"])],
        valuable=[rng.choice(["Разбирали ошибки в контрольных", "Стал увереннее", ""])],
        lacking=[rng.choice(["Хочется встречаться чаще", "", "Больше времени на проект"])],
        glad=[rng.choice(["yes", "yes", "unsure"])],
        become_mentor=[rng.choice(["yes", "no", "unsure"])],
        become_mentor_area=["Помогать младшим с математикой"],
    )
    answers["continue"] = ["yes"]
    return answers


def _answer(
    invitations: list[Invitation],
    count: int,
    answers_for: Any,
    rng: random.Random,
    curator: Any,
) -> list[Response]:
    """`count` of the invitations answer (fewer if there are fewer), a few of them on paper."""
    chosen = rng.sample(invitations, min(count, len(invitations)))
    responses = []
    for invitation in sorted(chosen, key=lambda i: i.pk):
        paper = rng.random() < 0.1
        try:
            responses.append(
                response_submit(
                    invitation,
                    answers_for(invitation.person),
                    channel=Channel.PAPER if paper else rng.choice([Channel.CODE, Channel.LINK]),
                    by=curator if paper else None,
                )
            )
        except ValidationError:
            continue
    return responses


def _backdate(
    campaign: Campaign, responses: list[Response], sent: date, until: date, rng: random.Random
) -> None:
    """The campaign as it happened: sent and answered over past weeks."""
    zone = ZoneInfo(campaign.organisation.timezone)
    Campaign.objects.filter(pk=campaign.pk).update(created_at=_moment(sent, zone, rng))
    span = max(1, (until - sent).days)
    for response in responses:
        day = sent + timedelta(days=rng.randrange(span + 1))
        response.submitted_on = day
        if response.submitted_at is not None:
            response.submitted_at = _moment(day, zone, rng)
    Response.objects.bulk_update(responses, ["submitted_on", "submitted_at"])


def build_surveys(
    programme: Programme, people: list[Person], accounts: dict[str, Person], today: date
) -> None:
    builtin.ensure_loaded()
    rng = random.Random(SEED)
    curator = accounts["curator"].user
    organisation = programme.organisation
    zone = ZoneInfo(organisation.timezone)
    year_start = programme.academic_year.starts_on

    # 1. The mentee application of one class, in September; closed. The class whose students
    # fill the mentee base most: their applications are what the base holds, and a few more
    # applied and became candidates.
    entries = _mentee_entries(programme)
    grade, letter = _class_to_ask(programme, entries, accounts["mentee"])
    application = questionnaire_copy(
        Questionnaire.objects.get(organisation=None, code="mentee-application", version=1),
        organisation,
        by=curator,
    )
    sent = campaign_send(
        programme,
        application,
        title=f"Анкета наставляемого, {grade}{letter} класс",
        audience="class",
        params={"grade": grade, "class_letter": letter},
        deadline=today + timedelta(days=7),
        by=curator,
    )
    invitations = list(sent.campaign.invitations.select_related("person", "campaign"))
    known = [i for i in invitations if i.person_id in entries]
    others = [i for i in invitations if i.person_id not in entries]
    responses = _answer(
        known + rng.sample(others, min(NEW_CANDIDATES, len(others))),
        len(invitations),
        lambda person: _application_answers(entries.get(person.pk), rng),
        rng,
        curator,
    )
    closed = campaign_close(sent.campaign, by=curator)
    opened = min(max(year_start + timedelta(days=8), today - timedelta(days=70)), today)
    deadline = max(opened, min(opened + timedelta(days=14), today - timedelta(days=1)))
    _backdate(sent.campaign, responses, opened, deadline, rng)
    Campaign.objects.filter(pk=closed.pk).update(
        deadline=deadline, closed_at=_moment(deadline + timedelta(days=1), zone, rng)
    )
    Invitation.objects.filter(campaign=closed, answered=False).update(
        code_issued_at=_moment(opened, zone, rng)
    )

    # 2. The mentor application to the staff: open, partly answered (new candidates first).
    mentors_now = _mentor_people(programme)
    staff_sent = campaign_send(
        programme,
        Questionnaire.objects.get(organisation=None, code="mentor-application", version=1),
        title="Анкета наставника для педагогов",
        audience="staff",
        deadline=today + timedelta(days=10),
        by=curator,
    )
    staff_invitations = [
        i
        for i in staff_sent.campaign.invitations.select_related("person", "campaign")
        if i.person_id not in mentors_now and i.person.kind == PersonKind.STAFF
    ]
    staff_responses = _answer(
        staff_invitations, 1, lambda person: _mentor_answers(person, rng), rng, curator
    )
    _backdate(staff_sent.campaign, staff_responses, today - timedelta(days=6), today, rng)

    # 3. An anonymous satisfaction survey of the mentees: open, about half answered.
    try:
        satisfaction = campaign_send(
            programme,
            Questionnaire.objects.get(organisation=None, code="mentee-satisfaction", version=1),
            title="Промежуточная анкета удовлетворённости наставляемых",
            audience="mentees",
            anonymous=True,
            deadline=today + timedelta(days=12),
            by=curator,
        )
    except ValidationError:
        # No mentee base in this build: the demo mentee's class instead.
        satisfaction = campaign_send(
            programme,
            Questionnaire.objects.get(organisation=None, code="mentee-satisfaction", version=1),
            title="Промежуточная анкета удовлетворённости наставляемых",
            audience="class",
            params={"grade": grade, "class_letter": letter},
            anonymous=True,
            deadline=today + timedelta(days=12),
            by=curator,
        )
    anonymous = _answer(
        list(satisfaction.campaign.invitations.select_related("person", "campaign")),
        10,
        lambda person: _satisfaction_answers(rng),
        rng,
        curator,
    )
    _backdate(satisfaction.campaign, anonymous, today - timedelta(days=3), today, rng)
