"""Raw answers of a campaign as XLSX: one row per response, one column per question. Text that
a spreadsheet would run as a formula is written as text (the people export's rule).

An anonymous campaign's workbook exists only from `anonymity.minimum()` answers on (below that
`ResultsWithheld` is raised). It has no names, no day and no way the answer came, and its rows
are ordered by their content, not by when they came in: a row's place says nothing about who
gave it."""

from __future__ import annotations

from typing import Any

from nastavnik.documents.spreadsheet import table_xlsx
from nastavnik.people.models import Person
from nastavnik.questionnaires import anonymity
from nastavnik.questionnaires.models import Answer, Campaign, Question, QuestionType
from nastavnik.questionnaires.responses import questions_of, typed

# Column headers: Russian content of a Russian school's spreadsheet, like the people export's.
HEAD_NUMBER = "№"
HEAD_NAME = "ФИО"
HEAD_CLASS = "Класс"
HEAD_DATE = "Дата ответа"
HEAD_CHANNEL = "Как получен ответ"
CHANNELS = {
    "link": "по ссылке",
    "code": "по коду",
    "online": "по ссылке или коду",
    "paper": "с бумажной анкеты",
}


def _cell_value(question: Question, value: Any, names: dict[int, str]) -> Any:
    if value is None:
        return None
    if question.type == QuestionType.MULTIPLE:
        return "; ".join(question.choice_label(v) for v in value)
    if question.type == QuestionType.SINGLE:
        return question.choice_label(value)
    if question.type == QuestionType.RANKING:
        return "; ".join(f"{n}. {names.get(int(pk), '—')}" for n, pk in enumerate(value, 1))
    return typed(question, value)


def _unlinked_rows(rows: list[list[Any]]) -> list[list[Any]]:
    """Anonymous rows in an order that depends on their content only."""
    return sorted(rows, key=lambda row: anonymity.content_key(repr(row)))


def answers_xlsx(campaign: Campaign) -> bytes:
    anonymity.require_shown(campaign)
    questions = questions_of(campaign)
    responses = list(
        campaign.responses.select_related("person").order_by("pk")
        if not campaign.anonymous
        else campaign.responses.order_by("pk")
    )
    values: dict[tuple[int, int], Any] = {
        (response_id, question_id): value
        for response_id, question_id, value in Answer.objects.filter(
            response__campaign=campaign
        ).values_list("response_id", "question_id", "value")
    }
    ranking = {q.pk for q in questions if q.type == QuestionType.RANKING}
    ranked = {int(pk) for (_r, q_id), value in values.items() if q_id in ranking for pk in value}
    names = {p.pk: p.full_name for p in Person.objects.filter(pk__in=ranked)}

    heads = [HEAD_NUMBER]
    if not campaign.anonymous:
        heads += [HEAD_NAME, HEAD_CLASS]
        heads += [HEAD_DATE, HEAD_CHANNEL]
    fixed = len(heads)
    heads += [f"{n}. {q.text}" for n, q in enumerate(questions, start=1)]
    widths = [
        6 if index == 1 else 30 if index > fixed else 16 for index in range(1, len(heads) + 1)
    ]
    rows: list[list[Any]] = []
    for response in responses:
        row: list[Any] = []
        if not campaign.anonymous:
            person = response.person
            row += [person.full_name if person else "", person.class_name if person else ""]
            row += [response.submitted_on, CHANNELS.get(response.channel, response.channel)]
        for question in questions:
            row.append(_cell_value(question, values.get((response.pk, question.pk)), names))
        rows.append(row)
    if campaign.anonymous:
        rows = _unlinked_rows(rows)
    numbered = ([number, *row] for number, row in enumerate(rows, start=1))
    return table_xlsx("Ответы", heads, numbered, widths=widths, freeze="B2")
