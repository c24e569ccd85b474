"""An ended pair keeps its history on every page and document (issue 17): both people, the
mentors who held it and when, and the mentee's class as it was at the pair's time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from nastavnik.documents.render import docx_text
from nastavnik.matching.tests.data import mentor
from nastavnik.mentorships import services
from nastavnik.mentorships.documents import early_completion_order_context
from nastavnik.orgs.models import Role
from nastavnik.people.validators import org_today
from nastavnik.plans import services as plans
from nastavnik.plans.tests.data import account, tenant_pair
from nastavnik.plans.tests.data import pair as plan_pair


@pytest.fixture
def completed(tenant_a):
    """A pair of «Белкина (10 «А») — Ветров (7 «А»)» with a plan, completed today on its
    planned end; since then the mentee has moved up to 8 «Б» and the mentor to 11 «А»."""
    org = tenant_a.organisation
    made = tenant_pair(tenant_a, days=0)
    plans.plan_start(made.mentorship, by=None)
    services.mentorship_complete(made.mentorship, ended_on=org_today(org), by=None)
    made.mentee.grade, made.mentee.class_letter = 8, "Б"
    made.mentee.save(update_fields=["grade", "class_letter"])
    made.mentor.grade = 11
    made.mentor.save(update_fields=["grade"])
    return made


def _get(client, name, pair, **kwargs):
    org = pair.mentorship.organisation
    return client.get(
        reverse(name, kwargs={"org_slug": org.slug, "mentorship_pk": pair.mentorship.pk}),
        **kwargs,
    )


def test_a_completed_pairs_pages_name_the_mentee(client, tenant_a, completed):
    client.force_login(tenant_a.user(Role.CURATOR))
    for name in ("plans:plan", "meetings:list", "mentorships:detail"):
        page = _get(client, name, completed).content.decode()
        assert "Ветров Тимофей Павлович" in page, name
    # The pair's card and the list give the class of the pair's time, not today's.
    card = _get(client, "mentorships:detail", completed).content.decode()
    assert "Ветров Тимофей Павлович, 7А" in card and "8Б" not in card


def test_a_completed_pairs_plan_prints_the_mentee_with_the_class_of_its_time(
    client, tenant_a, completed
):
    client.force_login(tenant_a.user(Role.MENTOR))
    response = _get(client, "plans:docx", completed)
    assert response.status_code == 200
    text = docx_text(b"".join(response.streaming_content))
    assert "Наставляемый: Ветров Тимофей Павлович, 7 «А» класс" in text
    assert "Наставник: Белкина Алина Игоревна, 10 «А» класс" in text
    assert "8 «Б»" not in text and "11 «А»" not in text
    # Both sign: the mentor and the mentee.
    assert (
        "Наставник\n____________\nА. И. Белкина\nНаставляемый\n____________\nТ. П. Ветров" in text
    )


def test_the_plan_prints_the_class_kept_with_the_pair(client, tenant_a):
    """The class is the pair's, kept when it was formed: a person's class corrected in the
    registry later does not rewrite the pair's documents (a pair lasts one school year)."""
    made = tenant_pair(tenant_a)
    plans.plan_start(made.mentorship, by=None)
    made.mentee.grade = 9
    made.mentee.save(update_fields=["grade"])
    client.force_login(tenant_a.user(Role.MENTOR))
    text = docx_text(b"".join(_get(client, "plans:docx", made).streaming_content))
    assert "Ветров Тимофей Павлович, 7 «А» класс" in text


def test_a_replaced_pairs_plan_names_who_mentored_and_when(client, tenant_a):
    org = tenant_a.organisation
    today = org_today(org)
    made = tenant_pair(tenant_a)
    plans.plan_start(made.mentorship, by=None)
    new = mentor(made.mentorship.programme)
    services.mentor_replace(
        made.mentorship, new_mentor=new, ground="request", on=today - timedelta(days=2), by=None
    )
    client.force_login(tenant_a.user(Role.CURATOR))
    text = docx_text(b"".join(_get(client, "plans:docx", made).streaming_content))
    start = made.mentorship.started_on.strftime("%d.%m.%Y")
    took_over = (today - timedelta(days=2)).strftime("%d.%m.%Y")
    assert f"Наставник: {new.person.full_name}" in text
    assert f"(с {took_over}; ранее — Белкина Алина Игоревна с {start} по {took_over})" in text
    page = _get(client, "plans:plan", made).content.decode()
    assert "Белкина Алина Игоревна" in page and new.person.full_name in page


def test_the_early_completion_order_prints_the_class_of_the_pairs_time(tenant_a):
    org = tenant_a.organisation
    made = tenant_pair(tenant_a)
    services.mentorship_complete_early(
        made.mentorship, ended_on=org_today(org), reason="Программа освоена", by=None
    )
    made.mentee.grade = 8
    made.mentee.save(update_fields=["grade"])
    made.mentorship.refresh_from_db()
    context = early_completion_order_context(made.mentorship.end_order)
    assert [m["class_name"] for m in context["mentees"]] == ["7 «А» класс"]


def test_the_mentee_keeps_the_ended_pairs_history_and_no_one_elses(client, tenant_a, completed):
    """The cabinet lists the completed pair; its plan and meetings open read-only; another
    pair's do not."""
    org = tenant_a.organisation
    other = plan_pair(
        org,
        names=("Орлова", "Лисицын", "Лисицына"),
        users=(
            account(org, Role.MENTOR, "m2@school-a.ru"),
            account(org, Role.MENTEE, "e2@school-a.ru"),
            account(org, Role.GUARDIAN, "g2@school-a.ru"),
        ),
    )
    client.force_login(completed.mentee_user)
    cabinet = client.get(reverse("cabinets:mentee", kwargs={"org_slug": org.slug}))
    assert "Белкина Алина Игоревна" in cabinet.content.decode()
    for name in ("plans:plan", "meetings:list"):
        assert _get(client, name, completed).status_code == 200, name
        assert _get(client, name, other).status_code == 404, name
    plan = _get(client, "plans:plan", completed).content.decode()
    assert (
        reverse(
            "plans:item_add",
            kwargs={"org_slug": org.slug, "mentorship_pk": completed.mentorship.pk},
        )
        not in plan
    )
