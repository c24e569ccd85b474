"""The client's address behind a reverse proxy: X-Forwarded-For counts only when the request
comes from a trusted proxy (`DJANGO_TRUSTED_PROXIES`), and then only as far as trusted proxies
wrote it. Each consumer (login throttling, the questionnaire-code throttle, consents, the audit
log) has its own test with the same addresses, next to its other tests."""

import os
import subprocess
import sys

import pytest
from django.test import RequestFactory

from nastavnik.core.client import client_ip

PROXY = "10.0.0.1"
CLIENT = "203.0.113.9"
SPOOFED = "198.51.100.66"


def request(remote_addr, forwarded=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says(settings):
    settings.TRUSTED_PROXIES = []

    assert client_ip(request(CLIENT, forwarded=SPOOFED)) == CLIENT


def test_a_header_from_an_untrusted_client_is_ignored(settings):
    settings.TRUSTED_PROXIES = [PROXY]

    assert client_ip(request(CLIENT, forwarded=SPOOFED)) == CLIENT


def test_a_header_from_a_trusted_proxy_gives_the_client(settings):
    settings.TRUSTED_PROXIES = [PROXY]

    assert client_ip(request(PROXY, forwarded=CLIENT)) == CLIENT


def test_what_the_client_wrote_before_the_proxy_is_ignored(settings):
    """nginx appends the address it saw: the client's own entries are to the left of it."""
    settings.TRUSTED_PROXIES = [PROXY]

    assert client_ip(request(PROXY, forwarded=f"{SPOOFED}, {CLIENT}")) == CLIENT


def test_a_chain_of_trusted_proxies_is_walked_to_the_first_untrusted_hop(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8::/32"]

    chain = f"{SPOOFED}, {CLIENT}, 10.20.0.5, [2001:db8::7]:443"
    assert client_ip(request(PROXY, forwarded=chain)) == CLIENT


def test_a_garbled_hop_stops_the_walk_at_the_last_address_a_proxy_vouched_for(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert client_ip(request(PROXY, forwarded=f"{CLIENT}, not-an-address, 10.0.0.2")) == "10.0.0.2"


def test_a_trusted_proxy_without_the_header_is_itself_the_client(settings):
    settings.TRUSTED_PROXIES = [PROXY]

    assert client_ip(request(PROXY)) == PROXY


def test_an_ipv4_mapped_peer_is_read_as_ipv4(settings):
    settings.TRUSTED_PROXIES = [PROXY]

    assert client_ip(request(f"::ffff:{PROXY}", forwarded=CLIENT)) == CLIENT
    assert client_ip(request(f"::ffff:{CLIENT}")) == CLIENT


def test_no_peer_address_gives_none(settings):
    settings.TRUSTED_PROXIES = [PROXY]

    assert client_ip(request("")) is None


def settings_value(name, **env):
    code = f"import nastavnik.settings as s; print(repr(getattr(s, {name!r}, None)))"
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "None"),
        ({"DJANGO_PROXY_SETS_PROTO": "1"}, "('HTTP_X_FORWARDED_PROTO', 'https')"),
    ],
)
def test_the_proxy_https_header_is_believed_only_when_configured(env, expected):
    assert settings_value("SECURE_PROXY_SSL_HEADER", **env) == expected


def test_trusted_proxies_come_from_the_environment():
    value = settings_value("TRUSTED_PROXIES", DJANGO_TRUSTED_PROXIES="10.0.0.1, 172.16.0.0/12")

    assert value == "['10.0.0.1', '172.16.0.0/12']"


@pytest.mark.django_db
def test_an_https_claim_from_a_client_is_not_believed_by_default(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 301
    assert response["Location"].startswith("https://")
