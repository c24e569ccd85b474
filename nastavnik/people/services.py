"""Writes to the people registry. Views, imports, commands and tests all come through here.

Each function is atomic and validates with `nastavnik.people.validators`, raising
ValidationError (per field where it can) and writing nothing when the data are wrong.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from nastavnik.accounts.models import User
from nastavnik.audit.models import AuditAction, AuditObject
from nastavnik.audit.services import audit_record, created, diff
from nastavnik.orgs.models import Organisation
from nastavnik.people.models import GuardianLink, Person, PersonKind
from nastavnik.people.validators import (
    EDITABLE_FIELDS,
    GUARDIAN_MESSAGES,
    normalise_person_data,
    validate_guardian_link,
    validate_person_data,
)

logger = logging.getLogger(__name__)

# Checked by our own rules; the model's checks cover the rest (lengths of free text, choices).
_MODEL_CHECK_EXCLUDE = ["name_key", "organisation", "user"]


def _full_clean(person: Person) -> None:
    person.full_clean(
        exclude=_MODEL_CHECK_EXCLUDE, validate_unique=False, validate_constraints=False
    )


@transaction.atomic
def person_create(organisation: Organisation, data: Mapping[str, Any], by: User | None) -> Person:
    """Add a person to the organisation's registry.

    `data` holds the editable fields (see `validators.EDITABLE_FIELDS`); missing ones are empty.
    """
    clean = validate_person_data(organisation, normalise_person_data(data))
    person = Person(organisation=organisation, **clean)
    _full_clean(person)
    person.save()
    audit_record(
        organisation,
        action=AuditAction.CREATE,
        object_type=AuditObject.PERSON,
        object_id=person.pk,
        label=person.full_name,
        by=by,
        person=person,
        changes=created(clean),
    )
    logger.info("person %s created in %s by %s", person.pk, organisation.slug, by)
    return person


@transaction.atomic
def person_update(person: Person, data: Mapping[str, Any], by: User | None) -> Person:
    """Change a person's record; fields absent from `data` keep their values."""
    # Lock the row so two curators saving at once cannot interleave their checks.
    locked = Person.objects.select_for_update().get(pk=person.pk)
    current = {field: getattr(locked, field) for field in EDITABLE_FIELDS}
    clean = validate_person_data(
        person.organisation, normalise_person_data({**current, **data}), instance=locked
    )
    changed = [field for field in EDITABLE_FIELDS if getattr(locked, field) != clean[field]]
    for field in EDITABLE_FIELDS:
        setattr(person, field, clean[field])
    _full_clean(person)
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
        audit_record(
            person.organisation_id,
            action=AuditAction.UPDATE,
            object_type=AuditObject.PERSON,
            object_id=person.pk,
            label=person.full_name,
            by=by,
            person=person,
            changes=diff(current, {field: clean[field] for field in changed}),
        )
        logger.info("person %s updated (%s) by %s", person.pk, ", ".join(changed), by)
    return person


@transaction.atomic
def guardian_link_add(
    child: Person, guardian: Person, relation: str, by: User | None
) -> GuardianLink:
    """Record `guardian` as a legal guardian of the student `child` (same organisation)."""
    validate_guardian_link(child, guardian, relation)
    try:
        # A savepoint, so a link added concurrently fails this call only.
        with transaction.atomic():
            link = GuardianLink.objects.create(
                organisation_id=child.organisation_id,
                guardian=guardian,
                child=child,
                relation=relation,
            )
    except IntegrityError as error:
        raise ValidationError(
            {
                "guardian": ValidationError(
                    GUARDIAN_MESSAGES["duplicate"],
                    code="duplicate",
                    params={"name": guardian.full_name},
                )
            }
        ) from error
    audit_record(
        child.organisation_id,
        action=AuditAction.CREATE,
        object_type=AuditObject.GUARDIAN_LINK,
        object_id=link.pk,
        label=f"{guardian.full_name} → {child.full_name}",
        by=by,
        person=child,
        related_person=guardian,
        changes=created({"relation": relation}),
    )
    logger.info("guardian link %s (%s → %s) added by %s", link.pk, guardian.pk, child.pk, by)
    return link


@transaction.atomic
def guardian_add_new(
    child: Person, data: Mapping[str, Any], relation: str, by: User | None
) -> GuardianLink:
    """Create a parent and link them to `child` in one step: both or neither."""
    guardian = person_create(child.organisation, {**data, "kind": PersonKind.PARENT}, by)
    return guardian_link_add(child, guardian, relation, by)


@transaction.atomic
def guardian_link_remove(link: GuardianLink, by: User | None) -> None:
    logger.info(
        "guardian link %s (%s → %s) removed by %s", link.pk, link.guardian_id, link.child_id, by
    )
    audit_record(
        link.organisation_id,
        action=AuditAction.DELETE,
        object_type=AuditObject.GUARDIAN_LINK,
        object_id=link.pk,
        label=f"{link.guardian.full_name} → {link.child.full_name}",
        by=by,
        person=link.child,
        related_person=link.guardian,
        changes={"relation": [link.relation, None]},
    )
    link.delete()
