"""A pair's plan, started from the typical plan, fits a 1,360 px window beside the
navigation: neither the page nor the table's own box scrolls sideways (the plan once took
1,424 px: the typical plan's column widths, meant for its inputs, held the date column)."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import reverse

from nastavnik.plans import services
from nastavnik.plans.tests.data import two_pairs

WINDOW = {"width": 1360, "height": 900}


def test_a_pairs_plan_fits_a_1360_px_window(browser, live_server, tenant_a):
    pair = two_pairs(tenant_a)[0]
    plan = services.plan_start(pair.mentorship, by=pair.mentor_user)
    assert plan.items.count() > 3
    client = Client()
    client.force_login(pair.mentor_user)
    context = browser.new_context(locale="ru-RU", viewport=WINDOW, bypass_csp=True)
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
    url = reverse(
        "plans:plan",
        kwargs={"org_slug": tenant_a.organisation.slug, "mentorship_pk": pair.mentorship.pk},
    )
    page.goto(live_server.url + url)
    assert page.locator(".pair-plan-table").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= WINDOW["width"]
    overflowing = page.evaluate(
        "[...document.querySelectorAll('.table-wrap')]"
        ".filter(box => box.scrollWidth > box.clientWidth).length"
    )
    assert overflowing == 0
    context.close()
