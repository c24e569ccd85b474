"""The SWOT workspace: the curator's items, the candidates the data suggest, accepting and
setting them aside — through the services and the pages. Bad input: a clear message, nothing
changed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext

from nastavnik.monitoring import services
from nastavnik.monitoring.models import ItemSource, SwotAnalysis, SwotDiscard, SwotItem
from nastavnik.monitoring.services import MESSAGES
from nastavnik.monitoring.swot import candidates, previous_rounds
from nastavnik.monitoring.tests import data
from nastavnik.orgs.models import Role
from nastavnik.programmes.models import Programme
from nastavnik.programmes.tests.data import programme as make_programme

pytestmark = pytest.mark.django_db


def state():
    return (
        list(SwotAnalysis.objects.values()),
        list(SwotItem.objects.order_by("pk").values()),
        list(SwotDiscard.objects.order_by("pk").values()),
    )


@pytest.fixture
def answered(programme):
    """Mentees rated comfort high and group meetings low; three said meetings were lacking;
    the curator wrote two strengths."""
    campaign = data.campaign(programme, "mentee-satisfaction")
    for comfort, groups, expected, lacking in (
        (9, 2, 7, "Не хватало встреч"),
        (10, 3, 6, "Больше встреч"),
        (9, 2, 7, "Редкие встречи"),
    ):
        person = data.mentee_people(data.pair(programme))[0]
        data.respond(
            campaign,
            person,
            {
                "comfort": comfort,
                "group_meetings": groups,
                "expectations": expected,
                "effectiveness": 8,
                "support": 8,
                "lacking": lacking,
            },
        )
    curator = data.campaign(programme, "curator-conformity")
    data.respond(curator, None, {"strengths": "Сильная команда\n- Поддержка директора"})
    return campaign


def url(name, org, **kwargs):
    return reverse(f"monitoring:{name}", kwargs={"org_slug": org.slug, **kwargs})


def test_the_data_suggest_the_extremes_the_recurring_words_and_the_curators_lines(
    programme, answered
):
    offered = {c.key: c for c in candidates(programme)}

    high = offered["high:mentee_satisfaction:comfort"]
    assert high.quadrant == "S"
    assert "9,3" in high.text or "9.3" in high.text
    low = offered["low:mentee_satisfaction:group_meetings"]
    assert low.quadrant == "W"
    word = offered["word:mentee_satisfaction:lacking:встреча"]
    assert word.quadrant == "W"
    lines = [c for c in offered.values() if c.key.startswith("curator:strengths:")]
    assert sorted(c.text for c in lines) == ["Поддержка директора", "Сильная команда"]
    assert {c.quadrant for c in lines} == {"S"}


def test_an_item_that_fell_since_the_previous_round_is_offered(programme, answered):
    later = data.campaign(programme, "mentee-satisfaction", title="Вторая волна")
    for comfort in (5, 6, 5):
        data.respond(later, None, {"comfort": comfort, "group_meetings": 2})
    assert previous_rounds(programme)["mentee_satisfaction"] == (later.pk, answered.pk)

    offered = {c.key: c for c in candidates(programme)}

    fell = offered["fell:mentee_satisfaction:comfort"]
    assert fell.quadrant == "W"
    assert "→" in fell.text
    assert "fell:mentee_satisfaction:group_meetings" not in offered  # the same both times


def test_the_previous_round_may_be_last_years(tenant_a, programme, answered):
    last: Programme = make_programme(
        tenant_a.organisation, programme.academic_year.start_year - 1, roadmap=False
    )
    before = data.campaign(last, "mentee-satisfaction")
    for _ in range(3):
        data.respond(before, None, {"comfort": 9, "group_meetings": 8})

    offered = {c.key for c in candidates(programme)}

    assert "fell:mentee_satisfaction:group_meetings" in offered
    assert "fell:mentee_satisfaction:comfort" not in offered


def test_accepting_a_candidate_puts_it_in_the_chosen_quadrant_once(tenant_a, programme, answered):
    by = tenant_a.user(Role.CURATOR)
    key = "word:mentee_satisfaction:lacking:встреча"

    item = services.candidate_accept(programme, key, "T", "Встреч мало", by=by)

    assert (item.quadrant, item.text, item.source, item.candidate_key) == (
        "T",
        "Встреч мало",
        ItemSource.CANDIDATE,
        key,
    )
    assert key not in {c.key for c in candidates(programme)}
    before = state()
    with pytest.raises(ValidationError) as caught:
        services.candidate_accept(programme, key, "T", by=by)
    assert caught.value.messages == [str(MESSAGES["candidate_gone"])]
    assert state() == before


def test_a_discarded_candidate_is_not_offered_again(tenant_a, programme, answered):
    key = "high:mentee_satisfaction:comfort"
    services.candidate_discard(programme, key, by=tenant_a.user(Role.CURATOR))
    assert key not in {c.key for c in candidates(programme)}
    assert SwotItem.objects.count() == 0


@pytest.mark.parametrize(
    ("quadrant", "text", "field", "message"),
    [
        ("S", "   ", "text", MESSAGES["text_required"]),
        ("X", "Команда", "quadrant", MESSAGES["quadrant"]),
        ("", "Команда", "quadrant", MESSAGES["quadrant"]),
    ],
)
def test_bad_items_are_refused_and_nothing_changes(
    tenant_a, programme, quadrant, text, field, message
):
    services.item_add(programme, "S", "Есть", by=None)
    before = state()
    with pytest.raises(ValidationError) as caught:
        services.item_add(programme, quadrant, text, by=None)
    assert [str(m) for e in caught.value.error_dict[field] for m in e.messages] == [str(message)]
    assert state() == before


def test_a_too_long_item_is_refused(programme):
    before = state()
    with pytest.raises(ValidationError) as caught:
        services.item_add(programme, "O", "я" * 1001, by=None)
    assert caught.value.messages == [str(MESSAGES["text_long"]) % {"limit": 1000, "length": 1001}]
    assert state() == before


# --- Pages ----------------------------------------------------------------------------------


def test_the_curator_writes_edits_and_deletes_items_on_the_page(
    tenant_a, curator_client, programme
):
    org = tenant_a.organisation
    page = url("swot", org, programme_pk=programme.pk)

    response = curator_client.post(page, {"quadrant": "S", "text": "Опытные наставники"})
    assert response.status_code == 302
    item = SwotItem.objects.get()
    assert (item.quadrant, item.text, item.source) == ("S", "Опытные наставники", "curator")
    assert "Опытные наставники" in curator_client.get(page).content.decode()

    edit = url("swot_item_edit", org, swot_item_pk=item.pk)
    assert curator_client.post(edit, {"quadrant": "O", "text": "Партнёры"}).status_code == 302
    item.refresh_from_db()
    assert (item.quadrant, item.text) == ("O", "Партнёры")

    assert (
        curator_client.post(url("swot_item_delete", org, swot_item_pk=item.pk)).status_code == 302
    )
    assert not SwotItem.objects.exists()


def test_an_empty_item_is_shown_back_with_the_message(tenant_a, curator_client, programme):
    before = state()
    response = curator_client.post(
        url("swot", tenant_a.organisation, programme_pk=programme.pk),
        {"quadrant": "W", "text": " "},
    )
    assert response.status_code == 400
    assert gettext("Write the item: the text is empty.") in response.content.decode()
    assert state() == before


def test_an_unknown_quadrant_in_an_edit_changes_nothing(tenant_a, curator_client, programme):
    item = services.item_add(programme, "S", "Команда", by=None)
    before = state()
    response = curator_client.post(
        url("swot_item_edit", tenant_a.organisation, swot_item_pk=item.pk),
        {"quadrant": "Z", "text": "Другое"},
    )
    assert response.status_code == 400
    assert (
        gettext("Choose one of the four quadrants: strengths, weaknesses, opportunities, threats.")
        in response.content.decode()
    )
    assert state() == before


def test_candidates_are_accepted_and_set_aside_on_the_page(
    tenant_a, curator_client, programme, answered
):
    org = tenant_a.organisation
    page = url("swot", org, programme_pk=programme.pk)
    shown = curator_client.get(page).content.decode()
    assert "high:mentee_satisfaction:comfort" in shown

    action = url("swot_candidate", org, programme_pk=programme.pk)
    curator_client.post(
        action, {"key": "high:mentee_satisfaction:comfort", "quadrant": "S", "text": "Комфорт"}
    )
    curator_client.post(action, {"key": "low:mentee_satisfaction:group_meetings", "discard": "1"})

    assert list(SwotItem.objects.values_list("quadrant", "text")) == [("S", "Комфорт")]
    shown = curator_client.get(page).content.decode()
    assert 'value="high:mentee_satisfaction:comfort"' not in shown
    assert 'value="low:mentee_satisfaction:group_meetings"' not in shown

    before = state()
    response = curator_client.post(action, {"key": "no-such-key", "quadrant": "S"}, follow=True)
    assert (
        gettext(
            "This suggestion is no longer offered: it was accepted or set aside, or the data changed."
        )
        in response.content.decode()
    )
    assert state() == before


def test_a_specialist_sees_the_analysis_but_cannot_change_it(tenant_a, client, programme):
    services.item_add(programme, "S", "Команда", by=None)
    client.force_login(tenant_a.user(Role.SPECIALIST))
    page = url("swot", tenant_a.organisation, programme_pk=programme.pk)
    shown = client.get(page)
    assert shown.status_code == 200
    assert "Команда" in shown.content.decode()
    before = state()
    assert client.post(page, {"quadrant": "S", "text": "Ещё"}).status_code == 403
    assert state() == before
