"""Monitoring of the year closed: its SWOT analysis built from the stage-1 results — a few items
the curator wrote and candidates accepted from the data (the highest and lowest rated items,
what fell since the first round, recurring words), one candidate set aside. Runs after
`last_year`; without a previous year it does nothing."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.utils import translation

from nastavnik.monitoring import services
from nastavnik.monitoring.models import Quadrant
from nastavnik.monitoring.swot import candidates
from nastavnik.people.models import Person
from nastavnik.programmes.models import Programme

logger = logging.getLogger(__name__)

WRITTEN = [
    (
        Quadrant.STRENGTHS,
        "Наставники прошли обучение в школе наставника и знают, чего от них ждут.",
    ),
    (
        Quadrant.STRENGTHS,
        "Пары сложились по запросам наставляемых: почти все хотят продолжить работу.",
    ),
    (
        Quadrant.WEAKNESSES,
        "Групповые встречи проводились нерегулярно, к весне часть пар перестала на них ходить.",
    ),
    (
        Quadrant.OPPORTUNITIES,
        "Привлечь выпускников прошлых лет и студентов педагогического колледжа в качестве "
        "наставников для формы «Ученик – ученик».",
    ),
    (
        Quadrant.OPPORTUNITIES,
        "Муниципальный конкурс «Наставник года» — повод показать лучшие практики школы.",
    ),
    (
        Quadrant.THREATS,
        "Перегрузка педагогов-наставников в конце учебного года: подготовка к ОГЭ и ЕГЭ "
        "вытесняет встречи с наставляемыми.",
    ),
]
# Which candidates the curator took, by the start of their key, and where to.
ACCEPTED = [
    ("high:", Quadrant.STRENGTHS),
    ("low:", Quadrant.WEAKNESSES),
    ("fell:", Quadrant.WEAKNESSES),
    ("word:mentee_satisfaction:lacking:", Quadrant.WEAKNESSES),
    ("curator:threats:", Quadrant.THREATS),
]


def _previous_year(programme: Programme) -> Programme | None:
    return (
        Programme.objects.filter(
            organisation_id=programme.organisation_id,
            academic_year__start_year=programme.academic_year.start_year - 1,
        )
        .select_related("academic_year", "organisation")
        .first()
    )


def build_monitoring(
    programme: Programme, people: list[Person], accounts: dict[str, Person], today: date
) -> None:
    """The SWOT analysis of last year's programme, if there is a last year."""
    last = _previous_year(programme)
    if last is None:
        logger.info("No previous programme year: no SWOT analysis in the demo.")
        return
    curator = accounts.get("curator")
    by = curator.user if curator is not None else None
    # The accepted candidates keep their wording: Russian, whatever language the seed runs in.
    with translation.override("ru"):
        _fill(last, by)


def _fill(last: Programme, by: Any) -> None:
    for quadrant, text in WRITTEN:
        services.item_add(last, quadrant, text, by=by)
    offered = candidates(last)
    for prefix, quadrant in ACCEPTED:
        found = next((c for c in offered if c.key.startswith(prefix)), None)
        if found is not None:
            services.candidate_accept(last, found.key, quadrant, by=by)
            offered = [c for c in offered if c.key != found.key]
    # One suggestion the curator found unhelpful: it is not offered again.
    words = [c for c in offered if c.key.startswith("word:")]
    if words:
        services.candidate_discard(last, words[-1].key, by=by)
