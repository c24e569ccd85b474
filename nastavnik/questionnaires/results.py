"""Results of a campaign per question: how many answered, the mean of numbers, the
distribution of options and scale points, the text answers, and for a ranking how often each
person was named and at what mean place. A few queries for the whole campaign, however many
responses it has.

An anonymous campaign's results exist only from `anonymity.minimum()` answers on (below that
`ResultsWithheld` is raised); then a question answered by fewer people shows only its count,
and free text comes in an order unrelated to the order of the answers."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from nastavnik.people.models import Person
from nastavnik.questionnaires import anonymity
from nastavnik.questionnaires.models import Answer, Campaign, Question, QuestionType
from nastavnik.questionnaires.responses import questions_of


@dataclass(frozen=True)
class Share:
    label: str
    count: int
    percent: int


@dataclass(frozen=True)
class Ranked:
    name: str
    mentions: int
    mean_place: Decimal


@dataclass
class QuestionResult:
    question: Question
    number: int
    count: int = 0
    mean: Decimal | None = None
    shares: list[Share] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    ranked: list[Ranked] = field(default_factory=list)
    # Anonymous campaigns: answered by too few to show what they said.
    withheld: bool = False


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _shares(question: Question, values: list[Any], respondents: int) -> list[Share]:
    counter: Counter[str] = Counter()
    for value in values:
        for item in value if isinstance(value, list) else [value]:
            counter[str(item)] += 1
    if question.type == QuestionType.SCALE:
        points = [(str(p), str(p)) for p in question.scale_points]
    else:
        points = [(str(v), str(label)) for v, label in question.shown_choices]
    return [
        Share(label, counter[value], _percent(counter[value], respondents))
        for value, label in points
    ]


def _ranked(values: list[Any]) -> list[Ranked]:
    places: dict[int, list[int]] = defaultdict(list)
    for value in values:
        for place, pk in enumerate(value, start=1):
            places[int(pk)].append(place)
    names = {
        p.pk: p.full_name
        for p in Person.objects.filter(pk__in=places).only("last_name", "first_name", "middle_name")
    }
    rows = [
        Ranked(
            name=names.get(pk, "—"),
            mentions=len(found),
            mean_place=(Decimal(sum(found)) / len(found)).quantize(Decimal("0.1")),
        )
        for pk, found in places.items()
    ]
    return sorted(rows, key=lambda r: (-r.mentions, r.mean_place, r.name))


def campaign_results(campaign: Campaign) -> list[QuestionResult]:
    anonymity.require_shown(campaign)
    least = anonymity.minimum() if campaign.anonymous else 0
    questions = questions_of(campaign)
    by_question: dict[int, list[Any]] = defaultdict(list)
    for question_id, value in (
        Answer.objects.filter(response__campaign=campaign)
        .values_list("question_id", "value")
        .order_by("response_id")
    ):
        by_question[question_id].append(value)
    results = []
    for number, question in enumerate(questions, start=1):
        values = by_question.get(question.pk, [])
        result = QuestionResult(question=question, number=number, count=len(values))
        if 0 < len(values) < least:
            result.withheld = True
            results.append(result)
            continue
        if question.type in (QuestionType.SCALE, QuestionType.NUMBER) and values:
            total = sum((Decimal(str(v)) for v in values), Decimal(0))
            result.mean = (total / len(values)).quantize(Decimal("0.01"))
        if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.SCALE):
            result.shares = _shares(question, values, len(values))
        elif question.type in (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT):
            result.texts = [str(v) for v in values]
            if campaign.anonymous:
                result.texts = anonymity.unlinked(result.texts)
        elif question.type == QuestionType.DATE:
            result.texts = sorted(str(v) for v in values)
        elif question.type == QuestionType.RANKING:
            result.ranked = _ranked(values)
        results.append(result)
    return results
