"""Which OpenID Connect providers exist, and where their endpoints are.

Two kinds: the installation's, from the environment (settings.SSO_PROVIDER), offered on every
login page and trusted for every account; and an organisation's own (IdentityProvider),
offered on its login page (/accounts/login/?org=<slug>) and trusted for its members only.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from nastavnik.accounts.models import IdentityProvider

logger = logging.getLogger(__name__)

SITE_KEY = "site"
ORG_KEY_PREFIX = "org:"
DISCOVERY_CACHE_SECONDS = 60 * 60
# A discovery document is a few kilobytes; anything far larger is not one.
DISCOVERY_MAX_BYTES = 256 * 1024
# The claims an identity is read from, and their standard names.
DEFAULT_CLAIMS = {
    "email": "email",
    "email_verified": "email_verified",
    "first_name": "given_name",
    "last_name": "family_name",
}
ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint")


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read or is not a usable one."""


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    claims: dict[str, str] = field(default_factory=dict)
    # The organisation whose members alone it may sign in; None for the installation's.
    organisation_id: int | None = None

    @property
    def button_label(self) -> str:
        return _("Log in with %(provider)s") % {"provider": self.name}

    def claim(self, name: str) -> str:
        return self.claims.get(name) or DEFAULT_CLAIMS[name]


def clean_claims_mapping(mapping: object) -> dict[str, str]:
    """The claims mapping as stored or configured: known names to claim names, nothing else."""
    if not isinstance(mapping, dict):
        raise ValueError("The claims mapping must be a JSON object.")
    unknown = sorted(set(mapping) - set(DEFAULT_CLAIMS))
    if unknown:
        raise ValueError(f"Unknown names in the claims mapping: {', '.join(unknown)}.")
    if not all(isinstance(value, str) and value for value in mapping.values()):
        raise ValueError("Each claim of the mapping must be a non-empty string.")
    return dict(mapping)


class SecretBox:
    """Client secrets of organisations' providers, encrypted at rest with a key derived from
    the site's SECRET_KEY. Changing SECRET_KEY makes them unreadable: re-enter them then."""

    @staticmethod
    def _fernet() -> Fernet:
        digest = hashlib.sha256(b"nastavnik.sso.client-secret:" + settings.SECRET_KEY.encode())
        return Fernet(base64.urlsafe_b64encode(digest.digest()))

    @classmethod
    def seal(cls, secret: str) -> str:
        return cls._fernet().encrypt(secret.encode()).decode() if secret else ""

    @classmethod
    def open(cls, sealed: str) -> str:
        if not sealed:
            return ""
        try:
            return cls._fernet().decrypt(sealed.encode()).decode()
        except InvalidToken as error:
            raise ProviderUnavailable("the client secret cannot be decrypted") from error


def site_provider() -> Provider | None:
    config: dict[str, Any] = getattr(settings, "SSO_PROVIDER", {}) or {}
    if not config.get("issuer") or not config.get("client_id"):
        return None
    return Provider(
        key=SITE_KEY,
        name=config.get("name") or _("single sign-on"),
        issuer=str(config["issuer"]).rstrip("/"),
        client_id=str(config["client_id"]),
        client_secret=str(config.get("client_secret", "")),
        scopes=str(config.get("scopes") or "openid email profile"),
        claims=clean_claims_mapping(config.get("claims_mapping") or {}),
    )


def _from_model(row: IdentityProvider) -> Provider:
    return Provider(
        key=ORG_KEY_PREFIX + row.organisation.slug,
        name=row.name,
        issuer=row.issuer.rstrip("/"),
        client_id=row.client_id,
        # Decrypted when the flow needs it, not for drawing a button.
        client_secret=row.client_secret_encrypted,
        scopes=row.scopes,
        claims=clean_claims_mapping(row.claims_mapping or {}),
        organisation_id=row.organisation_id,
    )


def org_provider(org_slug: str) -> Provider | None:
    if not org_slug or len(org_slug) > 100:
        return None
    row = (
        IdentityProvider.objects.select_related("organisation")
        .filter(organisation__slug=org_slug, enabled=True)
        .first()
    )
    return _from_model(row) if row is not None else None


def offered(org_slug: str = "") -> list[Provider]:
    """The providers a login page offers: the organisation's own first, then the site's."""
    providers = [org_provider(org_slug), site_provider()]
    return [provider for provider in providers if provider is not None]


def by_key(key: str) -> Provider | None:
    if key == SITE_KEY:
        return site_provider()
    if key.startswith(ORG_KEY_PREFIX):
        return org_provider(key.removeprefix(ORG_KEY_PREFIX))
    return None


def client_secret(provider: Provider) -> str:
    if provider.organisation_id is None:
        return provider.client_secret
    return SecretBox.open(provider.client_secret)


def _check_url(url: object, issuer: str) -> str:
    """Endpoints over https, except on a development machine's own host."""
    if not isinstance(url, str):
        raise ProviderUnavailable(f"{issuer}: an endpoint is missing")
    parts = urlsplit(url)
    local = parts.hostname in {"localhost", "127.0.0.1", "::1"}
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise ProviderUnavailable(f"{issuer}: {url} is not https")
    return url


def discover(provider: Provider) -> dict[str, str]:
    """The provider's endpoints from its discovery document, cached for an hour."""
    cache_key = "sso:discovery:" + hashlib.sha256(provider.issuer.encode()).hexdigest()
    endpoints = cache.get(cache_key)
    if endpoints is not None:
        return endpoints
    _check_url(provider.issuer, provider.issuer)
    url = provider.issuer + "/.well-known/openid-configuration"
    try:
        with requests.get(url, timeout=settings.SSO_TIMEOUT_SECONDS, stream=True) as response:
            response.raise_for_status()
            body = response.raw.read(DISCOVERY_MAX_BYTES + 1, decode_content=True)
        if len(body) > DISCOVERY_MAX_BYTES:
            raise ProviderUnavailable(f"{url}: the document is too large")
        document = json.loads(body)
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"{url}: {error}") from error
    if not isinstance(document, dict) or document.get("issuer", "").rstrip("/") != provider.issuer:
        # OpenID Connect Discovery 1.0, 4.3: the issuer must be the one asked for.
        raise ProviderUnavailable(f"{url}: the document names another issuer")
    endpoints = {name: _check_url(document.get(name), provider.issuer) for name in ENDPOINTS}
    endpoints["issuer"] = document["issuer"]
    cache.set(cache_key, endpoints, DISCOVERY_CACHE_SECONDS)
    return endpoints
