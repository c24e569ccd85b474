"""The plan through the pages its people use: drawn up, edited by mentor and mentee,
commented by the curator, printed; refusals shown and nothing changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext

from nastavnik.documents.render import docx_text
from nastavnik.documents.russian import format_date
from nastavnik.orgs.models import Role
from nastavnik.plans import services
from nastavnik.plans.models import DevelopmentPlan, PlanComment, PlanItem
from nastavnik.plans.tests.data import TYPICAL, two_pairs
from nastavnik.plans.tests.test_services import PDF, _rows


@pytest.fixture
def pairs(tenant_a):
    return two_pairs(tenant_a)


def _url(name, pairs, **kwargs):
    org = pairs[0].mentorship.organisation
    if not kwargs:
        kwargs = {"mentorship_pk": pairs[0].mentorship.pk}
    return reverse(f"plans:{name}", kwargs={"org_slug": org.slug, **kwargs})


def test_the_mentor_draws_up_the_plan_from_the_typical_one(client, pairs):
    client.force_login(pairs[0].mentor_user)
    page = client.get(_url("plan", pairs))
    assert page.status_code == 200
    assert gettext("Draw up the plan from the typical one") in page.content.decode()

    response = client.post(_url("start", pairs), {"from": "typical"}, follow=True)

    plan = DevelopmentPlan.objects.get(mentorship=pairs[0].mentorship)
    assert plan.items.count() == len(TYPICAL)
    content = response.content.decode()
    for _, text, _ in TYPICAL:
        assert text in content


def test_the_mentee_adds_and_completes_an_item(client, pairs):
    plan = services.plan_start(pairs[0].mentorship, by=None)
    client.force_login(pairs[0].mentee_user)
    due = pairs[0].mentorship.planned_end - timedelta(days=10)

    response = client.post(
        _url("item_add", pairs),
        {
            "section": "activity",
            "text": "Участие в олимпиаде «Кенгуру»",
            "due_on": due.isoformat(),
            "responsible": "mentee",
            "status": "planned",
        },
    )
    assert response.status_code == 302
    item = plan.items.get(text="Участие в олимпиаде «Кенгуру»")
    assert item.due_on == due and item.created_by == pairs[0].mentee_user

    response = client.post(
        _url("item_edit", pairs, plan_item_pk=item.pk),
        {
            "section": "activity",
            "text": item.text,
            "due_on": due.isoformat(),
            "responsible": "mentee",
            "status": "done",
            "result": "Грамота за участие",
            "evidence": SimpleUploadedFile("грамота.pdf", PDF),
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "done" and item.evidence
    download = client.get(_url("item_evidence", pairs, plan_item_pk=item.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_done_item_without_a_result_is_refused_on_the_form(client, pairs):
    plan = services.plan_start(pairs[0].mentorship, by=None)
    item = plan.items.first()
    client.force_login(pairs[0].mentor_user)
    before = _rows()

    response = client.post(
        _url("item_edit", pairs, plan_item_pk=item.pk),
        {"section": item.section, "text": item.text, "responsible": "both", "status": "done"},
    )

    assert response.status_code == 200
    assert (
        gettext("An item marked done needs its result: write what came of it.")
        in response.content.decode()
    )
    assert _rows() == before


def test_a_date_outside_the_term_is_refused_on_the_form(client, pairs):
    services.plan_start(pairs[0].mentorship, by=None)
    client.force_login(pairs[0].mentee_user)
    before = _rows()
    late = pairs[0].mentorship.planned_end + timedelta(days=1)

    response = client.post(
        _url("item_add", pairs),
        {
            "section": "task",
            "text": "Поздно",
            "due_on": late.isoformat(),
            "responsible": "both",
            "status": "planned",
        },
    )

    assert response.status_code == 200
    assert "due_on" in response.context["form"].errors
    assert _rows() == before


def test_the_item_is_removed(client, pairs):
    plan = services.plan_start(pairs[0].mentorship, by=None)
    item = plan.items.first()
    client.force_login(pairs[0].mentor_user)
    client.post(_url("item_delete", pairs, plan_item_pk=item.pk))
    assert not PlanItem.objects.filter(pk=item.pk).exists()


def test_the_curator_comments_and_the_mentor_may_not(client, tenant_a, pairs):
    plan = services.plan_start(pairs[0].mentorship, by=None)
    item = plan.items.first()
    client.force_login(pairs[0].mentor_user)
    before = _rows()
    client.post(_url("comment", pairs), {"text": "Сам себя хвалю"})
    client.post(_url("contact", pairs), {"mentor_contact": "мой телефон"})
    assert _rows() == before

    client.force_login(tenant_a.user(Role.CURATOR))
    response = client.post(
        _url("comment", pairs), {"text": "Уточните сроки проекта", "item": item.pk}, follow=True
    )
    assert PlanComment.objects.get().item == item
    assert "Уточните сроки проекта" in response.content.decode()
    client.post(_url("contact", pairs), {"mentor_contact": "belkina@school.ru"})
    plan.refresh_from_db()
    assert plan.mentor_contact == "belkina@school.ru"


def test_the_printed_plan_lists_the_items_with_russian_dates(client, pairs):
    plan = services.plan_start(pairs[0].mentorship, by=None)
    item = plan.items.get(text="Выявить пробелы в знаниях")
    services.item_update(
        item,
        {
            "section": item.section,
            "text": item.text,
            "due_on": item.due_on,
            "responsible": "both",
            "status": "done",
            "result": "Составлен список тем",
        },
        by=None,
    )
    client.force_login(pairs[0].mentee_user)

    response = client.get(_url("docx", pairs))

    assert response.status_code == 200
    text = docx_text(b"".join(response.streaming_content))
    assert "ИНДИВИДУАЛЬНЫЙ ПЛАН РАЗВИТИЯ" in text
    assert "Белкина Алина Игоревна, 10 «А» класс" in text
    assert "Ветров Тимофей Павлович, 7 «А» класс" in text
    assert "выполнено: Составлен список тем" in text
    assert item.due_on.strftime("%d.%m.%Y") in text
    start = pairs[0].mentorship.started_on
    assert f"с {format_date(start)}" in text
    for _, line, _ in TYPICAL:
        assert line in text
    assert "Лисицын" not in text


def _overview(client, org):
    return client.get(reverse("plans:overview", kwargs={"org_slug": org.slug}))


def test_the_curator_sees_every_pairs_plan_progress(client, tenant_a, pairs):
    plan = services.plan_start(pairs[0].mentorship, by=None)
    item = plan.items.first()
    PlanItem.objects.filter(pk=item.pk).update(status="done", result="Сделано")
    client.force_login(tenant_a.user(Role.CURATOR))

    content = _overview(client, tenant_a.organisation).content.decode()

    assert "Белкина Алина Игоревна" in content and "Журавлёва Алина Игоревна" in content
    done = gettext("%(done)s of %(total)s items done (%(percent)s %%)") % {
        "done": 1,
        "total": len(TYPICAL),
        "percent": 25,
    }
    assert done in content
    assert gettext("not drawn up yet") in content


def test_the_overview_is_the_curators_not_the_mentors(client, tenant_a, pairs):
    client.force_login(pairs[0].mentor_user)
    assert _overview(client, tenant_a.organisation).status_code == 403


def test_the_overview_takes_as_many_queries_for_three_pairs_as_for_one(client, tenant_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from nastavnik.plans.tests.data import account, pair

    org = tenant_a.organisation
    client.force_login(tenant_a.user(Role.CURATOR))
    counts = []
    for number in range(3):
        made = pair(
            org,
            names=(f"Наставница{number}", f"Ученик{number}", f"Мама{number}"),
            users=tuple(
                account(org, role, f"{role}{number}@list.ru")
                for role in (Role.MENTOR, Role.MENTEE, Role.GUARDIAN)
            ),
        )
        services.plan_start(made.mentorship, by=None)
        if number in (0, 2):
            with CaptureQueriesContext(connection) as queries:
                assert _overview(client, org).status_code == 200
            counts.append(len(queries))
    assert counts[0] == counts[1]
