"""The one way views read the audit log: the current organisation's entries only, without those
the reader may not see."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q

from nastavnik.audit.models import AuditEntry, AuditEntryQuerySet
from nastavnik.core.access import OrgContext

# Entries only some readers of the log may see, told by the app that owns them: for a reader
# (the organisation context and the account), the entries to hide. A safeguarding concern's
# entries, say, are for those who may read the concern. Registered from `AppConfig.ready`, as
# the audit log sits below the apps that write to it.
HiddenEntries = Callable[[OrgContext, Any], Q]
_HIDDEN: list[HiddenEntries] = []


def register_hidden_entries(hidden: HiddenEntries) -> None:
    if hidden not in _HIDDEN:
        _HIDDEN.append(hidden)


def audit_entries_of(ctx: OrgContext) -> AuditEntryQuerySet:
    return AuditEntry.objects.for_org(ctx.organisation)


def audit_entries_for(ctx: OrgContext, user: Any) -> AuditEntryQuerySet:
    """The entries this reader may see."""
    entries = audit_entries_of(ctx)
    for hidden in _HIDDEN:
        entries = entries.exclude(hidden(ctx, user))
    return entries
