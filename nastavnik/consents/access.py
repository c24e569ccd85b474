"""The one way views fetch consents and links: within the current organisation, 404 for
anything else — and, for a member's own cabinet, only the consents that are theirs to withdraw."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404

from nastavnik.accounts.models import User
from nastavnik.consents.models import Consent, ConsentQuerySet, Purpose
from nastavnik.consents.rules import REQUIRED_PURPOSES, not_hidden, valid_exists
from nastavnik.core.access import OrgContext
from nastavnik.people.access import people_of
from nastavnik.people.models import GuardianLink, Person, PersonKind


def consents_of(ctx: OrgContext) -> ConsentQuerySet:
    return Consent.objects.for_org(ctx.organisation)


def consent_for(ctx: OrgContext, pk: int) -> Consent:
    return get_object_or_404(
        consents_of(ctx).select_related("subject", "given_by", "recorded_by", "withdrawn_by"),
        pk=pk,
    )


def own_consents(ctx: OrgContext, user: User) -> ConsentQuerySet:
    """Consents `user` may withdraw in their cabinet: their own as an adult, those they gave
    as a guardian, and those of the children they are a legal guardian of."""
    me = Person.objects.for_org(ctx.organisation).filter(user=user)
    children = GuardianLink.objects.filter(organisation=ctx.organisation, guardian__in=me).values(
        "child"
    )
    return consents_of(ctx).filter(Q(given_by__in=me) | Q(subject__in=children))


def own_consent_for(ctx: OrgContext, user: User, pk: int) -> Consent:
    return get_object_or_404(own_consents(ctx, user).select_related("subject", "given_by"), pk=pk)


def people_missing_consents(ctx: OrgContext, data: dict[str, Any]) -> tuple[Any, list[Purpose]]:
    """Who lacks a consent the programme needs (students by default), with their guardians,
    narrowed by the filters in `data` (purpose, kind, grade, class letter)."""
    purposes = [Purpose(data["purpose"])] if data.get("purpose") else list(REQUIRED_PURPOSES)
    people = not_hidden(people_of(ctx).filter(kind=data.get("kind") or PersonKind.STUDENT))
    if data.get("grade"):
        people = people.filter(grade=data["grade"])
    if data.get("class_letter"):
        people = people.filter(class_letter=data["class_letter"].strip().upper())
    people = people.annotate(**{f"has_{p.value}": valid_exists(p) for p in purposes})
    lacking = Q()
    for purpose in purposes:
        lacking |= Q(**{f"has_{purpose.value}": False})
    people = (
        people.filter(lacking)
        .prefetch_related(
            Prefetch(
                "guardian_links",
                queryset=GuardianLink.objects.select_related("guardian").order_by(
                    "relation", "guardian__name_key", "pk"
                ),
            )
        )
        .order_by("grade", "class_letter", "name_key", "pk")
    )
    return people, purposes
