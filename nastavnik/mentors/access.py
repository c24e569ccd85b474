"""The one way views fetch the rows of the mentor base: within the current organisation, 404
for anything else, so a pk of another organisation's row looks exactly like a missing one."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from nastavnik.core.access import AccountRequest, OrgContext
from nastavnik.core.tenancy import org_row
from nastavnik.mentors.models import (
    Mentor,
    MentorDocument,
    MentorQuerySet,
    PortfolioItem,
    PortfolioItemQuerySet,
    TrainingEvent,
)
from nastavnik.people.models import Person


def mentors_of(ctx: OrgContext) -> MentorQuerySet:
    return Mentor.objects.for_org(ctx.organisation)


def mentor_for(ctx: OrgContext, pk: int) -> Mentor:
    return get_object_or_404(
        mentors_of(ctx).select_related(
            "person", "programme__academic_year", "programme__organisation", "registry_order"
        ),
        pk=pk,
    )


def document_for(ctx: OrgContext, pk: int) -> MentorDocument:
    return org_row(MentorDocument, ctx.organisation, pk, "person")


def training_event_for(ctx: OrgContext, pk: int) -> TrainingEvent:
    related = ("programme__academic_year", "programme__organisation")
    return org_row(TrainingEvent, ctx.organisation, pk, *related)


def portfolio_of(ctx: OrgContext, person: Person) -> PortfolioItemQuerySet:
    return PortfolioItem.objects.for_org(ctx.organisation).filter(person=person)


def portfolio_item_for(ctx: OrgContext, pk: int, person: Person | None = None) -> PortfolioItem:
    """An item of the organisation; with `person`, only one of that person's portfolio."""
    items = PortfolioItem.objects.for_org(ctx.organisation).select_related("person")
    if person is not None:
        items = items.filter(person=person)
    return get_object_or_404(items, pk=pk)


def own_person(ctx: OrgContext, request: AccountRequest) -> Person | None:
    """The record of the person behind the logged-in account in this organisation."""
    return Person.objects.for_org(ctx.organisation).filter(user=request.user).first()
