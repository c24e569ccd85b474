"""Stages 2-7 of the demo year: the mentee base, the mentor base with its selection and
training, and the questionnaire campaigns that fed them."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection

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


@dataclass(frozen=True)
class StageCost:
    """What one stage of the demo took: CPU seconds of this process and database queries."""

    stage: str
    seconds: float
    queries: int


@contextmanager
def _costs(costs: list[StageCost], stage: str) -> Iterator[None]:
    queries = 0

    def counted(execute: Callable[..., Any], *args: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(*args)

    # CPU time, not the clock: a busy machine would make the clock's figure mean little.
    started = time.process_time()
    with connection.execute_wrapper(counted):
        yield
    costs.append(StageCost(stage, time.process_time() - started, queries))


def build_bases(
    programme: Programme, people: list[Person], accounts: dict[str, Person], today: date
) -> list[StageCost]:
    """`people`: every person of the school; `accounts`: the people behind the demo logins,
    by login key (director, curator, specialist, mentor, mentee, guardian, commission,
    teacher). Returns what each stage cost, in the order they ran."""
    everyone = (programme, people, accounts, today)
    # The functions are looked up on each call, so a test may wrap one of them.
    stages: tuple[tuple[str, Callable[..., None], tuple[Any, ...]], ...] = (
        ("mentee_base", build_mentee_base, everyone),
        ("mentor_base", build_mentor_base, everyone),
        ("surveys", build_surveys, everyone),
        # Stage 5: pairs formed by matching and fixed by an order.
        ("matching", build_matching, (programme, accounts, today)),
        # Self-match open on the form still waiting: its mentees choose a mentor themselves.
        ("selfmatch", build_selfmatch, (programme, today)),
        # Stage 6: the pairs at work.
        ("plans", build_plans, everyone),
        ("meetings", build_meetings, everyone),
        ("lifecycle", build_lifecycle, everyone),
        # The safeguarding channel: the mentee's urgent request for another mentor.
        ("concerns", build_concerns, everyone),
        # The year before, closed (stage 7 and monitoring), then what rests on both years.
        ("last_year", build_last_year, everyone),
        ("monitoring", build_monitoring, everyone),
        ("awards", build_awards, everyone),
        ("showcase", build_showcase, everyone),
        ("indicators", build_indicators, everyone),
    )
    costs: list[StageCost] = []
    for stage, build, arguments in stages:
        with _costs(costs, stage):
            build(*arguments)
    return costs
