"""Every page of the demo, for every role, in a real browser on a 390 px phone screen:
axe-core (WCAG 2.1 A and AA) finds no serious or critical violation, and no page scrolls
sideways.

The pages are those `tests.demo_walk` reaches from each role's navigation. Pages of the same
view share a template, so the browser opens each view once, as the first role that reaches
it: that keeps the walk within a few minutes on one browser.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

from nastavnik.demo.tests.factories import load_demo
from tests.demo_walk import ROLES, logged_in, walk

PHONE = {"width": 390, "height": 844}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}

pytestmark = pytest.mark.slow


def test_every_page_of_every_role_passes_axe_and_fits_a_phone(browser, live_server):
    load_demo()
    axe = Axe()
    opened: set[str] = set()
    problems: list[str] = []
    for key in ROLES:
        client = logged_in(key)
        pages = []
        for walked in walk(client, once_per_view=True):
            if walked.is_page and walked.route not in opened:
                opened.add(walked.route)
                pages.append(walked)
        context = browser.new_context(locale="ru-RU", viewport=PHONE, bypass_csp=True)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        for walked in pages:
            page.goto(live_server.url + walked.url)
            results = axe.run(page, options=AXE_OPTIONS)
            for violation in results.response["violations"]:
                if violation["impact"] in BLOCKING:
                    targets = [" ".join(map(str, n["target"])) for n in violation["nodes"][:3]]
                    problems.append(f"{key} {walked.url}: {violation['id']} {targets}")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                problems.append(f"{key} {walked.url}: {width} px wide at {PHONE['width']} px")
        context.close()
    assert not problems, "\n".join(problems)
