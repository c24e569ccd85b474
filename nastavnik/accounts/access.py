"""The one way views fetch memberships and invitations: within the current organisation, and
404 for anything else, so a pk of another organisation's row looks exactly like a missing one.

`invitation_by_token` is the exception: the accept page is public, and the secret token in
the link is the credential.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from nastavnik.accounts.models import Invitation, InvitationQuerySet
from nastavnik.core.access import OrgContext
from nastavnik.orgs.models import Membership, MembershipQuerySet, Organisation

TOKEN_MAX_LENGTH = 64


def _organisation(ctx_or_org: OrgContext | Organisation) -> Organisation:
    return ctx_or_org.organisation if isinstance(ctx_or_org, OrgContext) else ctx_or_org


def invitations_of(ctx_or_org: OrgContext | Organisation) -> InvitationQuerySet:
    return Invitation.objects.filter(organisation=_organisation(ctx_or_org))


def invitation_for(ctx_or_org: OrgContext | Organisation, pk: int) -> Invitation:
    return get_object_or_404(invitations_of(ctx_or_org), pk=pk)


def memberships_of(ctx_or_org: OrgContext | Organisation) -> MembershipQuerySet:
    return Membership.objects.filter(organisation=_organisation(ctx_or_org))


def membership_for(ctx_or_org: OrgContext | Organisation, pk: int) -> Membership:
    return get_object_or_404(
        memberships_of(ctx_or_org).select_related("user", "organisation"), pk=pk
    )


def invitation_by_token(token: str) -> Invitation | None:
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    return (
        Invitation.objects.select_related("organisation", "person", "invited_by")
        .filter(token=token)
        .first()
    )
