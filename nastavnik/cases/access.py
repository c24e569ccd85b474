"""The one way views fetch cases: within the current organisation, 404 for anything else.

Those who only read the library (a mentor, a specialist) see the published cases, as the
site does; drafts are the business of those who write them (CASES_MANAGE)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from nastavnik.cases.models import Case, CaseQuerySet
from nastavnik.cases.rules import with_pair
from nastavnik.core.access import OrgContext
from nastavnik.orgs.policy import Perm


def cases_of(ctx: OrgContext) -> CaseQuerySet:
    cases = Case.objects.for_org(ctx.organisation)
    return cases if ctx.can(Perm.CASES_MANAGE) else cases.published()


def case_for(ctx: OrgContext, pk: int) -> Case:
    return get_object_or_404(with_pair(cases_of(ctx)), pk=pk)
