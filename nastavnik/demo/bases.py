"""Stages 2-5 of the demo year: the mentee base, the mentor base with its selection and
training, and the questionnaire campaigns that fed them."""

from __future__ import annotations

from datetime import date

from nastavnik.demo.matching import build_matching
from nastavnik.demo.mentees import build_mentee_base
from nastavnik.demo.mentors import build_mentor_base
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
