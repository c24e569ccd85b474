"""The compliance view in the demo, through a real browser: the director follows the count on
the dashboard to the list of what breaks the regulation, opens the external mentor who has no
certificate of no criminal record, adds it with its scan, comes back, and the count has dropped.
"""

import re
from datetime import timedelta

from django.urls import reverse
from playwright.sync_api import expect

from nastavnik.demo.seed import DEMO_PASSWORD
from nastavnik.demo.tests.factories import load_demo
from nastavnik.mentors.models import DocumentKind
from nastavnik.orgs.models import Organisation
from nastavnik.people.validators import org_today

SLUG = "school-5"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _total(page) -> int:
    text = page.locator("#compliance-total strong").inner_text()
    return int(re.search(r"\d+", text).group())


def test_the_director_fixes_a_violation_and_the_count_drops(page, live_server):
    load_demo()
    today = org_today(Organisation.objects.get(slug=SLUG))
    compliance_url = reverse("compliance:index", kwargs={"org_slug": SLUG})

    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("input[name=username]", "director@school5.demo")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"**{reverse('orgs:dashboard', kwargs={'org_slug': SLUG})}")

    # The dashboard's count leads to the list.
    page.click(f'#dashboard-compliance a[href="{compliance_url}"]')
    page.wait_for_url(f"**{compliance_url}")
    before = _total(page)
    assert before >= 2
    section = page.locator("#check-external_mentor_documents")
    expect(section).to_be_visible()

    # The row's link opens the mentor's card, where the missing document is added.
    section.locator("li a").first.click()
    page.wait_for_url(re.compile(r".*/mentors/\d+/"))
    add = page.locator(f'main a[href*="?kind={DocumentKind.NO_CRIMINAL_RECORD}"]')
    add.first.click()
    page.wait_for_url(re.compile(r".*/documents/\?kind="))
    page.fill("input[name=number]", "66/123-45")
    page.fill("input[name=issued_on]", (today - timedelta(days=3)).isoformat())
    page.fill("input[name=valid_until]", (today + timedelta(days=87)).isoformat())
    page.set_input_files(
        "input[name=scan]",
        files=[{"name": "spravka.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/mentors/\d+/$"))

    page.goto(live_server.url + compliance_url)
    assert _total(page) == before - 1
    expect(page.locator("#check-external_mentor_documents")).to_have_count(0)
