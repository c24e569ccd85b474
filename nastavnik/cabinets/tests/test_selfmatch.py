"""Self-match through the pages: the mentee's and the parent's cabinet, the mentor's answer, the
curator's approval. Each door refuses what is not the user's own."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nastavnik.matching.models import (
    SELFMATCH_MESSAGE_MAX,
    SelfMatchMentor,
    SelfMatchRequest,
    SelfMatchStatus,
)
from nastavnik.matching.tests.data import mentee, student
from nastavnik.matching.tests.selfmatch_data import selfmatch_world
from nastavnik.mentorships.models import Mentorship
from nastavnik.orgs.models import Role


def _url(tenant, name, **kwargs):
    return reverse(name, kwargs={"org_slug": tenant.organisation.slug, **kwargs})


def _link(person, user):
    person.user = user
    person.save(update_fields=["user"])


@pytest.fixture
def world(tenant_a):
    w = selfmatch_world(tenant_a.organisation)
    _link(w.teen.person, tenant_a.user(Role.MENTEE))
    _link(w.mentors[0].person, tenant_a.user(Role.MENTOR))
    _link(w.parent, tenant_a.user(Role.GUARDIAN))
    return w


def _ask(client, tenant, w, **data):
    return client.post(
        _url(tenant, "cabinets:selfmatch_ask"),
        {"mentee": w.teen.pk, "mentor": w.mentors[0].pk, "message": "Помогите с ОГЭ", **data},
        follow=True,
    )


def test_the_mentee_sees_three_mentors_with_reasons_and_asks_one(client, tenant_a, world):
    client.force_login(tenant_a.user(Role.MENTEE))
    page = client.get(_url(tenant_a, "cabinets:mentee")).content.decode()
    assert "Выбрать наставника" in page and "Предложенные наставники" in page
    for made in world.mentors:
        assert made.person.full_name in page
        assert made.person.email not in page or not made.person.email
    assert "Общие предметы" in page
    answer = _ask(client, tenant_a, world)
    assert "Запрос отправлен" in answer.content.decode()
    made = SelfMatchRequest.objects.get()
    assert made.mentee == world.teen and made.status == SelfMatchStatus.PENDING
    assert made.requested_by == tenant_a.user(Role.MENTEE)


def test_bad_requests_from_the_page_change_nothing(client, tenant_a, tenant_b, world):
    other = selfmatch_world(tenant_b.organisation)
    client.force_login(tenant_a.user(Role.MENTEE))
    answer = _ask(client, tenant_a, world, message="я" * (SELFMATCH_MESSAGE_MAX + 1))
    assert "не более 500 символов" in answer.content.decode()
    answer = _ask(client, tenant_a, world, mentor=other.mentors[0].pk)
    assert "не входит в число предложенных" in answer.content.decode()
    assert not SelfMatchRequest.objects.exists()
    # Another mentee's entry of the same organisation, and another organisation's: 404.
    someone = mentee(world.programme, person=student(world.org, grade=9))
    assert _ask(client, tenant_a, world, mentee=someone.pk).status_code == 404
    assert _ask(client, tenant_a, world, mentee=other.teen.pk).status_code == 404
    assert _ask(client, tenant_a, world, mentee="x").status_code == 404
    assert not SelfMatchRequest.objects.exists()
    _ask(client, tenant_a, world)
    answer = _ask(client, tenant_a, world, mentor=world.mentors[1].pk)
    assert "уже есть запрос" in answer.content.decode().lower()
    assert SelfMatchRequest.objects.count() == 1


def test_the_parent_chooses_for_a_child_under_14_only(client, tenant_a, world):
    client.force_login(tenant_a.user(Role.GUARDIAN))
    page = client.get(_url(tenant_a, "cabinets:guardian")).content.decode()
    assert world.mentors[0].person.full_name in page
    url = _url(tenant_a, "cabinets:selfmatch_ask_child")
    # The teen is not the parent's child: 404.
    data = {"mentee": world.teen.pk, "mentor": world.mentors[0].pk, "message": "Здравствуйте"}
    assert client.post(url, data).status_code == 404
    client.post(url, {**data, "mentee": world.child.pk})
    assert SelfMatchRequest.objects.get().mentee == world.child


def test_the_mentor_answers_from_the_cabinet_and_pauses(client, tenant_a, world):
    client.force_login(tenant_a.user(Role.MENTEE))
    _ask(client, tenant_a, world)
    made = SelfMatchRequest.objects.get()
    # Another mentor of the organisation cannot answer it.
    _link(world.mentors[1].person, tenant_a.user(Role.CURATOR))
    client.force_login(tenant_a.user(Role.CURATOR))
    url = _url(tenant_a, "cabinets:selfmatch_answer")
    assert client.post(url, {"request": made.pk, "answer": "accept"}).status_code == 404
    client.force_login(tenant_a.user(Role.MENTOR))
    page = client.get(_url(tenant_a, "cabinets:mentor")).content.decode()
    assert "Помогите с ОГЭ" in page and world.teen.person.full_name in page
    client.post(url, {"request": made.pk, "answer": "maybe"})
    made.refresh_from_db()
    assert made.status == SelfMatchStatus.PENDING
    client.post(url, {"request": made.pk, "answer": "accept"})
    made.refresh_from_db()
    assert made.status == SelfMatchStatus.ACCEPTED
    client.post(_url(tenant_a, "cabinets:selfmatch_settings"), {"paused": "on"})
    saved = SelfMatchMentor.objects.get(mentor=world.mentors[0])
    assert saved.paused and not saved.shows_reasons


def test_the_curator_approves_and_the_order_is_drafted_once(client, tenant_a, world):
    client.force_login(tenant_a.user(Role.MENTEE))
    _ask(client, tenant_a, world)
    client.force_login(tenant_a.user(Role.MENTOR))
    made = SelfMatchRequest.objects.get()
    client.post(
        _url(tenant_a, "cabinets:selfmatch_answer"), {"request": made.pk, "answer": "accept"}
    )
    client.force_login(tenant_a.user(Role.CURATOR))
    listing = client.get(_url(tenant_a, "matching:selfmatch", programme_form_pk=world.chosen.pk))
    assert "Помогите с ОГЭ" in listing.content.decode()
    url = _url(tenant_a, "matching:selfmatch_approve", selfmatch_request_pk=made.pk)
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["signatory"] = form.initial["signatory"].pk
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
    done = client.post(url, data, follow=True)
    assert "приказ №" in done.content.decode().lower()
    made.refresh_from_db()
    assert made.status == SelfMatchStatus.APPROVED
    assert made.mentorship.pairs_order.title.startswith("О закреплении")
    again = client.post(url, data, follow=True)
    assert "Утвердить можно только" in again.content.decode()
    assert Mentorship.objects.count() == 1


def test_the_curator_declines(client, tenant_a, world):
    client.force_login(tenant_a.user(Role.MENTEE))
    _ask(client, tenant_a, world)
    made = SelfMatchRequest.objects.get()
    client.force_login(tenant_a.user(Role.CURATOR))
    client.post(_url(tenant_a, "matching:selfmatch_decline", selfmatch_request_pk=made.pk))
    made.refresh_from_db()
    assert made.status == SelfMatchStatus.OVERRIDDEN
    # A mentee may not use the curator's doors.
    client.force_login(tenant_a.user(Role.MENTEE))
    url = _url(tenant_a, "matching:selfmatch_decline", selfmatch_request_pk=made.pk)
    assert client.post(url).status_code == 403


def test_the_curator_sets_the_window_with_bounds(client, tenant_a, world):
    client.force_login(tenant_a.user(Role.CURATOR))
    url = _url(tenant_a, "matching:selfmatch", programme_form_pk=world.chosen.pk)
    answer = client.post(
        url,
        {
            "enabled": "on",
            "opens_on": "2026-12-10",
            "closes_on": "2026-12-01",
            "suggestions": 3,
            "answer_days": 5,
        },
    )
    assert "не раньше дня открытия" in answer.content.decode()
    window = world.chosen.selfmatch_window
    window.refresh_from_db()
    assert window.suggestions == 3 and window.enabled
