"""A school with a programme of the running year, a class of students with consents, a
questionnaire of every question type, and campaigns sent through the services."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from nastavnik.consents.models import Purpose
from nastavnik.consents.tests.factories import ConsentFactory
from nastavnik.orgs.models import AcademicYear, Organisation
from nastavnik.people.models import Person
from nastavnik.people.tests.factories import PersonFactory, StaffFactory
from nastavnik.people.validators import org_today
from nastavnik.programmes.models import Programme
from nastavnik.programmes.tests import data as programme_data
from nastavnik.questionnaires import campaigns
from nastavnik.questionnaires.codes import new_code, new_token
from nastavnik.questionnaires.feeds import FeedContext
from nastavnik.questionnaires.models import (
    Campaign,
    Invitation,
    Question,
    Questionnaire,
    QuestionType,
    Section,
    hash_secret,
)
from nastavnik.questionnaires.tests.factories import (
    QuestionFactory,
    QuestionnaireFactory,
    SectionFactory,
)


def today(org: Organisation) -> date:
    return org_today(org)


def programme_of(org: Organisation) -> Programme:
    """The programme of the running academic year (campaigns belong to it)."""
    start = AcademicYear.start_year_for(org_today(org))
    existing = Programme.objects.filter(organisation=org, academic_year__start_year=start).first()
    return existing or programme_data.programme(org, start, roadmap=False)


def consent(person: Person, *purposes: str) -> Person:
    for purpose in purposes or (Purpose.PROCESSING, Purpose.PARTICIPATION):
        ConsentFactory(subject=person, organisation=person.organisation, purpose=purpose)
    return person


def student(org: Organisation, *, consented: bool = True, **fields: Any) -> Person:
    fields.setdefault("grade", 7)
    fields.setdefault("class_letter", "Б")
    person = PersonFactory(organisation=org, **fields)
    return consent(person) if consented else person


def staff(org: Organisation, *, consented: bool = True, **fields: Any) -> Person:
    person = StaffFactory(organisation=org, **fields)
    return consent(person) if consented else person


def questionnaire(org: Organisation, **fields: Any) -> Questionnaire:
    """Every type once: a choice with «другое» that shows an explanation, a scale, a number,
    a date, texts, and a ranking of mentors."""
    made = QuestionnaireFactory(organisation=org, **fields)
    first = SectionFactory(questionnaire=made, title="О себе", position=1)
    second = SectionFactory(questionnaire=made, title="Оценки", position=2)
    # (section, code, type, the question's other fields); positions follow the order here.
    questions = (
        (first, "topic", QuestionType.SINGLE, {
            "text": "С чем нужна помощь?",
            "choices": [["subject", "Учёба"], ["career", "Профессия"], ["other", "Другое"]],
        }),
        (first, "topic_other", QuestionType.SHORT_TEXT, {
            "text": "Что именно?", "show_if_code": "topic", "show_if_values": ["other"],
        }),
        (first, "slots", QuestionType.MULTIPLE, {
            "text": "Когда удобно?",
            "required": False,
            "choices": [["пн-вечер", "Понедельник, вечер"], ["ср-вечер", "Среда, вечер"]],
        }),
        (first, "about", QuestionType.LONG_TEXT, {"required": False}),
        (second, "mood", QuestionType.SCALE, {
            "text": "Как настроение?", "min_value": 1, "max_value": 10,
        }),
        (second, "mark", QuestionType.NUMBER, {
            "text": "Средний балл", "min_value": 2, "max_value": 5, "required": False,
        }),
        (second, "born", QuestionType.DATE, {"required": False}),
    )  # fmt: skip
    positions: Counter[Section] = Counter()
    for section, question_code, kind, extra in questions:
        positions[section] += 1
        QuestionFactory(
            section=section, position=positions[section], code=question_code, type=kind, **extra
        )
    return made


def ranking_question(questionnaire: Questionnaire, pool: str = "staff", **fields: Any) -> Question:
    section = questionnaire.sections.order_by("position").last()
    fields.setdefault("required", False)
    return QuestionFactory(
        section=section,
        position=10,
        code=fields.pop("code", "prefer"),
        type=QuestionType.RANKING,
        text="Кого бы вы выбрали?",
        pool=pool,
        rank_count=2,
        **fields,
    )


def send(programme: Programme, made: Questionnaire, **options: Any) -> Campaign:
    options.setdefault("deadline", today(programme.organisation) + timedelta(days=7))
    options.setdefault("audience", "class")
    options.setdefault("params", {"grade": 7, "class_letter": "Б"})
    options.setdefault("by", None)
    return campaigns.campaign_send(programme, made, **options).campaign


def link_token(invitation: Invitation) -> str:
    """A known personal link for an invitation (the real one exists only in its letter)."""
    token = new_token()
    invitation.token_hash = hash_secret(token)
    invitation.save(update_fields=["token_hash"])
    return token


def code(invitation: Invitation) -> str:
    """A known code for an invitation, as a slip would print it."""
    issued = new_code()
    invitation.code_hash = hash_secret(issued)
    invitation.save(update_fields=["code_hash"])
    return issued


GOOD_ANSWERS = {
    "topic": ["subject"],
    "topic_other": [""],
    "slots": ["пн-вечер"],
    "about": ["Хочу лучше понимать геометрию"],
    "mood": ["8"],
    "mark": ["4,5"],
    "born": ["2012-05-05"],
}


def post_of(raw: dict[str, list[str]]) -> dict[str, list[str]]:
    return {f"q-{code}": values for code, values in raw.items()}


def feed_context(
    programme: Programme,
    person: Person,
    form: Any = None,
    *,
    phase: str = "",
    answered_on: date | None = None,
    argument: str = "",
) -> FeedContext:
    """What a feed is given for one answered questionnaire: answered today unless said, by link
    (no user), for no form and no phase unless said."""
    return FeedContext(
        programme=programme,
        person=person,
        form=form,
        phase=phase,
        answered_on=answered_on or timezone.localdate(),
        by=None,
        argument=argument,
    )
