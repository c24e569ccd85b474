"""The one way views fetch people and guardian links: within the current organisation, and 404
for anything else, so a pk of another organisation's row looks exactly like a missing one."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from nastavnik.core.access import OrgContext
from nastavnik.orgs.models import Organisation
from nastavnik.people.models import GuardianLink, ImportJob, Person, PersonQuerySet


def _organisation(ctx_or_org: OrgContext | Organisation) -> Organisation:
    return ctx_or_org.organisation if isinstance(ctx_or_org, OrgContext) else ctx_or_org


def people_of(ctx_or_org: OrgContext | Organisation) -> PersonQuerySet:
    return Person.objects.for_org(_organisation(ctx_or_org))


def person_for(ctx_or_org: OrgContext | Organisation, pk: int) -> Person:
    return get_object_or_404(people_of(ctx_or_org).select_related("user"), pk=pk)


def guardian_link_for(
    ctx_or_org: OrgContext | Organisation, child: Person, pk: int
) -> GuardianLink:
    return get_object_or_404(
        GuardianLink.objects.filter(
            organisation=_organisation(ctx_or_org), child=child
        ).select_related("guardian", "child"),
        pk=pk,
    )


def import_jobs_of(ctx_or_org: OrgContext | Organisation) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(organisation=_organisation(ctx_or_org))


def import_job_for(ctx_or_org: OrgContext | Organisation, pk: int) -> ImportJob:
    return get_object_or_404(import_jobs_of(ctx_or_org).select_related("organisation"), pk=pk)
