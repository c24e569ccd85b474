"""The one way views fetch programme rows: within the current organisation, 404 for anything
else, so a pk of another organisation's row looks exactly like a missing one."""

from __future__ import annotations

from datetime import date

from django.shortcuts import get_object_or_404

from nastavnik.core.access import OrgContext
from nastavnik.core.tenancy import org_row
from nastavnik.orgs.models import AcademicYear
from nastavnik.programmes.models import (
    Programme,
    ProgrammeForm,
    ProgrammeQuerySet,
    RoadmapEvent,
    SocialPartner,
    TeamMember,
)


def programmes_of(ctx: OrgContext) -> ProgrammeQuerySet:
    return Programme.objects.for_org(ctx.organisation).select_related("academic_year")


def programme_for(ctx: OrgContext, pk: int) -> Programme:
    return get_object_or_404(
        programmes_of(ctx).select_related("curator", "approval_order", "organisation"), pk=pk
    )


def current_programme(ctx: OrgContext, today: date) -> Programme | None:
    """The programme of the academic year `today` falls in."""
    return (
        programmes_of(ctx)
        .filter(academic_year__start_year=AcademicYear.start_year_for(today))
        .first()
    )


def programme_form_for(ctx: OrgContext, pk: int) -> ProgrammeForm:
    related = ("form", "programme__academic_year", "programme__organisation")
    return org_row(ProgrammeForm, ctx.organisation, pk, *related)


def event_for(ctx: OrgContext, pk: int) -> RoadmapEvent:
    related = ("programme__academic_year", "programme__organisation", "responsible_person")
    return org_row(RoadmapEvent, ctx.organisation, pk, *related)


def partner_for(ctx: OrgContext, pk: int) -> SocialPartner:
    return org_row(SocialPartner, ctx.organisation, pk, "programme__academic_year")


def team_member_for(ctx: OrgContext, pk: int) -> TeamMember:
    return org_row(TeamMember, ctx.organisation, pk, "person", "programme__academic_year")
