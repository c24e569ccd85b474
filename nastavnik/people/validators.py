"""The rules a person's record must satisfy: the one place for them.

Services enforce them on every write (views, imports, commands, the API); the form calls the
same functions so people see the messages next to the fields they filled in.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from nastavnik.core.dates import age_on
from nastavnik.core.text import clean_name_part
from nastavnik.orgs.models import Organisation
from nastavnik.people.models import (
    ExternalCategory,
    Gender,
    GuardianLink,
    GuardianRelation,
    Person,
    PersonKind,
    person_name_key,
)

NAME_MAX_LENGTH = 80
# A word of Cyrillic or Latin letters (accented Latin letters included: "Müller", "Léa");
# words are joined by one hyphen, apostrophe or space.
_CYRILLIC = "\u0400-\u04ff"
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff"
_NAME_RE = re.compile(rf"[{_CYRILLIC}{_LATIN}]+(?:[-'’ ][{_CYRILLIC}{_LATIN}]+)*")
_WORD_RE = re.compile(rf"[{_CYRILLIC}{_LATIN}]+")
_CYRILLIC_RE = re.compile(rf"[{_CYRILLIC}]")
_LATIN_RE = re.compile(rf"[{_LATIN}]")
CLASS_LETTER_RE = re.compile(r"[А-Я]")
_PHONE_CHARS_RE = re.compile(r"[0-9 +()\-]+")

GRADE_MIN, GRADE_MAX = 1, 11
STUDENT_AGE = (6, 20)
MAX_AGE = 100
MIN_AGE = {
    PersonKind.STUDENT: STUDENT_AGE[0],
    PersonKind.STAFF: 16,
    PersonKind.PARENT: 18,
    # A 9th-grade graduate may be 15.
    PersonKind.GRADUATE: 15,
    PersonKind.EXTERNAL: 16,
}
GUARDIAN_MIN_AGE = 18
EXPERIENCE_MAX = 60
# Employment is lawful from 14 in Russia (Labour Code, art. 63): experience cannot start earlier.
WORK_START_AGE = 14
GRADUATION_YEAR_MIN = 1950
PHONE_DIGITS = (10, 15)

# Which of the kind-specific fields a kind keeps; the others are cleared on save.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    PersonKind.STUDENT: ("grade", "class_letter"),
    PersonKind.STAFF: ("position", "subjects", "experience_years"),
    PersonKind.PARENT: ("workplace",),
    PersonKind.GRADUATE: ("graduation_year", "workplace"),
    PersonKind.EXTERNAL: ("external_category", "workplace", "experience_years"),
}
REQUIRED_BY_KIND: dict[str, tuple[str, ...]] = {
    PersonKind.STUDENT: ("birth_date", "grade"),
    PersonKind.STAFF: ("position",),
    PersonKind.PARENT: (),
    PersonKind.GRADUATE: ("graduation_year",),
    PersonKind.EXTERNAL: ("external_category",),
}
KIND_SPECIFIC_FIELDS: tuple[str, ...] = tuple(
    dict.fromkeys(field for fields in KIND_FIELDS.values() for field in fields)
)
COMMON_FIELDS: tuple[str, ...] = (
    "kind",
    "last_name",
    "first_name",
    "middle_name",
    "gender",
    "birth_date",
    "email",
    "phone",
    "notes",
)
EDITABLE_FIELDS: tuple[str, ...] = COMMON_FIELDS + KIND_SPECIFIC_FIELDS
_EMPTY: dict[str, Any] = {
    "grade": None,
    "experience_years": None,
    "graduation_year": None,
    "birth_date": None,
}

REQUIRED = _("This field is required.")
MESSAGES = {
    "name_format": _(
        "Use letters (Cyrillic or Latin), a hyphen, an apostrophe and single spaces only."
    ),
    "name_mixed": _(
        "A word mixes Cyrillic and Latin letters; retype it in one alphabet so search and "
        "duplicate checks work."
    ),
    "name_length": _("At most %(max)s characters."),
    "future": _("The birth date cannot be in the future."),
    "student_age": _("A student must be from %(min)s to %(max)s years old."),
    "too_young": _("A person of this category must be at least %(min)s years old."),
    "too_old": _("Check the birth date: the person would be over %(max)s years old."),
    "grade": _("The grade must be from %(min)s to %(max)s."),
    "class_letter": _("The class letter is one Cyrillic capital letter, for example А."),
    "experience_range": _("Years of experience must be from 0 to %(max)s."),
    "experience_age": _("With this birth date, experience can be at most %(max)s years."),
    "graduation_year": _("The graduation year must be from %(min)s to %(max)s."),
    "graduation_age": _("The graduation year is too early for this birth date."),
    "phone_chars": _("Use digits, spaces, +, - and brackets only."),
    "phone_digits": _("A phone number has from %(min)s to %(max)s digits."),
    "email": _("Enter a valid e-mail address."),
    "choice": _("Select a valid choice."),
    "guardian_student": _(
        "This person is a legal guardian of a child in the registry and cannot be a student."
    ),
    "duplicate": _(
        "%(name)s, born %(birth_date)s, is already in the registry. Open the existing card "
        "instead of adding the person twice."
    ),
    "duplicate_no_date": _(
        "%(name)s, with no birth date, is already in the registry. Open the existing card "
        "instead of adding the person twice."
    ),
}


def org_today(organisation: Organisation) -> date:
    """Today in the organisation's time zone: ages change at its midnight, not the server's."""
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(organisation.timezone))


def clean_name(value: str, *, required: bool) -> str:
    """A trimmed, single-spaced name part; ValidationError when it is not a name."""
    value = clean_name_part(value or "")
    if not value:
        if required:
            raise ValidationError(REQUIRED, code="required")
        return value
    if len(value) > NAME_MAX_LENGTH:
        raise ValidationError(
            MESSAGES["name_length"], code="max_length", params={"max": NAME_MAX_LENGTH}
        )
    if not _NAME_RE.fullmatch(value):
        raise ValidationError(MESSAGES["name_format"], code="name_format")
    for word in _WORD_RE.findall(value):
        if _CYRILLIC_RE.search(word) and _LATIN_RE.search(word):
            raise ValidationError(MESSAGES["name_mixed"], code="name_mixed")
    return value


def clean_class_letter(value: str) -> str:
    value = (value or "").strip().upper()
    if value and not CLASS_LETTER_RE.fullmatch(value):
        raise ValidationError(MESSAGES["class_letter"], code="class_letter")
    return value


def clean_phone(value: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        return value
    if not _PHONE_CHARS_RE.fullmatch(value):
        raise ValidationError(MESSAGES["phone_chars"], code="phone_chars")
    digits = sum(ch.isdigit() for ch in value)
    low, high = PHONE_DIGITS
    if not low <= digits <= high:
        raise ValidationError(
            MESSAGES["phone_digits"], code="phone_digits", params={"min": low, "max": high}
        )
    return value


def normalise_person_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """Every editable field present, text trimmed, and the fields of other kinds cleared."""
    result: dict[str, Any] = {}
    for field in EDITABLE_FIELDS:
        value = data.get(field)
        if value is None:
            value = _EMPTY.get(field, "")
        elif isinstance(value, str):
            value = value.strip()
        result[field] = value
    if result["email"]:
        result["email"] = result["email"].lower()
    kept = KIND_FIELDS.get(result["kind"], ())
    for field in KIND_SPECIFIC_FIELDS:
        if field not in kept:
            result[field] = _EMPTY.get(field, "")
    return result


class _Errors:
    """Collects errors per field, so one pass reports every problem at once."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[ValidationError]] = {}

    def add(self, field: str, error: ValidationError) -> None:
        self.by_field.setdefault(field, []).append(error)

    def check(self, field: str, func: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ValidationError as error:
            self.add(field, error)
            return None

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def find_duplicate(
    organisation: Organisation, data: Mapping[str, Any], instance: Person | None = None
) -> Person | None:
    """Another record of the same person: same folded full name and birth date."""
    key = person_name_key(data["last_name"], data["first_name"], data.get("middle_name", ""))
    others = Person.objects.duplicates_of(organisation, key, data.get("birth_date"))
    if instance is not None and instance.pk:
        others = others.exclude(pk=instance.pk)
    return others.order_by("pk").first()


def duplicate_error(existing: Person) -> ValidationError:
    if existing.birth_date:
        return ValidationError(
            MESSAGES["duplicate"],
            code="duplicate",
            params={
                "name": existing.full_name,
                "birth_date": date_format(existing.birth_date, "SHORT_DATE_FORMAT"),
                "person": existing,
            },
        )
    return ValidationError(
        MESSAGES["duplicate_no_date"],
        code="duplicate",
        params={"name": existing.full_name, "person": existing},
    )


def validate_person_data(
    organisation: Organisation,
    data: dict[str, Any],
    *,
    instance: Person | None = None,
    today: date | None = None,
    check_duplicate: bool = True,
) -> dict[str, Any]:
    """Check a normalised record (see `normalise_person_data`); return it with names cleaned.

    Raises ValidationError with the errors of every field; the duplicate check runs only when
    the rest is valid, so it compares clean names. An import, which matches thousands of rows
    against the registry at once by the same key, passes `check_duplicate=False`.
    """
    today = today or org_today(organisation)
    errors = _Errors()
    data = dict(data)

    kind = data["kind"]
    if kind not in PersonKind.values:
        errors.add("kind", ValidationError(MESSAGES["choice"], code="invalid_choice"))
        errors.raise_if_any()
    kind = PersonKind(kind)

    for field, required in (("last_name", True), ("first_name", True), ("middle_name", False)):
        cleaned = errors.check(field, clean_name, data[field], required=required)
        if cleaned is not None:
            data[field] = cleaned

    if data["gender"] not in Gender.values:
        message = MESSAGES["choice"] if data["gender"] else REQUIRED
        errors.add("gender", ValidationError(message, code="gender"))

    for field in REQUIRED_BY_KIND[kind]:
        if data[field] in (None, ""):
            errors.add(field, ValidationError(REQUIRED, code="required"))

    age: int | None = None
    born: date | None = data["birth_date"]
    if born is not None:
        age = age_on(born, today)
        if born > today:
            errors.add("birth_date", ValidationError(MESSAGES["future"], code="future"))
            age = None
        elif kind == PersonKind.STUDENT and not STUDENT_AGE[0] <= age <= STUDENT_AGE[1]:
            errors.add(
                "birth_date",
                ValidationError(
                    MESSAGES["student_age"],
                    code="student_age",
                    params={"min": STUDENT_AGE[0], "max": STUDENT_AGE[1]},
                ),
            )
        elif age < MIN_AGE[kind]:
            errors.add(
                "birth_date",
                ValidationError(
                    MESSAGES["too_young"], code="too_young", params={"min": MIN_AGE[kind]}
                ),
            )
        elif age > MAX_AGE:
            errors.add(
                "birth_date",
                ValidationError(MESSAGES["too_old"], code="too_old", params={"max": MAX_AGE}),
            )

    grade = data["grade"]
    if grade is not None and not GRADE_MIN <= grade <= GRADE_MAX:
        errors.add(
            "grade",
            ValidationError(
                MESSAGES["grade"], code="grade", params={"min": GRADE_MIN, "max": GRADE_MAX}
            ),
        )
    cleaned_letter = errors.check("class_letter", clean_class_letter, data["class_letter"])
    if cleaned_letter is not None:
        data["class_letter"] = cleaned_letter

    experience = data["experience_years"]
    if experience is not None:
        if not 0 <= experience <= EXPERIENCE_MAX:
            errors.add(
                "experience_years",
                ValidationError(
                    MESSAGES["experience_range"],
                    code="experience_range",
                    params={"max": EXPERIENCE_MAX},
                ),
            )
        elif age is not None and experience > max(age - WORK_START_AGE, 0):
            errors.add(
                "experience_years",
                ValidationError(
                    MESSAGES["experience_age"],
                    code="experience_age",
                    params={"max": max(age - WORK_START_AGE, 0)},
                ),
            )

    graduated = data["graduation_year"]
    if graduated is not None:
        if not GRADUATION_YEAR_MIN <= graduated <= today.year:
            errors.add(
                "graduation_year",
                ValidationError(
                    MESSAGES["graduation_year"],
                    code="graduation_year",
                    params={"min": GRADUATION_YEAR_MIN, "max": today.year},
                ),
            )
        elif born is not None and graduated - born.year < WORK_START_AGE:
            errors.add(
                "graduation_year",
                ValidationError(MESSAGES["graduation_age"], code="graduation_age"),
            )

    if data["external_category"] and data["external_category"] not in ExternalCategory.values:
        errors.add("external_category", ValidationError(MESSAGES["choice"], code="choice"))

    if data["email"]:
        try:
            validate_email(data["email"])
        except ValidationError:
            errors.add("email", ValidationError(MESSAGES["email"], code="email"))
    cleaned_phone = errors.check("phone", clean_phone, data["phone"])
    if cleaned_phone is not None:
        data["phone"] = cleaned_phone

    if (
        kind == PersonKind.STUDENT
        and instance is not None
        and instance.pk
        and GuardianLink.objects.filter(guardian=instance).exists()
    ):
        errors.add("kind", ValidationError(MESSAGES["guardian_student"], code="guardian_student"))

    errors.raise_if_any()

    existing = find_duplicate(organisation, data, instance) if check_duplicate else None
    if existing is not None:
        raise ValidationError({NON_FIELD_ERRORS: [duplicate_error(existing)]})
    return data


GUARDIAN_MESSAGES = {
    "self": _("A child cannot be their own guardian."),
    "child_kind": _("Legal guardians are recorded for students only."),
    "guardian_student": _("A student cannot be a legal guardian."),
    "other_organisation": _("Choose a person of this organisation."),
    "guardian_age": _("A legal guardian must be at least %(min)s years old."),
    "duplicate": _("%(name)s is already recorded as a legal guardian of this child."),
    "relation": _("Select a valid choice."),
    "mother_gender": _("A mother is recorded as a woman; check the relation or the gender."),
    "father_gender": _("A father is recorded as a man; check the relation or the gender."),
}


def validate_guardian_link(
    child: Person, guardian: Person, relation: str, *, today: date | None = None
) -> None:
    """Raise ValidationError unless `guardian` may be recorded as a legal guardian of `child`."""

    def fail(key: str, field: str = "guardian", **params: Any) -> None:
        raise ValidationError(
            {field: ValidationError(GUARDIAN_MESSAGES[key], code=key, params=params)}
        )

    if guardian.organisation_id != child.organisation_id:
        fail("other_organisation")
    if child.kind != PersonKind.STUDENT:
        fail("child_kind", NON_FIELD_ERRORS)
    if guardian.pk == child.pk:
        fail("self")
    if guardian.kind == PersonKind.STUDENT:
        fail("guardian_student")
    today = today or org_today(child.organisation)
    if guardian.birth_date and age_on(guardian.birth_date, today) < GUARDIAN_MIN_AGE:
        fail("guardian_age", min=GUARDIAN_MIN_AGE)
    if relation not in GuardianRelation.values:
        fail("relation", "relation")
    if relation == GuardianRelation.MOTHER and guardian.gender == Gender.MALE:
        fail("mother_gender", "relation")
    if relation == GuardianRelation.FATHER and guardian.gender == Gender.FEMALE:
        fail("father_gender", "relation")
    if GuardianLink.objects.filter(guardian=guardian, child=child).exists():
        fail("duplicate", name=guardian.full_name)
