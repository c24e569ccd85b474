"""The assessment pages through the browser's door: the table, recording a participant's
measures of a phase, removing one, the parameters."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nastavnik.assessments.models import Measure, Parameter, Phase
from nastavnik.assessments.services import MESSAGES, value_field
from nastavnik.core.tests.pages import login, message_text, school_a_url
from nastavnik.mentees.models import MenteeStatus
from nastavnik.mentees.tests.factories import MenteeFactory, programme_of, student, this_year
from nastavnik.orgs.models import Role

pytestmark = pytest.mark.django_db


url = school_a_url("assessments")


def builtin(code):
    return Parameter.objects.get(code=code, organisation__isnull=True)


msg = message_text(MESSAGES)


@pytest.fixture
def day(programme):
    return programme.academic_year.starts_on + timedelta(days=20)


def measure(programme, person, code, phase, value, day):
    return Measure.objects.create(
        organisation=programme.organisation,
        programme=programme,
        person=person,
        parameter=builtin(code),
        phase=phase,
        value=Decimal(value),
        measured_on=day,
    )


@pytest.mark.parametrize(
    ("role", "view_status", "record_status", "parameter_status"),
    [
        (Role.DIRECTOR, 200, 200, 200),
        (Role.CURATOR, 200, 200, 200),
        (Role.SPECIALIST, 200, 200, 403),
        (Role.COMMISSION_MEMBER, 403, 403, 403),
        (Role.MENTOR, 403, 403, 403),
        (Role.MENTEE, 403, 403, 403),
        (Role.GUARDIAN, 403, 403, 403),
    ],
)
def test_who_reads_and_who_records(
    client, tenant_a, programme, role, view_status, record_status, parameter_status
):
    pupil = MenteeFactory(person=student(tenant_a.organisation), programme=programme).person
    login(client, tenant_a, role)

    assert client.get(url("programme", programme_pk=programme.pk)).status_code == view_status
    assert client.get(url("parameters")).status_code == view_status
    response = client.get(url("record", programme_pk=programme.pk, person_pk=pupil.pk))
    assert response.status_code == record_status
    assert client.get(url("parameter_create")).status_code == parameter_status


def test_the_table_shows_entry_exit_and_change_of_current_participants(
    client, tenant_a, tenant_b, programme, day
):
    org = tenant_a.organisation
    grew = MenteeFactory(person=student(org, last_name="Ростова"), programme=programme).person
    measure(programme, grew, "engagement", Phase.ENTRY, 4, day)
    measure(programme, grew, "engagement", Phase.EXIT, 7, day + timedelta(days=120))
    measure(programme, grew, "anxiety", Phase.ENTRY, 8, day)
    measure(programme, grew, "anxiety", Phase.EXIT, 5, day + timedelta(days=120))
    waiting = MenteeFactory(person=student(org, last_name="Ждунова"), programme=programme).person
    left = MenteeFactory(
        person=student(org, last_name="Ушедшая"), programme=programme, status=MenteeStatus.LEFT
    ).person
    measure(programme, left, "engagement", Phase.ENTRY, 5, day)
    hidden = MenteeFactory(person=student(org, last_name="Скрытая"), programme=programme).person
    measure(programme, hidden, "engagement", Phase.ENTRY, 9, day)
    hidden.consents.update(withdrawn_at=timezone.now())
    other = student(tenant_b.organisation, last_name="Чужая")
    MenteeFactory(person=other, programme=programme_of(tenant_b.organisation, this_year() - 1))
    login(client, tenant_a, Role.CURATOR)

    response = client.get(url("programme", programme_pk=programme.pk))

    rows = {row["person"].last_name: row for row in response.context["rows"]}
    assert set(rows) == {"Ростова", "Ждунова"}
    cells = {c.parameter.code: c for c in rows["Ростова"]["cells"] if c.entry is not None}
    assert cells["engagement"].change_text == "+3" and cells["engagement"].better
    assert cells["anxiety"].change_text == "-3" and cells["anxiety"].better  # lower is better
    summaries = {s.parameter.code: s for s in response.context["summaries"]}
    assert (summaries["engagement"].entries, summaries["engagement"].both) == (1, 1)
    assert summaries["engagement"].mean_change == "+3.00"
    page = response.content.decode()
    assert "Скрытая" not in page and "Чужая" not in page and "Ушедшая" not in page
    assert waiting.full_name in page


def _count(client, programme):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("programme", programme_pk=programme.pk))
    return len(queries), len(response.context["rows"])


def test_the_table_query_count_does_not_grow_with_participants(client, tenant_a, programme, day):
    org = tenant_a.organisation
    login(client, tenant_a, Role.CURATOR)

    def add():
        person = MenteeFactory(person=student(org), programme=programme).person
        measure(programme, person, "engagement", Phase.ENTRY, 5, day)

    for _ in range(3):
        add()
    few, shown = _count(client, programme)
    assert shown == 3
    for _ in range(27):
        add()
    many, shown = _count(client, programme)
    assert (many, shown) == (few, 30)


def test_recording_a_phase_saves_the_values_given(client, tenant_a, programme, day):
    pupil = MenteeFactory(person=student(tenant_a.organisation), programme=programme).person
    login(client, tenant_a, Role.SPECIALIST)
    address = url("record", programme_pk=programme.pk, person_pk=pupil.pk)

    response = client.post(
        address,
        {
            "phase": "entry",
            "measured_on": day.isoformat(),
            value_field(builtin("engagement")): "5",
            value_field(builtin("academic_results")): "3,75",
            value_field(builtin("anxiety")): "",
        },
    )

    assert response.status_code == 302
    values = dict(Measure.objects.values_list("parameter__code", "value"))
    assert values == {"engagement": Decimal("5.00"), "academic_results": Decimal("3.75")}
    page = client.get(address + "?phase=entry")
    assert value_field(builtin("engagement")) not in [
        f.name for f in page.context["form"].value_fields()
    ]


def test_recording_an_out_of_scale_value_says_so_and_saves_nothing(
    client, tenant_a, programme, day
):
    pupil = MenteeFactory(person=student(tenant_a.organisation), programme=programme).person
    login(client, tenant_a, Role.SPECIALIST)

    response = client.post(
        url("record", programme_pk=programme.pk, person_pk=pupil.pk),
        {
            "phase": "entry",
            "measured_on": day.isoformat(),
            value_field(builtin("engagement")): "11",
            value_field(builtin("activity")): "6",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors[value_field(builtin("engagement"))] == [
        msg("value_range", parameter="Вовлечённость", min="1", max="10")
    ]
    assert not Measure.objects.exists()


def test_an_exit_before_the_entry_is_shown_on_the_field(client, tenant_a, programme, day):
    pupil = MenteeFactory(person=student(tenant_a.organisation), programme=programme).person
    measure(programme, pupil, "engagement", Phase.ENTRY, 4, day)
    login(client, tenant_a, Role.CURATOR)

    response = client.post(
        url("record", programme_pk=programme.pk, person_pk=pupil.pk),
        {
            "phase": "exit",
            "measured_on": (day - timedelta(days=2)).isoformat(),
            value_field(builtin("engagement")): "6",
        },
    )

    assert response.context["form"].errors[value_field(builtin("engagement"))] == [
        msg("exit_before_entry", parameter="Вовлечённость", date=day.strftime("%d.%m.%Y"))
    ]
    assert Measure.objects.count() == 1


def test_a_measure_recorded_by_mistake_is_removed(client, tenant_a, programme, day):
    pupil = MenteeFactory(person=student(tenant_a.organisation), programme=programme).person
    wrong = measure(programme, pupil, "engagement", Phase.ENTRY, 4, day)
    login(client, tenant_a, Role.SPECIALIST)

    response = client.post(url("measure_delete", measure_pk=wrong.pk))

    assert response.status_code == 302
    assert not Measure.objects.exists()


def test_parameters_are_listed_and_an_own_one_is_added(client, tenant_a):
    login(client, tenant_a, Role.CURATOR)

    response = client.post(
        url("parameter_create"),
        {
            "name": "Читательская грамотность",
            "code": "reading",
            "scale_min": "0",
            "scale_max": "30",
            "decimals": "0",
            "higher_is_better": "on",
        },
    )
    assert response.status_code == 302
    own = Parameter.objects.get(organisation=tenant_a.organisation)
    assert (own.code, own.scale_max, own.higher_is_better) == ("reading", 30, True)

    listing = client.get(url("parameters")).content.decode()
    assert "Читательская грамотность" in listing and "Тревожность" in listing

    response = client.post(
        url("parameter_edit", parameter_pk=own.pk),
        {
            "name": "Читательская грамотность",
            "code": "reading",
            "scale_min": "0",
            "scale_max": "0",
            "decimals": "0",
        },
    )
    assert response.context["form"].errors["scale_max"] == [msg("scale_order")]
    own.refresh_from_db()
    assert own.scale_max == 30


def test_the_exit_page_offers_the_parameters_with_an_entry(client, tenant_a, programme, day):
    pupil = MenteeFactory(person=student(tenant_a.organisation), programme=programme).person
    address = url("record", programme_pk=programme.pk, person_pk=pupil.pk)
    login(client, tenant_a, Role.SPECIALIST)

    assert client.get(address, {"phase": "exit"}).context["no_entries"]
    measure(programme, pupil, "anxiety", Phase.ENTRY, 7, day)
    response = client.get(address, {"phase": "exit"})

    assert [f.name for f in response.context["form"].value_fields()] == ["value_anxiety"]
    assert "7" in str(response.context["form"]["value_anxiety"].help_text)
