"""The pages that gather from many apps: the organisation's dashboard (a section for each role
of the account) and the regional operator's figures.

This package sits above the stage apps: it may import any of them, and none of them imports it
(`make lint` checks the layers).
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from nastavnik.compliance.report import compliance_count
from nastavnik.concerns.dashboard import concerns_for_dashboard
from nastavnik.consents.access import own_consents
from nastavnik.consents.rules import consent_states
from nastavnik.core.access import account_view, org_view
from nastavnik.core.worker import tasks_waiting_for_worker
from nastavnik.dashboards.region import covered_organisations, operator_scopes
from nastavnik.indicators.deadlines import half_year_for_dashboard
from nastavnik.meetings.flags import flags_for_dashboard
from nastavnik.mentors.dashboard import documents_for_dashboard
from nastavnik.mentorships.suspension import suspended_for_dashboard
from nastavnik.orgs.models import AcademicYear, Organisation, Role
from nastavnik.orgs.policy import Perm
from nastavnik.people.models import GuardianLink, Person, PersonKind
from nastavnik.people.views import KIND_PLURALS
from nastavnik.programmes.dashboard import overdue_for_dashboard


def _people_counts(organisation: Organisation) -> dict[str, int]:
    counts = dict(
        Person.objects.for_org(organisation)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return {kind: counts.get(kind, 0) for kind in PersonKind.values}


@org_view(Perm.DASHBOARD)
def dashboard(request: HttpRequest) -> HttpResponse:
    """One page per account, with a section for each role it holds in the organisation."""
    ctx = request.org  # type: ignore[attr-defined]
    organisation = ctx.organisation
    context: dict[str, object] = {
        "roles": [Role(r) for r in sorted(ctx.roles)],
        "academic_year": AcademicYear(start_year=AcademicYear.start_year_for(timezone.localdate())),
    }
    if ctx.can(Perm.PEOPLE_VIEW):
        counts = _people_counts(organisation)
        context["people_counts"] = [
            (KIND_PLURALS[PersonKind(kind)], kind, n) for kind, n in counts.items()
        ]
        context["people_total"] = sum(counts.values())
    own_people = Person.objects.for_org(organisation).filter(user=request.user)
    context["own_people"] = own_people
    # Open safeguarding concerns, urgent first: the template puts them at the top.
    context.update(concerns_for_dashboard(ctx, request.user))
    if ctx.can(Perm.COMPLIANCE_VIEW):
        # What breaks the regulation now; counting it brings the roadmap in line with the
        # data first, so the overdue events below are read after it.
        context["compliance_broken"] = compliance_count(organisation, timezone.localdate())
    if ctx.can(Perm.PROGRAMME_EDIT):
        # The curator's and the director's: what of the roadmap is late.
        context.update(overdue_for_dashboard(organisation, timezone.localdate()))
        # Mail and large imports wait for the task worker; say so when none is running.
        context["waiting_tasks"] = tasks_waiting_for_worker(timezone.now())
    if ctx.can(Perm.MONITORING_EDIT):
        # The half-year assessment (seed 002 §7.2): due soon without a snapshot, or missed.
        context.update(half_year_for_dashboard(organisation, timezone.localdate()))
    if ctx.can(Perm.MENTORS_EDIT):
        # External mentors' documents that end within a month, asked for ahead of time.
        context.update(documents_for_dashboard(organisation, timezone.localdate()))
    if ctx.can(Perm.MENTORSHIPS_VIEW):
        # Pairs without meetings, with falling ratings or an overdue plan.
        context.update(flags_for_dashboard(organisation, timezone.now(), timezone.localdate()))
        # Pairs whose participant withdrew the participation consent: to end early.
        context.update(suspended_for_dashboard(organisation))
    if ctx.has_role(Role.GUARDIAN):
        context["children_links"] = (
            GuardianLink.objects.filter(organisation=organisation, guardian__in=own_people)
            .select_related("child")
            .order_by("child__last_name", "child__first_name")
        )
    if ctx.can(Perm.CONSENTS_OWN):
        today = timezone.localdate()
        consents = list(
            own_consents(ctx, request.user)
            .select_related("subject", "given_by")
            .order_by("subject__name_key", "purpose", "-given_on")
        )
        context["own_consents"] = list(zip(consents, consent_states(consents, today), strict=True))
    return render(request, "orgs/dashboard.html", context)


@account_view
def region_dashboard(request: HttpRequest) -> HttpResponse:
    """Aggregated figures of the organisations an operator covers: counts only, no names."""
    scopes = operator_scopes(request.user)  # type: ignore[arg-type]
    if not scopes:
        raise Http404
    organisations = (
        covered_organisations(scopes)
        .select_related("municipality")
        .annotate(
            students=Count("people", filter=Q(people__kind=PersonKind.STUDENT)),
            staff=Count("people", filter=Q(people__kind=PersonKind.STAFF)),
        )
        .order_by("municipality__name", "short_name")
    )
    totals = {
        "organisations": len(organisations),
        "students": sum(o.students for o in organisations),
        "staff": sum(o.staff for o in organisations),
    }
    return render(
        request,
        "orgs/region_dashboard.html",
        {"scopes": scopes, "organisations": organisations, "totals": totals},
    )
