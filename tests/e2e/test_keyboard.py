"""Forms work by keyboard alone: Tab walks the fields in reading order, and the focused control
is always visibly marked (an outline or a focus ring, never nothing). The login form here; the
fields of every form get the same ring from app.css (`input:focus, select:focus, textarea:focus`)."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import Page

from conftest import PASSWORD
from nastavnik.orgs.models import Role
from nastavnik.orgs.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

# What the focused element looks like: its name and whether anything marks it.
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const ring = style.boxShadow !== 'none' ||
    (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0);
  return {name: el.getAttribute('name') || el.tagName.toLowerCase() + ':' + (el.getAttribute('type') || ''),
          marked: ring, top: el.getBoundingClientRect().top + window.scrollY};
}"""


def tab_through(page: Page, presses: int) -> list[dict]:
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED))
    return seen


def test_login_by_keyboard_alone(page, live_server):
    organisation = OrganisationFactory(slug="school-keys")
    user = UserFactory(email="keys@school.ru")
    MembershipFactory(user=user, organisation=organisation, role=Role.CURATOR)
    page.goto(live_server.url + reverse("accounts:login"))

    # The page opens with the address field focused; Tab goes on to the password, then the
    # button, then the links after the form.
    focused = [page.evaluate(FOCUSED), *tab_through(page, 3)]
    names = [f["name"] for f in focused]
    assert names[:3] == ["username", "password", "button:submit"], names
    assert all(f["marked"] for f in focused), [f for f in focused if not f["marked"]]

    page.focus("input[name=username]")
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{reverse('orgs:dashboard', kwargs={'org_slug': organisation.slug})}")
