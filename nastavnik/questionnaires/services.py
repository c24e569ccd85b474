"""Writes to questionnaire templates: create, copy, edit sections and questions, reorder.

Each function is atomic and validated: bad data raise ValidationError (per field where there is
one) and write nothing.

Versions: built-in questionnaires are never edited (an organisation copies one first); only the
newest version of a questionnaire is edited; and a version that a campaign has used stays as it
was — the edit lands in a new version (`Writable.new_version`), the same edit on a copy.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import User
from nastavnik.core.rules import rule_errors
from nastavnik.core.text import typed_text
from nastavnik.orgs.models import Organisation
from nastavnik.questionnaires.audiences import AUDIENCES
from nastavnik.questionnaires.builtin import QUESTION_FIELDS
from nastavnik.questionnaires.feeds import feed_for
from nastavnik.questionnaires.models import (
    CHOICE_TYPES,
    NUMERIC_TYPES,
    Campaign,
    Question,
    Questionnaire,
    QuestionnaireKind,
    QuestionType,
    Section,
)

logger = logging.getLogger(__name__)

TITLE_MAX = 300
TEXT_MAX = 1000
CHOICE_MAX = 300
RANK_MAX = 10
SCALE_LIMITS = (0, 100)

MESSAGES = {
    "builtin": _(
        "Built-in questionnaires are not edited: make the organisation's copy and edit that."
    ),
    "not_latest": _(
        "This is version %(version)s and version %(latest)s is newer: edit the newest version."
    ),
    "used_delete": _(
        "Campaigns have used this questionnaire: it is kept with their answers and cannot be "
        "deleted."
    ),
    "title": _("Enter the title."),
    "length": _("At most %(max)s characters."),
    "kind": _("Select a valid choice."),
    "text": _("Enter the question."),
    "type": _("Choose the type of the question."),
    "section": _("Choose a section of this questionnaire."),
    "choices_few": _("Give at least two options, one a line."),
    "choices_twice": _("The option «%(value)s» is given twice."),
    "scale_bounds": _("A scale runs between two whole numbers from 0 to 100, the lower one first."),
    "number_bounds": _("The minimum must be less than the maximum."),
    "number_invalid": _("Enter a number."),
    "pool": _("Choose whom the respondent ranks."),
    "rank_count": _("Ask to rank from 1 to %(max)s people."),
    "feed": _("There is no feed «%(key)s»: choose one from the list or leave the field empty."),
    "feed_type": _("An answer of this type cannot feed «%(key)s»."),
    "show_if_code": _("Choose an earlier single or multiple choice question."),
    "show_if_values": _("Choose the answers to that question that show this one."),
    "order": _(
        "Question «%(question)s» is shown depending on the answer to «%(source)s», so it must "
        "come after it."
    ),
    "depends": _(
        "Question «%(question)s» is shown depending on the answer to this one: change its "
        "condition first."
    ),
    "last_section": _("A questionnaire keeps at least one section."),
    "section_not_empty": _("Move or delete the questions of this section first."),
}

# Feeds that take answers of particular types only; the rest take anything but a ranking.
FEED_TYPES: dict[str, frozenset[str]] = {
    "mentee.preferences": frozenset({QuestionType.RANKING}),
    "mentor.preferences": frozenset({QuestionType.RANKING}),
    "mentor.experience": NUMERIC_TYPES,
    "mentor.hours": NUMERIC_TYPES,
    "assessment": NUMERIC_TYPES,
}


_error = rule_errors(MESSAGES)


# --- Versions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Writable:
    """The version an edit lands in, with the counterparts of the edited version's rows."""

    questionnaire: Questionnaire
    sections: dict[int, Section]
    questions: dict[int, Question]
    new_version: bool


def is_used(questionnaire: Questionnaire) -> bool:
    return Campaign.objects.filter(questionnaire=questionnaire).exists()


def latest_version(questionnaire: Questionnaire) -> Questionnaire:
    current = questionnaire
    while True:
        following = Questionnaire.objects.filter(previous=current).first()
        if following is None:
            return current
        current = following


def _clone(
    source: Questionnaire,
    *,
    organisation: Organisation,
    by: User | None,
    version: int,
    previous: Questionnaire | None,
    copied_from: Questionnaire | None,
) -> Writable:
    made = Questionnaire.objects.create(
        organisation=organisation,
        kind=source.kind,
        title=source.title,
        intro=source.intro,
        version=version,
        previous=previous,
        copied_from=copied_from,
        created_by=by,
    )
    sections = {
        section.pk: Section.objects.create(
            questionnaire=made, title=section.title, intro=section.intro, position=section.position
        )
        for section in source.sections.all()
    }
    originals = list(source.questions.all())
    Question.objects.bulk_create(
        [
            Question(
                questionnaire=made,
                section=sections[question.section_id],
                position=question.position,
                code=question.code,
                **{f: getattr(question, f) for f in QUESTION_FIELDS},
            )
            for question in originals
        ]
    )
    by_code = {question.code: question for question in made.questions.all()}
    return Writable(
        questionnaire=made,
        sections=sections,
        questions={question.pk: by_code[question.code] for question in originals},
        new_version=True,
    )


def _locked_newest(questionnaire: Questionnaire) -> Questionnaire:
    """The questionnaire locked for a change: only an organisation's own, and its newest
    version (an older one is history)."""
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if locked.organisation_id is None:
        raise _error("builtin")
    newest = latest_version(locked)
    if newest.pk != locked.pk:
        raise _error("not_latest", version=locked.version, latest=newest.version)
    return locked


def _writable(questionnaire: Questionnaire, by: User | None) -> Writable:
    locked = _locked_newest(questionnaire)
    if is_used(locked):
        made = _clone(
            locked,
            organisation=locked.organisation,  # type: ignore[arg-type]
            by=by,
            version=locked.version + 1,
            previous=locked,
            copied_from=locked.copied_from,
        )
        logger.info("questionnaire %s: version %s made by an edit", locked.pk, locked.version + 1)
        return made
    return Writable(
        questionnaire=locked,
        sections={s.pk: s for s in locked.sections.all()},
        questions={q.pk: q for q in locked.questions.all()},
        new_version=False,
    )


# --- Questionnaires -------------------------------------------------------------------------


def _clean_header(data: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, ValidationError] = {}
    title = typed_text(data.get("title"))
    if not title:
        errors["title"] = _error("title")
    elif len(title) > TITLE_MAX:
        errors["title"] = _error("length", max=TITLE_MAX)
    kind = data.get("kind") or QuestionnaireKind.OTHER
    if kind not in QuestionnaireKind.values:
        errors["kind"] = _error("kind")
    if errors:
        raise ValidationError(errors)
    return {"title": title, "kind": kind, "intro": typed_text(data.get("intro"))}


@transaction.atomic
def questionnaire_create(
    organisation: Organisation, data: Mapping[str, Any], *, by: User | None
) -> Questionnaire:
    """A new questionnaire of the organisation with one empty section to add questions to."""
    header = _clean_header(data)
    made = Questionnaire.objects.create(organisation=organisation, created_by=by, **header)
    Section.objects.create(questionnaire=made, position=1)
    return made


@transaction.atomic
def questionnaire_copy(
    source: Questionnaire, organisation: Organisation, *, by: User | None
) -> Questionnaire:
    """The organisation's own editable copy of a built-in (or of one of its questionnaires)."""
    if source.organisation_id not in (None, organisation.pk):
        raise ValueError("a questionnaire of another organisation")
    return _clone(
        source, organisation=organisation, by=by, version=1, previous=None, copied_from=source
    ).questionnaire


@transaction.atomic
def questionnaire_update(
    questionnaire: Questionnaire, data: Mapping[str, Any], *, by: User | None
) -> Writable:
    header = _clean_header(data)
    writable = _writable(questionnaire, by)
    target = writable.questionnaire
    for field, value in header.items():
        setattr(target, field, value)
    target.save(update_fields=[*header, "updated_at"])
    return writable


@transaction.atomic
def questionnaire_delete(questionnaire: Questionnaire, *, by: User | None) -> None:
    """Delete an organisation's questionnaire that no campaign has used (its newest version;
    the previous one, if any, becomes the newest again)."""
    locked = _locked_newest(questionnaire)
    if is_used(locked):
        raise _error("used_delete")
    locked.delete()


# --- Sections -------------------------------------------------------------------------------


def _clean_section(data: Mapping[str, Any]) -> dict[str, str]:
    title = typed_text(data.get("title"))
    if len(title) > TITLE_MAX:
        raise _error("length", "title", max=TITLE_MAX)
    return {"title": title, "intro": typed_text(data.get("intro"))}


@transaction.atomic
def section_add(
    questionnaire: Questionnaire, data: Mapping[str, Any], *, by: User | None
) -> tuple[Section, Writable]:
    values = _clean_section(data)
    writable = _writable(questionnaire, by)
    target = writable.questionnaire
    position = max((s.position for s in writable.sections.values()), default=0) + 1
    section = Section.objects.create(questionnaire=target, position=position, **values)
    return section, writable


@transaction.atomic
def section_update(
    section: Section, data: Mapping[str, Any], *, by: User | None
) -> tuple[Section, Writable]:
    values = _clean_section(data)
    writable = _writable(section.questionnaire, by)
    target = writable.sections[section.pk]
    for field, value in values.items():
        setattr(target, field, value)
    target.save(update_fields=list(values))
    return target, writable


@transaction.atomic
def section_delete(section: Section, *, by: User | None) -> Writable:
    writable = _writable(section.questionnaire, by)
    target = writable.sections[section.pk]
    if len(writable.sections) == 1:
        raise _error("last_section")
    if any(q.section_id == target.pk for q in writable.questions.values()):
        raise _error("section_not_empty")
    target.delete()
    _renumber_sections(writable.questionnaire)
    return writable


@transaction.atomic
def section_move(section: Section, step: int, *, by: User | None) -> Writable:
    """Move a section up (-1) or down (+1); conditions must still point backwards."""
    writable = _writable(section.questionnaire, by)
    order = sorted(writable.sections.values(), key=lambda s: (s.position, s.pk))
    index = next(i for i, s in enumerate(order) if s.pk == writable.sections[section.pk].pk)
    other = index + step
    if step not in (-1, 1) or not 0 <= other < len(order):
        return writable
    order[index], order[other] = order[other], order[index]
    positions = {s.pk: n for n, s in enumerate(order, start=1)}
    questions = sorted(
        writable.questions.values(), key=lambda q: (positions[q.section_id], q.position, q.pk)
    )
    _check_order(questions)
    for s in order:
        s.position = positions[s.pk]
    Section.objects.bulk_update(order, ["position"])
    return writable


def _renumber_sections(questionnaire: Questionnaire) -> None:
    sections = list(questionnaire.sections.order_by("position", "pk"))
    for number, section in enumerate(sections, start=1):
        section.position = number
    Section.objects.bulk_update(sections, ["position"])


# --- Questions ------------------------------------------------------------------------------


def parse_choices(text: str) -> list[list[str]]:
    """Options one a line; «value | label» keeps a stored value apart from what people read."""
    choices = []
    for line in str(text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        value, bar, label = line.partition("|")
        value, label = value.strip(), label.strip()
        choices.append([value, label] if bar and value and label else [line, line])
    return choices


def choices_text(choices: Iterable[Iterable[str]]) -> str:
    return "\n".join(
        label if str(value) == str(label) else f"{value} | {label}" for value, label in choices
    )


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(MESSAGES["number_invalid"], code="number_invalid") from None


def _order_key(question: Question, section_positions: Mapping[int, int]) -> tuple[int, int, int]:
    return (section_positions[question.section_id], question.position, question.pk or 0)


def _check_order(questions: list[Question]) -> None:
    """Every conditional question comes after the question it depends on."""
    seen: dict[str, Question] = {}
    by_code = {q.code: q for q in questions}
    for question in questions:
        source = question.show_if_code
        if source and source not in seen and source in by_code:
            raise _error("order", question=question.text[:80], source=by_code[source].text[:80])
        seen[question.code] = question


def _clean_question(
    sections: Mapping[int, Section],
    others: list[Question],
    data: Mapping[str, Any],
) -> dict[str, Any]:
    """The question's fields, checked. `others`: the questions that come before its place."""
    errors: dict[str, ValidationError] = {}
    values: dict[str, Any] = {}

    section = data.get("section")
    section_pk = getattr(section, "pk", section)
    if section_pk not in sections:
        errors["section"] = _error("section")
    else:
        values["section"] = sections[section_pk]

    type_ = data.get("type")
    if type_ not in QuestionType.values:
        errors["type"] = _error("type")
    values["type"] = type_

    text = typed_text(data.get("text"))
    if not text:
        errors["text"] = _error("text")
    elif len(text) > TEXT_MAX:
        errors["text"] = _error("length", max=TEXT_MAX)
    values["text"] = text
    values["help_text"] = typed_text(data.get("help_text"))
    values["required"] = bool(data.get("required"))

    choices: list[list[str]] = []
    if type_ in CHOICE_TYPES:
        raw = data.get("choices") or []
        choices = parse_choices(raw) if isinstance(raw, str) else [list(c) for c in raw]
        seen: set[str] = set()
        for value, label in choices:
            if value in seen:
                errors["choices"] = _error("choices_twice", value=value)
                break
            if len(value) > CHOICE_MAX or len(label) > CHOICE_MAX:
                errors["choices"] = _error("length", max=CHOICE_MAX)
                break
            seen.add(value)
        if len(choices) < 2 and "choices" not in errors:
            errors["choices"] = _error("choices_few")
    values["choices"] = choices

    values["min_value"] = values["max_value"] = None
    values["integer_only"] = False
    try:
        low, high = _decimal(data.get("min_value")), _decimal(data.get("max_value"))
    except ValidationError as error:
        errors["min_value"] = error
        low = high = None
    if type_ == QuestionType.SCALE:
        low = Decimal(1) if low is None else low
        high = Decimal(10) if high is None else high
        if (
            low != low.to_integral()
            or high != high.to_integral()
            or not SCALE_LIMITS[0] <= low < high <= SCALE_LIMITS[1]
        ):
            errors["min_value"] = _error("scale_bounds")
        values.update(min_value=low, max_value=high, integer_only=True)
    elif type_ == QuestionType.NUMBER:
        if low is not None and high is not None and low >= high:
            errors["min_value"] = _error("number_bounds")
        values.update(min_value=low, max_value=high, integer_only=bool(data.get("integer_only")))

    values["pool"], values["rank_count"] = "", None
    if type_ == QuestionType.RANKING:
        pool = data.get("pool") or ""
        if pool not in AUDIENCES:
            errors["pool"] = _error("pool")
        try:
            count = int(data.get("rank_count") or 0)
        except (TypeError, ValueError):
            count = 0
        if not 1 <= count <= RANK_MAX:
            errors["rank_count"] = _error("rank_count", max=RANK_MAX)
        values.update(pool=pool, rank_count=count)

    values["show_if_code"], values["show_if_values"] = "", []
    source_code = str(data.get("show_if_code") or "").strip()
    if source_code:
        source = next((q for q in others if q.code == source_code), None)
        if source is None or source.type not in CHOICE_TYPES:
            errors["show_if_code"] = _error("show_if_code")
        else:
            raw_values = data.get("show_if_values") or []
            if isinstance(raw_values, str):
                raw_values = [raw_values]
            chosen = [str(v) for v in raw_values if str(v)]
            if not chosen or not set(chosen) <= set(source.choice_values):
                errors["show_if_values"] = _error("show_if_values")
            values.update(show_if_code=source_code, show_if_values=chosen)

    feed = str(data.get("feed") or "").strip()
    if feed:
        try:
            feed_for(feed)
        except LookupError:
            errors["feed"] = _error("feed", key=feed)
        else:
            head = feed if feed in FEED_TYPES else feed.partition(".")[0]
            allowed = FEED_TYPES.get(head)
            if type_ in QuestionType.values and (
                (allowed is not None and type_ not in allowed)
                or (allowed is None and type_ == QuestionType.RANKING)
            ):
                errors["feed"] = _error("feed_type", key=feed)
    values["feed"] = feed

    if errors:
        raise ValidationError(errors)
    return values


def _check_dependants(question: Question, values: Mapping[str, Any], all_: list[Question]) -> None:
    """A question others depend on keeps a choice type and the options they are shown for."""
    for other in all_:
        if other.show_if_code != question.code or other.pk == question.pk:
            continue
        kept = {str(v) for v, _label in values["choices"]}
        if values["type"] not in CHOICE_TYPES or not set(other.show_if_values) <= kept:
            raise _error("depends", "choices", question=other.text[:80])


def _section_positions(writable: Writable) -> dict[int, int]:
    return {s.pk: s.position for s in writable.sections.values()}


def _ordered(writable: Writable) -> list[Question]:
    positions = _section_positions(writable)
    return sorted(writable.questions.values(), key=lambda q: _order_key(q, positions))


def _next_code(questions: Iterable[Question]) -> str:
    taken = {q.code for q in questions}
    number = len(taken) + 1
    while f"q{number}" in taken:
        number += 1
    return f"q{number}"


def _before_end_of(writable: Writable, section: Any) -> list[Question]:
    """The questions a question appended to `section` would come after."""
    target = writable.sections.get(getattr(section, "pk", section))
    ordered = _ordered(writable)
    if target is None:
        return ordered
    positions = _section_positions(writable)
    return [q for q in ordered if positions[q.section_id] <= target.position]


@transaction.atomic
def question_add(
    questionnaire: Questionnaire, data: Mapping[str, Any], *, by: User | None
) -> tuple[Question, Writable]:
    """Append a question to the end of its section."""
    writable = _writable(questionnaire, by)
    others = _before_end_of(writable, data.get("section"))
    values = _clean_question(writable.sections, others, data)
    in_section = [q for q in writable.questions.values() if q.section_id == values["section"].pk]
    question = Question.objects.create(
        questionnaire=writable.questionnaire,
        position=max((q.position for q in in_section), default=0) + 1,
        code=_next_code(writable.questions.values()),
        **values,
    )
    return question, writable


@transaction.atomic
def question_update(
    question: Question, data: Mapping[str, Any], *, by: User | None
) -> tuple[Question, Writable]:
    """Change a question; a question moved to another section goes to the end of it."""
    writable = _writable(question.questionnaire, by)
    target = writable.questions[question.pk]
    ordered = _ordered(writable)
    section = data.get("section")
    section_pk = getattr(section, "pk", section)
    moves = (
        section_pk in writable.sections and writable.sections[section_pk].pk != target.section_id
    )
    if moves:
        others = [q for q in _before_end_of(writable, section_pk) if q.pk != target.pk]
    else:
        others = ordered[: ordered.index(target)]
    values = _clean_question(writable.sections, others, data)
    _check_dependants(target, values, ordered)
    for field, value in values.items():
        setattr(target, field, value)
    if moves:
        in_section = [q for q in ordered if q.section_id == values["section"].pk]
        target.position = max((q.position for q in in_section), default=0) + 1
        _check_order(_ordered(writable))
    target.save()
    return target, writable


@transaction.atomic
def question_delete(question: Question, *, by: User | None) -> Writable:
    writable = _writable(question.questionnaire, by)
    target = writable.questions.pop(question.pk)
    for other in writable.questions.values():
        if other.show_if_code == target.code:
            raise _error("depends", question=other.text[:80])
    target.delete()
    return writable


@transaction.atomic
def question_move(question: Question, step: int, *, by: User | None) -> Writable:
    """Move a question up (-1) or down (+1) within its section."""
    writable = _writable(question.questionnaire, by)
    target = writable.questions[question.pk]
    siblings = sorted(
        (q for q in writable.questions.values() if q.section_id == target.section_id),
        key=lambda q: (q.position, q.pk),
    )
    index = siblings.index(target)
    other = index + step
    if step not in (-1, 1) or not 0 <= other < len(siblings):
        return writable
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for number, sibling in enumerate(siblings, start=1):
        sibling.position = number
    _check_order(_ordered(writable))
    Question.objects.bulk_update(siblings, ["position"])
    return writable
