"""The one path every curator takes, through a real browser: log in, open the people registry
from the navigation, search, open a card.
"""

import re

from django.urls import reverse
from playwright.sync_api import expect

from conftest import PASSWORD
from nastavnik.consents.rules import hidden_q
from nastavnik.demo.tests.factories import load_demo
from nastavnik.orgs.models import Role
from nastavnik.orgs.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from nastavnik.people.tests.factories import PersonFactory


def test_curator_finds_a_person_and_opens_the_card(page, live_server):
    organisation = OrganisationFactory(slug="school-smoke", short_name="Школа № 7")
    curator = UserFactory(email="curator@smoke.ru", first_name="Ольга", last_name="Седых")
    MembershipFactory(user=curator, organisation=organisation, role=Role.CURATOR)
    people = [
        ("Иванов", "Пётр", "Сергеевич", "m"),
        ("Иванова", "Алёна", "Игоревна", "f"),
        # None of these has "иванов" anywhere in the full name (the search looks in all parts).
        ("Петров", "Илья", "Андреевич", "m"),
        ("Смирнова", "Ивана", "Олеговна", "f"),
        ("Кузнецов", "Дмитрий", "Петрович", "m"),
    ]
    created = {}
    for last, first, middle, gender in people:
        created[last] = PersonFactory(
            organisation=organisation,
            last_name=last,
            first_name=first,
            middle_name=middle,
            gender=gender,
        )
    people_url = reverse("people:list", kwargs={"org_slug": organisation.slug})

    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("input[name=username]", curator.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"**{reverse('orgs:dashboard', kwargs={'org_slug': organisation.slug})}")

    # The registry link of the side navigation: found by its address, not its (translated) text.
    page.click(f'nav a[href="{people_url}"]')
    page.wait_for_url(f"**{people_url}")
    search = page.locator("input[name=q]")
    search.fill("иванов")
    search.press("Enter")

    # `expect` retries until the page settles, whether the form reloads the page or htmx
    # swaps the results in.
    results = page.locator("main")
    expect(results).not_to_contain_text("Смирнова")
    expect(results).not_to_contain_text("Петров")
    expect(results).not_to_contain_text("Кузнецов")
    expect(results).to_contain_text("Пётр")
    expect(results).to_contain_text("Алёна")

    results.get_by_role("link", name=re.compile("Иванова")).first.click()
    expect(page.locator("main")).to_contain_text("Иванова Алёна Игоревна")
    card_url = reverse(
        "people:detail",
        kwargs={"org_slug": organisation.slug, "person_pk": created["Иванова"].pk},
    )
    assert page.url == live_server.url + card_url


def test_demo_curator_searches_the_demo_school_in_lower_case(page, live_server):

    from nastavnik.people.models import Person, PersonKind

    load_demo()
    student = (
        Person.objects.exclude(hidden_q())
        .filter(organisation__slug="school-5", kind=PersonKind.STUDENT)
        .order_by("pk")
        .first()
    )
    # Typed as people type: lower case, 'е' for 'ё'.
    query = student.last_name.lower().replace("ё", "е")

    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("input[name=username]", "curator@school5.demo")
    page.fill("input[name=password]", "demo12345")
    page.click("form button[type=submit]")
    people_url = reverse("people:list", kwargs={"org_slug": "school-5"})
    page.click(f'nav a[href="{people_url}"]')
    page.locator("input[name=q]").fill(query)
    page.locator("input[name=q]").press("Enter")

    card_url = reverse("people:detail", kwargs={"org_slug": "school-5", "person_pk": student.pk})
    page.locator(f'main a[href="{card_url}"]').click()
    expect(page.locator("main")).to_contain_text(student.full_name)
