"""Creating, revoking and checking personal access tokens: the one place for their rules."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, FilteredRelation, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import User
from nastavnik.api.models import ORG_AREAS, Access, ApiToken, Area
from nastavnik.audit.models import AuditAction, AuditObject
from nastavnik.audit.services import audit_record
from nastavnik.orgs.models import Organisation

TOKEN_PREFIX = "nst_"
# Days a token may live: a forgotten token in a script must die by itself.
LIFETIMES = (7, 30, 90, 365)
# The last-used time is written at most this often, not on every call of a busy script.
USED_RESOLUTION = timedelta(minutes=1)

MESSAGES = {
    "no_scope": _("Choose at least one area the token may use."),
    "lifetime": _("Choose how long the token lives."),
}
# A regional operator's token reads the aggregates and nothing else.
REGION_SCOPES = {Area.REGION.value: Access.READ.value}


def secret_hash(secret: str) -> str:
    # The secret is 32 random bytes: a plain hash is enough, no key stretching is needed.
    return hashlib.sha256(secret.encode()).hexdigest()


def clean_scopes(scopes: Mapping[str, str], areas: tuple[Area, ...] = ORG_AREAS) -> dict[str, str]:
    clean = {
        str(Area(area)): str(Access(access))
        for area, access in scopes.items()
        if area in areas and access in Access.values
    }
    if not clean:
        raise ValidationError(MESSAGES["no_scope"], code="no_scope")
    return clean


@transaction.atomic
def token_create(
    organisation: Organisation | None,
    user: User,
    *,
    name: str,
    scopes: Mapping[str, str],
    days: int,
) -> tuple[ApiToken, str]:
    """A new token and its secret; the secret is not kept and cannot be shown again.
    Without an organisation it is a regional operator's token: REGION_SCOPES whatever asked."""
    if days not in LIFETIMES:
        raise ValidationError(MESSAGES["lifetime"], code="lifetime")
    regional = organisation is None
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organisation=organisation,
        user=user,
        name=name.strip()[:100],
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        token_hash=secret_hash(secret),
        scopes=REGION_SCOPES if regional else clean_scopes(scopes),
        expires_at=timezone.now() + timedelta(days=days),
    )
    if organisation is None:
        # The audit log is an organisation's; an operator's token touches none of their data.
        return token, secret
    audit_record(
        organisation,
        action=AuditAction.CREATE,
        object_type=AuditObject.API_TOKEN,
        object_id=token.pk,
        label=str(token),
        by=user,
        changes={"scopes": [None, token.scopes], "days": [None, days]},
    )
    return token, secret


@transaction.atomic
def token_revoke(token: ApiToken, by: User) -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    if token.organisation_id is None:
        return
    audit_record(
        token.organisation_id,
        action=AuditAction.REVOKE,
        object_type=AuditObject.API_TOKEN,
        object_id=token.pk,
        label=str(token),
        by=by,
    )


def _well_formed(secret: str) -> bool:
    return secret.startswith(TOKEN_PREFIX) and len(secret) <= 200


def _in_use(token: ApiToken) -> ApiToken | None:
    """The token if it may be used, its last use noted (at most once a USED_RESOLUTION)."""
    if not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def token_by_secret(secret: str) -> ApiToken | None:
    """The usable token with this secret, or None (unknown, revoked, expired)."""
    if not _well_formed(secret):
        return None
    try:
        # get(), not first(): the hash is unique, and an ORDER BY would only cost.
        token = ApiToken.objects.select_related("user", "organisation").get(
            token_hash=secret_hash(secret)
        )
    except ApiToken.DoesNotExist:
        return None
    return _in_use(token)


def token_with_roles(secret: str) -> tuple[ApiToken, frozenset[str]] | None:
    """`token_by_secret` and its owner's roles in the token's organisation, in one query (a
    row a role): none if the owner is no longer a member of it, nor for a regional token. The
    organisation comes with its municipality and region, as `resolve_org` gives it."""
    if not _well_formed(secret):
        return None
    membership = FilteredRelation(
        "user__memberships", condition=Q(user__memberships__organisation=F("organisation"))
    )
    rows = list(
        ApiToken.objects.filter(token_hash=secret_hash(secret))
        .select_related("user", "organisation__municipality__region")
        .annotate(membership=membership, role=F("membership__role"))
        .order_by()
    )
    token = _in_use(rows[0]) if rows else None
    if token is None:
        return None
    return token, frozenset(row.role for row in rows if row.role is not None)


def tokens_of(organisation: Organisation | None, user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(organisation=organisation, user=user))
