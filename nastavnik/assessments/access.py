"""The one way views fetch assessment rows: within the current organisation, 404 for anything
else. Built-in parameters are readable by all, editable by none."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from nastavnik.assessments.models import Measure, MeasureQuerySet, Parameter, ParameterQuerySet
from nastavnik.core.access import OrgContext
from nastavnik.core.tenancy import org_row


def parameters_of(ctx: OrgContext) -> ParameterQuerySet:
    return Parameter.objects.available_to(ctx.organisation)


def parameter_editable(ctx: OrgContext, pk: int) -> Parameter:
    return org_row(Parameter, ctx.organisation, pk, "organisation")


def measures_of(ctx: OrgContext) -> MeasureQuerySet:
    return Measure.objects.for_org(ctx.organisation)


def measure_for(ctx: OrgContext, pk: int) -> Measure:
    return get_object_or_404(
        measures_of(ctx).select_related(
            "programme__academic_year", "programme__organisation", "person", "parameter"
        ),
        pk=pk,
    )
