"""Rows behind the members URLs, for the project-wide isolation test."""

from nastavnik.accounts.models import Invitation
from nastavnik.orgs.models import Organisation, Role


def _invitation(org: Organisation) -> int:
    return Invitation.objects.create(
        organisation=org,
        email=f"invitee@{org.slug}.ru",
        role=Role.MENTOR,
        expires_at=Invitation.default_expiry(),
    ).pk


def _membership(org: Organisation) -> int:
    return org.memberships.filter(role=Role.MENTOR).get().pk


ROW_MAKERS = {"invitation_pk": _invitation, "membership_pk": _membership}
