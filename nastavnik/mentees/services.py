"""Writes to the mentee base. Views, questionnaire feeds, matching, the demo and tests all come
through here.

Each function is atomic and validated: bad data raise ValidationError (per field where there is
one) and write nothing. Every write is logged in the audit log with the mentee as the subject.

The rules:
- only an eligible person (`rules.eligibility`) whose data may be used for participation
  (`consents.rules`) enters the base, and only once per programme;
- a form is one of the programme's forms that fits the person (`rules.form_fits`); a role model
  is one of those the programme uses in that form;
- profile values come from the shared vocabulary (`catalogue.profile`);
- the status moves along `TRANSITIONS`; entering the base needs a form;
- a finished programme is kept as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import User
from nastavnik.audit.models import AuditAction, AuditObject
from nastavnik.audit.services import audit_record, created, diff
from nastavnik.catalogue.models import RoleModel
from nastavnik.catalogue.profile import (
    SLOT_CHOICES,
    SLOTS,
    MeetingFormat,
    RequestTopic,
    split_list,
)
from nastavnik.consents.models import Purpose
from nastavnik.consents.rules import consent_status
from nastavnik.core.rules import rule_errors
from nastavnik.core.text import typed_text
from nastavnik.mentees.models import InputSource, Mentee, MenteeInput, MenteeStatus
from nastavnik.mentees.rules import eligibility, form_fits
from nastavnik.orgs.models import Membership
from nastavnik.people.models import Person
from nastavnik.people.validators import org_today
from nastavnik.programmes.models import Programme, ProgrammeForm
from nastavnik.programmes.services import require_open

logger = logging.getLogger(__name__)

RESULTS_RANGE = (Decimal("2"), Decimal("5"))
REQUEST_MAX_LENGTH = 4000
INPUT_MAX_LENGTH = 4000
SUBJECTS_MAX_LENGTH = 300
REASON_MAX_LENGTH = 1000
PREFERENCES_MAX = 10
# Slots kept in the week's order, whatever order they were ticked or answered in.
SLOT_ORDER = {value: index for index, (value, _label) in enumerate(SLOT_CHOICES)}

MESSAGES = {
    "person": _("Choose a student or a teacher of this organisation."),
    "hidden": _("The person's data are hidden: the consent was withdrawn."),
    "no_consent": _(
        "%(name)s has no valid consent to participation in the mentoring programme: record the "
        "consent first."
    ),
    "taken": _("%(name)s is already in the mentee base of this programme (status: %(status)s)."),
    "form_unavailable": _("Choose one of the programme's forms."),
    "form_misfit": _(
        "The form «%(form)s» does not fit: teachers are mentored in the form «Учитель – "
        "учитель», students in the forms for students."
    ),
    "role_model_without_form": _("Choose the form first: a role model belongs to a form."),
    "role_model": _("Choose a role model of the form «%(form)s» that the programme uses."),
    "topic": _("Unknown request topic: %(value)s."),
    "slot": _("Unknown time slot: %(value)s."),
    "meeting_format": _("Unknown meeting format: %(value)s."),
    "results_number": _("Enter the mean mark as a number, for example 4.25."),
    "results_range": _("The mean mark must be from %(min)s to %(max)s."),
    "results_decimals": _("At most two digits after the decimal point."),
    "preference_unknown": _("Preferred mentors must be people of this organisation."),
    "preference_self": _("A mentee cannot be their own mentor."),
    "preferences_max": _("At most %(max)s preferred mentors."),
    "length": _("At most %(max)s characters."),
    "transition": _("The status cannot change from «%(old)s» to «%(new)s»."),
    "no_form": _("Choose the form first: a mentee enters the base in a form."),
    "reason_required": _("Say why the mentee leaves the programme."),
    "not_open": _("The mentee has left or finished the programme: the entry is kept as it was."),
    "input_text": _("Write what you know about the mentee's needs."),
    "input_source": _("Choose where the information comes from."),
    "input_author": _("Say who gave the information."),
}

PROFILE_FIELDS: tuple[str, ...] = (
    "form",
    "role_model",
    "topics",
    "request_text",
    "subjects",
    "availability",
    "meeting_format",
    "results",
    "preferences",
    "asked_for_mentor",
    "support_needed",
)
_EMPTY: dict[str, Any] = {
    "form": None,
    "role_model": None,
    "topics": [],
    "request_text": "",
    "subjects": "",
    "availability": [],
    "meeting_format": MeetingFormat.BOTH,
    "results": None,
    "preferences": [],
    "asked_for_mentor": False,
    "support_needed": False,
}

# Where a status may go. A pair dissolved before its end sends the mentee back to the base;
# someone who left may come back as a candidate and is checked again.
TRANSITIONS: dict[str, frozenset[str]] = {
    MenteeStatus.CANDIDATE: frozenset({MenteeStatus.IN_BASE, MenteeStatus.LEFT}),
    MenteeStatus.IN_BASE: frozenset({MenteeStatus.PAIRED, MenteeStatus.LEFT}),
    MenteeStatus.PAIRED: frozenset(
        {MenteeStatus.IN_BASE, MenteeStatus.FINISHED, MenteeStatus.LEFT}
    ),
    MenteeStatus.FINISHED: frozenset(),
    MenteeStatus.LEFT: frozenset({MenteeStatus.CANDIDATE}),
}
# Statuses in which the person's data are used for the programme: entering them needs consent.
_USING_DATA = frozenset({MenteeStatus.CANDIDATE, MenteeStatus.IN_BASE, MenteeStatus.PAIRED})


_error = rule_errors(MESSAGES)


def _require_consent(person: Person, field: str | None = None) -> None:
    """The one consent gate of the base: participation (which rests on processing) valid today
    in the organisation's time zone."""
    state = consent_status(person, org_today(person.organisation))
    if state.hidden:
        raise _error("hidden", field)
    if not state.may_use(Purpose.PARTICIPATION):
        raise _error("no_consent", field, name=person.full_name)


def _require_eligible(person: Person, asked_for_mentor: bool, field: str = "person") -> None:
    verdict = eligibility(person, org_today(person.organisation), asked_for_mentor=asked_for_mentor)
    if not verdict.ok:
        raise ValidationError({field: ValidationError(verdict.reason, code="not_eligible")})


# --- Profile values ------------------------------------------------------------------------


def _pk(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if hasattr(value, "pk"):
        return value.pk
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # matches nothing: reported as an unavailable choice


def _as_list(value: Any) -> list[Any]:
    if value in (None, ""):
        return []
    if isinstance(value, str | int):
        return [value]
    return list(value)


def _unique(values: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


def _programme_form(programme: Programme, form_value: Any) -> ProgrammeForm | None:
    pk = _pk(form_value)
    if pk is None:
        return None
    chosen = (
        ProgrammeForm.objects.filter(programme=programme, form_id=pk).select_related("form").first()
    )
    if chosen is None:
        raise _error("form_unavailable", "form")
    return chosen


def role_models_offered(chosen: ProgrammeForm) -> QuerySet[RoleModel]:
    """The role models a mentee of this programme form may have: those the programme uses in
    it, or, when it chose none, any of the form's that the organisation has."""
    offered = chosen.role_models.order_by("order", "name")
    if offered.exists():
        return offered
    return (
        RoleModel.objects.available_to(chosen.organisation)
        .filter(form=chosen.form)
        .order_by("order", "name")
    )


def _role_model(chosen: ProgrammeForm | None, value: Any) -> RoleModel | None:
    pk = _pk(value)
    if pk is None:
        return None
    if chosen is None:
        raise _error("role_model_without_form", "role_model")
    role_model = role_models_offered(chosen).filter(pk=pk).first()
    if role_model is None:
        raise _error("role_model", "role_model", form=chosen.form.shown_name)
    return role_model


def _topics(value: Any) -> list[str]:
    topics = _unique(str(v).strip() for v in _as_list(value))
    unknown = [t for t in topics if t not in RequestTopic.values]
    if unknown:
        raise _error("topic", "topics", value=", ".join(unknown))
    return topics


def _availability(value: Any) -> list[str]:
    slots = _unique(str(v).strip() for v in _as_list(value))
    unknown = [s for s in slots if s not in SLOTS]
    if unknown:
        raise _error("slot", "availability", value=", ".join(unknown))
    return sorted(slots, key=SLOT_ORDER.__getitem__)


def _meeting_format(value: Any) -> str:
    value = str(value or MeetingFormat.BOTH)
    if value not in MeetingFormat.values:
        raise _error("meeting_format", "meeting_format", value=value)
    return value


def _results(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation as error:
        raise _error("results_number", "results") from error
    if not number.is_finite():
        raise _error("results_number", "results")
    low, high = RESULTS_RANGE
    if not low <= number <= high:
        raise _error("results_range", "results", min=low, max=high)
    if number.as_tuple().exponent < -2:  # type: ignore[operator]
        raise _error("results_decimals", "results")
    return number


def _preferences(person: Person, value: Any) -> list[int]:
    pks = _unique(_pk(v) for v in _as_list(value))
    if len(pks) > PREFERENCES_MAX:
        raise _error("preferences_max", "preferences", max=PREFERENCES_MAX)
    if person.pk in pks:
        raise _error("preference_self", "preferences")
    if None in pks or -1 in pks:
        raise _error("preference_unknown", "preferences")
    found = set(
        Person.objects.filter(organisation_id=person.organisation_id, pk__in=pks).values_list(
            "pk", flat=True
        )
    )
    if found != set(pks):
        raise _error("preference_unknown", "preferences")
    return pks


def _limited(value: Any, field: str, limit: int) -> str:
    text = typed_text(value)
    if len(text) > limit:
        raise _error("length", field, max=limit)
    return text


def _fitting_form(programme: Programme, person: Person, value: Any) -> ProgrammeForm | None:
    chosen = _programme_form(programme, value)
    if chosen is not None and not form_fits(person, chosen.form):
        raise _error("form_misfit", "form", form=chosen.form.shown_name)
    return chosen


def _clean_profile(programme: Programme, person: Person, data: Mapping[str, Any]) -> dict[str, Any]:
    """Every profile field checked; all errors at once, by field."""
    clean: dict[str, Any] = {}
    errors: dict[str, list[ValidationError]] = {}

    def attempt(field: str, check: Any) -> None:
        try:
            clean[field] = check()
        except ValidationError as error:
            for name, items in error.error_dict.items():
                errors.setdefault(name, []).extend(items)

    try:
        chosen = _fitting_form(programme, person, data["form"])
    except ValidationError as error:
        errors.update(error.error_dict)
    else:
        clean["form"] = chosen.form if chosen is not None else None
        # A role model is judged against the form, so only once the form is right.
        attempt("role_model", lambda: _role_model(chosen, data["role_model"]))
    attempt("topics", lambda: _topics(data["topics"]))
    attempt(
        "request_text", lambda: _limited(data["request_text"], "request_text", REQUEST_MAX_LENGTH)
    )
    attempt(
        "subjects",
        lambda: _limited(
            ", ".join(split_list(str(data["subjects"] or ""))), "subjects", SUBJECTS_MAX_LENGTH
        ),
    )
    attempt("availability", lambda: _availability(data["availability"]))
    attempt("meeting_format", lambda: _meeting_format(data["meeting_format"]))
    attempt("results", lambda: _results(data["results"]))
    attempt("preferences", lambda: _preferences(person, data["preferences"]))
    clean["asked_for_mentor"] = bool(data["asked_for_mentor"])
    clean["support_needed"] = bool(data["support_needed"])
    if errors:
        raise ValidationError(errors)
    return clean


def _values(mentee: Mentee) -> dict[str, Any]:
    return {field: getattr(mentee, field) for field in PROFILE_FIELDS}


def _loggable(values: Mapping[str, Any]) -> dict[str, Any]:
    """Lists as the log reads them: «subject, exams» rather than a Python list."""
    return {
        field: ", ".join(str(v) for v in value) if isinstance(value, list) else value
        for field, value in values.items()
    }


def _audit(
    mentee: Mentee, action: AuditAction, changes: dict[str, list[Any]], by: User | None
) -> None:
    audit_record(
        mentee.organisation_id,
        action=action,
        object_type=AuditObject.MENTEE,
        object_id=mentee.pk,
        label=mentee.person.full_name,
        by=by,
        person=mentee.person,
        changes=changes,
    )


# --- The entries ---------------------------------------------------------------------------


@transaction.atomic
def mentee_add(
    programme: Programme, person: Person, data: Mapping[str, Any], *, by: User | None
) -> Mentee:
    """Put `person` forward as a candidate of the programme's mentee base.

    `data` holds profile fields (`PROFILE_FIELDS`); missing ones are empty.
    """
    require_open(programme)
    if person.organisation_id != programme.organisation_id:
        raise _error("person", "person")
    existing = Mentee.objects.filter(programme=programme, person=person).first()
    if existing is not None:
        raise _error("taken", "person", name=person.full_name, status=existing.get_status_display())
    # Eligibility before consent: nobody should be asked for a consent that cannot help.
    _require_eligible(person, bool(data.get("asked_for_mentor")))
    _require_consent(person, "person")
    clean = _clean_profile(programme, person, {**_EMPTY, **data})
    mentee = Mentee(
        organisation_id=programme.organisation_id,
        programme=programme,
        person=person,
        status=MenteeStatus.CANDIDATE,
        added_by=by,
        **clean,
    )
    try:
        # A savepoint: the same person added at the same moment fails this call only.
        with transaction.atomic():
            mentee.save()
    except IntegrityError as error:
        raise _error(
            "taken", "person", name=person.full_name, status=MenteeStatus.CANDIDATE.label
        ) from error
    _audit(mentee, AuditAction.CREATE, created(_loggable({**clean, "status": mentee.status})), by)
    logger.info("mentee %s (person %s) added to programme %s", mentee.pk, person.pk, programme.pk)
    return mentee


def _locked(mentee: Mentee) -> Mentee:
    return (
        Mentee.objects.select_for_update()
        .select_related("person__organisation", "programme")
        .get(pk=mentee.pk)
    )


def _refresh(mentee: Mentee, locked: Mentee, fields: Iterable[str]) -> None:
    for field in fields:
        setattr(mentee, field, getattr(locked, field))


@transaction.atomic
def mentee_update(mentee: Mentee, data: Mapping[str, Any], *, by: User | None) -> Mentee:
    """Change the profile; fields absent from `data` keep their values."""
    locked = _locked(mentee)
    require_open(locked.programme)
    if not locked.is_open:
        raise _error("not_open")
    _require_consent(locked.person)
    current = _values(locked)
    clean = _clean_profile(locked.programme, locked.person, {**current, **data})
    if clean["form"] is None and locked.status != MenteeStatus.CANDIDATE:
        # In the base a mentee is in a form: matching reads it.
        raise _error("no_form", "form")
    if clean["asked_for_mentor"] != current["asked_for_mentor"]:
        # A teacher who no longer asks may stop being eligible.
        _require_eligible(locked.person, clean["asked_for_mentor"], "asked_for_mentor")
    changed = [field for field in PROFILE_FIELDS if current[field] != clean[field]]
    if changed:
        for field in changed:
            setattr(locked, field, clean[field])
        locked.save(update_fields=[*changed, "updated_at"])
        changes = diff(_loggable(current), _loggable({f: clean[f] for f in changed}))
        _audit(locked, AuditAction.UPDATE, changes, by)
    _refresh(mentee, locked, [*PROFILE_FIELDS, "updated_at"])
    return mentee


@transaction.atomic
def mentee_set_status(mentee: Mentee, status: str, *, by: User | None, reason: str = "") -> Mentee:
    """Move the entry to `status` along `TRANSITIONS`. Matching calls it with PAIRED (which
    ends the support of someone left without a mentor) and IN_BASE (a pair dissolved)."""
    locked = _locked(mentee)
    require_open(locked.programme)
    old = locked.status
    if status not in TRANSITIONS.get(old, frozenset()):
        raise _error(
            "transition",
            "status",
            old=MenteeStatus(old).label,
            new=MenteeStatus(status).label if status in MenteeStatus.values else status,
        )
    if status in _USING_DATA:
        _require_consent(locked.person)
    if status in (MenteeStatus.IN_BASE, MenteeStatus.CANDIDATE):
        _require_eligible(locked.person, locked.asked_for_mentor)
    if status == MenteeStatus.IN_BASE:
        if locked.form is None:
            raise _error("no_form", "form")
        if not form_fits(locked.person, locked.form):
            raise _error("form_misfit", "form", form=locked.form.shown_name)
    before = {
        "status": old,
        "left_reason": locked.left_reason,
        "support_needed": locked.support_needed,
    }
    locked.status = status
    if status == MenteeStatus.LEFT:
        reason = typed_text(reason)
        if not reason:
            raise _error("reason_required", "left_reason")
        if len(reason) > REASON_MAX_LENGTH:
            raise _error("length", "left_reason", max=REASON_MAX_LENGTH)
        locked.left_reason = reason
        locked.support_needed = False
    elif status == MenteeStatus.PAIRED:
        locked.support_needed = False
    elif status == MenteeStatus.CANDIDATE:
        locked.left_reason = ""
    after = {
        "status": locked.status,
        "left_reason": locked.left_reason,
        "support_needed": locked.support_needed,
    }
    locked.save(update_fields=["status", "left_reason", "support_needed", "updated_at"])
    _audit(locked, AuditAction.UPDATE, diff(before, after), by)
    _refresh(mentee, locked, ["status", "left_reason", "support_needed", "updated_at"])
    logger.info("mentee %s: %s → %s by %s", mentee.pk, old, status, by)
    return mentee


def mentee_accept(mentee: Mentee, *, by: User | None) -> Mentee:
    """A candidate enters the base: eligible, with consent, in a form that fits."""
    return mentee_set_status(mentee, MenteeStatus.IN_BASE, by=by)


def mentee_leave(mentee: Mentee, reason: str, *, by: User | None) -> Mentee:
    return mentee_set_status(mentee, MenteeStatus.LEFT, by=by, reason=reason)


# --- Third-party input ----------------------------------------------------------------------


def _author_role(by: User, mentee: Mentee) -> str:
    """The author's position in the organisation, else the roles of their membership."""
    position = (
        Person.objects.filter(organisation_id=mentee.organisation_id, user=by)
        .values_list("position", flat=True)
        .first()
    )
    if position:
        return position
    roles = Membership.objects.filter(organisation_id=mentee.organisation_id, user=by)
    return ", ".join(str(m.get_role_display()) for m in roles.order_by("role"))


@transaction.atomic
def input_add(mentee: Mentee, data: Mapping[str, Any], *, by: User | None) -> MenteeInput:
    """Record what a third party knows about the mentee: `source` and `text`; the author is
    `by` (or, for notes typed in from paper by the system, `author_name`/`author_role`)."""
    locked = _locked(mentee)
    require_open(locked.programme)
    _require_consent(locked.person)
    errors: dict[str, ValidationError] = {}
    source = str(data.get("source") or "")
    if source not in InputSource.values:
        errors["source"] = ValidationError(MESSAGES["input_source"], code="input_source")
    text = typed_text(data.get("text"))
    if not text:
        errors["text"] = ValidationError(MESSAGES["input_text"], code="input_text")
    elif len(text) > INPUT_MAX_LENGTH:
        errors["text"] = ValidationError(
            MESSAGES["length"], code="length", params={"max": INPUT_MAX_LENGTH}
        )
    if by is not None:
        author_name = by.get_full_name() or by.email
        author_role = _author_role(by, locked)
    else:
        author_name = typed_text(data.get("author_name"))
        author_role = typed_text(data.get("author_role"))
        if not author_name:
            errors["author_name"] = ValidationError(MESSAGES["input_author"], code="input_author")
    if errors:
        raise ValidationError(errors)
    note = MenteeInput.objects.create(
        organisation_id=locked.organisation_id,
        mentee=locked,
        author=by,
        author_name=author_name[:300],
        author_role=author_role[:300],
        source=source,
        text=text,
    )
    audit_record(
        locked.organisation_id,
        action=AuditAction.CREATE,
        object_type=AuditObject.MENTEE_INPUT,
        object_id=note.pk,
        label=locked.person.full_name,
        by=by,
        person=locked.person,
        changes=created({"source": source, "text": text, "author_name": author_name}),
    )
    return note
