"""What the dashboard shows of the programme: the overdue roadmap events."""

from __future__ import annotations

from datetime import date

from nastavnik.orgs.models import Organisation
from nastavnik.programmes.models import RoadmapEvent

DASHBOARD_LIMIT = 8


def overdue_for_dashboard(
    organisation: Organisation, today: date, limit: int = DASHBOARD_LIMIT
) -> dict[str, object]:
    """The earliest overdue events of the organisation's running programmes, and how many
    there are in all."""
    overdue = RoadmapEvent.objects.for_org(organisation).overdue(today)
    return {
        "overdue_events": list(overdue.order_by("due_on", "stage", "pk")[:limit]),
        "overdue_total": overdue.count(),
    }
