"""The one way views read the audit log: the current organisation's entries only."""

from __future__ import annotations

from nastavnik.audit.models import AuditEntry, AuditEntryQuerySet
from nastavnik.core.access import OrgContext


def audit_entries_of(ctx: OrgContext) -> AuditEntryQuerySet:
    return AuditEntry.objects.for_org(ctx.organisation)
