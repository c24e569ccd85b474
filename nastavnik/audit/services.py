"""Writing the audit log. Services that change personal data or consents call `audit_record`
inside their own transaction, so an entry exists exactly when the change does."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from nastavnik.audit.models import AuditAction, AuditChannel, AuditEntry, AuditObject
from nastavnik.core.client import current_address
from nastavnik.orgs.models import Organisation

if TYPE_CHECKING:
    from nastavnik.accounts.models import User
    from nastavnik.people.models import Person

Changes = dict[str, list[Any]]

# The channel of the request being served when it is not the web pages: set by the REST API
# for the length of a call, so the entries its services write say they came through a token.
current_channel: ContextVar[AuditChannel | None] = ContextVar("audit_channel", default=None)


def _channel(by: User | None) -> AuditChannel:
    if by is None:
        return AuditChannel.SYSTEM
    return current_channel.get() or AuditChannel.WEB


def plain(value: Any) -> Any:
    """A value as JSON keeps it: dates as ISO strings, model rows as their primary key."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> Changes:
    """{field: [old, new]} for every field whose value differs, in the order of `after`."""
    changes: Changes = {}
    for field, new in after.items():
        old = before.get(field)
        if plain(old) != plain(new):
            changes[field] = [plain(old), plain(new)]
    return changes


def created(values: Mapping[str, Any]) -> Changes:
    """The changes of a new row: every non-empty field, from nothing."""
    return {field: [None, plain(v)] for field, v in values.items() if v not in (None, "")}


def _actor_label(by: User | None) -> str:
    if by is None:
        return ""
    return by.get_full_name() or by.email


@transaction.atomic
def audit_record(
    organisation: Organisation | int,
    *,
    action: AuditAction,
    object_type: AuditObject,
    object_id: int,
    label: str,
    by: User | None,
    changes: Changes | None = None,
    person: Person | None = None,
    related_person: Person | None = None,
    channel: AuditChannel | None = None,
) -> AuditEntry:
    """One entry of the log. `person` is the data subject, `related_person` anyone else whose
    data the entry holds (the guardian of a link, the representative who gave a consent)."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    return AuditEntry.objects.create(
        organisation_id=organisation_id,
        at=timezone.now(),
        actor=by,
        actor_label=_actor_label(by),
        ip=current_address.get(),
        channel=channel or _channel(by),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=label[:300],
        person=person,
        related_person=related_person,
        changes=changes or {},
    )


def audit_record_people_created(
    people: Iterable[Person], fields: Iterable[str], by: User | None
) -> int:
    """Log many new people with one query (bulk imports); the same entries as `person_create`."""
    field_names = list(fields)
    now = timezone.now()
    ip = current_address.get()
    entries = [
        AuditEntry(
            organisation_id=person.organisation_id,
            at=now,
            actor=by,
            actor_label=_actor_label(by),
            ip=ip,
            channel=_channel(by),
            action=AuditAction.CREATE,
            object_type=AuditObject.PERSON,
            object_id=person.pk,
            object_label=person.full_name[:300],
            person=person,
            changes=created({f: getattr(person, f) for f in field_names}),
        )
        for person in people
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)


@transaction.atomic
def audit_scrub_person(person: Person) -> int:
    """Remove the personal data from every entry that holds any of the person's: labels and
    values go, the facts (who acted, when, which object, which fields) stay."""
    entries = list(AuditEntry.objects.select_for_update().about(person.pk))
    now = timezone.now()
    for entry in entries:
        entry.object_label = ""
        entry.changes = {field: [None, None] for field in entry.changes}
        entry.scrubbed_at = now
        # A change made through the person's own one-time link came from their address.
        if entry.channel == AuditChannel.LINK:
            entry.ip = None
    AuditEntry.objects.bulk_update(entries, ["object_label", "changes", "scrubbed_at", "ip"])
    # Where the person acted through an account (a guardian withdrawing a consent), the name
    # in the actor column is theirs too.
    if person.user_id is not None:
        AuditEntry.objects.filter(
            organisation_id=person.organisation_id, actor_id=person.user_id
        ).update(actor_label="", ip=None)
    return len(entries)
