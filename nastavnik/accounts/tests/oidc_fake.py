"""An OpenID Connect provider in the test's own process, answering the HTTP calls the client
makes (discovery, keys, token, user info) with real RS256-signed ID tokens, so the tests of
single sign-on run the real checks: signature, nonce, issuer, audience, PKCE.

The browser test (tests/e2e/test_sso.py) runs against a real provider instead.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from urllib3.response import HTTPResponse

ISSUER = "https://idp.example.ru"
CLIENT_ID = "nastavnik"
CLIENT_SECRET = "s3cret"


@dataclass
class Grant:
    claims: dict[str, Any]
    nonce: str
    code_challenge: str
    redirect_uri: str
    id_token_overrides: dict[str, Any] = field(default_factory=dict)


@functools.cache
def _key(n: int) -> rsa.RSAPrivateKey:
    # Made once per process: a 2048-bit key takes a while on a busy machine.
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def other_key() -> rsa.RSAPrivateKey:
    return _key(1)


class FakeProvider:
    def __init__(self, issuer: str = ISSUER) -> None:
        self.issuer = issuer
        self.key = _key(0)
        self.grants: dict[str, Grant] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.up = True
        # Signs ID tokens with another key than the one the JWKS publishes, when set.
        self.signing_key: rsa.RSAPrivateKey | None = None

    # What the browser does at the provider ---------------------------------------------------

    def authorize(self, location: str, sub: str, **claims: Any) -> str:
        """Sign in as `sub` at the authorization URL the app redirected to; the callback query."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
        assert location.startswith(self.issuer + "/auth?")
        assert query["client_id"] == CLIENT_ID and query["code_challenge_method"] == "S256"
        overrides = claims.pop("id_token_overrides", {})
        code = secrets.token_urlsafe(16)
        self.grants[code] = Grant(
            claims={"sub": sub, **claims},
            nonce=query["nonce"],
            code_challenge=query["code_challenge"],
            redirect_uri=query["redirect_uri"],
            id_token_overrides=overrides,
        )
        return f"?code={code}&state={query['state']}"

    # The HTTP calls the client makes -----------------------------------------------------------

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        if not self.up:
            raise requests.ConnectionError("connection refused")
        if url == self.issuer + "/.well-known/openid-configuration":
            return _response(
                {
                    "issuer": self.issuer,
                    "authorization_endpoint": self.issuer + "/auth",
                    "token_endpoint": self.issuer + "/token",
                    "jwks_uri": self.issuer + "/jwks",
                    "userinfo_endpoint": self.issuer + "/me",
                }
            )
        if url == self.issuer + "/jwks":
            jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
            return _response({"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]})
        if url == self.issuer + "/me":
            token = kwargs["headers"]["Authorization"].removeprefix("Bearer ")
            if token not in self.tokens:
                return _response({"error": "invalid_token"}, 401)
            return _response(self.tokens[token])
        return _response({}, 404)

    def post(self, url: str, data: dict[str, str], **kwargs: Any) -> requests.Response:
        if not self.up:
            raise requests.ConnectionError("connection refused")
        assert url == self.issuer + "/token"
        grant = self.grants.pop(data.get("code", ""), None)
        challenge = _s256(data.get("code_verifier", ""))
        if (
            grant is None
            or data.get("client_id") != CLIENT_ID
            or data.get("client_secret") != CLIENT_SECRET
            or data.get("redirect_uri") != grant.redirect_uri
            or challenge != grant.code_challenge
        ):
            return _response({"error": "invalid_grant"}, 400)
        access_token = secrets.token_urlsafe(16)
        self.tokens[access_token] = grant.claims
        now = int(time.time())
        id_claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": grant.claims["sub"],
            "nonce": grant.nonce,
            "iat": now,
            "exp": now + 300,
            **grant.id_token_overrides,
        }
        id_token = jwt.encode(
            id_claims, self.signing_key or self.key, algorithm="RS256", headers={"kid": "k1"}
        )
        return _response(
            {"access_token": access_token, "id_token": id_token, "token_type": "Bearer"}
        )


def _s256(verifier: str) -> str:
    return (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )


def _response(body: dict[str, Any], status: int = 200) -> requests.Response:
    content = json.dumps(body).encode()
    response = requests.Response()
    response.status_code = status
    response._content = content
    response.headers["content-type"] = "application/json"
    response.raw = HTTPResponse(body=io.BytesIO(content), preload_content=False, status=status)
    response.url = "fake"
    return response
