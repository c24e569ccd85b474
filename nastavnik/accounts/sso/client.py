"""The OpenID Connect authorization code flow with PKCE, as a relying party speaks it.

mozilla-django-oidc does the protocol's work: exchanging the code at the token endpoint,
checking the ID token's signature against the provider's keys (JWKS), the nonce, and reading
the user info. It is configured from Django settings for one provider; `OidcClient` feeds it
one `Provider`'s endpoints instead, and adds the checks it leaves out (the ID token's issuer
and audience, and that the user info is about the same subject).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import jwt
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.utils.crypto import get_random_string
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import generate_code_challenge
from requests import RequestException

from nastavnik.accounts.sso.providers import Provider, ProviderUnavailable, client_secret, discover

STATE_LENGTH = 32
NONCE_LENGTH = 32
CODE_VERIFIER_LENGTH = 64


# What mozilla-django-oidc and the libraries below it raise on a bad answer from a provider.
_PROVIDER_ERRORS = (RequestException, SuspiciousOperation, jwt.PyJWTError, ValueError, KeyError)


class ProtocolError(Exception):
    """The provider's answer does not prove anything: a failed exchange, a bad token."""


@dataclass(frozen=True)
class Identity:
    """Who the provider says signed in, read through the provider's claims mapping."""

    issuer: str
    subject: str
    email: str
    email_verified: bool
    first_name: str
    last_name: str


@dataclass(frozen=True)
class Authorization:
    """One started sign-in: the URL to send the browser to, and what to check on return."""

    url: str
    state: str
    nonce: str
    code_verifier: str


class OidcClient(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend as a client of one provider; never an entry of
    AUTHENTICATION_BACKENDS, so it authenticates nobody by itself."""

    def __init__(self, provider: Provider) -> None:
        self.provider = provider
        self.endpoints = discover(provider)
        self._settings: dict[str, Any] = {
            "OIDC_OP_TOKEN_ENDPOINT": self.endpoints["token_endpoint"],
            "OIDC_OP_USER_ENDPOINT": self.endpoints["userinfo_endpoint"],
            "OIDC_OP_JWKS_ENDPOINT": self.endpoints["jwks_uri"],
            "OIDC_RP_CLIENT_ID": provider.client_id,
            "OIDC_RP_CLIENT_SECRET": client_secret(provider),
            "OIDC_RP_SIGN_ALGO": "RS256",
            "OIDC_RP_SCOPES": provider.scopes,
            "OIDC_USE_NONCE": True,
            "OIDC_VERIFY_SSL": True,
            "OIDC_TIMEOUT": settings.SSO_TIMEOUT_SECONDS,
            "OIDC_CREATE_USER": False,
        }
        super().__init__()

    def get_settings(self, attr: str, *args: Any) -> Any:
        if attr in self._settings:
            return self._settings[attr]
        if args:
            return args[0]
        raise KeyError(attr)

    def authorization(self, redirect_uri: str) -> Authorization:
        state = get_random_string(STATE_LENGTH)
        nonce = get_random_string(NONCE_LENGTH)
        code_verifier = get_random_string(CODE_VERIFIER_LENGTH)
        params = {
            "response_type": "code",
            "scope": self.provider.scopes,
            "client_id": self.provider.client_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "nonce": nonce,
            "code_challenge": generate_code_challenge(code_verifier, "S256"),
            "code_challenge_method": "S256",
        }
        url = f"{self.endpoints['authorization_endpoint']}?{urlencode(params)}"
        return Authorization(url=url, state=state, nonce=nonce, code_verifier=code_verifier)

    def identity(
        self, request: HttpRequest, code: str, redirect_uri: str, nonce: str, code_verifier: str
    ) -> Identity:
        """Exchange the code and read who signed in; ProtocolError when anything is off."""
        self.request = request
        payload = {
            "client_id": self.OIDC_RP_CLIENT_ID,
            "client_secret": self.OIDC_RP_CLIENT_SECRET,
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier,
        }
        try:
            tokens = self.get_token(payload)
            id_token, access_token = tokens.get("id_token"), tokens.get("access_token")
            if not isinstance(id_token, str) or not isinstance(access_token, str):
                raise ProtocolError("the token response has no ID or access token")
            claims = self.verify_token(id_token, nonce=nonce)
            self._check_id_token(claims)
            info = self.get_userinfo(access_token, id_token, claims)
        except _PROVIDER_ERRORS as error:
            raise ProtocolError(str(error)) from error
        if not isinstance(info, dict) or info.get("sub") != claims["sub"]:
            # OpenID Connect Core 1.0, 5.3.2: otherwise the user info must not be used.
            raise ProtocolError("the user info is about another subject")
        merged = {**claims, **info}
        return Identity(
            issuer=self.provider.issuer,
            subject=str(claims["sub"]),
            email=_text(merged.get(self.provider.claim("email")), 254).lower(),
            email_verified=merged.get(self.provider.claim("email_verified")) is True,
            first_name=_text(merged.get(self.provider.claim("first_name"))),
            last_name=_text(merged.get(self.provider.claim("last_name"))),
        )

    def _check_id_token(self, claims: dict[str, Any]) -> None:
        # The signature, expiry and nonce are checked by verify_token; these it leaves out.
        if claims.get("iss") != self.endpoints["issuer"]:
            raise ProtocolError("the ID token is from another issuer")
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.provider.client_id not in audiences:
            raise ProtocolError("the ID token is for another client")
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject or len(subject) > 255:
            raise ProtocolError("the ID token has no usable subject")


def _text(value: object, limit: int = 150) -> str:
    return " ".join(value.split())[:limit] if isinstance(value, str) else ""


__all__ = ["Authorization", "Identity", "OidcClient", "ProtocolError", "ProviderUnavailable"]
