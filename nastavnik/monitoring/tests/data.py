"""The world a monitoring test needs: pairs of a programme, satisfaction answers and entry/exit
measures, built directly (the questionnaires' and assessments' own rules are their tests')."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import count
from typing import Any

from nastavnik.assessments.models import Measure, Parameter, Phase
from nastavnik.matching.models import MatchingRun, RunStatus
from nastavnik.matching.tests.data import mentee, mentor, role_model
from nastavnik.mentorships.models import Mentorship, MentorshipMentee
from nastavnik.people.models import Person
from nastavnik.programmes.models import Programme
from nastavnik.programmes.tests.data import builtin_form
from nastavnik.questionnaires.models import (
    Answer,
    Campaign,
    Channel,
    Invitation,
    Question,
    Questionnaire,
    Response,
)

_tokens = count(1)


def pair(
    programme: Programme,
    *,
    role: str | None = "Успевающий – неуспевающий",
    run: MatchingRun | None = None,
    mentees: int = 1,
) -> Mentorship:
    """A completed-or-active pair (or a group) of the form «Ученик – ученик»."""
    org = programme.organisation
    start = programme.academic_year.starts_on
    made = Mentorship.objects.create(
        organisation=org,
        programme=programme,
        form=builtin_form("student-student"),
        role_model=role_model(role) if role else None,
        mentor=mentor(programme, leads_group=mentees > 1, capacity=max(2, mentees)),
        is_group=mentees > 1,
        started_on=start,
        planned_end=start + timedelta(days=200),
        matching_run=run,
        mode=run.mode if run else "",
        weights=run.weights if run else {},
    )
    for _ in range(mentees):
        MentorshipMentee.objects.create(organisation=org, mentorship=made, mentee=mentee(programme))
    return made


def run(programme: Programme, number: int = 1, mode: str = "optimal") -> MatchingRun:
    return MatchingRun.objects.create(
        organisation=programme.organisation,
        programme=programme,
        form=builtin_form("student-student"),
        number=number,
        mode=mode,
        weights={"requests": 4.0, "subjects": 2.0},
        status=RunStatus.CONFIRMED,
        summary={},
    )


def mentee_people(made: Mentorship) -> list[Person]:
    return [m.mentee.person for m in made.members.select_related("mentee__person")]


def campaign(
    programme: Programme, code: str, *, anonymous: bool = False, title: str = "Анкета"
) -> Campaign:
    """A campaign of a built-in questionnaire (`mentee-satisfaction`, …)."""
    questionnaire = Questionnaire.objects.get(organisation__isnull=True, code=code)
    return Campaign.objects.create(
        organisation=programme.organisation,
        programme=programme,
        questionnaire=questionnaire,
        title=title,
        audience="mentees",
        anonymous=anonymous,
        deadline=programme.academic_year.ends_on,
    )


def respond(made: Campaign, person: Person | None, answers: dict[str, Any]) -> Response:
    """One response; `person` None for an anonymous one."""
    org = made.organisation
    invitation = None
    if person is not None:
        invitation = Invitation.objects.create(
            organisation=org,
            campaign=made,
            person=person,
            token_hash=f"m{next(_tokens)}".ljust(64, "0"),
            answered=True,
        )
    response = Response.objects.create(
        organisation=org,
        campaign=made,
        invitation=invitation,
        person=person,
        channel=Channel.LINK if person else Channel.ONLINE,
        submitted_on=made.deadline,
    )
    questions = {q.code: q for q in Question.objects.filter(questionnaire=made.questionnaire_id)}
    Answer.objects.bulk_create(
        Answer(
            organisation=org,
            response=response,
            question=questions[code],
            value=value,
            number=Decimal(value) if isinstance(value, int) else None,
        )
        for code, value in answers.items()
    )
    return response


def parameter(code: str) -> Parameter:
    return Parameter.objects.get(code=code, organisation__isnull=True)


def measure(
    programme: Programme, person: Person, code: str, entry: Any, exit_value: Any = None
) -> None:
    day: date = programme.academic_year.starts_on
    for phase, value, on in (
        (Phase.ENTRY, entry, day),
        (Phase.EXIT, exit_value, day + timedelta(days=150)),
    ):
        if value is None:
            continue
        Measure.objects.create(
            organisation=programme.organisation,
            programme=programme,
            person=person,
            parameter=parameter(code),
            phase=phase,
            value=Decimal(str(value)),
            measured_on=on,
        )
