"""The pair's card and its actions as the curator uses them: each form's GET, its POST through
the service, and the refusals shown on the form with nothing changed. Three people in each test
of access: the curator, a member without the right (a mentor), an outsider."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from nastavnik.documents.render import docx_text
from nastavnik.matching.tests.data import approved_programme, mentor, student
from nastavnik.mentees.models import MenteeStatus
from nastavnik.mentorships.forms import CompleteForm
from nastavnik.mentorships.models import (
    AbsenceReason,
    AbsentSide,
    MentorAssignment,
    Mentorship,
    MentorshipStatus,
)
from nastavnik.mentorships.tests.data import active_pair, due_pair
from nastavnik.mentorships.tests.test_life import BEFORE_PLANNED_END, snapshot
from nastavnik.orders.kinds import OrderKind
from nastavnik.orders.models import Order
from nastavnik.orgs.models import Role
from nastavnik.people.tests.data import fio
from nastavnik.people.validators import org_today

Ground = MentorAssignment.Ground


def url(name, pair, slug="school-a"):
    return reverse(f"mentorships:{name}", kwargs={"org_slug": slug, "mentorship_pk": pair.pk})


def d(day):
    return day.isoformat()


@pytest.fixture
def pair(programme):
    return active_pair(programme, grade=8)


@pytest.fixture
def due(programme):
    """A pair whose planned end is today."""
    return due_pair(programme, grade=8)


def order_fields(programme, number="77-о"):
    from nastavnik.orders.services import default_signatory

    return {
        "number": number,
        "date": d(org_today(programme.organisation)),
        "signatory": default_signatory(programme.organisation).pk,
        "signatory_position": "",
    }


ACTIONS = ("complete", "complete_early", "terminate", "extend", "term", "replace")


def test_the_card_offers_the_actions_to_the_curator_only(client, tenant_a, pair):
    client.force_login(tenant_a.user(Role.CURATOR))
    page = client.get(url("detail", pair)).content.decode()
    for action in ACTIONS:
        assert url(action, pair) in page
        assert client.get(url(action, pair)).status_code == 200
    assert pair.mentor.person.full_name in page

    client.force_login(tenant_a.user(Role.MENTOR))
    for action in (*ACTIONS, "results"):
        assert client.get(url(action, pair)).status_code == 403
        assert client.post(url(action, pair), {"ended_on": "2026-01-01"}).status_code == 403
    assert Mentorship.objects.get(pk=pair.pk).status == MentorshipStatus.ACTIVE


def test_an_outsider_finds_no_pair(client, tenant_a, tenant_b, pair, today):
    client.force_login(tenant_b.user(Role.CURATOR))
    before = snapshot(pair)
    for action in (*ACTIONS, "results", "detail"):
        assert client.get(url(action, pair, "school-b")).status_code == 404
    response = client.post(url("complete", pair, "school-b"), {"ended_on": d(today)})
    assert response.status_code == 404
    assert snapshot(pair) == before


def test_completing_with_results_through_the_form(curator_client, due, today):
    pair = due
    response = curator_client.post(
        url("complete", pair),
        {
            "ended_on": d(today),
            "achievements": "Призёр муниципального этапа олимпиады",
            "project": "Математика в архитектуре",
            "grades_change": "Алгебра: с «3» до «4»",
            "summary": "Цели плана достигнуты",
            "mentor_feedback": "",
            "mentee_feedback": "Спасибо наставнику",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("detail", pair)
    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.COMPLETED
    assert pair.members.get().mentee.status == MenteeStatus.FINISHED

    page = curator_client.get(url("detail", pair)).content.decode()
    assert "Математика в архитектуре" in page
    assert url("results", pair) in page
    assert url("complete", pair) not in page

    # Twice: refused on the form, nothing changed.
    before = snapshot(pair)
    again = curator_client.post(url("complete", pair), {"ended_on": d(today), "summary": "x"})
    assert again.status_code == 200
    assert (
        gettext(
            "This pair or group is no longer active (%(status)s): nothing was changed. Only an "
            "active pair or group can be completed, extended or given another mentor."
        )
        % {"status": gettext("Completed").lower()}
        in again.content.decode()
    )
    assert snapshot(pair) == before

    # The results stay editable while the programme is open.
    curator_client.post(
        url("results", pair), {"project": "Математика в архитектуре города", "summary": "Итог"}
    )
    pair.result.refresh_from_db()
    assert pair.result.project == "Математика в архитектуре города"


def test_the_mentor_and_mentee_cards_show_the_results(curator_client, due, today):
    pair = due
    curator_client.post(
        url("complete", pair), {"ended_on": d(today), "project": "Дроби без страха"}
    )
    page = curator_client.get(
        reverse("mentors:detail", kwargs={"org_slug": "school-a", "mentor_pk": pair.mentor_id})
    ).content.decode()
    assert "Дроби без страха" in page
    assert pair.members.get().mentee.person.full_name in page
    assert url("detail", pair) in page

    the_mentee = pair.members.get().mentee
    page = curator_client.get(
        reverse("mentees:detail", kwargs={"org_slug": "school-a", "mentee_pk": the_mentee.pk})
    ).content.decode()
    assert "Дроби без страха" in page
    assert pair.mentor.person.full_name in page
    assert gettext("Finished mentoring") in page


def test_the_complete_form_refuses_a_day_before_the_planned_end(pair, due, today):
    message = gettext(BEFORE_PLANNED_END) % {"end": pair.planned_end.strftime("%d.%m.%Y")}
    form = CompleteForm({"ended_on": d(today)}, mentorship=pair)
    assert not form.is_valid()
    assert form.errors["ended_on"] == [message]
    assert CompleteForm({"ended_on": d(today)}, mentorship=due).is_valid()


def test_completing_before_the_planned_end_points_to_the_early_completion(
    curator_client, pair, today
):
    """Six months early through «Complete»: refused on the form, nothing changed, and the
    page names the way that is allowed."""
    before = snapshot(pair)
    response = curator_client.post(
        url("complete", pair), {"ended_on": d(today), "summary": "Цели достигнуты"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    message = gettext(BEFORE_PLANNED_END) % {"end": pair.planned_end.strftime("%d.%m.%Y")}
    assert escape(message) in page
    assert url("complete_early", pair) in page
    assert snapshot(pair) == before
    assert Mentorship.objects.get(pk=pair.pk).status == MentorshipStatus.ACTIVE


def test_early_completion_through_the_form_makes_the_order(curator_client, programme, pair, today):
    before = snapshot(pair)
    response = curator_client.post(
        url("complete_early", pair),
        {"ended_on": d(today), "reason": "Цели достигнуты", **order_fields(programme)},
    )
    assert gettext("This field is required.") in response.content.decode()
    assert snapshot(pair) == before

    response = curator_client.post(
        url("complete_early", pair),
        {
            "ended_on": d(today),
            "reason": "Программа освоена досрочно",
            "agreed": "on",
            **order_fields(programme),
        },
    )
    assert response.status_code == 302
    pair.refresh_from_db()
    order = pair.end_order
    assert (order.kind, order.number) == (OrderKind.EARLY_COMPLETION, "77-о")
    assert "Программа освоена досрочно" in docx_text(order.document.read())
    page = curator_client.get(url("detail", pair)).content.decode()
    assert reverse("orders:detail", kwargs={"org_slug": "school-a", "order_pk": order.pk}) in page


def test_terminating_needs_a_reason(curator_client, pair, today):
    before = snapshot(pair)
    response = curator_client.post(url("terminate", pair), {"ended_on": d(today), "reason": " "})
    assert response.status_code == 200
    assert snapshot(pair) == before
    curator_client.post(url("terminate", pair), {"ended_on": d(today), "reason": "Переезд"})
    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.TERMINATED
    assert pair.members.get().mentee.status == MenteeStatus.IN_BASE


def test_extension_through_the_form(curator_client, pair):
    start = pair.started_on
    outside = {
        "reason": AbsenceReason.ILLNESS,
        "absent_side": AbsentSide.MENTOR,
        "absent_from": d(start - timedelta(days=3)),
        "absent_to": d(start + timedelta(days=3)),
    }
    before = snapshot(pair)
    response = curator_client.post(url("extend", pair), outside)
    assert (
        gettext("The absence must fall within the mentoring period, from %(start)s to %(end)s.")
        % {"start": start.strftime("%d.%m.%Y"), "end": pair.planned_end.strftime("%d.%m.%Y")}
        in response.content.decode()
    )
    reversed_dates = {
        **outside,
        "absent_from": d(start + timedelta(days=9)),
        "absent_to": d(start + timedelta(days=2)),
    }
    response = curator_client.post(url("extend", pair), reversed_dates)
    assert gettext("The absence cannot end before it starts.") in response.content.decode()
    assert snapshot(pair) == before

    response = curator_client.post(
        url("extend", pair),
        {
            **outside,
            "absent_from": d(start + timedelta(days=2)),
            "absent_to": d(start + timedelta(days=8)),
        },
    )
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.planned_end == before[3] + timedelta(days=7)
    page = curator_client.get(url("detail", pair)).content.decode()
    assert gettext("Temporary incapacity for work (illness)") in page


def test_the_planned_end_form_keeps_the_one_year_rule(curator_client, pair):
    too_late = pair.started_on.replace(year=pair.started_on.year + 1) + timedelta(days=1)
    before = snapshot(pair)
    response = curator_client.post(url("term", pair), {"planned_end": d(too_late)})
    assert response.status_code == 200
    assert (
        gettext(
            "A mentorship lasts at most one year: the planned end can be %(latest)s at the latest."
        )
        % {"latest": (too_late - timedelta(days=1)).strftime("%d.%m.%Y")}
        in response.content.decode()
    )
    assert snapshot(pair) == before


def test_replacing_the_mentor_through_the_form(curator_client, programme, pair, today):
    maria = mentor(
        programme,
        person=student(
            programme.organisation,
            grade=11,
            **fio("Иванова Мария Петровна"),
            gender="f",
        ),
    )
    full = mentor(programme, capacity=1)
    active_pair(programme, the_mentor=full)
    old = pair.mentor

    form_page = curator_client.get(url("replace", pair)).content.decode()
    assert f'id="new-mentor-{maria.pk}"' in form_page
    assert f'id="new-mentor-{full.pk}"' not in form_page  # no free place
    assert f'id="new-mentor-{old.pk}"' not in form_page  # the current mentor

    base = {"new_mentor": maria.pk, "ground": Ground.REQUEST, "on": d(today), "note": ""}
    before = snapshot(pair)
    for bad in (
        {**base, "ground": ""},
        {**base, "new_mentor": full.pk},
        {**base, "new_mentor": old.pk},
        {**base, "on": d(pair.planned_end + timedelta(days=1))},
    ):
        response = curator_client.post(url("replace", pair), {**bad, **order_fields(programme)})
        assert response.status_code == 200
        assert snapshot(pair) == before

    response = curator_client.post(url("replace", pair), {**base, **order_fields(programme)})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)]
    pair.refresh_from_db()
    assert pair.mentor == maria
    assert pair.planned_end == before[3]
    order = Order.objects.get(kind=OrderKind.MENTOR_REPLACEMENT)
    assert "Иванову Марию Петровну" in docx_text(order.document.read())
    page = curator_client.get(url("detail", pair)).content.decode()
    assert old.person.full_name in page and "Иванова Мария Петровна" in page
    assert gettext("A justified request of the mentor or the mentee") in page


def test_a_mentor_of_another_organisation_cannot_be_chosen(
    curator_client, programme, pair, today, tenant_b
):
    foreign = mentor(approved_programme(tenant_b.organisation))
    before = snapshot(pair)
    response = curator_client.post(
        url("replace", pair),
        {
            "new_mentor": foreign.pk,
            "ground": Ground.REQUEST,
            "on": d(today),
            **order_fields(programme),
        },
    )
    assert response.status_code == 200
    assert snapshot(pair) == before
