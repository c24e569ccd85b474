"""Forms work by keyboard alone: Tab walks the fields in reading order, and the focused control
is always visibly marked (an outline or a focus ring, never nothing). The login form, and a
curator's person form filled and sent without a mouse; the fields of every form get the same
ring from app.css (`input:focus, input:focus-within, select:focus, textarea:focus`)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from playwright.sync_api import Page

from conftest import PASSWORD
from nastavnik.orgs.models import Role
from nastavnik.orgs.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from nastavnik.people.models import Person

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


def tab_to(page: Page, name: str, limit: int = 12) -> list[dict]:
    """Press Tab until the control `name` holds the focus; every stop on the way."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED))
        if seen[-1]["name"] == name:
            return seen
    raise AssertionError(f"Tab never reached {name}: {[f['name'] for f in seen]}")


def test_a_curator_adds_a_person_by_keyboard_alone(page, live_server):
    organisation = OrganisationFactory(slug="school-keyform")
    curator = UserFactory(email="curator@keyform.ru")
    MembershipFactory(user=curator, organisation=organisation, role=Role.CURATOR)
    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("input[name=username]", curator.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"**{reverse('orgs:dashboard', kwargs={'org_slug': organisation.slug})}")
    create = reverse("people:create", kwargs={"org_slug": organisation.slug})
    page.goto(f"{live_server.url}{create}?kind=staff")

    # From the top of the page through the header and the navigation to the form's first field.
    stops = tab_to(page, "kind", limit=80)
    # The category: the arrow keys change it and change it back.
    page.keyboard.press("ArrowDown")
    assert page.eval_on_selector("select[name=kind]", "el => el.value") != "staff"
    page.keyboard.press("ArrowUp")
    assert page.eval_on_selector("select[name=kind]", "el => el.value") == "staff"

    # A date field takes its parts in the browser's own order (day or month first): the same
    # day and month read alike in both; typing a part moves on to the next.
    for name, typed in (
        ("last_name", "Клавишина"),
        ("first_name", "Ирина"),
        ("middle_name", "Олеговна"),
        ("birth_date", "05051985"),
    ):
        stops += tab_to(page, name)
        page.keyboard.type(typed)
    # The date's calendar button is a stop of its own, then the gender: Space picks the
    # focused option, an arrow key the next one.
    stops += tab_to(page, "gender")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    stops.append(page.evaluate(FOCUSED))
    for name, typed in (
        ("position", "Учитель физики"),
        ("subjects", "физика, астрономия"),
        ("experience_years", "12"),
        ("email", "klavishina@keyform.ru"),
        ("phone", "+7 912 345-67-89"),
        ("notes", "Добавлена с клавиатуры"),
    ):
        stops += tab_to(page, name)
        page.keyboard.type(typed)
    stops += tab_to(page, "button:submit")
    unmarked = [f for f in stops if not f["marked"]]
    assert not unmarked, unmarked

    page.keyboard.press("Enter")
    page.wait_for_url("**/people/*/")
    person = Person.objects.get(organisation=organisation, last_name="Клавишина")
    assert (person.first_name, person.middle_name, person.kind) == ("Ирина", "Олеговна", "staff")
    assert person.birth_date == date(1985, 5, 5)
    assert person.gender == "f"
    assert (person.position, person.experience_years) == ("Учитель физики", 12)
    assert (person.email, person.notes) == ("klavishina@keyform.ru", "Добавлена с клавиатуры")
