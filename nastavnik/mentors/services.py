"""Writes to the mentor base, the selection, the registry, the mentor school and portfolios.
Views, feeds, the demo and tests all come through here.

Each function is atomic and validated: bad data raise ValidationError (per field where there is
one) and write nothing. Changes to a mentor's personal data are written to the audit log in the
same transaction.

The path of a mentor: a candidate (with a valid consent to take part) → put forward to the
commission (an external mentor only with valid documents) → scored by each member on their
own → approved or not by the commission (after at least 3 scores) → listed in the registry
order → registered when the director signs it. A mentor may leave at any point.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import User
from nastavnik.audit.models import AuditAction, AuditObject
from nastavnik.audit.services import audit_record, created, diff
from nastavnik.catalogue.models import MentoringForm, RoleModel
from nastavnik.catalogue.profile import (
    SLOT_CHOICES,
    SLOTS,
    MeetingFormat,
    MentorCategory,
    split_list,
)
from nastavnik.consents.models import Purpose
from nastavnik.consents.rules import is_hidden, may_use
from nastavnik.core.rules import rule_errors
from nastavnik.core.text import typed_text
from nastavnik.core.uploads import (
    checked_scan,
    delete_after_commit,
    store_scan,
)
from nastavnik.mentors import training_plan
from nastavnik.mentors.models import (
    COMMISSION_MAX,
    COMMISSION_MIN,
    CRITERIA_FIELDS,
    DECISION_MIN_SCORES,
    GROUP_LIMIT,
    ONE_TO_ONE_LIMIT,
    SCORE_MAX,
    SCORE_MIN,
    Attendance,
    CommissionMember,
    DocumentKind,
    Interview,
    Mentor,
    MentorDocument,
    MentorQuerySet,
    MentorStatus,
    PortfolioItem,
    PortfolioKind,
    SelectionScore,
    TrainingEvent,
)
from nastavnik.mentors.rules import category_for, documents_valid, documents_valid_q
from nastavnik.orders.kinds import OrderKind
from nastavnik.orders.models import Order, OrderStatus
from nastavnik.orders.services import default_signatory, order_create, order_next_number
from nastavnik.orgs.models import Membership, Role
from nastavnik.orgs.policy import Perm, allows
from nastavnik.people.models import Person
from nastavnik.people.validators import org_today
from nastavnik.programmes.fulfilment import roadmap_refresh
from nastavnik.programmes.models import Programme, ProgrammeForm
from nastavnik.programmes.services import programme_of_order, require_open

logger = logging.getLogger(__name__)

EXPERIENCE_MAX = 70
# A mentor who gives more than a working week a month to mentoring is a typing error.
HOURS_MAX = 60
NUMBER_MAX_LENGTH = 60
TOPIC_MAX_LENGTH = 300
TITLE_MAX_LENGTH = 300

MESSAGES = {
    "person": _("Choose a person of this organisation."),
    "no_consent": _(
        "%(name)s has no valid consent to take part in the mentoring programme: record the "
        "consent first."
    ),
    "taken": _("%(name)s is already in the mentor base of this programme."),
    "choice": _("Select a valid choice."),
    "forms": _("Choose mentoring forms of the organisation's catalogue."),
    "role_models": _("Choose role models of the chosen forms."),
    "slots": _("Choose the time available from the weekly grid."),
    "capacity_zero": _("A mentor takes at least 1 mentee."),
    "capacity_rule": _(
        "A mentor has at most %(limit)s mentees at once (regulation, §2.6); only a mentor who "
        "leads a group takes more."
    ),
    "capacity_group": _("A group has at most %(limit)s mentees."),
    "experience": _("Enter a number of years from 0 to %(max)s."),
    "hours": _("Enter a number of hours a month from 0 to %(max)s."),
    "preferences": _("Choose preferred mentees among the people of this organisation."),
    "left": _("%(name)s has left the programme."),
    "put_forward_status": _("Only a candidate can be put forward to the commission."),
    "documents": _(
        "%(name)s is an external mentor without valid documents: a certificate of no criminal "
        "record and medical documents are needed first."
    ),
    "leave_reason": _("Give the reason why the mentor leaves."),
    "leave_rejected": _("%(name)s was not approved and is out of the mentor base already."),
    "commission_size": _(
        "The commission has from %(min)s to %(max)s members; %(count)s are chosen."
    ),
    "commission_user": _(
        "%(name)s is not a member of this organisation who may score candidates: give them the "
        "role of commission member first."
    ),
    "commission_director": _(
        "The director heads the commission: include a member with the role of director."
    ),
    "commission_chair": _("The chair of the commission is a member with the role of director."),
    "commission_curator": _(
        "The curator is a member of the commission: include a member with the role of curator."
    ),
    "commission_scored": _("%(name)s has already scored candidates and stays in the commission."),
    "not_member": _("Only members of the programme's commission score its candidates."),
    "not_put_forward": _("Only candidates put forward to the commission are scored."),
    "own_candidacy": _("A member of the commission does not score their own candidacy."),
    "decided": _("The commission has decided on this candidate: scores are closed."),
    "scored_twice": _(
        "You have already scored this candidate: correct your score instead of adding another."
    ),
    "score_range": _("Score each criterion from %(min)s to %(max)s."),
    "not_own_score": _("Only the member who gave a score may correct it."),
    "decision_status": _("The commission decides on candidates put forward to it."),
    "decision_scores": _(
        "The commission decides after at least %(min)s members have scored the candidate; "
        "%(count)s have so far."
    ),
    "decision_note": _("Give the reason why the candidate is not approved."),
    "interview_date": _("Enter the date of the interview."),
    "not_future": _("The date cannot be later than today."),
    "interview_who": _("Say who interviewed the candidate."),
    "interview_notes": _("Write the notes of the interview."),
    "no_approved": _(
        "There is no approved mentor to list in the registry order: the commission approves "
        "mentors first (external mentors need valid documents)."
    ),
    "order_pending": _(
        "An order on the mentor registry is already prepared (№ %(number)s); open it instead."
    ),
    "document_kind": _("Choose the kind of document."),
    "document_number": _("Enter the number of the document."),
    "document_issued": _("Enter the date of issue."),
    "document_until": _("Enter the date the document is valid until."),
    "document_dates": _("A document is valid until a date after its date of issue."),
    "document_expired": _("The document expired on %(date)s: a valid one is needed."),
    "scan_required": _("Attach the scan of the document."),
    "event_date": _("Enter the date of the event."),
    "event_outside": _(
        "The date must fall within the academic year %(year)s, from %(start)s to %(end)s."
    ),
    "event_topic": _("Enter the topic of the event."),
    "too_long": _("At most %(max)s characters."),
    "attendance_future": _(
        "The event has not taken place yet: attendance is marked on the day or after it."
    ),
    "attendance_mentor": _("Mark the attendance of this programme's mentors only."),
    "training_note": _(
        "Say why the mentor school counts as completed (training elsewhere, a course …)."
    ),
    "portfolio_kind": _("Choose what the item is: an achievement, a document or a case."),
    "portfolio_title": _("Enter the title of the item."),
    "publish_consent": _(
        "%(name)s has no valid consent to publication on the organisation's website: the item "
        "cannot be published."
    ),
}

PROFILE_FIELDS = (
    "category",
    "competencies",
    "subjects",
    "experience_years",
    "hours_per_month",
    "availability",
    "meeting_format",
    "motivation",
    "leads_group",
    "capacity",
    "share_with_others",
    "preferences",
)
PROFILE_RELATIONS = ("forms", "role_models")


_error = rule_errors(MESSAGES)


def _add(errors: dict[str, list[ValidationError]], field: str, key: str, **params: Any) -> None:
    errors.setdefault(field, []).append(
        ValidationError(MESSAGES[key], code=key, params=params or None)
    )


def _raise(errors: dict[str, list[ValidationError]]) -> None:
    if errors:
        raise ValidationError(errors)


def _line(value: Any) -> str:
    return " ".join(str(value or "").split())


def _locked_programme(programme: Programme) -> Programme:
    locked = (
        Programme.objects.select_for_update()
        .select_related("academic_year", "organisation")
        .get(pk=programme.pk)
    )
    require_open(locked)
    return locked


def _locked_mentor(mentor: Mentor) -> Mentor:
    _locked_programme(mentor.programme)
    return (
        Mentor.objects.select_for_update()
        .select_related("person", "programme__academic_year", "organisation")
        .get(pk=mentor.pk)
    )


def _today(mentor_or_programme: Mentor | Programme) -> date:
    return org_today(mentor_or_programme.organisation)


def _audit(
    mentor: Mentor, action: AuditAction, by: User | None, changes: dict[str, list[Any]]
) -> None:
    audit_record(
        mentor.organisation_id,
        action=action,
        object_type=AuditObject.MENTOR,
        object_id=mentor.pk,
        label=mentor.person.full_name,
        by=by,
        changes=changes,
        person=mentor.person,
    )


def _snapshot(mentor: Mentor) -> dict[str, Any]:
    values = {field: getattr(mentor, field) for field in PROFILE_FIELDS}
    values["status"] = mentor.status
    if mentor.pk:
        values["forms"] = sorted(mentor.forms.values_list("pk", flat=True))
        values["role_models"] = sorted(mentor.role_models.values_list("pk", flat=True))
    return {k: (str(v) if isinstance(v, list) else v) for k, v in values.items()}


# --- The profile ------------------------------------------------------------------------------


class _Invalid:
    """What `_whole` returns for a value that is not a whole number."""


INVALID = _Invalid()


def _whole(value: Any) -> int | _Invalid | None:
    """A whole number, None for an empty value, INVALID for anything else."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return INVALID
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return INVALID


def _allowed_forms(programme: Programme) -> QuerySet[MentoringForm]:
    return MentoringForm.objects.available_to(programme.organisation)


def _clean_profile(
    programme: Programme, data: Mapping[str, Any], current: Mentor | None
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """The profile fields present in `data`, checked; every problem is reported at once.

    Returns the plain fields and the many-to-many ones (forms, role models) separately.
    """
    errors: dict[str, list[ValidationError]] = {}
    clean: dict[str, Any] = {}
    relations: dict[str, list[Any]] = {}
    unknown = set(data) - {*PROFILE_FIELDS, *PROFILE_RELATIONS}
    if unknown:
        raise TypeError(f"unknown mentor fields: {sorted(unknown)}")

    if "category" in data:
        if data["category"] not in MentorCategory.values:
            _add(errors, "category", "choice")
        clean["category"] = data["category"]
    for field in ("competencies", "motivation"):
        if field in data:
            clean[field] = typed_text(data[field])
    if "subjects" in data:
        value = data["subjects"]
        parts = split_list(value) if isinstance(value, str) else [_line(v) for v in value or []]
        clean["subjects"] = ", ".join(dict.fromkeys(p for p in parts if p))[:300]
    for field, key, limit in (
        ("experience_years", "experience", EXPERIENCE_MAX),
        ("hours_per_month", "hours", HOURS_MAX),
    ):
        if field in data:
            number = _whole(data[field])
            if isinstance(number, _Invalid) or (number is not None and not 0 <= number <= limit):
                _add(errors, field, key, max=limit)
            clean[field] = number
    if "availability" in data:
        slots = list(dict.fromkeys(data["availability"] or []))
        if any(slot not in SLOTS for slot in slots):
            _add(errors, "availability", "slots")
        clean["availability"] = [value for value, _label in SLOT_CHOICES if value in slots]
    if "meeting_format" in data:
        if data["meeting_format"] not in MeetingFormat.values:
            _add(errors, "meeting_format", "choice")
        clean["meeting_format"] = data["meeting_format"]
    for field in ("leads_group", "share_with_others"):
        if field in data:
            clean[field] = bool(data[field])
    if "capacity" in data or "leads_group" in data:
        leads_group = clean.get("leads_group", current.leads_group if current else False)
        capacity = _whole(data.get("capacity", current.capacity if current else None))
        if capacity is None and "capacity" not in data:
            capacity = ONE_TO_ONE_LIMIT
        if not isinstance(capacity, int) or capacity < 1:
            _add(errors, "capacity", "capacity_zero")
        elif not leads_group and capacity > ONE_TO_ONE_LIMIT:
            _add(errors, "capacity", "capacity_rule", limit=ONE_TO_ONE_LIMIT)
        elif leads_group and capacity > GROUP_LIMIT:
            _add(errors, "capacity", "capacity_group", limit=GROUP_LIMIT)
        clean["capacity"] = capacity
    if "preferences" in data:
        wanted = [_whole(v) for v in data["preferences"] or []]
        pks = list(dict.fromkeys(v for v in wanted if isinstance(v, int)))
        found = set(
            Person.objects.for_org(programme.organisation)
            .filter(pk__in=pks)
            .values_list("pk", flat=True)
        )
        own = current.person_id if current else None
        if len(pks) != len(wanted) or set(pks) - found or own in pks:
            _add(errors, "preferences", "preferences")
        clean["preferences"] = pks

    forms = None
    if "forms" in data:
        forms = list(data["forms"] or [])
        allowed = set(_allowed_forms(programme).values_list("pk", flat=True))
        if any(getattr(form, "pk", None) not in allowed for form in forms):
            _add(errors, "forms", "forms")
        relations["forms"] = forms
    if "role_models" in data:
        models = list(data["role_models"] or [])
        if forms is None:
            forms = list(current.forms.all()) if current and current.pk else []
        form_pks = {form.pk for form in forms if getattr(form, "pk", None)}
        allowed_models = set(
            RoleModel.objects.available_to(programme.organisation)
            .filter(form_id__in=form_pks)
            .values_list("pk", flat=True)
        )
        if any(getattr(model, "pk", None) not in allowed_models for model in models):
            _add(errors, "role_models", "role_models")
        relations["role_models"] = models
    _raise(errors)
    return clean, relations


def _check_consent(person: Person, day: date) -> None:
    if is_hidden(person, day) or not may_use(person, Purpose.PARTICIPATION, day):
        raise _error("no_consent", name=person.full_name)


def _profile_defaults(person: Person) -> dict[str, Any]:
    """What the person's record already says: a teacher's subjects and experience."""
    return {
        "category": category_for(person),
        "subjects": person.subjects,
        "experience_years": person.experience_years,
    }


@transaction.atomic
def mentor_add(
    programme: Programme,
    person: Person,
    data: Mapping[str, Any] | None = None,
    *,
    by: User | None,
) -> Mentor:
    """A person of the organisation enters the programme's mentor base as a candidate."""
    locked = _locked_programme(programme)
    if person.organisation_id != locked.organisation_id:
        raise _error("person", "person")
    _check_consent(person, _today(locked))
    if Mentor.objects.filter(programme=locked, person=person).exists():
        raise _error("taken", "person", name=person.full_name)
    values = {**_profile_defaults(person), "capacity": ONE_TO_ONE_LIMIT, **(data or {})}
    clean, relations = _clean_profile(locked, values, None)
    mentor = Mentor.objects.create(
        organisation=locked.organisation,
        programme=locked,
        person=person,
        added_by=by,
        **clean,
    )
    for field, values_ in relations.items():
        getattr(mentor, field).set(values_)
    _audit(mentor, AuditAction.CREATE, by, created(_snapshot(mentor)))
    logger.info("mentor %s added to programme %s by %s", mentor.pk, locked.pk, by)
    return mentor


@transaction.atomic
def mentor_update(mentor: Mentor, data: Mapping[str, Any], *, by: User | None) -> Mentor:
    """Change the profile fields given in `data` (the others stay)."""
    locked = _locked_mentor(mentor)
    if locked.status == MentorStatus.LEFT:
        raise _error("left", name=locked.person.full_name)
    before = _snapshot(locked)
    clean, relations = _clean_profile(locked.programme, data, locked)
    for field, value in clean.items():
        setattr(locked, field, value)
    if clean:
        locked.save(update_fields=[*clean, "updated_at"])
    for field, values in relations.items():
        getattr(locked, field).set(values)
    changes = diff(before, _snapshot(locked))
    if changes:
        _audit(locked, AuditAction.UPDATE, by, changes)
        logger.info("mentor %s updated (%s) by %s", locked.pk, ", ".join(changes), by)
    _refresh(mentor, locked)
    return mentor


def _refresh(target: Mentor, source: Mentor) -> None:
    """Bring the caller's instance up to the row just written."""
    for field in (*PROFILE_FIELDS, "status", "decided_on", "decision_note", "left_on"):
        setattr(target, field, getattr(source, field))
    for field in ("left_reason", "registry_order_id", "training_marked_on", "training_note"):
        setattr(target, field, getattr(source, field))


def _set_status(mentor: Mentor, by: User | None, **fields: Any) -> None:
    before = {field: getattr(mentor, field) for field in fields}
    for field, value in fields.items():
        setattr(mentor, field, value)
    mentor.save(update_fields=[*fields, "updated_at"])
    _audit(mentor, AuditAction.UPDATE, by, diff(before, fields))


@transaction.atomic
def mentor_put_forward(mentor: Mentor, *, by: User | None) -> Mentor:
    """A candidate goes to the commission: with a valid consent, and an external mentor with
    valid documents."""
    locked = _locked_mentor(mentor)
    if locked.status != MentorStatus.CANDIDATE:
        raise _error("put_forward_status")
    today = _today(locked)
    _check_consent(locked.person, today)
    if not documents_valid(locked, today):
        raise _error("documents", name=locked.person.full_name)
    _set_status(locked, by, status=MentorStatus.SELECTION)
    logger.info("mentor %s put forward by %s", locked.pk, by)
    _refresh(mentor, locked)
    return mentor


@transaction.atomic
def mentor_leave(mentor: Mentor, reason: str, *, by: User | None) -> Mentor:
    """The mentor leaves the programme (their request, left the organisation …)."""
    locked = _locked_mentor(mentor)
    if locked.status == MentorStatus.LEFT:
        raise _error("left", name=locked.person.full_name)
    if locked.status == MentorStatus.REJECTED:
        raise _error("leave_rejected", name=locked.person.full_name)
    reason = typed_text(reason)
    if not reason:
        raise _error("leave_reason", "reason")
    _set_status(locked, by, status=MentorStatus.LEFT, left_on=_today(locked), left_reason=reason)
    logger.info("mentor %s left the programme (%s)", locked.pk, by)
    _refresh(mentor, locked)
    return mentor


# --- Documents of external mentors ---------------------------------------------------------------


@transaction.atomic
def document_save(
    mentor: Mentor,
    kind: str,
    *,
    number: str,
    issued_on: date | None,
    valid_until: date | None,
    scan: File | None,
    by: User | None,
) -> MentorDocument:
    """Record the person's document of `kind`, replacing the one there was: a new number,
    dates and scan (PDF, JPEG or PNG)."""
    locked = _locked_mentor(mentor)
    person = locked.person
    today = _today(locked)
    errors: dict[str, list[ValidationError]] = {}
    if kind not in DocumentKind.values:
        _add(errors, "kind", "document_kind")
    number = _line(number)
    if not number:
        _add(errors, "number", "document_number")
    elif len(number) > NUMBER_MAX_LENGTH:
        _add(errors, "number", "too_long", max=NUMBER_MAX_LENGTH)
    if issued_on is None:
        _add(errors, "issued_on", "document_issued")
    elif issued_on > today:
        _add(errors, "issued_on", "not_future")
    if valid_until is None:
        _add(errors, "valid_until", "document_until")
    elif issued_on is not None and valid_until <= issued_on:
        _add(errors, "valid_until", "document_dates")
    elif valid_until < today:
        _add(
            errors,
            "valid_until",
            "document_expired",
            date=date_format(valid_until, "SHORT_DATE_FORMAT"),
        )
    upload = checked_scan(scan, "scan", errors)
    if not scan:
        _add(errors, "scan", "scan_required")
    _raise(errors)

    document = MentorDocument.objects.filter(person=person, kind=kind).first()
    before: dict[str, Any] = {}
    if document is None:
        document = MentorDocument(organisation_id=person.organisation_id, person=person, kind=kind)
        action = AuditAction.CREATE
    else:
        before = {"number": document.number, "issued_on": document.issued_on}
        before["valid_until"] = document.valid_until
        action = AuditAction.UPDATE
    document.number, document.issued_on, document.valid_until = number, issued_on, valid_until  # type: ignore[assignment]
    document.added_by = by
    store_scan(document.scan, upload, f"mentors/{person.organisation_id}/documents")
    document.save()
    after = {"number": number, "issued_on": issued_on, "valid_until": valid_until}
    audit_record(
        person.organisation_id,
        action=action,
        object_type=AuditObject.MENTOR_DOCUMENT,
        object_id=document.pk,
        label=str(DocumentKind(kind).label),
        by=by,
        changes=diff(before, after),
        person=person,
    )
    logger.info("document %s (%s) of person %s saved by %s", document.pk, kind, person.pk, by)
    return document


# --- The commission and its scores ---------------------------------------------------------------


def _roles_of(organisation_id: int, users: Iterable[User]) -> dict[int, set[str]]:
    roles: dict[int, set[str]] = {}
    for user_id, role in Membership.objects.filter(
        organisation_id=organisation_id, user__in=[u.pk for u in users]
    ).values_list("user_id", "role"):
        roles.setdefault(user_id, set()).add(role)
    return roles


def _member_name(user: User) -> str:
    return user.get_full_name() or user.email


@transaction.atomic
def commission_set(
    programme: Programme,
    members: Iterable[User],
    *,
    chair: User | None = None,
    by: User | None,
) -> list[CommissionMember]:
    """The programme's selection commission: 3–5 accounts of the organisation that may score,
    the director at its head (the chair; by default the member with the director's role), the
    curator among them. A member who has scored stays."""
    locked = _locked_programme(programme)
    chosen = list({user.pk: user for user in members}.values())
    roles = _roles_of(locked.organisation_id, chosen)
    errors: list[ValidationError] = []
    if not COMMISSION_MIN <= len(chosen) <= COMMISSION_MAX:
        errors.append(
            ValidationError(
                MESSAGES["commission_size"],
                code="commission_size",
                params={"min": COMMISSION_MIN, "max": COMMISSION_MAX, "count": len(chosen)},
            )
        )
    for user in chosen:
        if not allows(roles.get(user.pk, set()), Perm.SELECTION_SCORE):
            errors.append(
                ValidationError(
                    MESSAGES["commission_user"],
                    code="commission_user",
                    params={"name": _member_name(user)},
                )
            )
    directors = [u for u in chosen if Role.DIRECTOR in roles.get(u.pk, set())]
    if not directors:
        errors.append(ValidationError(MESSAGES["commission_director"], code="director"))
    elif chair is not None and chair.pk not in {u.pk for u in directors}:
        errors.append(ValidationError(MESSAGES["commission_chair"], code="chair"))
    if not any(Role.CURATOR in roles.get(u.pk, set()) for u in chosen):
        errors.append(ValidationError(MESSAGES["commission_curator"], code="curator"))
    current = list(CommissionMember.objects.filter(programme=locked).select_related("user"))
    keep = {user.pk for user in chosen}
    leaving = [m for m in current if m.user_id not in keep]
    for member in leaving:
        if SelectionScore.objects.filter(member=member).exists():
            errors.append(
                ValidationError(
                    MESSAGES["commission_scored"],
                    code="commission_scored",
                    params={"name": _member_name(member.user)},
                )
            )
    if errors:
        raise ValidationError(errors)

    head = chair if chair is not None else directors[0]
    CommissionMember.objects.filter(pk__in=[m.pk for m in leaving]).delete()
    CommissionMember.objects.filter(programme=locked).update(is_chair=False)
    present = {m.user_id for m in current if m.user_id in keep}
    CommissionMember.objects.bulk_create(
        CommissionMember(organisation=locked.organisation, programme=locked, user=user)
        for user in chosen
        if user.pk not in present
    )
    CommissionMember.objects.filter(programme=locked, user=head).update(is_chair=True)
    logger.info("commission of programme %s set (%s members) by %s", locked.pk, len(chosen), by)
    return list(CommissionMember.objects.filter(programme=locked).select_related("user"))


def commission_member(programme: Programme, user: User) -> CommissionMember | None:
    if not user.is_authenticated:
        return None
    return CommissionMember.objects.filter(programme=programme, user=user).first()


def _clean_scores(scores: Mapping[str, Any]) -> dict[str, int]:
    errors: dict[str, list[ValidationError]] = {}
    clean: dict[str, int] = {}
    for field in CRITERIA_FIELDS:
        value = _whole(scores.get(field))
        if not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
            _add(errors, field, "score_range", min=SCORE_MIN, max=SCORE_MAX)
        else:
            clean[field] = value
    _raise(errors)
    return clean


def _check_scorable(mentor: Mentor) -> None:
    if mentor.status in (MentorStatus.APPROVED, MentorStatus.REJECTED, MentorStatus.REGISTERED):
        raise _error("decided")
    if mentor.status != MentorStatus.SELECTION:
        raise _error("not_put_forward")


def _audit_score(score: SelectionScore, action: AuditAction, by: User | None, changes: Any) -> None:
    audit_record(
        score.organisation_id,
        action=action,
        object_type=AuditObject.SELECTION_SCORE,
        object_id=score.pk,
        label=score.mentor.person.full_name,
        by=by,
        changes=changes,
        person=score.mentor.person,
    )


@transaction.atomic
def score_record(
    mentor: Mentor,
    member_user: User,
    scores: Mapping[str, Any],
    note: str = "",
    *,
    by: User | None,
) -> SelectionScore:
    """A member's scores of a candidate put forward: 0–5 a criterion, once per member."""
    locked = _locked_mentor(mentor)
    member = commission_member(locked.programme, member_user)
    if member is None:
        raise _error("not_member")
    if locked.person.user_id == member_user.pk:
        raise _error("own_candidacy")
    _check_scorable(locked)
    if SelectionScore.objects.filter(mentor=locked, member=member).exists():
        raise _error("scored_twice")
    clean = _clean_scores(scores)
    score = SelectionScore.objects.create(
        organisation=locked.organisation,
        mentor=locked,
        member=member,
        note=typed_text(note),
        **clean,
    )
    _audit_score(score, AuditAction.CREATE, by, created({**clean, "note": score.note}))
    logger.info("mentor %s scored by member %s", locked.pk, member.pk)
    return score


@transaction.atomic
def score_correct(
    score: SelectionScore,
    member_user: User,
    scores: Mapping[str, Any],
    note: str = "",
    *,
    by: User | None,
) -> SelectionScore:
    """The member corrects their own score, until the commission decides."""
    locked = _locked_mentor(score.mentor)
    if score.member.user_id != member_user.pk:
        raise _error("not_own_score")
    _check_scorable(locked)
    clean = _clean_scores(scores)
    before = {field: getattr(score, field) for field in (*CRITERIA_FIELDS, "note")}
    for field, value in clean.items():
        setattr(score, field, value)
    score.note = typed_text(note)
    score.save()
    _audit_score(score, AuditAction.UPDATE, by, diff(before, {**clean, "note": score.note}))
    return score


@transaction.atomic
def decision_record(mentor: Mentor, approved: bool, note: str = "", *, by: User | None) -> Mentor:
    """The commission approves the candidate or not, after at least 3 members scored."""
    locked = _locked_mentor(mentor)
    if locked.status != MentorStatus.SELECTION:
        raise _error("decision_status")
    count = SelectionScore.objects.filter(mentor=locked).count()
    if count < DECISION_MIN_SCORES:
        raise _error("decision_scores", min=DECISION_MIN_SCORES, count=count)
    note = typed_text(note)
    today = _today(locked)
    if approved:
        _check_consent(locked.person, today)
        if not documents_valid(locked, today):
            raise _error("documents", name=locked.person.full_name)
    elif not note:
        raise _error("decision_note", "note")
    _set_status(
        locked,
        by,
        status=MentorStatus.APPROVED if approved else MentorStatus.REJECTED,
        decided_on=today,
        decision_note=note,
    )
    logger.info("mentor %s %s by %s", locked.pk, "approved" if approved else "rejected", by)
    _refresh(mentor, locked)
    return mentor


@transaction.atomic
def interview_add(mentor: Mentor, data: Mapping[str, Any], *, by: User | None) -> Interview:
    locked = _locked_mentor(mentor)
    errors: dict[str, list[ValidationError]] = {}
    held_on = data.get("held_on")
    if not held_on:
        _add(errors, "held_on", "interview_date")
    elif held_on > _today(locked):
        _add(errors, "held_on", "not_future")
    interviewers = _line(data.get("interviewers"))
    if not interviewers:
        _add(errors, "interviewers", "interview_who")
    elif len(interviewers) > 300:
        _add(errors, "interviewers", "too_long", max=300)
    notes = typed_text(data.get("notes"))
    if not notes:
        _add(errors, "notes", "interview_notes")
    _raise(errors)
    interview = Interview.objects.create(
        organisation=locked.organisation,
        mentor=locked,
        held_on=held_on,
        interviewers=interviewers,
        psychologist_present=bool(data.get("psychologist_present")),
        notes=notes,
        recorded_by=by,
    )
    logger.info("interview %s with mentor %s recorded by %s", interview.pk, locked.pk, by)
    return interview


# --- The registry and its order ------------------------------------------------------------------


def registry_orders(programme: Programme) -> QuerySet[Order]:
    """Orders on the mentor registry of the programme."""
    return Order.objects.filter(
        organisation=programme.organisation, kind=OrderKind.MENTOR_REGISTRY
    ).about(programme)


def awaiting_registry(programme: Programme, on: date) -> QuerySet[Mentor]:
    """Approved mentors not yet in a signed registry order, with valid documents."""
    return (
        Mentor.objects.filter(programme=programme, status=MentorStatus.APPROVED)
        .filter(documents_valid_q(on))
        .select_related("person")
        .order_by("person__name_key", "pk")
    )


def registry_title(programme: Programme, supplement: bool) -> str:
    year = programme.academic_year.label
    if supplement:
        return f"О дополнении реестра наставников на {year} учебный год"
    return f"Об утверждении реестра наставников на {year} учебный год"


@transaction.atomic
def registry_order_create(
    programme: Programme,
    *,
    by: User | None,
    number: str | None = None,
    date: date | None = None,
    signatory: Person | None = None,
    signatory_position: str = "",
) -> Order:
    """The draft order approving the registry of the mentors the commission approved (or, once
    a registry order is signed, adding the newly approved to it). Number, date and signatory
    default to the next number, today and the director."""
    locked = _locked_programme(programme)
    pending = registry_orders(locked).filter(status=OrderStatus.DRAFT).first()
    if pending is not None:
        raise _error("order_pending", number=pending.number)
    day = date or _today(locked)
    mentors = list(awaiting_registry(locked, day))
    if not mentors:
        raise _error("no_approved")
    supplement = registry_orders(locked).filter(status=OrderStatus.SIGNED).exists()
    organisation = locked.organisation
    return order_create(
        organisation,
        OrderKind.MENTOR_REGISTRY,
        number=number if number is not None else order_next_number(organisation, day.year),
        date=day,
        signatory=signatory if signatory is not None else default_signatory(organisation),
        signatory_position=signatory_position,
        title=registry_title(locked, supplement),
        subjects=[locked, *mentors],
        by=by,
    )


def mentors_of_order(order: Order) -> QuerySet[Mentor]:
    return Mentor.objects.filter(organisation=order.organisation, pk__in=order.subject_pks(Mentor))


def registry_order_signed(order: Order, by: User | None) -> None:
    """The sign hook of registry orders (see `orders.kinds`): the approved mentors the order
    lists enter the registry. One who left or was turned down since stays where they are."""
    programme = programme_of_order(order)
    listed = list(
        mentors_of_order(order)
        .filter(programme=programme, status=MentorStatus.APPROVED)
        .select_related("person")
        .select_for_update()
    )
    Mentor.objects.filter(pk__in=[m.pk for m in listed]).update(
        status=MentorStatus.REGISTERED, registry_order=order, updated_at=timezone.now()
    )
    for mentor in listed:
        _audit(
            mentor,
            AuditAction.UPDATE,
            by,
            {
                "status": [MentorStatus.APPROVED, MentorStatus.REGISTERED],
                "registry_order": [None, order.pk],
            },
        )
    # The roadmap's step «approve the registry by an order» is fulfilled by this very order.
    roadmap_refresh(programme, org_today(programme.organisation))
    logger.info("order %s registered %s mentors (%s)", order.pk, len(listed), by)


# --- The mentor school ---------------------------------------------------------------------------


def _check_in_year(
    programme: Programme, day: date | None, errors: dict[str, list[ValidationError]]
) -> None:
    year = programme.academic_year
    if day is None:
        _add(errors, "held_on", "event_date")
    elif not year.starts_on <= day <= year.ends_on:
        _add(
            errors,
            "held_on",
            "event_outside",
            year=year.label,
            start=date_format(year.starts_on, "SHORT_DATE_FORMAT"),
            end=date_format(year.ends_on, "SHORT_DATE_FORMAT"),
        )


def _clean_event(programme: Programme, data: Mapping[str, Any]) -> tuple[dict[str, Any], Any]:
    errors: dict[str, list[ValidationError]] = {}
    held_on = data.get("held_on") or None
    _check_in_year(programme, held_on, errors)
    topic = _line(data.get("topic"))
    if not topic:
        _add(errors, "topic", "event_topic")
    elif len(topic) > TOPIC_MAX_LENGTH:
        _add(errors, "topic", "too_long", max=TOPIC_MAX_LENGTH)
    trainer = _line(data.get("trainer"))
    if len(trainer) > 200:
        _add(errors, "trainer", "too_long", max=200)
    upload = checked_scan(data.get("materials"), "materials", errors)
    _raise(errors)
    clean = {
        "held_on": held_on,
        "topic": topic,
        "trainer": trainer,
        "description": typed_text(data.get("description")),
        "required": bool(data.get("required")),
    }
    return clean, upload


@transaction.atomic
def training_event_create(
    programme: Programme, data: Mapping[str, Any], *, by: User | None
) -> TrainingEvent:
    locked = _locked_programme(programme)
    clean, upload = _clean_event(locked, data)
    event = TrainingEvent(organisation=locked.organisation, programme=locked, **clean)
    store_scan(event.materials, upload, f"mentors/{event.organisation_id}/training")
    event.save()
    logger.info("training event %s added to programme %s by %s", event.pk, locked.pk, by)
    return event


@transaction.atomic
def training_event_update(
    event: TrainingEvent, data: Mapping[str, Any], *, by: User | None
) -> TrainingEvent:
    locked = _locked_programme(event.programme)
    clean, upload = _clean_event(locked, data)
    for field, value in clean.items():
        setattr(event, field, value)
    store_scan(event.materials, upload, f"mentors/{event.organisation_id}/training")
    event.save()
    logger.info("training event %s updated by %s", event.pk, by)
    return event


@transaction.atomic
def training_event_delete(event: TrainingEvent, *, by: User | None) -> None:
    _locked_programme(event.programme)
    previous = event.materials.name
    logger.info("training event %s deleted by %s", event.pk, by)
    event.delete()
    delete_after_commit(previous)


@transaction.atomic
def training_plan_fill(programme: Programme, *, by: User | None) -> list[TrainingEvent]:
    """The events of the mentor school's calendar plan (seed 000 §8) across the academic year.
    Run again, it adds only what is missing: nothing the curator edited or deleted by hand
    is touched, and nothing comes twice."""
    locked = _locked_programme(programme)
    present = set(
        TrainingEvent.objects.filter(programme=locked)
        .exclude(plan_code="")
        .values_list("plan_code", flat=True)
    )
    start_year = locked.academic_year.start_year
    made = TrainingEvent.objects.bulk_create(
        TrainingEvent(
            organisation=locked.organisation,
            programme=locked,
            held_on=training_plan.date_for(item, start_year),
            topic=item.topic,
            trainer=item.trainer,
            description=item.description,
            required=item.required,
            plan_code=item.code,
        )
        for item in training_plan.EVENTS
        if item.code not in present
    )
    logger.info(
        "mentor school plan of programme %s: %s events added by %s", locked.pk, len(made), by
    )
    return made


def attendance_candidates(programme: Programme) -> MentorQuerySet:
    """Who is expected at the mentor school: the programme's mentors still in the base."""
    return (
        Mentor.objects.filter(programme=programme)
        .active()
        .select_related("person")
        .order_by("person__name_key", "pk")
    )


@transaction.atomic
def attendance_set(
    event: TrainingEvent, mentors: Iterable[Mentor], *, by: User | None
) -> list[Attendance]:
    """Who attended the event: the list replaces what was marked."""
    locked = _locked_programme(event.programme)
    if event.held_on > _today(locked):
        raise _error("attendance_future")
    chosen = list({mentor.pk: mentor for mentor in mentors}.values())
    allowed = set(attendance_candidates(locked).values_list("pk", flat=True))
    if any(mentor.pk not in allowed for mentor in chosen):
        raise _error("attendance_mentor", "mentors")
    keep = {mentor.pk for mentor in chosen}
    Attendance.objects.filter(event=event).exclude(mentor_id__in=keep).delete()
    present = set(Attendance.objects.filter(event=event).values_list("mentor_id", flat=True))
    Attendance.objects.bulk_create(
        Attendance(organisation=locked.organisation, event=event, mentor=mentor)
        for mentor in chosen
        if mentor.pk not in present
    )
    logger.info("attendance of training event %s: %s mentors (%s)", event.pk, len(keep), by)
    return list(Attendance.objects.filter(event=event))


@transaction.atomic
def training_mark(mentor: Mentor, completed: bool, note: str = "", *, by: User | None) -> Mentor:
    """The curator marks the mentor school completed (with the reason) or takes the mark off:
    then attendance decides again."""
    locked = _locked_mentor(mentor)
    note = typed_text(note)
    if completed and not note:
        raise _error("training_note", "note")
    _set_status(
        locked,
        by,
        training_marked_on=_today(locked) if completed else None,
        training_note=note if completed else "",
    )
    _refresh(mentor, locked)
    return mentor


# --- Portfolios ----------------------------------------------------------------------------------


def _clean_item(data: Mapping[str, Any]) -> tuple[dict[str, Any], Any]:
    errors: dict[str, list[ValidationError]] = {}
    kind = data.get("kind")
    if kind not in PortfolioKind.values:
        _add(errors, "kind", "portfolio_kind")
    title = _line(data.get("title"))
    if not title:
        _add(errors, "title", "portfolio_title")
    elif len(title) > TITLE_MAX_LENGTH:
        _add(errors, "title", "too_long", max=TITLE_MAX_LENGTH)
    upload = checked_scan(data.get("file"), "file", errors)
    _raise(errors)
    clean = {"kind": kind, "title": title, "text": typed_text(data.get("text"))}
    clean["dated"] = data.get("dated") or None
    return clean, upload


def _lock_person(person: Person) -> Person:
    return Person.objects.select_for_update().get(pk=person.pk)


@transaction.atomic
def portfolio_item_create(
    person: Person, data: Mapping[str, Any], *, by: User | None
) -> PortfolioItem:
    _lock_person(person)
    clean, upload = _clean_item(data)
    item = PortfolioItem(
        organisation_id=person.organisation_id, person=person, added_by=by, **clean
    )
    store_scan(item.file, upload, f"mentors/{item.organisation_id}/portfolio")
    item.save()
    logger.info("portfolio item %s of person %s added by %s", item.pk, person.pk, by)
    return item


@transaction.atomic
def portfolio_item_update(
    item: PortfolioItem, data: Mapping[str, Any], *, by: User | None
) -> PortfolioItem:
    clean, upload = _clean_item(data)
    for field, value in clean.items():
        setattr(item, field, value)
    store_scan(item.file, upload, f"mentors/{item.organisation_id}/portfolio")
    item.save()
    logger.info("portfolio item %s updated by %s", item.pk, by)
    return item


@transaction.atomic
def portfolio_item_delete(item: PortfolioItem, *, by: User | None) -> None:
    previous = item.file.name
    logger.info("portfolio item %s deleted by %s", item.pk, by)
    item.delete()
    delete_after_commit(previous)


@transaction.atomic
def portfolio_publish(item: PortfolioItem, publish: bool, *, by: User | None) -> PortfolioItem:
    """Publish an item on the organisation's site (with a valid consent to publication only),
    or take it off."""
    person = _lock_person(item.person)
    if publish and (
        is_hidden(person)
        or not may_use(person, Purpose.PUBLICATION, org_today(person.organisation))
    ):
        raise _error("publish_consent", name=person.full_name)
    item.published = publish
    item.published_at = timezone.now() if publish else None
    item.save(update_fields=["published", "published_at", "updated_at"])
    logger.info("portfolio item %s %s by %s", item.pk, "published" if publish else "hidden", by)
    return item


# --- For the other stages -------------------------------------------------------------------------


def programme_forms(programme: Programme) -> QuerySet[MentoringForm]:
    """The forms to offer on a mentor's profile: the year's forms, or the catalogue's when the
    programme has none chosen yet."""
    chosen = ProgrammeForm.objects.filter(programme=programme).values("form_id")
    forms = MentoringForm.objects.filter(pk__in=chosen)
    return forms if forms.exists() else _allowed_forms(programme)
