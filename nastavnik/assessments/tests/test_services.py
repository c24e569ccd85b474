"""The rules of entry and exit measures, and of the organisation's own parameters. Every bad
input: a clear message and nothing changed."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from nastavnik.assessments import services
from nastavnik.assessments.models import Measure, MeasureSource, Parameter, Phase
from nastavnik.assessments.services import MESSAGES, value_field
from nastavnik.audit.models import AuditEntry, AuditObject
from nastavnik.core.tests.pages import message_text
from nastavnik.mentees.tests.factories import programme_of, student
from nastavnik.orgs.models import Role
from nastavnik.programmes.models import ProgrammeStatus
from nastavnik.programmes.services import MESSAGES as PROGRAMME_MESSAGES

pytestmark = pytest.mark.django_db


def builtin(code):
    return Parameter.objects.get(code=code, organisation__isnull=True)


def state():
    return (
        list(Measure.objects.order_by("pk").values()),
        list(Parameter.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    )


def refused(call, field=None):
    before = state()
    with pytest.raises(ValidationError) as caught:
        call()
    assert state() == before
    error = caught.value
    if field is None:
        return error.messages
    return [m for e in error.error_dict[field] for m in e.messages]


msg = message_text(MESSAGES)


@pytest.fixture
def day(programme):
    return programme.academic_year.starts_on + timedelta(days=20)


@pytest.fixture
def by(tenant_a):
    return tenant_a.user(Role.SPECIALIST)


def test_the_built_in_parameters_come_with_the_install():
    scales = {
        p.code: (p.name, p.scale_min, p.scale_max, p.decimals, p.higher_is_better)
        for p in Parameter.objects.filter(organisation__isnull=True)
    }
    assert scales == {
        "engagement": ("Вовлечённость", 1, 10, 0, True),
        "activity": ("Активность", 1, 10, 0, True),
        "self_esteem": ("Самооценка", 1, 10, 0, True),
        "anxiety": ("Тревожность", 1, 10, 0, False),
        "motivation": ("Мотивация", 1, 10, 0, True),
        "academic_results": ("Успеваемость (средний балл)", 2, 5, 2, True),
        "attendance": ("Посещаемость, %", 0, 100, 0, True),
        "competitions": ("Участие в конкурсах и проектах", 0, 50, 0, True),
    }


def test_an_entry_then_an_exit_are_recorded_with_the_audit(org, programme, day, by):
    pupil = student(org)

    entry = services.measure_record(
        programme, pupil, builtin("engagement"), Phase.ENTRY, "4", day, by=by
    )
    exit_ = services.measure_record(
        programme, pupil, builtin("engagement"), Phase.EXIT, 7, day + timedelta(days=100), by=by
    )

    assert (entry.value, exit_.value) == (Decimal(4), Decimal(7))
    assert entry.recorded_by == by and entry.source == MeasureSource.MANUAL
    assert AuditEntry.objects.filter(object_type=AuditObject.MEASURE, person=pupil).count() == 2


def test_a_second_entry_is_refused(org, programme, day, by):
    pupil = student(org)
    services.measure_record(programme, pupil, builtin("anxiety"), Phase.ENTRY, 6, day, by=by)

    errors = refused(
        lambda: services.measure_record(
            programme, pupil, builtin("anxiety"), Phase.ENTRY, 5, day + timedelta(days=1), by=by
        ),
        "value",
    )

    assert errors == [
        msg(
            "taken_entry",
            parameter="Тревожность",
            name=pupil.full_name,
            value="6",
            date=day.strftime("%d.%m.%Y"),
        )
    ]


def test_a_second_exit_is_refused(org, programme, day, by):
    pupil = student(org)
    services.measure_record(programme, pupil, builtin("activity"), Phase.ENTRY, 3, day, by=by)
    services.measure_record(programme, pupil, builtin("activity"), Phase.EXIT, 6, day, by=by)

    refused(
        lambda: services.measure_record(
            programme, pupil, builtin("activity"), Phase.EXIT, 7, day, by=by
        ),
        "value",
    )


def test_an_exit_before_the_entry_is_refused(org, programme, day, by):
    pupil = student(org)
    services.measure_record(programme, pupil, builtin("motivation"), Phase.ENTRY, 5, day, by=by)

    errors = refused(
        lambda: services.measure_record(
            programme, pupil, builtin("motivation"), Phase.EXIT, 8, day - timedelta(days=1), by=by
        ),
        "value",
    )

    assert errors == [
        msg("exit_before_entry", parameter="Мотивация", date=day.strftime("%d.%m.%Y"))
    ]


def test_an_exit_without_an_entry_is_refused(org, programme, day, by):
    pupil = student(org)

    errors = refused(
        lambda: services.measure_record(
            programme, pupil, builtin("motivation"), Phase.EXIT, 8, day, by=by
        ),
        "value",
    )

    assert errors == [msg("exit_without_entry", parameter="Мотивация", name=pupil.full_name)]


@pytest.mark.parametrize(
    ("code", "value", "key", "params"),
    [
        ("engagement", "11", "value_range", {"min": "1", "max": "10"}),
        ("engagement", "0", "value_range", {"min": "1", "max": "10"}),
        ("engagement", "7.5", "value_whole", {}),
        ("academic_results", "5.5", "value_range", {"min": "2,00", "max": "5,00"}),
        ("academic_results", "1,9", "value_range", {"min": "2,00", "max": "5,00"}),
        ("academic_results", "4.255", "value_decimals", {"decimals": 2}),
        ("attendance", "101", "value_range", {"min": "0", "max": "100"}),
        ("competitions", "-1", "value_range", {"min": "0", "max": "50"}),
        ("engagement", "много", "value_number", {}),
        ("engagement", "NaN", "value_number", {}),
        ("engagement", "", "value_number", {}),
    ],
)
def test_values_off_the_scale_are_refused(org, programme, day, by, code, value, key, params):
    parameter = builtin(code)
    if key != "value_number":
        params = {"parameter": parameter.name, **params}

    errors = refused(
        lambda: services.measure_record(
            programme, student(org), parameter, Phase.ENTRY, value, day, by=by
        ),
        "value",
    )

    assert errors == [msg(key, **params)]


def test_values_on_the_scale_are_kept_with_the_parameters_precision(org, programme, day, by):
    pupil = student(org)

    results = services.measure_record(
        programme, pupil, builtin("academic_results"), Phase.ENTRY, "3,5", day, by=by
    )
    whole = services.measure_record(
        programme, pupil, builtin("engagement"), Phase.ENTRY, "10.0", day, by=by
    )

    assert (results.value_text, whole.value_text) == ("3,50", "10")  # as Russian writes it


def test_a_date_outside_the_academic_year_or_ahead_is_refused(org, by):
    programme = programme_of(org)
    year = programme.academic_year
    pupil = student(org)

    errors = refused(
        lambda: services.measure_record(
            programme,
            pupil,
            builtin("engagement"),
            Phase.ENTRY,
            5,
            year.starts_on - timedelta(days=1),
            by=by,
        ),
        "measured_on",
    )
    assert errors == [
        msg(
            "date_outside_year",
            year=year.label,
            start=year.starts_on.strftime("%d.%m.%Y"),
            end=year.ends_on.strftime("%d.%m.%Y"),
        )
    ]
    tomorrow = timezone.localdate() + timedelta(days=1)
    if tomorrow <= year.ends_on:
        errors = refused(
            lambda: services.measure_record(
                programme, pupil, builtin("engagement"), Phase.ENTRY, 5, tomorrow, by=by
            ),
            "measured_on",
        )
        assert errors == [msg("date_future")]


def test_a_person_without_consent_is_refused(org, programme, day, by):
    pupil = student(org, with_consent=False)

    errors = refused(
        lambda: services.measure_record(
            programme, pupil, builtin("engagement"), Phase.ENTRY, 5, day, by=by
        ),
        "person",
    )

    assert errors == [msg("no_consent", name=pupil.full_name)]


def test_another_organisations_person_or_parameter_is_refused(org, programme, day, by, tenant_b):
    theirs = Parameter.objects.create(
        organisation=tenant_b.organisation, code="theirs", name="Чужой", scale_min=0, scale_max=5
    )

    refused(
        lambda: services.measure_record(
            programme,
            student(tenant_b.organisation),
            builtin("engagement"),
            Phase.ENTRY,
            5,
            day,
            by=by,
        ),
        "person",
    )
    refused(
        lambda: services.measure_record(
            programme, student(org), theirs, Phase.ENTRY, 3, day, by=by
        ),
        "parameter",
    )


def test_a_finished_programme_takes_no_measures(org, programme, day, by):
    programme.status = ProgrammeStatus.FINISHED
    programme.save()

    errors = refused(
        lambda: services.measure_record(
            programme, student(org), builtin("engagement"), Phase.ENTRY, 5, day, by=by
        )
    )

    assert errors == [str(PROGRAMME_MESSAGES["finished"])]


def test_a_whole_form_is_recorded_all_or_nothing(org, programme, day, by):
    pupil = student(org)
    engagement, anxiety, results = (
        builtin("engagement"),
        builtin("anxiety"),
        builtin("academic_results"),
    )

    before = state()
    with pytest.raises(ValidationError) as caught:
        services.measures_record_many(
            programme,
            pupil,
            Phase.ENTRY,
            {engagement: "6", anxiety: "11", results: "5.5"},
            day,
            by=by,
        )
    assert state() == before
    errors = caught.value.error_dict
    assert set(errors) == {value_field(anxiety), value_field(results)}

    made = services.measures_record_many(
        programme, pupil, Phase.ENTRY, {engagement: "6", anxiety: "7", results: ""}, day, by=by
    )
    assert {m.parameter.code for m in made} == {"engagement", "anxiety"}


def test_an_empty_form_is_refused(org, programme, day, by):
    errors = refused(
        lambda: services.measures_record_many(
            programme, student(org), Phase.ENTRY, {builtin("engagement"): ""}, day, by=by
        )
    )

    assert errors == [msg("nothing")]


def test_an_entry_with_an_exit_after_it_cannot_be_removed(org, programme, day, by):
    pupil = student(org)
    entry = services.measure_record(
        programme, pupil, builtin("activity"), Phase.ENTRY, 4, day, by=by
    )
    exit_ = services.measure_record(
        programme, pupil, builtin("activity"), Phase.EXIT, 6, day, by=by
    )

    errors = refused(lambda: services.measure_delete(entry, by=by))
    assert errors == [msg("entry_with_exit", parameter="Активность")]

    services.measure_delete(exit_, by=by)
    services.measure_delete(entry, by=by)
    assert not Measure.objects.exists()


# --- The organisation's parameters -----------------------------------------------------------


def test_an_organisation_adds_its_own_parameter(org, by):
    made = services.parameter_create(
        org,
        {"name": "Читательская грамотность", "code": "", "scale_min": "0", "scale_max": "30"},
        by=by,
    )

    assert made.organisation == org
    assert made.code.startswith("own_")
    assert Parameter.objects.available_to(org).filter(code=made.code).count() == 1


@pytest.mark.parametrize(
    ("data", "field", "key"),
    [
        ({"name": "", "scale_min": "0", "scale_max": "5"}, "name", "name_required"),
        ({"name": "Тревожность", "scale_min": "0", "scale_max": "5"}, "name", "name_taken"),
        (
            {"name": "Своя", "code": "anxiety", "scale_min": "0", "scale_max": "5"},
            "code",
            "code_taken",
        ),
        (
            {"name": "Своя", "code": "1-bad code", "scale_min": "0", "scale_max": "5"},
            "code",
            "code_invalid",
        ),
        (
            {"name": "Своя", "code": "own", "scale_min": "5", "scale_max": "5"},
            "scale_max",
            "scale_order",
        ),
        (
            {"name": "Своя", "code": "own", "scale_min": "0.5", "scale_max": "5"},
            "scale_min",
            "scale_precision",
        ),
        (
            {"name": "Своя", "code": "own", "scale_min": "0", "scale_max": "5", "decimals": 3},
            "decimals",
            "decimals",
        ),
    ],
)
def test_bad_parameters_are_refused(org, by, data, field, key):
    errors = refused(lambda: services.parameter_create(org, data, by=by), field)

    assert errors == [msg(key)]


def test_the_scale_of_a_measured_parameter_stays(org, programme, day, by):
    own = services.parameter_create(
        org, {"name": "Своя шкала", "code": "own_scale", "scale_min": "0", "scale_max": "5"}, by=by
    )
    services.measure_record(programme, student(org), own, Phase.ENTRY, 3, day, by=by)

    errors = refused(lambda: services.parameter_update(own, {"scale_max": "10"}, by=by))
    assert errors == [msg("scale_fixed")]

    services.parameter_update(own, {"name": "Своя шкала, баллы"}, by=by)
    own.refresh_from_db()
    assert own.name == "Своя шкала, баллы"


def test_built_in_parameters_cannot_be_changed(by):
    errors = refused(lambda: services.parameter_update(builtin("anxiety"), {"name": "X"}, by=by))

    assert errors == [msg("builtin")]
