"""Writes of the case library: write a case (from a pair or on its own), edit, publish, take off
the site, delete. Each is atomic and validated; a refusal changes nothing.

Publishing a case that names a pair needs the consent to publication of every person of the
pair today; without it the case can be published only without names. The consent is checked
again whenever the case is shown (`rules.py`), so a later withdrawal takes the names off at
once and no job has to catch up.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import User
from nastavnik.audit.models import AuditAction, AuditObject
from nastavnik.audit.services import audit_record, created, diff
from nastavnik.cases.models import Case, CaseStatus
from nastavnik.cases.rules import lacking_consent, named_people
from nastavnik.cases.search import search_text
from nastavnik.catalogue.models import MentoringForm, RoleModel
from nastavnik.core.rules import rule_errors
from nastavnik.mentorships.models import Mentorship
from nastavnik.programmes.models import Programme

MESSAGES = {
    "title_required": _("Give the case a title."),
    "form_required": _("Choose the form of mentoring."),
    "form_unknown": _("This form of mentoring is not available to the organisation."),
    "role_model_of_other_form": _("The role model belongs to another form of mentoring."),
    "mentorship_elsewhere": _("The pair or group is not one of this programme."),
    "programme_elsewhere": _("The programme is not one of this organisation."),
    "incomplete": _("Before publishing, describe what was done and the results."),
    "no_consent": _(
        "Not everyone named has a valid consent to publication: %(names)s. Publish the case "
        "without names, or collect the consents first."
    ),
    "already_published": _("The case is already published."),
    "not_published": _("The case is not published."),
}

#: The fields a case form writes.
FIELDS: tuple[str, ...] = (
    "title",
    "form",
    "role_model",
    "situation",
    "actions",
    "results",
    "lessons",
    "keywords",
    "without_names",
)


_error = rule_errors(MESSAGES)


def _clean(programme: Programme, mentorship: Mentorship | None, data: dict[str, Any]) -> dict:
    values = {field: data.get(field) for field in FIELDS}
    for field in ("title", "situation", "actions", "results", "lessons", "keywords"):
        values[field] = (values[field] or "").strip()
    values["keywords"] = ", ".join(
        dict.fromkeys(k.strip() for k in values["keywords"].split(",") if k.strip())
    )
    values["without_names"] = bool(values["without_names"])
    if not values["title"]:
        raise _error("title_required", "title")
    form: MentoringForm | None = values["form"] or (mentorship.form if mentorship else None)
    if form is None:
        raise _error("form_required", "form")
    if not MentoringForm.objects.available_to(programme.organisation).filter(pk=form.pk).exists():
        raise _error("form_unknown", "form")
    values["form"] = form
    role_model: RoleModel | None = values["role_model"]
    if role_model is not None and role_model.form_id != form.pk:
        raise _error("role_model_of_other_form", "role_model")
    return values


def _check_publishable(case: Case, on: date | None) -> None:
    if not case.actions or not case.results:
        raise _error("incomplete")
    if case.without_names:
        return
    missing = lacking_consent(case, on)
    if missing:
        raise _error("no_consent", names=", ".join(person.full_name for person in missing))


def _snapshot(case: Case) -> dict[str, Any]:
    return {
        "title": case.title,
        "form": case.form_id,
        "role_model": case.role_model_id,
        "situation": case.situation,
        "actions": case.actions,
        "results": case.results,
        "lessons": case.lessons,
        "keywords": case.keywords,
        "without_names": case.without_names,
        "status": case.status,
    }


def _audit(case: Case, action: AuditAction, changes: dict, by: User | None) -> None:
    people = named_people(case)
    audit_record(
        case.organisation_id,
        action=action,
        object_type=AuditObject.CASE,
        object_id=case.pk,
        label=case.title,
        by=by,
        changes=changes,
        person=people[0] if people and not case.without_names else None,
    )


@transaction.atomic
def case_create(
    programme: Programme,
    data: dict[str, Any],
    by: User | None,
    mentorship: Mentorship | None = None,
) -> Case:
    """A draft case of `programme`; with `mentorship`, about that pair or group (of the same
    programme), taking its form and role model unless the data choose others."""
    if mentorship is not None and mentorship.programme_id != programme.pk:
        raise _error("mentorship_elsewhere")
    values = _clean(programme, mentorship, data)
    if values["role_model"] is None and mentorship is not None and not data.get("form"):
        values["role_model"] = mentorship.role_model
    case = Case.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        mentorship=mentorship,
        author=by,
        search_text=search_text(values),
        **values,
    )
    _audit(case, AuditAction.CREATE, created(_snapshot(case)), by)
    return case


@transaction.atomic
def case_update(case: Case, data: dict[str, Any], by: User | None) -> Case:
    """Edit a case. A published one stays published only as long as it may be: switching its
    names back on needs the consents, as publishing does."""
    locked = (
        Case.objects.select_related("programme__organisation", "mentorship")
        .select_for_update(of=("self",))
        .get(pk=case.pk)
    )
    before = _snapshot(locked)
    values = _clean(locked.programme, locked.mentorship, data)
    for field, value in values.items():
        setattr(locked, field, value)
    locked.search_text = search_text(values)
    if locked.is_published:
        _check_publishable(locked, None)
    locked.save(update_fields=[*FIELDS, "search_text", "updated_at"])
    changes = diff(before, _snapshot(locked))
    if changes:
        _audit(locked, AuditAction.UPDATE, changes, by)
    return locked


@transaction.atomic
def case_publish(case: Case, by: User | None, on: date | None = None) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status == CaseStatus.PUBLISHED:
        raise _error("already_published")
    # Checked on the row as it is now: the texts and the mark «without names» someone else
    # may have just changed, the pair as it stands.
    _check_publishable(locked, on)
    case.status = locked.status = CaseStatus.PUBLISHED
    case.published_at = locked.published_at = timezone.now()
    locked.save(update_fields=["status", "published_at", "updated_at"])
    _audit(case, AuditAction.UPDATE, {"status": [CaseStatus.DRAFT, CaseStatus.PUBLISHED]}, by)
    return case


@transaction.atomic
def case_unpublish(case: Case, by: User | None) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status != CaseStatus.PUBLISHED:
        raise _error("not_published")
    case.status = CaseStatus.DRAFT
    case.published_at = None
    case.save(update_fields=["status", "published_at", "updated_at"])
    _audit(case, AuditAction.UPDATE, {"status": [CaseStatus.PUBLISHED, CaseStatus.DRAFT]}, by)
    return case


@transaction.atomic
def case_delete(case: Case, by: User | None) -> None:
    _audit(
        case,
        AuditAction.DELETE,
        {field: [values[1], None] for field, values in created(_snapshot(case)).items()},
        by,
    )
    case.delete()
