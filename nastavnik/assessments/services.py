"""Writes to the entry and exit assessment. Views, questionnaire feeds, the demo and tests all
come through here.

Each function is atomic and validated: bad data raise ValidationError (per field where there is
one) and write nothing. The rules of a measure:
- one entry and one exit per participant, parameter and programme;
- an exit needs the entry, and is not dated before it;
- the value lies on the parameter's scale, with no more decimals than the parameter has;
- the date falls within the programme's academic year and not after today;
- the participant's data may be used for participation (`consents.rules`);
- a finished programme is kept as it was.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import User
from nastavnik.assessments.models import Measure, MeasureSource, Parameter, Phase
from nastavnik.audit.models import AuditAction, AuditObject
from nastavnik.audit.services import audit_record, created, diff
from nastavnik.consents.models import Purpose
from nastavnik.consents.rules import consent_status
from nastavnik.core.rules import rule_errors
from nastavnik.orgs.models import Organisation
from nastavnik.people.models import Person
from nastavnik.people.validators import org_today
from nastavnik.programmes.models import Programme
from nastavnik.programmes.services import require_open

logger = logging.getLogger(__name__)

VALUE_LIMIT = Decimal("99999")
NAME_MAX_LENGTH = 160
UNIT_MAX_LENGTH = 20

MESSAGES = {
    "person": _("Choose a participant of this organisation."),
    "parameter": _("Choose a parameter of this organisation's assessment."),
    "hidden": _("The person's data are hidden: the consent was withdrawn."),
    "no_consent": _(
        "%(name)s has no valid consent to participation in the mentoring programme: the "
        "measures cannot be recorded."
    ),
    "phase": _("Choose entry or exit."),
    "value_number": _("Enter a number."),
    "value_range": _("«%(parameter)s» takes values from %(min)s to %(max)s."),
    "value_whole": _("«%(parameter)s» takes whole numbers only."),
    "value_decimals": _("«%(parameter)s» takes at most %(decimals)s digits after the point."),
    "date_required": _("Enter the date of the measure."),
    "date_outside_year": _(
        "The date must fall within the academic year %(year)s, from %(start)s to %(end)s."
    ),
    "date_future": _("The measure cannot be dated later than today."),
    "taken_entry": _(
        "The entry measure of «%(parameter)s» for %(name)s is already recorded: %(value)s on "
        "%(date)s."
    ),
    "taken_exit": _(
        "The exit measure of «%(parameter)s» for %(name)s is already recorded: %(value)s on "
        "%(date)s."
    ),
    "exit_without_entry": _(
        "There is no entry measure of «%(parameter)s» for %(name)s: record the entry first."
    ),
    "exit_before_entry": _(
        "The exit measure of «%(parameter)s» cannot be dated before the entry measure (%(date)s)."
    ),
    "entry_with_exit": _(
        "The entry measure of «%(parameter)s» has an exit measure after it: remove the exit first."
    ),
    "nothing": _("Enter at least one value."),
    "builtin": _("Built-in parameters cannot be changed."),
    "name_required": _("Enter the name of the parameter."),
    "name_taken": _("A parameter with this name already exists."),
    "length": _("At most %(max)s characters."),
    "code_invalid": _("Use small Latin letters, digits and underscores, starting with a letter."),
    "code_taken": _("This code is taken by another parameter."),
    "scale_order": _("The lowest value must be less than the highest."),
    "scale_number": _("Enter a number from %(min)s to %(max)s."),
    "decimals": _("From 0 to 2 digits after the decimal point."),
    "scale_fixed": _(
        "The scale cannot change once measures are recorded: they would no longer compare."
    ),
    "scale_precision": _("The ends of the scale cannot have more decimals than the values."),
}


_error = rule_errors(MESSAGES)


def _day(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _require_consent(person: Person) -> None:
    state = consent_status(person, org_today(person.organisation))
    if state.hidden:
        raise _error("hidden", "person")
    if not state.may_use(Purpose.PARTICIPATION):
        raise _error("no_consent", "person", name=person.full_name)


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        return None
    try:
        return Decimal(str(value).strip().replace(",", ".").replace(" ", ""))
    except (InvalidOperation, ValueError):
        return None


def clean_value(parameter: Parameter, value: Any, field: str = "value") -> Decimal:
    """The value as stored, or the reason it does not fit the parameter's scale."""
    number = _decimal(value)
    if number is None or not number.is_finite():
        raise _error("value_number", field)
    low, high = parameter.scale_min, parameter.scale_max
    if not low <= number <= high:
        raise _error(
            "value_range",
            field,
            parameter=parameter.name,
            min=parameter.show(low),
            max=parameter.show(high),
        )
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > parameter.decimals:
        if parameter.decimals == 0:
            raise _error("value_whole", field, parameter=parameter.name)
        raise _error("value_decimals", field, parameter=parameter.name, decimals=parameter.decimals)
    return number.quantize(parameter.step)


def _clean_date(programme: Programme, measured_on: date | None, field: str = "measured_on") -> date:
    if measured_on is None:
        raise _error("date_required", field)
    year = programme.academic_year
    if not year.starts_on <= measured_on <= year.ends_on:
        raise _error(
            "date_outside_year",
            field,
            year=year.label,
            start=_day(year.starts_on),
            end=_day(year.ends_on),
        )
    if measured_on > org_today(programme.organisation):
        raise _error("date_future", field)
    return measured_on


def _check_order(
    programme: Programme,
    person: Person,
    parameter: Parameter,
    phase: str,
    measured_on: date,
    field: str,
) -> None:
    """One measure a phase; the exit after the entry."""
    existing = {
        m.phase: m
        for m in Measure.objects.filter(programme=programme, person=person, parameter=parameter)
    }
    taken = existing.get(phase)
    if taken is not None:
        raise _error(
            f"taken_{phase}",
            field,
            parameter=parameter.name,
            name=person.full_name,
            value=parameter.show(taken.value),
            date=_day(taken.measured_on),
        )
    if phase == Phase.EXIT:
        entry = existing.get(Phase.ENTRY)
        if entry is None:
            raise _error(
                "exit_without_entry", field, parameter=parameter.name, name=person.full_name
            )
        if measured_on < entry.measured_on:
            raise _error(
                "exit_before_entry", field, parameter=parameter.name, date=_day(entry.measured_on)
            )


def _require_ours(programme: Programme, person: Person, parameter: Parameter) -> None:
    if person.organisation_id != programme.organisation_id:
        raise _error("person", "person")
    if parameter.organisation_id not in (None, programme.organisation_id):
        raise _error("parameter", "parameter")


def _insert(measure: Measure, field: str) -> None:
    try:
        # A savepoint: the same measure recorded at the same moment fails this call only.
        with transaction.atomic():
            measure.save()
    except IntegrityError as error:
        raise _error(
            f"taken_{measure.phase}",
            field,
            parameter=measure.parameter.name,
            name=measure.person.full_name,
            value=measure.parameter.show(measure.value),
            date=_day(measure.measured_on),
        ) from error


def _audit_created(measure: Measure, by: User | None) -> None:
    audit_record(
        measure.organisation_id,
        action=AuditAction.CREATE,
        object_type=AuditObject.MEASURE,
        object_id=measure.pk,
        label=f"{measure.person.full_name}: {measure.parameter.name}",
        by=by,
        person=measure.person,
        changes=created(
            {
                "parameter": measure.parameter.code,
                "phase": measure.phase,
                "value": str(measure.value),
                "measured_on": measure.measured_on,
                "source": measure.source,
            }
        ),
    )


@transaction.atomic
def measure_record(
    programme: Programme,
    person: Person,
    parameter: Parameter,
    phase: str,
    value: Any,
    measured_on: date | None,
    *,
    by: User | None,
    source: str = MeasureSource.MANUAL,
) -> Measure:
    """One entry or exit measure of one participant."""
    require_open(programme)
    _require_ours(programme, person, parameter)
    if phase not in Phase.values:
        raise _error("phase", "phase")
    _require_consent(person)
    number = clean_value(parameter, value)
    day = _clean_date(programme, measured_on)
    _check_order(programme, person, parameter, phase, day, "value")
    return _record(programme, person, parameter, phase, number, day, source, by, "value")


def _record(
    programme: Programme,
    person: Person,
    parameter: Parameter,
    phase: str,
    number: Decimal,
    day: date,
    source: str,
    by: User | None,
    field: str,
) -> Measure:
    """Store one checked measure and its audit entry; a clash is told on `field`."""
    measure = Measure(
        organisation_id=programme.organisation_id,
        programme=programme,
        person=person,
        parameter=parameter,
        phase=phase,
        value=number,
        measured_on=day,
        source=source,
        recorded_by=by,
    )
    _insert(measure, field)
    _audit_created(measure, by)
    return measure


def value_field(parameter: Parameter) -> str:
    """The form field (and error key) of a parameter in `measures_record_many`."""
    return f"value_{parameter.code}"


@transaction.atomic
def measures_record_many(
    programme: Programme,
    person: Person,
    phase: str,
    values: Mapping[Parameter, Any],
    measured_on: date | None,
    *,
    by: User | None,
    source: str = MeasureSource.MANUAL,
) -> list[Measure]:
    """The measures of one participant for one phase, from one form: all of them or none.

    Empty values are skipped; errors come back by field (`value_field(parameter)`), all at once.
    """
    require_open(programme)
    if person.organisation_id != programme.organisation_id:
        raise _error("person", "person")
    if phase not in Phase.values:
        raise _error("phase", "phase")
    _require_consent(person)
    errors: dict[str, list[ValidationError]] = {}
    try:
        day: date | None = _clean_date(programme, measured_on)
    except ValidationError as error:
        errors.update(error.error_dict)
        day = None
    given = {p: v for p, v in values.items() if v not in (None, "")}
    if not given:
        errors.setdefault("__all__", []).append(_error("nothing"))
    clean: dict[Parameter, Decimal] = {}
    for parameter, value in given.items():
        field = value_field(parameter)
        try:
            _require_ours(programme, person, parameter)
            clean[parameter] = clean_value(parameter, value, field)
            if day is not None:
                _check_order(programme, person, parameter, phase, day, field)
        except ValidationError as error:
            for name, items in error.error_dict.items():
                errors.setdefault(name, []).extend(items)
    if errors:
        raise ValidationError(errors)
    assert day is not None
    return [
        _record(
            programme, person, parameter, phase, number, day, source, by, value_field(parameter)
        )
        for parameter, number in clean.items()
    ]


@transaction.atomic
def measure_delete(measure: Measure, *, by: User | None) -> None:
    """Remove a measure recorded by mistake, so it can be recorded again. An entry goes only
    while there is no exit after it."""
    require_open(measure.programme)
    if (
        measure.phase == Phase.ENTRY
        and Measure.objects.filter(
            programme=measure.programme,
            person=measure.person,
            parameter=measure.parameter,
            phase=Phase.EXIT,
        ).exists()
    ):
        raise _error("entry_with_exit", parameter=measure.parameter.name)
    audit_record(
        measure.organisation_id,
        action=AuditAction.DELETE,
        object_type=AuditObject.MEASURE,
        object_id=measure.pk,
        label=f"{measure.person.full_name}: {measure.parameter.name}",
        by=by,
        person=measure.person,
        changes={
            "parameter": [measure.parameter.code, None],
            "phase": [measure.phase, None],
            "value": [str(measure.value), None],
            "measured_on": [measure.measured_on.isoformat(), None],
        },
    )
    measure.delete()


# --- The organisation's own parameters -----------------------------------------------------

PARAMETER_FIELDS = (
    "name",
    "code",
    "scale_min",
    "scale_max",
    "decimals",
    "higher_is_better",
    "unit",
    "order",
)
_SCALE_FIELDS = ("scale_min", "scale_max", "decimals")


def _clean_parameter(
    organisation: Organisation, data: Mapping[str, Any], instance: Parameter | None
) -> dict[str, Any]:
    errors: dict[str, ValidationError] = {}
    clean: dict[str, Any] = {}
    others = Parameter.objects.available_to(organisation).exclude(
        pk=instance.pk if instance else None
    )

    name = " ".join(str(data.get("name") or "").split())
    if not name:
        errors["name"] = ValidationError(MESSAGES["name_required"], code="name_required")
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = ValidationError(
            MESSAGES["length"], code="length", params={"max": NAME_MAX_LENGTH}
        )
    elif any(
        other.casefold() == name.casefold() for other in others.values_list("name", flat=True)
    ):
        errors["name"] = ValidationError(MESSAGES["name_taken"], code="name_taken")
    clean["name"] = name

    code = str(data.get("code") or "").strip().lower()
    if not code:
        # Names are Russian: a code made from them would be empty; a neutral one will do.
        code = f"own_{uuid.uuid4().hex[:8]}"
    if (
        not code
        or not code[0].isascii()
        or not code[0].isalpha()
        or not all(ch.isascii() and (ch.isalnum() or ch == "_") for ch in code)
        or len(code) > 40
    ):
        errors["code"] = ValidationError(MESSAGES["code_invalid"], code="code_invalid")
    elif others.filter(code=code).exists():
        errors["code"] = ValidationError(MESSAGES["code_taken"], code="code_taken")
    clean["code"] = code

    decimals = data.get("decimals")
    try:
        clean["decimals"] = int(decimals if decimals not in (None, "") else 0)
        if not 0 <= clean["decimals"] <= 2:
            raise ValueError
    except (TypeError, ValueError):
        errors["decimals"] = ValidationError(MESSAGES["decimals"], code="decimals")
        clean["decimals"] = 0
    for field in ("scale_min", "scale_max"):
        number = _decimal(data.get(field))
        if number is None or not number.is_finite() or abs(number) > VALUE_LIMIT:
            errors[field] = ValidationError(
                MESSAGES["scale_number"],
                code="scale_number",
                params={"min": -VALUE_LIMIT, "max": VALUE_LIMIT},
            )
            continue
        exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > clean["decimals"]:
            errors[field] = ValidationError(MESSAGES["scale_precision"], code="scale_precision")
            continue
        clean[field] = number
    if "scale_min" in clean and "scale_max" in clean and clean["scale_min"] >= clean["scale_max"]:
        errors["scale_max"] = ValidationError(MESSAGES["scale_order"], code="scale_order")

    unit = " ".join(str(data.get("unit") or "").split())
    if len(unit) > UNIT_MAX_LENGTH:
        errors["unit"] = ValidationError(
            MESSAGES["length"], code="length", params={"max": UNIT_MAX_LENGTH}
        )
    clean["unit"] = unit
    clean["higher_is_better"] = bool(data.get("higher_is_better"))
    try:
        clean["order"] = max(0, min(int(data.get("order") or 100), 32000))
    except (TypeError, ValueError):
        clean["order"] = 100
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def parameter_create(
    organisation: Organisation, data: Mapping[str, Any], *, by: User | None
) -> Parameter:
    """An organisation's own parameter. Its code is what questionnaires feed it by."""
    clean = _clean_parameter(organisation, data, None)
    parameter = Parameter.objects.create(organisation=organisation, **clean)
    logger.info("parameter %s created in %s by %s", parameter.pk, organisation.slug, by)
    return parameter


@transaction.atomic
def parameter_update(
    parameter: Parameter, data: Mapping[str, Any], *, by: User | None
) -> Parameter:
    """Change an own parameter; the scale stays once measures are recorded on it."""
    if parameter.organisation is None:
        raise _error("builtin")
    locked = Parameter.objects.select_for_update().get(pk=parameter.pk)
    current = {field: getattr(locked, field) for field in PARAMETER_FIELDS}
    clean = _clean_parameter(parameter.organisation, {**current, **data}, locked)
    changed = [field for field in PARAMETER_FIELDS if current[field] != clean[field]]
    if set(changed) & set(_SCALE_FIELDS) and locked.measures.exists():
        raise _error("scale_fixed")
    if changed:
        for field in changed:
            setattr(parameter, field, clean[field])
        parameter.save(update_fields=changed)
        logger.info("parameter %s changed (%s) by %s", parameter.pk, diff(current, clean), by)
    return parameter
