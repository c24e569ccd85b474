"""The one way views fetch monitoring rows: within the current organisation, 404 for anything
else."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from nastavnik.core.access import OrgContext
from nastavnik.monitoring.models import SwotItem


def swot_item_for(ctx: OrgContext, pk: int) -> SwotItem:
    return get_object_or_404(
        SwotItem.objects.filter(organisation=ctx.organisation).select_related(
            "analysis__programme__academic_year"
        ),
        pk=pk,
    )
