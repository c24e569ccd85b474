"""The compliance report of an organisation now: the roadmap brought in line with the data
first (so an act done today does not read «просрочено»), then every registered check."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from nastavnik.compliance.models import ComplianceTally
from nastavnik.compliance.registry import Result, Scope, broken_count, count_breaches, run_checks
from nastavnik.orgs.models import AcademicYear, Organisation
from nastavnik.programmes.fulfilment import roadmap_refresh
from nastavnik.programmes.models import Programme, ProgrammeStatus


def scope_for(organisation: Organisation, today: date) -> Scope:
    programme = (
        Programme.objects.for_org(organisation)
        .filter(academic_year__start_year=AcademicYear.start_year_for(today))
        .select_related("academic_year", "organisation")
        .first()
    )
    return Scope(organisation=organisation, programme=programme, today=today)


def refresh_roadmaps(organisation: Organisation, today: date) -> None:
    for programme in Programme.objects.for_org(organisation).exclude(
        status=ProgrammeStatus.FINISHED
    ):
        roadmap_refresh(programme, today)


def _keep_tally(organisation: Organisation, broken: int) -> None:
    # One statement (an upsert), so keeping the count costs a page a single query more.
    ComplianceTally.objects.bulk_create(
        [ComplianceTally(organisation=organisation, broken=broken, counted_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["organisation"],
        update_fields=["broken", "counted_at"],
    )


def compliance_report(organisation: Organisation, today: date) -> tuple[Scope, list[Result]]:
    """The checks run now with their rows; their count is kept for the operators' pages
    (`ComplianceTally`)."""
    refresh_roadmaps(organisation, today)
    scope = scope_for(organisation, today)
    results = run_checks(scope)
    _keep_tally(organisation, broken_count(results))
    return scope, results


def compliance_count(organisation: Organisation, today: date) -> int:
    """How many rows break a rule now, kept like the report's: the dashboards' figure. The
    rows are counted in the database, not labelled (a large school breaks hundreds)."""
    refresh_roadmaps(organisation, today)
    broken = count_breaches(scope_for(organisation, today))
    _keep_tally(organisation, broken)
    return broken


def count_everywhere(today: date) -> int:
    """Count every organisation (the daily `count_compliance`); returns how many."""
    counted = 0
    for organisation in Organisation.objects.order_by("pk").iterator():
        compliance_count(organisation, today)
        counted += 1
    return counted
