"""Stages 2-7 of the demo year: the mentee base, the mentor base with its selection and
training, and the questionnaire campaigns that fed them."""

from __future__ import annotations

from datetime import date

from nastavnik.demo.awards import build_awards
from nastavnik.demo.concerns import build_concerns
from nastavnik.demo.indicators import build_indicators
from nastavnik.demo.last_year import build_last_year
from nastavnik.demo.lifecycle import build_lifecycle
from nastavnik.demo.matching import build_matching
from nastavnik.demo.meetings import build_meetings
from nastavnik.demo.mentees import build_mentee_base
from nastavnik.demo.mentors import build_mentor_base
from nastavnik.demo.monitoring import build_monitoring
from nastavnik.demo.plans import build_plans
from nastavnik.demo.selfmatch import build_selfmatch
from nastavnik.demo.showcase import build_showcase
from nastavnik.demo.surveys import build_surveys
from nastavnik.people.models import Person
from nastavnik.programmes.models import Programme


def build_bases(
    programme: Programme, people: list[Person], accounts: dict[str, Person], today: date
) -> None:
    """`people`: every person of the school; `accounts`: the people behind the demo logins,
    by login key (director, curator, specialist, mentor, mentee, guardian, commission,
    teacher)."""
    build_mentee_base(programme, people, accounts, today)
    build_mentor_base(programme, people, accounts, today)
    build_surveys(programme, people, accounts, today)
    # Stage 5: pairs formed by matching and fixed by an order.
    build_matching(programme, accounts, today)
    # Self-match open on the form still waiting: its mentees choose a mentor themselves.
    build_selfmatch(programme, today)
    # Stage 6: the pairs at work.
    build_plans(programme, people, accounts, today)
    build_meetings(programme, people, accounts, today)
    build_lifecycle(programme, people, accounts, today)
    # The safeguarding channel: the mentee's urgent request for another mentor.
    build_concerns(programme, people, accounts, today)
    # The year before, closed (stage 7 and monitoring), then what rests on both years.
    build_last_year(programme, people, accounts, today)
    build_monitoring(programme, people, accounts, today)
    build_awards(programme, people, accounts, today)
    build_showcase(programme, people, accounts, today)
    build_indicators(programme, people, accounts, today)
