"""What the browser tests of a pair's and a self-match's walk share: the Russian text of a
msgid, and a fresh Russian browser context logged in by the login form."""

from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Browser, Page

from conftest import PASSWORD


def ru(msgid: str) -> str:
    """What the Russian page shows for a msgid (the msgid itself until it is translated)."""
    with translation.override("ru"):
        return gettext(msgid)


def log_in(browser: Browser, live_server: Any, email: str, org_slug: str) -> Page:
    """A new page of a Russian browser, logged in as `email` and on the organisation's desk."""
    context = browser.new_context(locale="ru-RU")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"**{reverse('orgs:dashboard', kwargs={'org_slug': org_slug})}")
    return page
