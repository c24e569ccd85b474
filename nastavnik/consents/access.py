"""The one way views fetch consents and links: within the current organisation, 404 for
anything else — and, for a member's own cabinet, only the consents that are theirs to withdraw."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404

from nastavnik.accounts.models import User
from nastavnik.consents.models import Consent, ConsentQuerySet
from nastavnik.core.access import OrgContext
from nastavnik.people.models import GuardianLink, Person


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
