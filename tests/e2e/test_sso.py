"""Single sign-on end to end: a real OpenID Connect provider (node's oidc-provider, from
tests/oidc_provider, installed by `make test` with npm ci) on a free port, the application's
login page in Chromium, the provider's own sign-in and consent pages, and back.

Skips only when node is not installed; a missing `node_modules` is an error with the command
that fixes it.
"""

from __future__ import annotations

import json
import queue
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from nastavnik.accounts.models import ExternalIdentity, User
from nastavnik.audit.models import AuditAction, AuditEntry
from nastavnik.orgs.models import Role
from nastavnik.orgs.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

PROVIDER_DIR = Path(__file__).resolve().parents[1] / "oidc_provider"
CLIENT_ID = "nastavnik-e2e"
CLIENT_SECRET = "e2e-client-secret"
BUTTON = "Войти через Школьный портал"
# The provider's accounts: the login typed on its sign-in page, and what it says about them.
ACCOUNTS = {
    "olga": {
        "email": "olga.sedykh@school-sso.ru",
        "email_verified": True,
        "given_name": "Ольга",
        "family_name": "Седых",
    },
    "stranger": {"email": "stranger@elsewhere.ru", "email_verified": True},
}
START_TIMEOUT_SECONDS = 20


@pytest.fixture
def oidc_issuer(live_server, settings) -> Iterator[str]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: this test runs a real OpenID Connect provider on it")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail(f"the test provider is not installed: run `npm ci --prefix {PROVIDER_DIR}`")
    env = {
        "PATH": str(Path(node).parent),
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URI": live_server.url + reverse("accounts:sso_callback"),
        "OIDC_ACCOUNTS": json.dumps(ACCOUNTS),
    }
    process = subprocess.Popen(
        [node, "server.mjs"],
        cwd=PROVIDER_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    # The provider's output is read all along, so a chatty provider never blocks on a full pipe.
    threading.Thread(
        target=lambda: [lines.put(line) for line in process.stdout], daemon=True
    ).start()
    try:
        issuer = _wait_for_issuer(lines, process)
        settings.SSO_PROVIDER = {
            "issuer": issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "scopes": "openid email profile",
            "claims_mapping": {},
            "name": "Школьный портал",
        }
        yield issuer
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_for_issuer(lines: queue.Queue[str], process: subprocess.Popen) -> str:
    seen = []
    while True:
        try:
            line = lines.get(timeout=START_TIMEOUT_SECONDS)
        except queue.Empty:
            pytest.fail(f"the OpenID Connect provider did not start: {''.join(seen)}")
        seen.append(line)
        if line.startswith("issuer="):
            return line.removeprefix("issuer=").strip()
        if process.poll() is not None:
            pytest.fail(f"the OpenID Connect provider stopped: {''.join(seen)}")


def _sign_in_at_provider(page: Page, issuer: str, login: str) -> None:
    page.wait_for_url(f"{issuer}/**")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "any password: the test provider checks none")
    page.click("button[type=submit]")
    # The provider asks once whether the application may have the e-mail and name.
    page.click("button:has-text('Continue')")


@pytest.fixture
def offline_page(page: Page) -> Page:
    # The provider's development pages load a web font; the test machine has no internet.
    page.route("https://fonts.googleapis.com/**", lambda route: route.abort())
    return page


def test_a_member_signs_in_through_the_provider_and_lands_on_the_dashboard(
    offline_page, live_server, oidc_issuer
):
    page = offline_page
    organisation = OrganisationFactory(slug="school-sso", short_name="Школа № 12")
    user = UserFactory(email=ACCOUNTS["olga"]["email"], first_name="Ольга", last_name="Седых")
    MembershipFactory(user=user, organisation=organisation, role=Role.CURATOR)

    page.goto(live_server.url + reverse("accounts:login"))
    # The password form stays beside the button.
    expect(page.locator("input[name=password]")).to_be_visible()
    page.click(f"text={BUTTON}")
    _sign_in_at_provider(page, oidc_issuer, "olga")

    dashboard = reverse("orgs:dashboard", kwargs={"org_slug": organisation.slug})
    page.wait_for_url(f"{live_server.url}{dashboard}")
    expect(page).to_have_title(re.compile("Школа № 12"))
    expect(page.locator("header summary")).to_contain_text("Ольга Седых")
    link = ExternalIdentity.objects.get()
    assert (link.user, link.issuer, link.subject) == (user, oidc_issuer, "olga")
    actions = set(AuditEntry.objects.filter(object_id=user.pk).values_list("action", flat=True))
    assert {AuditAction.SSO_LINK, AuditAction.SSO_LOGIN} <= actions


def test_an_unknown_email_is_told_in_russian_and_nothing_is_created(
    offline_page, live_server, oidc_issuer
):
    page = offline_page
    OrganisationFactory(slug="school-sso")

    page.goto(live_server.url + reverse("accounts:login"))
    page.click(f"text={BUTTON}")
    _sign_in_at_provider(page, oidc_issuer, "stranger")

    page.wait_for_url(f"{live_server.url}{reverse('accounts:login')}")
    expect(page.locator(".messages")).to_contain_text(
        "Учётные записи создаются только по приглашению"
    )
    expect(page.locator("input[name=password]")).to_be_visible()
    assert not User.objects.filter(email=ACCOUNTS["stranger"]["email"]).exists()
    assert not ExternalIdentity.objects.exists()
