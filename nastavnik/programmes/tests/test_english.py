"""The roadmap template reads in English on an English page: an event still bearing the
template's title shows its English text, an event the organisation retitled or added reads as
entered, and the stored roadmap stays Russian (it goes into the organisation's documents)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from nastavnik.core.tests.pages import in_english, school_a_url
from nastavnik.orgs.models import Role
from nastavnik.programmes import english, roadmap_template, services
from nastavnik.programmes.tests import data

pytestmark = pytest.mark.django_db
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


url = school_a_url("programmes")


def test_every_template_event_has_an_english_title():
    codes = {event.code for event in roadmap_template.EVENTS}
    assert set(english.EVENTS) == codes
    assert not [title for title in english.EVENTS.values() if CYRILLIC.search(title)]
    assert not [text for text in english.AUTO_NOTES.values() if CYRILLIC.search(text)]


def test_the_roadmap_in_english_shows_the_template_in_english_and_own_titles_as_entered(
    client, tenant_a
):
    programme = data.programme(tenant_a.organisation)
    renamed = programme.events.get(template_code="mentee_base")
    services.event_update(
        renamed,
        {"stage": renamed.stage, "title": "Анализ анкет наставляемых", "due_on": renamed.due_on},
        by=None,
    )
    services.event_create(
        programme, {"stage": 3, "title": "Ярмарка наставников", "due_on": renamed.due_on}, by=None
    )
    client.force_login(tenant_a.user(Role.CURATOR))

    russian = unescape(client.get(url("roadmap", programme_pk=programme.pk)).content.decode())
    english_page = in_english(client).get(url("roadmap", programme_pk=programme.pk))
    page = unescape(english_page.content.decode())

    assert "Informing the parents' community about the planned mentoring programme" in page
    assert "Информирование родительского сообщества" not in page
    # The organisation's own words, as entered.
    assert "Анализ анкет наставляемых" in page and "Ярмарка наставников" in page
    assert english.EVENTS["mentee_base"] not in page
    # The Russian page and the stored roadmap are unchanged.
    assert "Информирование родительского сообщества" in russian
    assert "Informing the parents' community" not in russian
    assert programme.events.get(template_code="inform_parents").title.startswith(
        "Информирование родительского сообщества"
    )


def test_saving_an_event_in_english_keeps_the_template_title_stored_in_russian(client, tenant_a):
    programme = data.programme(tenant_a.organisation)
    event = programme.events.get(template_code="inform_parents")
    stored = event.title
    in_english(client).force_login(tenant_a.user(Role.CURATOR))

    form = client.get(url("event_edit", event_pk=event.pk))
    assert form.context["form"]["title"].value() == english.EVENTS["inform_parents"]
    response = client.post(
        url("event_edit", event_pk=event.pk),
        {"stage": "1", "title": english.EVENTS["inform_parents"], "due_on": "2025-09-30"},
    )
    retitled = client.post(
        url("event_edit", event_pk=programme.events.get(template_code="partners").pk),
        {"stage": "1", "title": "Meeting the partners", "due_on": "2025-09-30"},
    )

    assert response.status_code == 302 and retitled.status_code == 302
    event.refresh_from_db()
    assert event.title == stored  # left as shown: still the template's, still Russian
    assert programme.events.get(template_code="partners").title == "Meeting the partners"
