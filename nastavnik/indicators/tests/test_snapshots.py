"""Half-year snapshots: one a day, frozen; deadlines of 30 September and 30 March; reminders."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import gettext

from nastavnik.indicators import services
from nastavnik.indicators.compute import Indicators
from nastavnik.indicators.deadlines import (
    deadline_on_or_after,
    half_year_for_dashboard,
    half_year_state,
    snapshot_counts_for,
    window_of,
)
from nastavnik.indicators.models import HalfYearReminder, HalfYearSnapshot
from nastavnik.indicators.reminders import remind_half_year
from nastavnik.indicators.tests import data
from nastavnik.orgs.models import Role
from nastavnik.people.validators import org_today

TAKEN = "The half-year assessment of %(date)s has already been taken: a day has one snapshot."


def _world(org):
    programme = data.programme(org, 2025)
    s, t = data.students(org, 4), data.staff(org, 2)
    data.pair(programme, t[0], [s[0]])
    return programme, s, t


def test_a_snapshot_freezes_the_figures_of_its_day(tenant_a):
    programme, s, t = _world(tenant_a.organisation)
    taken = services.snapshot_take(programme, today=date(2026, 3, 20), by=None)
    frozen = Indicators.from_json(taken.figures)
    assert frozen.coverage.students.part == 1

    # The data change afterwards; the snapshot does not.
    data.pair(programme, t[1], [s[1], s[2]], form="teacher-student")
    taken.refresh_from_db()
    assert Indicators.from_json(taken.figures) == frozen


def test_a_second_snapshot_of_a_day_is_refused_and_nothing_changes(tenant_a):
    programme, _s, _t = _world(tenant_a.organisation)
    first = services.snapshot_take(programme, today=date(2026, 3, 20), by=None)
    with pytest.raises(ValidationError) as caught:
        services.snapshot_take(programme, today=date(2026, 3, 20), by=None)
    assert gettext(TAKEN) % {"date": "20.03.2026"} in caught.value.messages
    assert list(HalfYearSnapshot.objects.values_list("pk", flat=True)) == [first.pk]


def test_the_curator_takes_it_with_the_button_once_a_day(curator_client, tenant_a):
    programme, _s, _t = _world(tenant_a.organisation)
    url = reverse(
        "indicators:snapshot_take",
        kwargs={"org_slug": tenant_a.organisation.slug, "programme_pk": programme.pk},
    )
    curator_client.post(url)
    assert HalfYearSnapshot.objects.count() == 1
    response = curator_client.post(url, follow=True)
    assert HalfYearSnapshot.objects.count() == 1
    today = org_today(tenant_a.organisation)
    expected = gettext(TAKEN) % {"date": f"{today:%d.%m.%Y}"}
    assert expected in [str(m) for m in response.context["messages"]]
    page = curator_client.get(
        reverse("indicators:snapshots", kwargs={"org_slug": tenant_a.organisation.slug})
    )
    assert page.status_code == 200
    assert gettext("Students in mentoring") in page.content.decode()


def test_a_specialist_may_not_take_a_snapshot(client, tenant_a):
    programme, _s, _t = _world(tenant_a.organisation)
    client.force_login(tenant_a.user(Role.SPECIALIST))
    url = reverse(
        "indicators:snapshot_take",
        kwargs={"org_slug": tenant_a.organisation.slug, "programme_pk": programme.pk},
    )
    assert client.post(url).status_code == 403
    assert not HalfYearSnapshot.objects.exists()


@pytest.mark.parametrize(
    ("day", "deadline"),
    [
        (date(2026, 3, 30), date(2026, 3, 30)),
        (date(2026, 3, 31), date(2026, 9, 30)),
        (date(2026, 9, 30), date(2026, 9, 30)),
        (date(2026, 10, 1), date(2027, 3, 30)),
        (date(2026, 1, 1), date(2026, 3, 30)),
        (date(2026, 12, 31), date(2027, 3, 30)),
    ],
)
def test_each_day_belongs_to_the_next_deadline(day, deadline):
    assert deadline_on_or_after(day) == deadline


def test_the_dashboard_warns_two_weeks_ahead_and_when_missed(tenant_a):
    org = tenant_a.organisation
    programme, _s, _t = _world(org)
    # The autumn deadline passed without an assessment: said until it is made up for.
    assert half_year_state(org, date(2026, 3, 15)).missed == date(2025, 9, 30)
    services.snapshot_take(programme, today=date(2025, 9, 25), by=None)
    assert half_year_for_dashboard(org, date(2026, 3, 15)) == {}
    due = half_year_state(org, date(2026, 3, 16))
    assert (due.deadline, due.days_left, due.warn, due.missed) == (
        date(2026, 3, 30),
        14,
        True,
        None,
    )
    # The day after the deadline: missed, and the next one far away.
    late = half_year_state(org, date(2026, 3, 31))
    assert late.missed == date(2026, 3, 30) and not late.warn

    services.snapshot_take(programme, today=date(2026, 3, 30), by=None)
    assert half_year_for_dashboard(org, date(2026, 3, 31)) == {}
    assert half_year_state(org, date(2026, 3, 20)).done


def test_the_dashboard_shows_the_warning(curator_client, tenant_a, monkeypatch):
    _world(tenant_a.organisation)
    monkeypatch.setattr(
        "nastavnik.dashboards.views.timezone.localdate", lambda *args, **kwargs: date(2026, 9, 20)
    )
    page = curator_client.get(
        reverse("orgs:dashboard", kwargs={"org_slug": tenant_a.organisation.slug})
    )
    assert gettext("Half-year assessment") in page.content.decode()


def test_without_a_programme_nothing_is_asked(tenant_a):
    assert half_year_state(tenant_a.organisation, date(2026, 3, 20)) is None


def test_the_curators_are_reminded_once_fourteen_days_before(
    tenant_a, tenant_b, django_capture_on_commit_callbacks
):
    _world(tenant_a.organisation)
    moment = datetime(2026, 9, 16, 9, 0, tzinfo=UTC)  # 14 days before 30 September in Moscow
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_half_year(moment, base_url="https://nastavnik.example") == 1
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == [tenant_a.user(Role.CURATOR).email]
    assert "30.09.2026" in letter.subject
    assert f"/o/{tenant_a.organisation.slug}/indicators/" in letter.body

    # The same day again: nothing more; a day later (13 left): not a reminder day.
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_half_year(moment) == 0
        assert remind_half_year(datetime(2026, 9, 17, 9, 0, tzinfo=UTC)) == 0
    assert len(mail.outbox) == 1
    assert HalfYearReminder.objects.count() == 1


def test_no_reminder_when_the_assessment_is_taken(tenant_a, django_capture_on_commit_callbacks):
    programme, _s, _t = _world(tenant_a.organisation)
    services.snapshot_take(programme, today=date(2026, 9, 10), by=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_half_year(datetime(2026, 9, 16, 9, 0, tzinfo=UTC)) == 0
    assert mail.outbox == []


def test_the_command_reports_what_it_did(tenant_a):
    out = io.StringIO()
    call_command("remind_half_year", stdout=out)
    assert out.getvalue().startswith("Organisations reminded: ")


# --- Windows: a snapshot counts for a deadline only within the window around it ----------------


def test_a_december_snapshot_is_not_the_march_assessment_but_one_of_10_april_is(tenant_a):
    org = tenant_a.organisation
    programme, _s, _t = _world(org)
    services.snapshot_take(programme, today=date(2025, 9, 20), by=None)  # the autumn one
    services.snapshot_take(programme, today=date(2025, 12, 10), by=None)
    assert not half_year_state(org, date(2026, 3, 20)).done
    late = half_year_state(org, date(2026, 4, 2))
    assert late.missed == date(2026, 3, 30) and late.missed_until == date(2026, 4, 15)

    services.snapshot_take(programme, today=date(2026, 4, 10), by=None)
    assert half_year_state(org, date(2026, 4, 12)).missed is None
    assert half_year_for_dashboard(org, date(2026, 5, 1)) == {}


def test_a_snapshot_before_the_window_opens_counts_for_nothing(tenant_a):
    org = tenant_a.organisation
    programme, _s, _t = _world(org)
    services.snapshot_take(programme, today=date(2025, 9, 25), by=None)
    services.snapshot_take(programme, today=date(2026, 2, 27), by=None)
    state = half_year_state(org, date(2026, 3, 16))
    assert not state.done and state.warn
    # Once the window closes the deadline is missed for good: nothing more counts for it.
    services.snapshot_take(programme, today=date(2026, 4, 16), by=None)
    after = half_year_state(org, date(2026, 4, 20))
    assert after.missed == date(2026, 3, 30) and after.missed_until is None


@pytest.mark.parametrize(
    ("taken_on", "counts"),
    [
        (date(2026, 8, 31), False),
        (date(2026, 9, 1), True),
        (date(2026, 10, 15), True),
        (date(2026, 10, 16), False),
    ],
)
def test_the_autumn_window_is_1_september_to_15_october(taken_on, counts):
    assert snapshot_counts_for(date(2026, 9, 30), taken_on) is counts


def test_the_windows_are_settings(settings):
    settings.HALF_YEAR_WINDOW_MARCH = "03-15/04-01"
    assert window_of(date(2026, 3, 30)) == (date(2026, 3, 15), date(2026, 4, 1))
    assert not snapshot_counts_for(date(2026, 3, 30), date(2026, 3, 10))
    settings.HALF_YEAR_WINDOW_MARCH = "04-01/04-15"  # does not hold 30 March
    with pytest.raises(ImproperlyConfigured):
        window_of(date(2026, 3, 30))
    settings.HALF_YEAR_WINDOW_MARCH = "31-03"
    with pytest.raises(ImproperlyConfigured):
        window_of(date(2026, 3, 30))


def test_the_dashboard_says_until_when_a_late_snapshot_still_counts(
    curator_client, tenant_a, monkeypatch
):
    programme, _s, _t = _world(tenant_a.organisation)
    services.snapshot_take(programme, today=date(2025, 9, 20), by=None)
    services.snapshot_take(programme, today=date(2025, 12, 10), by=None)
    monkeypatch.setattr(
        "nastavnik.dashboards.views.timezone.localdate", lambda *args, **kwargs: date(2026, 4, 5)
    )
    dashboard = reverse("orgs:dashboard", kwargs={"org_slug": tenant_a.organisation.slug})
    html = curator_client.get(dashboard).content.decode()
    assert (
        gettext("A snapshot taken by %(until)s still counts for it.") % {"until": "15 апреля 2026"}
        in html
    )


def test_a_snapshot_out_of_the_window_does_not_stop_the_reminder(
    tenant_a, django_capture_on_commit_callbacks
):
    programme, _s, _t = _world(tenant_a.organisation)
    services.snapshot_take(programme, today=date(2026, 8, 20), by=None)  # before 1 September
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_half_year(datetime(2026, 9, 16, 9, 0, tzinfo=UTC)) == 1
    assert len(mail.outbox) == 1
    # Taken within the window, it does stop the next one.
    services.snapshot_take(programme, today=date(2026, 9, 18), by=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_half_year(datetime(2026, 9, 23, 9, 0, tzinfo=UTC)) == 0
    assert len(mail.outbox) == 1


def test_the_list_says_which_deadline_each_snapshot_counts_for(curator_client, tenant_a):
    programme, _s, _t = _world(tenant_a.organisation)
    services.snapshot_take(programme, today=date(2025, 12, 10), by=None)
    services.snapshot_take(programme, today=date(2026, 4, 10), by=None)
    page = curator_client.get(
        reverse("indicators:snapshots", kwargs={"org_slug": tenant_a.organisation.slug})
    ).content.decode()
    assert page.count(gettext("outside the windows")) == 1
    assert gettext("for %(date)s") % {"date": "30 марта 2026"} in page
