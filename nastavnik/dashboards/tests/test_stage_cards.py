"""The dashboard's stage cards: a card for each stage the reader has something to open in,
no empty card for the others (they left white blocks in the grid)."""

import pytest
from django.urls import reverse
from lxml import html

from nastavnik.orgs.models import Role


@pytest.mark.parametrize("role", [Role.MENTOR, Role.MENTEE, Role.CURATOR])
def test_every_stage_card_has_links(client, tenant_a, role):
    client.force_login(tenant_a.users[role])
    url = reverse("orgs:dashboard", kwargs={"org_slug": tenant_a.organisation.slug})
    page = html.fromstring(client.get(url).content)
    cards = page.xpath('//li[contains(@class, "stage-card")]')
    assert cards
    assert all(card.xpath(".//a[@href]") for card in cards)


def test_a_mentee_sees_fewer_cards_than_the_curator(client, tenant_a):
    url = reverse("orgs:dashboard", kwargs={"org_slug": tenant_a.organisation.slug})
    counts = {}
    for role in (Role.MENTEE, Role.CURATOR):
        client.force_login(tenant_a.users[role])
        page = html.fromstring(client.get(url).content)
        counts[role] = len(page.xpath('//li[contains(@class, "stage-card")]'))
    assert counts[Role.MENTEE] < counts[Role.CURATOR] == 7
