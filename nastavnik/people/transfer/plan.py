"""What an import would do, row by row: the people it creates, updates or leaves as they are,
the guardian links it adds, and every bad row with its line number and the reasons.

The preview and the import build the same plan, so what the curator confirmed is what is
written. The rules are the people validators' (`nastavnik.people.validators`); this module
reads the values and matches rows to the registry by the duplicate key (full name folded, and
birth date), in memory, against the registry loaded once.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TextIO

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Count, Max
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from nastavnik.consents.rules import hidden_q
from nastavnik.orgs.models import Organisation
from nastavnik.people.access import people_of
from nastavnik.people.models import GuardianLink, Person, PersonKind, person_name_key
from nastavnik.people.transfer.columns import (
    VALUE_MESSAGES,
    Field,
    gender_from_patronymic,
    read_class,
    read_date,
    read_gender,
    read_int,
    read_relation,
    relation_by_gender,
    split_full_name,
    split_names,
)
from nastavnik.people.transfer.tables import Cell, Row, cell_text, is_blank
from nastavnik.people.validators import (
    EDITABLE_FIELDS,
    normalise_person_data,
    validate_guardian_link,
    validate_person_data,
)

NAME_FIELDS = ("last_name", "first_name", "middle_name")
_TEXT_FIELDS = {
    Field.POSITION: "position",
    Field.SUBJECTS: "subjects",
    Field.WORKPLACE: "workplace",
    Field.EMAIL: "email",
    Field.PHONE: "phone",
    Field.NOTES: "notes",
    Field.LAST_NAME: "last_name",
    Field.FIRST_NAME: "first_name",
    Field.MIDDLE_NAME: "middle_name",
}
# The columns a person's field is read from, to name the column in a message about it.
_SOURCES: dict[str, tuple[Field, ...]] = {
    "last_name": (Field.LAST_NAME, Field.FULL_NAME),
    "first_name": (Field.FIRST_NAME, Field.FULL_NAME),
    "middle_name": (Field.MIDDLE_NAME, Field.FULL_NAME),
    "gender": (Field.GENDER,),
    "grade": (Field.GRADE, Field.CLASS_NAME),
    "class_letter": (Field.CLASS_LETTER, Field.CLASS_NAME),
    **{name: (column,) for column, name in _TEXT_FIELDS.items() if name not in NAME_FIELDS},
    "birth_date": (Field.BIRTH_DATE,),
    "experience_years": (Field.EXPERIENCE,),
}
_GUARDIAN_COLUMNS = (Field.GUARDIAN, Field.MOTHER, Field.FATHER)
_COLUMN_GENDER = {Field.MOTHER: "f", Field.FATHER: "m"}
_COLUMN_RELATION = {Field.MOTHER: "mother", Field.FATHER: "father"}
PROGRESS_EVERY = 100
# A preview lists this many bad rows and changes; the counts are always complete.
PROBLEMS_SHOWN = 500
CHANGES_SHOWN = 200

PLAN_MESSAGES = {
    "ambiguous": _(
        "The registry has several people called %(name)s; add the birth date to tell them apart."
    ),
    "other_kind": _(
        "%(name)s is already in the registry as «%(kind)s»; change the category on the card, "
        "or remove the row."
    ),
    "repeat": _(
        "Line %(line)s already has %(name)s with the same birth date and other data; keep one "
        "of the two rows."
    ),
    "repeat_same": _("The same as line %(line)s; the row is skipped."),
    "same_person": _("Line %(line)s already refers to %(name)s in the registry."),
    "no_child": _("No student called %(name)s is in the registry; import the students first."),
    "several_children": _(
        "The registry has several students called %(name)s; add the child's birth date or class."
    ),
    "several_guardians": _(
        "The registry has several adults called %(name)s; link the guardian on the student's card."
    ),
    "hidden": _(
        "%(name)s has withdrawn the consent to the processing of personal data: the data stay "
        "hidden and the import leaves them as they are."
    ),
}


def _message(key: str, **params: Any) -> str:
    return str(PLAN_MESSAGES[key]) % params


@dataclass
class Problem:
    line: int
    name: str
    messages: list[str]


@dataclass
class NewPerson:
    ref: int  # negative: a placeholder key until the row is written
    line: int
    data: dict[str, Any]


@dataclass
class Change:
    line: int
    pk: int
    name: str
    before: dict[str, Any]
    data: dict[str, Any]
    fields: list[str]


@dataclass
class NewLink:
    child: int  # a primary key, or a NewPerson's placeholder
    guardian: int
    relation: str


class RowErrors:
    """The problems of one row, each told with the column it came from."""

    def __init__(self, labels: dict[Field, str]) -> None:
        self.labels = labels
        self.messages: list[str] = []
        self.fields: set[str] = set()

    def _label(self, name: str) -> str:
        if name == NON_FIELD_ERRORS:
            return ""
        if name in Field.__members__.values() and Field(name) in self.labels:
            return self.labels[Field(name)]
        for source in _SOURCES.get(name, ()):
            if source in self.labels:
                return self.labels[source]
        try:
            return str(capfirst(Person._meta.get_field(name).verbose_name))
        except Exception:
            return ""

    def add(self, name: str, error: ValidationError | str) -> None:
        self.fields.add(name)
        # A column that could not be read says so once: not again as an empty field.
        self.fields.update(f for f, sources in _SOURCES.items() if name in sources)
        texts = [error] if isinstance(error, str) else list(error.messages)
        label = self._label(name)
        self.messages.extend(f"{label}: {text}" if label else text for text in texts)

    def add_all(self, error: ValidationError, column: Field | None = None) -> None:
        """A validator's errors; fields that already have a reading error keep only that one."""
        if column is not None or not hasattr(error, "error_dict"):
            self.add(column or NON_FIELD_ERRORS, error)
            return
        for name, errors in error.error_dict.items():
            if name not in self.fields:
                self.add(name, ValidationError(errors))

    def __bool__(self) -> bool:
        return bool(self.messages)


# The model's own limits on text, read from the model: the one check `full_clean` would add
# to the validators' (which judge names, choices, e-mails and numbers), at a fraction of its
# cost per row.
_LENGTHS = {
    name: MaxLengthValidator(Person._meta.get_field(name).max_length)
    for name in EDITABLE_FIELDS
    if getattr(Person._meta.get_field(name), "max_length", None)
}


def check_lengths(data: dict[str, Any]) -> None:
    errors: dict[str, list[ValidationError]] = {}
    for name, validator in _LENGTHS.items():
        value = data.get(name)
        if isinstance(value, str) and len(value) > validator.limit_value:
            try:
                validator(value)
            except ValidationError as error:
                errors[name] = [error]
    if errors:
        raise ValidationError(errors)


def fingerprint(organisation: Organisation) -> list[str]:
    """Changes whenever anyone adds, changes or removes a person or a guardian link."""
    people = people_of(organisation).aggregate(n=Count("pk"), top=Max("pk"), at=Max("updated_at"))
    links = GuardianLink.objects.filter(organisation=organisation).aggregate(
        n=Count("pk"), top=Max("pk")
    )
    return [str(value) for value in (*people.values(), *links.values())]


class Registry:
    """The organisation's people as an import needs them, loaded with one query."""

    def __init__(self, organisation: Organisation) -> None:
        self.fingerprint = fingerprint(organisation)
        self.people: dict[int, dict[str, Any]] = {}
        self.by_key: dict[str, list[int]] = defaultdict(list)
        columns = ("pk", "name_key", *EDITABLE_FIELDS)
        for values in people_of(organisation).values_list(*columns):
            record = dict(zip(columns, values, strict=True))
            pk = record.pop("pk")
            self.by_key[record.pop("name_key")].append(pk)
            self.people[pk] = record
        self.links = set(
            GuardianLink.objects.filter(organisation=organisation).values_list(
                "child_id", "guardian_id"
            )
        )
        # People whose data are hidden after a withdrawn consent: matched, so they are not
        # added twice, but never changed or linked by an import.
        everyone = people_of(organisation)
        self.hidden = set(everyone.filter(hidden_q()).values_list("pk", flat=True))

    def match(self, key: str, born: date | None, kind: str) -> tuple[int | None, str]:
        """The person a row is about, or None for a new one; or a message why it cannot tell.

        The same name and birth date is the same person. A row without a birth date is the
        only person of that name in its category; a row with one may complete the only
        record of that name that lacks it.
        """
        candidates = self.by_key.get(key, [])
        exact = [pk for pk in candidates if self.people[pk]["birth_date"] == born]
        if exact:
            pk = min(exact)
        else:
            same = [
                pk
                for pk in candidates
                if _may_be(self.people[pk]["kind"], kind)
                and (born is None or self.people[pk]["birth_date"] is None)
            ]
            if not same:
                return None, ""
            if len(same) > 1:
                return None, _message("ambiguous", name=_full_name(self.people[same[0]]))
            pk = same[0]
        existing = self.people[pk]["kind"]
        if not _may_be(existing, kind):
            return None, _message(
                "other_kind", name=_full_name(self.people[pk]), kind=PersonKind(existing).label
            )
        return pk, ""


def _may_be(existing_kind: str, kind: str) -> bool:
    """Whether a record of one category may be the person of a row of another.

    Any adult may be a child's guardian: a teacher in a list of parents stays a teacher.
    """
    return existing_kind == kind or (
        kind == PersonKind.PARENT and existing_kind != PersonKind.STUDENT
    )


def _full_name(data: dict[str, Any]) -> str:
    return " ".join(data[part] for part in NAME_FIELDS if data.get(part))


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    return {k: " ".join(v.split()) if isinstance(v, str) else v for k, v in data.items()}


@dataclass
class Plan:
    kind: str
    fingerprint: list[str]
    today: str = ""
    rows: int = 0
    creates: list[NewPerson] = field(default_factory=list)
    guardians: list[NewPerson] = field(default_factory=list)
    updates: list[Change] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0
    links: list[NewLink] = field(default_factory=list)
    links_kept: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Everything the import would write, as JSON: the preview keeps it for the commit."""
        return {
            "kind": self.kind,
            "fingerprint": self.fingerprint,
            "today": self.today,
            "counts": [self.rows, self.unchanged, self.skipped, self.links_kept],
            # No copies: the birth dates are written by `plan_json_date` as the JSON is.
            "creates": [vars(p) for p in self.creates],
            "guardians": [vars(p) for p in self.guardians],
            "updates": [vars(c) for c in self.updates],
            "links": [vars(link) for link in self.links],
            "problems": [vars(p) for p in self.problems],
            "notes": [vars(p) for p in self.notes],
        }

    def write_json(self, out: TextIO) -> None:
        """`to_json` written to `out` a record at a time: the plan of 50,000 rows is never one
        string in memory. Each record is encoded by `json.dumps`, whose C encoder is several
        times quicker than `json.dump`'s, which encodes piece by piece in Python."""
        out.write("{")
        for number, (key, value) in enumerate(self.to_json().items()):
            out.write(f"{',' if number else ''}{json.dumps(key)}:")
            if isinstance(value, list):
                out.write("[")
                for index, record in enumerate(value):
                    out.write(f"{',' if index else ''}{_record_json(record)}")
                out.write("]")
            else:
                out.write(_record_json(value))
        out.write("}")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        plan = cls(kind=data["kind"], fingerprint=data["fingerprint"], today=data["today"])
        plan.rows, plan.unchanged, plan.skipped, plan.links_kept = data["counts"]
        plan.creates = [NewPerson(**_typed(p)) for p in data["creates"]]
        plan.guardians = [NewPerson(**_typed(p)) for p in data["guardians"]]
        plan.updates = [Change(**_typed(c)) for c in data["updates"]]
        plan.links = [NewLink(**link) for link in data["links"]]
        plan.problems = [Problem(**p) for p in data["problems"]]
        plan.notes = [Problem(**p) for p in data["notes"]]
        return plan

    def summary(self) -> dict[str, Any]:
        """The figures and messages a preview or a result shows, as JSON."""
        return {
            "rows": self.rows,
            "create": len(self.creates),
            "update": len(self.updates),
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "invalid": len(self.problems),
            "guardians_create": len(self.guardians),
            "links": len(self.links),
            "problems": [vars(p) for p in self.problems[:PROBLEMS_SHOWN]],
            "notes": [vars(p) for p in self.notes[:PROBLEMS_SHOWN]],
            "changes": [
                {"line": c.line, "name": c.name, "fields": [_field_label(f) for f in c.fields]}
                for c in self.updates[:CHANGES_SHOWN]
            ],
        }


# A person's record holds one date: the birth date.
def plan_json_date(value: Any) -> str:
    """`default` for the JSON of a plan: its dates (birth dates) as ISO text."""
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _record_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=plan_json_date)


def _typed(item: dict[str, Any]) -> dict[str, Any]:
    for key in ("data", "before"):
        if key in item and item[key].get("birth_date"):
            born = date.fromisoformat(item[key]["birth_date"])
            item = {**item, key: {**item[key], "birth_date": born}}
    return item


def _field_label(name: str) -> str:
    return str(capfirst(Person._meta.get_field(name).verbose_name))


class Planner:
    """Builds a Plan from the rows below the header."""

    def __init__(
        self,
        organisation: Organisation,
        kind: str,
        mapping: dict[int, Field],
        labels: dict[Field, str],
        today: date,
        registry: Registry | None = None,
    ) -> None:
        self.organisation = organisation
        self.kind = kind
        self.mapping = mapping
        self.labels = labels
        self.today = today
        self.registry = registry or Registry(organisation)
        self.plan = Plan(kind=kind, fingerprint=self.registry.fingerprint, today=today.isoformat())
        self._refs = itertools.count(-1, -1)
        self._seen: dict[tuple[str, date | None], tuple[int, dict[Field, Cell], str]] = {}
        self._matched: dict[int, int] = {}
        self._new: dict[int, dict[str, Any]] = {}
        self._changed: dict[int, dict[str, Any]] = {}
        # New guardians named in a list of students: one per name, written if a good row
        # links to them; a bad one is reported on every row that names it.
        self._new_guardians: dict[str, NewPerson | list[str]] = {}
        self._used_guardians: set[int] = set()
        self._link_keys: set[tuple[int, int]] = set()
        self._line, self._name = 0, ""

    # Rows

    def run(
        self, rows: Iterable[Row], header_line: int, progress: Callable[[int], None] | None = None
    ) -> Plan:
        for line, cells in rows:
            if line <= header_line or is_blank(cells):
                continue
            self.plan.rows += 1
            self.add_row(line, cells)
            if progress and self.plan.rows % PROGRESS_EVERY == 0:
                progress(self.plan.rows)
        self.plan.guardians = [
            g
            for g in self._new_guardians.values()
            if isinstance(g, NewPerson) and g.ref in self._used_guardians
        ]
        self.plan.problems.sort(key=lambda p: p.line)
        return self.plan

    def add_row(self, line: int, cells: list[Cell]) -> None:
        values = {
            column: cells[index] if index < len(cells) else None
            for index, column in self.mapping.items()
        }
        errors = RowErrors(self.labels)
        data = self._person_values(values, errors)
        name = _full_name(data) or cell_text(values.get(Field.FULL_NAME))
        if errors or not data.get("last_name") or not data.get("first_name"):
            self._validate_new(data, errors)  # says which names are missing or wrong
            self._problem(line, name, errors)
            return
        key = person_name_key(data["last_name"], data["first_name"], data.get("middle_name", ""))
        born = data.get("birth_date")
        seen = self._seen.get((key, born))
        if seen is not None:
            first_line, first_values, first_name = seen
            if first_values == values:
                self._skip(line, name, _message("repeat_same", line=first_line))
            else:
                self._problem(line, name, [_message("repeat", line=first_line, name=first_name)])
            return
        self._seen[(key, born)] = (line, values, name)
        self._line, self._name = line, name

        pk, refusal = self.registry.match(key, born, self.kind)
        if refusal:
            self._problem(line, name, [refusal])
            return
        if pk is not None and pk in self.registry.hidden:
            self._skip(line, name, _message("hidden", name=name))
            return
        if pk is not None and pk in self._matched:
            self._problem(
                line,
                name,
                [_message("same_person", line=self._matched[pk], name=name)],
            )
            return

        if pk is None:
            clean = self._validate_new(data, errors)
            ref = next(self._refs)
            record = clean
        else:
            clean, changed = self._validate_update(pk, data, errors)
            ref = pk
            record = clean or self.registry.people[pk]
        links = self._links(values, ref, record, errors) if not errors else []
        if errors or clean is None:
            self._problem(line, name, errors)
            return

        if pk is None:
            self.plan.creates.append(NewPerson(ref, line, clean))
            self._new[ref] = clean
        else:
            self._matched[pk] = line
            if changed:
                before = self.registry.people[pk]
                self.plan.updates.append(Change(line, pk, name, before, clean, changed))
                self._changed[pk] = clean
            else:
                self.plan.unchanged += 1
        for link in links:
            self.plan.links.append(link)
            if link.guardian < 0:
                self._used_guardians.add(link.guardian)

    def _skip(self, line: int, name: str, message: str) -> None:
        self.plan.skipped += 1
        self.plan.notes.append(Problem(line, name, [message]))

    def _note(self, message: str) -> None:
        """Something the row does not do, which is not an error (a hidden guardian)."""
        self.plan.notes.append(Problem(self._line, self._name, [message]))

    def _problem(self, line: int, name: str, errors: RowErrors | list[str]) -> None:
        messages = errors.messages if isinstance(errors, RowErrors) else errors
        self.plan.problems.append(Problem(line, name, list(messages)))

    # Values

    def _person_values(self, values: dict[Field, Cell], errors: RowErrors) -> dict[str, Any]:
        """The person's fields the row gives (empty cells left out), read but not judged."""
        data: dict[str, Any] = {}
        if values.get(Field.FULL_NAME) is not None:
            try:
                parts = split_full_name(values[Field.FULL_NAME])
            except ValidationError as error:
                errors.add(Field.FULL_NAME, error)
            else:
                data.update(zip(NAME_FIELDS, parts, strict=True))
        for column, name in _TEXT_FIELDS.items():
            if values.get(column) is not None:
                data[name] = cell_text(values[column])
        readers: tuple[tuple[Field, str, Callable[[Cell], Any]], ...] = (
            (Field.BIRTH_DATE, "birth_date", read_date),
            (Field.GENDER, "gender", read_gender),
            (Field.GRADE, "grade", read_int),
            (Field.EXPERIENCE, "experience_years", read_int),
        )
        for column, name, reader in readers:
            if values.get(column) is None:
                continue
            try:
                data[name] = reader(values[column])
            except ValidationError as error:
                errors.add(column, error)
        if values.get(Field.CLASS_NAME) is not None:
            try:
                grade, letter = read_class(values[Field.CLASS_NAME])
            except ValidationError as error:
                errors.add(Field.CLASS_NAME, error)
            else:
                data.setdefault("grade", grade)
                if letter:
                    data.setdefault("class_letter", letter)
        if not data.get("gender"):
            inferred = gender_from_patronymic(data.get("middle_name", ""))
            if inferred:
                data["gender"] = inferred
        return {k: v for k, v in data.items() if v not in (None, "")}

    def _validate_new(self, data: dict[str, Any], errors: RowErrors) -> dict[str, Any] | None:
        if not data.get("gender") and "gender" not in errors.fields:
            errors.add("gender", str(VALUE_MESSAGES["gender_unknown"]))
        try:
            clean = validate_person_data(
                self.organisation,
                normalise_person_data({**data, "kind": self.kind}),
                today=self.today,
                check_duplicate=False,
            )
            check_lengths(clean)
        except ValidationError as error:
            errors.add_all(error)
            return None
        return None if errors else clean

    def _validate_update(
        self, pk: int, data: dict[str, Any], errors: RowErrors
    ) -> tuple[dict[str, Any] | None, list[str]]:
        """The record after the row is applied, and the fields that change.

        Names identify the row and stay as the registry has them; empty cells erase nothing.
        """
        current = self.registry.people[pk]
        given = {k: v for k, v in data.items() if k not in NAME_FIELDS}
        merged = normalise_person_data({**current, **given, "kind": current["kind"]})
        if _comparable(merged) == _comparable(current):
            return current, []
        try:
            clean = validate_person_data(
                self.organisation,
                merged,
                instance=Person(pk=pk, organisation=self.organisation),
                today=self.today,
                check_duplicate=False,
            )
            check_lengths(clean)
        except ValidationError as error:
            errors.add_all(error)
            return None, []
        return clean, [f for f in EDITABLE_FIELDS if clean[f] != current[f]]

    # Guardian links

    def _links(
        self, values: dict[Field, Cell], ref: int, record: dict[str, Any], errors: RowErrors
    ) -> list[NewLink]:
        if self.kind == PersonKind.STUDENT:
            pairs = self._guardians_of(values, errors)
            links = [NewLink(ref, guardian, relation) for guardian, relation, _c in pairs]
            columns = [column for _g, _r, column in pairs]
        elif self.kind == PersonKind.PARENT and values.get(Field.CHILD) is not None:
            children = self._children_of(values, errors)
            relation = self._relation(values, record, errors)
            if relation is None:
                return []
            links = [NewLink(child, ref, relation) for child in children]
            columns = [Field.CHILD] * len(links)
        else:
            return []
        kept = []
        for link, column in zip(links, columns, strict=True):
            key = (link.child, link.guardian)
            if key in self.registry.links:
                self.plan.links_kept += 1
                continue
            if key in self._link_keys:
                continue
            try:
                validate_guardian_link(
                    self._stub(link.child, record, ref),
                    self._stub(link.guardian, record, ref),
                    link.relation,
                    today=self.today,
                )
            except ValidationError as error:
                errors.add_all(error, column)
                continue
            self._link_keys.add(key)
            kept.append(link)
        return kept

    def _relation(
        self, values: dict[Field, Cell], record: dict[str, Any], errors: RowErrors
    ) -> str | None:
        try:
            relation = read_relation(values.get(Field.RELATION))
        except ValidationError as error:
            errors.add(Field.RELATION, error)
            return None
        return relation or relation_by_gender(record.get("gender", ""))

    def _stub(self, ref: int, record: dict[str, Any], row_ref: int) -> Person:
        """A person as validate_guardian_link sees them, written or not."""
        if ref == row_ref:
            data = record
        elif ref < 0:
            data = self._new[ref]
        else:
            data = self._changed.get(ref) or self.registry.people[ref]
        return Person(
            pk=ref,
            organisation_id=self.organisation.pk,
            kind=data["kind"],
            birth_date=data.get("birth_date"),
            gender=data.get("gender", ""),
        )

    def _guardians_of(
        self, values: dict[Field, Cell], errors: RowErrors
    ) -> list[tuple[int, str, Field]]:
        found = []
        for column in _GUARDIAN_COLUMNS:
            if values.get(column) is None:
                continue
            for text in split_names(values[column]):
                try:
                    parts = split_full_name(text)
                except ValidationError as error:
                    errors.add(column, error)
                    continue
                gender = gender_from_patronymic(parts[2]) or _COLUMN_GENDER.get(column, "")
                guardian = self._guardian(parts, gender, column, errors)
                if guardian is None:
                    continue
                relation = _COLUMN_RELATION.get(column) or relation_by_gender(gender)
                found.append((guardian, relation, column))
        return found

    def _guardian(
        self, parts: tuple[str, str, str], gender: str, column: Field, errors: RowErrors
    ) -> int | None:
        """An adult of the registry by that name, else a new parent shared by every row."""
        key = person_name_key(*parts)
        name = " ".join(p for p in parts if p)
        adults = [
            pk
            for pk in self.registry.by_key.get(key, [])
            if self.registry.people[pk]["kind"] != PersonKind.STUDENT
        ]
        if len(adults) == 1:
            if adults[0] in self.registry.hidden:
                self._note(_message("hidden", name=name))
                return None
            return adults[0]
        if adults:
            errors.add(column, _message("several_guardians", name=name))
            return None
        known = self._new_guardians.get(key)
        if known is None:
            guardian_errors = RowErrors({})
            data = dict(zip(NAME_FIELDS, parts, strict=True))
            if gender:
                data["gender"] = gender
            clean = self._validate_guardian(data, guardian_errors)
            if clean:
                known = NewPerson(next(self._refs), 0, clean)
                self._new[known.ref] = clean
            else:
                known = list(guardian_errors.messages)
            self._new_guardians[key] = known
        if isinstance(known, list):
            for message in known:
                errors.add(column, f"{name}: {message}")
            return None
        return known.ref

    def _validate_guardian(self, data: dict[str, Any], errors: RowErrors) -> dict[str, Any] | None:
        kind = self.kind
        self.kind = PersonKind.PARENT
        try:
            return self._validate_new(data, errors)
        finally:
            self.kind = kind

    def _children_of(self, values: dict[Field, Cell], errors: RowErrors) -> list[int]:
        try:
            born = read_date(values.get(Field.CHILD_BIRTH_DATE))
        except ValidationError as error:
            errors.add(Field.CHILD_BIRTH_DATE, error)
            born = None
        try:
            grade, letter = read_class(values.get(Field.CHILD_CLASS))
        except ValidationError as error:
            errors.add(Field.CHILD_CLASS, error)
            grade, letter = None, ""
        names = split_names(values[Field.CHILD])
        children = []
        for text in names:
            try:
                parts = split_full_name(text)
            except ValidationError as error:
                errors.add(Field.CHILD, error)
                continue
            students = [
                pk
                for pk in self.registry.by_key.get(person_name_key(*parts), [])
                if self.registry.people[pk]["kind"] == PersonKind.STUDENT
            ]
            if len(names) == 1 and born is not None:
                students = [pk for pk in students if self.registry.people[pk]["birth_date"] == born]
            if len(names) == 1 and grade is not None:
                students = [
                    pk
                    for pk in students
                    if self.registry.people[pk]["grade"] == grade
                    and (not letter or self.registry.people[pk]["class_letter"] == letter)
                ]
            name = " ".join(p for p in parts if p)
            if not students:
                errors.add(Field.CHILD, _message("no_child", name=name))
            elif len(students) > 1:
                errors.add(Field.CHILD, _message("several_children", name=name))
            elif students[0] in self.registry.hidden:
                self._note(_message("hidden", name=name))
            else:
                children.append(students[0])
        return children


def column_labels(header_cells: list[Cell], mapping: dict[int, Field]) -> dict[Field, str]:
    """Each mapped field with the column's name as the file has it."""
    return {
        column: cell_text(header_cells[index]) if index < len(header_cells) else str(column)
        for index, column in mapping.items()
    }
