"""The answering form as pages show it: sections of numbered questions with what was typed,
the problems found, the people a ranking offers and the condition of a conditional question in
words (pages work without JavaScript: a script only hides what is not needed)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nastavnik.people.models import Person
from nastavnik.questionnaires.models import Question, Section

NOT_USABLE = {
    "not_found": gettext_lazy(
        "This link or code does not work. Check that it is typed exactly as printed."
    ),
    "answered": gettext_lazy(
        "The questionnaire has already been answered with this link or code: the answers are "
        "saved, and a link or code works only once."
    ),
    "closed": gettext_lazy("The campaign is closed: it no longer takes answers."),
    "expired": gettext_lazy("The deadline has passed: the campaign no longer takes answers."),
    "no_consent": gettext_lazy(
        "The answers cannot be taken now: there is no valid consent to take part in the "
        "mentoring programme. Please contact the curator of the programme."
    ),
}


def not_usable_message(state: str) -> str:
    return str(NOT_USABLE.get(state, NOT_USABLE["not_found"]))


def error_messages(error: ValidationError) -> dict[str, list[str]]:
    if not hasattr(error, "error_dict"):
        return {"__all__": list(error.messages)}
    return {
        code: [m for e in errors for m in e.messages] for code, errors in error.error_dict.items()
    }


@dataclass
class Item:
    question: Question
    number: int
    values: list[str]
    errors: list[str]
    pool: list[Person]
    condition: str = ""
    show_if_json: str = ""

    @property
    def name(self) -> str:
        return f"q-{self.question.code}"

    @property
    def value(self) -> str:
        return self.values[0] if self.values else ""

    @property
    def ranks(self) -> list[tuple[int, str]]:
        """(place, the pk chosen for it) for each place of a ranking."""
        places = self.question.rank_places
        return [
            (place, self.values[i] if i < len(self.values) else "")
            for i, place in enumerate(places)
        ]


@dataclass
class SheetSection:
    section: Section
    items: list[Item] = field(default_factory=list)


def answer_sheet(
    questions: Sequence[Question],
    raw: Mapping[str, Sequence[str]],
    errors: Mapping[str, Sequence[str]],
    pools: Mapping[str, list[Person]],
) -> list[SheetSection]:
    numbers = {q.code: n for n, q in enumerate(questions, start=1)}
    by_code = {q.code: q for q in questions}
    sections: list[SheetSection] = []
    for question in questions:
        if not sections or sections[-1].section.pk != question.section_id:
            sections.append(SheetSection(question.section))
        condition = ""
        source = by_code.get(question.show_if_code)
        if source is not None:
            condition = _("Answer if in question %(number)s you chose %(answers)s.") % {
                "number": numbers[source.code],
                "answers": ", ".join(
                    f"«{source.choice_label(v)}»" for v in question.show_if_values
                ),
            }
        sections[-1].items.append(
            Item(
                question=question,
                number=numbers[question.code],
                values=[str(v) for v in raw.get(question.code, [])],
                errors=list(errors.get(question.code, [])),
                pool=pools.get(question.code, []),
                condition=condition,
                show_if_json=json.dumps(question.show_if_values, ensure_ascii=False)
                if source is not None
                else "",
            )
        )
    return sections
