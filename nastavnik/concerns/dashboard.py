"""The open concerns at the top of the curator's and the director's dashboard, urgent first."""

from __future__ import annotations

from typing import Any

from nastavnik.accounts.models import User
from nastavnik.concerns.access import handled_concerns
from nastavnik.core.access import OrgContext
from nastavnik.orgs.policy import Perm


def concerns_for_dashboard(ctx: OrgContext, user: User) -> dict[str, Any]:
    if not ctx.can(Perm.CONCERNS_HANDLE):
        return {}
    # No text and no names here: those are read, and audited, on the concern's own page.
    open_concerns = list(handled_concerns(ctx, user).open().order_by("-urgent", "created_at", "pk"))
    return {
        "concerns_open": open_concerns,
        "concerns_urgent": sum(1 for c in open_concerns if c.urgent),
    }
