"""The one way views fetch monitoring rows: within the current organisation, 404 for anything
else."""

from __future__ import annotations

from nastavnik.core.access import OrgContext
from nastavnik.core.tenancy import org_row
from nastavnik.monitoring.models import SwotItem


def swot_item_for(ctx: OrgContext, pk: int) -> SwotItem:
    return org_row(SwotItem, ctx.organisation, pk, "analysis__programme__academic_year")
