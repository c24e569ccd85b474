"""Programmes and roadmaps through their services: what may change when, and bad input."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from nastavnik.catalogue.models import RoleModel
from nastavnik.catalogue.services import catalogue_entry_delete, form_create
from nastavnik.core.uploads import UPLOAD_MESSAGES
from nastavnik.orders.models import Order, OrderStatus
from nastavnik.orders.services import order_sign
from nastavnik.people.tests.factories import PersonFactory, StaffFactory
from nastavnik.programmes import roadmap_template, services
from nastavnik.programmes.models import (
    PlanSection,
    Programme,
    ProgrammeForm,
    ProgrammeStatus,
    ResponsibleRole,
    RoadmapEvent,
    SocialPartner,
    Stage,
    TeamMember,
    TypicalPlanItem,
)
from nastavnik.programmes.services import MESSAGES
from nastavnik.programmes.tests import data

pytestmark = pytest.mark.django_db


def field_messages(error, field):
    return [str(m) for m in error.value.message_dict[field]]


def snapshot(programme):
    """Everything a programme is made of, to prove a refused write changed nothing."""
    programme = Programme.objects.get(pk=programme.pk)
    return (
        programme.status,
        programme.goal,
        programme.curator_id,
        list(ProgrammeForm.objects.filter(programme=programme).values_list("form_id", "goal")),
        list(RoadmapEvent.objects.filter(programme=programme).order_by("pk").values_list()),
        list(TeamMember.objects.filter(programme=programme).values_list("person_id")),
        list(SocialPartner.objects.filter(programme=programme).values_list()),
        list(TypicalPlanItem.objects.filter(programme_form__programme=programme).values_list()),
    )


# --- Creating and copying ---------------------------------------------------------------------


def test_one_programme_per_organisation_and_year(org, tenant_b):
    services.programme_create(org, data.year(), by=None)
    services.programme_create(tenant_b.organisation, data.year(), by=None)

    with pytest.raises(ValidationError) as error:
        services.programme_create(org, data.year(), by=None)

    assert field_messages(error, "academic_year") == [
        str(MESSAGES["year_taken"]) % {"year": "2025/2026"}
    ]
    assert Programme.objects.filter(organisation=org).count() == 1


def test_the_curator_is_a_staff_member_of_the_organisation(org, tenant_b):
    student = PersonFactory(organisation=org)
    stranger = StaffFactory(organisation=tenant_b.organisation)
    for wrong in (student, stranger):
        with pytest.raises(ValidationError) as error:
            services.programme_create(org, data.year(), curator=wrong, by=None)
        assert field_messages(error, "curator") == [str(MESSAGES["staff"])]
    assert not Programme.objects.exists()


def test_copy_starts_next_year_from_this_one_with_nothing_done(org):
    source = data.approved_programme(org)
    member = services.team_member_add(
        source, StaffFactory(organisation=org), responsibility="диагностика", by=None
    )
    services.partner_create(
        source,
        {"name": "ООО «Партнёр»", "agreement_date": date(2025, 9, 3)},
        by=None,
    )
    first = source.events.order_by("pk").first()
    services.event_complete(first, done_on=date(2025, 9, 10), note="Сделано", by=None)

    copy = services.programme_copy_from(source, data.year(2026), by=None)

    assert copy.status == ProgrammeStatus.DRAFT
    assert copy.copied_from == source
    assert copy.approval_order is None
    assert (copy.goal, copy.tasks, copy.curator) == (source.goal, source.tasks, source.curator)
    assert [(f.form_id, f.goal, f.tasks) for f in copy.chosen_forms.all()] == [
        (f.form_id, f.goal, f.tasks) for f in source.chosen_forms.all()
    ]
    for new, old in zip(copy.chosen_forms.all(), source.chosen_forms.all(), strict=True):
        assert set(new.role_models.all()) == set(old.role_models.all())
        assert [i.text for i in new.plan_items.all()] == [i.text for i in old.plan_items.all()]
    assert list(copy.team.values_list("person_id", "responsibility")) == [
        (member.person_id, "диагностика")
    ]
    assert copy.partners.get().agreement_date == date(2025, 9, 3)
    events = list(copy.events.all())
    assert len(events) == source.events.count()
    assert all(e.done_on is None and not e.done_note for e in events)
    assert all(date(2026, 9, 1) <= e.due_on <= date(2027, 8, 31) for e in events)
    assessment = next(e for e in events if e.template_code == "assessment_spring")
    assert (assessment.starts_on, assessment.due_on) == (None, date(2027, 3, 30))
    # Source untouched.
    assert source.events.filter(done_on__isnull=False).count() == 1


def test_copy_moves_whole_months_to_whole_months_across_a_leap_year(org):
    source = services.programme_create(org, data.year(2026), by=None)
    services.event_create(
        source,
        {
            "stage": 6,
            "title": "Встречи",
            "starts_on": date(2027, 2, 1),
            "due_on": date(2027, 2, 28),
        },
        by=None,
    )

    copy = services.programme_copy_from(source, data.year(2027), by=None)

    event = copy.events.get()
    assert (event.starts_on, event.due_on) == (date(2028, 2, 1), date(2028, 2, 29))


def test_copy_into_a_year_that_has_a_programme_is_refused(org):
    source = data.programme(org)
    services.programme_create(org, data.year(2026), by=None)

    with pytest.raises(ValidationError):
        services.programme_copy_from(source, data.year(2026), by=None)

    assert Programme.objects.filter(organisation=org).count() == 2


# --- Forms, role models, typical plans --------------------------------------------------------


def test_a_form_is_chosen_once_and_only_from_the_organisations_catalogue(org, tenant_b):
    programme = services.programme_create(org, data.year(), by=None)
    chosen = services.programme_form_add(programme, data.builtin_form("teacher-teacher"), by=None)
    assert chosen.goal == chosen.form.goal

    with pytest.raises(ValidationError) as error:
        services.programme_form_add(programme, data.builtin_form("teacher-teacher"), by=None)
    assert field_messages(error, "form") == [
        str(MESSAGES["form_taken"]) % {"form": chosen.form.name}
    ]

    foreign = form_create(tenant_b.organisation, name="Родитель – ученик", goal="Цель")
    with pytest.raises(ValidationError) as error:
        services.programme_form_add(programme, foreign, by=None)
    assert field_messages(error, "form") == [str(MESSAGES["form_unavailable"])]
    assert programme.chosen_forms.count() == 1


def test_role_models_must_belong_to_the_form(org):
    programme = services.programme_create(org, data.year(), by=None)
    chosen = services.programme_form_add(programme, data.builtin_form("teacher-teacher"), by=None)
    other = RoleModel.objects.filter(form__code="student-student").first()

    with pytest.raises(ValidationError) as error:
        services.programme_form_update(
            chosen, role_models=[other], goal="Ц", tasks="", expected_results="", by=None
        )

    assert field_messages(error, "role_models") == [
        str(MESSAGES["role_model"]) % {"form": chosen.form.name}
    ]
    assert not chosen.role_models.exists()


def test_typical_plan_is_replaced_in_order_and_blank_lines_are_left_out(org):
    programme = data.programme(org, forms=("teacher-student",), roadmap=False)
    chosen = programme.chosen_forms.get()

    services.typical_plan_save(
        chosen,
        [
            {"section": PlanSection.ACTIVITY, "text": "  Экскурсия  ", "timing": " март "},
            {"section": PlanSection.GOAL, "text": "", "timing": "x"},
            {"section": PlanSection.GOAL, "text": "Выбрать профиль", "timing": ""},
        ],
        by=None,
    )

    assert list(chosen.plan_items.values_list("section", "text", "timing")) == [
        ("activity", "Экскурсия", "март"),
        ("goal", "Выбрать профиль", ""),
    ]
    with pytest.raises(ValidationError):
        services.typical_plan_save(chosen, [{"section": "wish", "text": "Т"}], by=None)
    assert chosen.plan_items.count() == 2


def test_an_own_form_a_programme_uses_cannot_be_deleted_from_the_catalogue(org):
    own = form_create(org, name="Родитель – ученик", goal="Цель")
    programme = services.programme_create(org, data.year(), by=None)
    services.programme_form_add(programme, own, by=None)

    with pytest.raises(ValidationError):
        catalogue_entry_delete(own, org)

    assert programme.chosen_forms.filter(form=own).exists()


# --- Approval ---------------------------------------------------------------------------------


def approve(programme, number="1"):
    return services.programme_approval_order_create(
        programme,
        number=number,
        date=date(2025, 9, 1),
        signatory=data.director(programme.organisation),
        by=None,
    )


def test_a_programme_without_any_form_cannot_be_approved(org):
    programme = data.programme(org, forms=())
    before = snapshot(programme)

    with pytest.raises(ValidationError) as error:
        approve(programme)

    assert error.value.messages == [str(MESSAGES["no_forms"])]
    assert not Order.objects.exists()
    assert snapshot(programme) == before


def test_a_programme_without_a_roadmap_or_curator_cannot_be_approved(org, tenant_b):
    no_roadmap = data.programme(org, roadmap=False)
    no_curator = data.programme(tenant_b.organisation, with_curator=False)

    with pytest.raises(ValidationError) as error:
        approve(no_roadmap)
    assert error.value.messages == [str(MESSAGES["no_roadmap"])]
    with pytest.raises(ValidationError) as error:
        approve(no_curator)
    assert error.value.messages == [str(MESSAGES["no_curator"])]
    assert not Order.objects.exists()


def test_one_approving_order_is_prepared_at_a_time(org):
    programme = data.programme(org)
    approve(programme, "1")

    with pytest.raises(ValidationError) as error:
        approve(programme, "2")

    assert error.value.messages == [str(MESSAGES["approval_pending"]) % {"number": "1"}]
    assert Order.objects.count() == 1


def test_signing_fails_and_changes_nothing_when_the_forms_were_removed_meanwhile(org):
    programme = data.programme(org)
    order = approve(programme)
    for chosen in programme.chosen_forms.all():
        services.programme_form_remove(chosen, by=None)

    with pytest.raises(ValidationError) as error:
        order_sign(order, ContentFile(data.PDF, name="s.pdf"), by=None)

    assert error.value.messages == [str(MESSAGES["no_forms"])]
    order.refresh_from_db()
    programme.refresh_from_db()
    assert order.status == OrderStatus.DRAFT
    assert not order.scan
    assert programme.status == ProgrammeStatus.DRAFT
    assert programme.approval_order is None


def test_approved_content_is_locked_but_the_curator_team_and_roadmap_go_on(org):
    programme = data.approved_programme(org)
    chosen = programme.chosen_forms.first()
    before = snapshot(programme)

    for attempt in (
        lambda: services.programme_update(programme, goal="Новая цель", by=None),
        lambda: services.programme_form_add(
            programme, data.builtin_form("teacher-student"), by=None
        ),
        lambda: services.programme_form_remove(chosen, by=None),
        lambda: services.programme_form_update(
            chosen, role_models=[], goal="", tasks="", expected_results="", by=None
        ),
        lambda: services.typical_plan_save(chosen, [], by=None),
    ):
        with pytest.raises(ValidationError) as error:
            attempt()
        assert error.value.messages == [str(MESSAGES["content_locked"])]
    assert snapshot(programme) == before

    new_curator = StaffFactory(organisation=org)
    services.programme_update(programme, curator=new_curator, by=None)
    services.team_member_add(programme, StaffFactory(organisation=org), by=None)
    services.event_create(
        programme,
        {"stage": 3, "title": "Ярмарка наставников", "due_on": date(2025, 11, 20)},
        by=None,
    )
    programme.refresh_from_db()
    assert programme.curator == new_curator


def test_a_finished_programme_is_kept_as_it_was(org):
    programme = data.approved_programme(org)
    services.programme_finish(programme, by=None)
    event = programme.events.first()
    before = snapshot(programme)

    for attempt in (
        lambda: services.event_complete(event, done_on=date(2025, 9, 5), by=None),
        lambda: services.event_move(event, due_on=date(2025, 9, 20), by=None),
        lambda: services.event_delete(event, by=None),
        lambda: services.team_member_add(programme, StaffFactory(organisation=org), by=None),
        lambda: services.partner_create(programme, {"name": "П"}, by=None),
        lambda: services.programme_update(programme, curator=None, by=None),
    ):
        with pytest.raises(ValidationError) as error:
            attempt()
        assert error.value.messages == [str(MESSAGES["finished"])]
    assert snapshot(programme) == before


def test_only_an_approved_programme_is_finished(org):
    programme = data.programme(org)
    with pytest.raises(ValidationError) as error:
        services.programme_finish(programme, by=None)
    assert error.value.messages == [str(MESSAGES["not_approved"])]


# --- Team and partners ------------------------------------------------------------------------


def test_team_members_are_staff_of_the_organisation_and_join_once(org, tenant_b):
    programme = data.programme(org, roadmap=False)
    colleague = StaffFactory(organisation=org)
    services.team_member_add(programme, colleague, by=None)

    for wrong, key in (
        (colleague, "team_taken"),
        (PersonFactory(organisation=org), "staff"),
        (StaffFactory(organisation=tenant_b.organisation), "staff"),
    ):
        with pytest.raises(ValidationError) as error:
            services.team_member_add(programme, wrong, by=None)
        assert field_messages(error, "person") == [
            str(MESSAGES[key]) % {"name": wrong.full_name}
            if key == "team_taken"
            else str(MESSAGES[key])
        ]
    assert programme.team.count() == 1


@pytest.mark.parametrize(
    ("data_", "field", "key"),
    [
        ({"name": "  "}, "name", "partner_name"),
        ({"name": "П", "email": "not-an-email"}, "email", "email"),
        (
            {"name": "П", "agreement_date": date(2025, 9, 1), "agreement_until": date(2025, 8, 1)},
            "agreement_until",
            "agreement_dates",
        ),
    ],
)
def test_bad_partner_data_is_refused(org, data_, field, key):
    programme = data.programme(org, roadmap=False)
    with pytest.raises(ValidationError) as error:
        services.partner_create(programme, data_, by=None)
    assert field_messages(error, field) == [str(MESSAGES[key])]
    assert not SocialPartner.objects.exists()


# --- Roadmap ----------------------------------------------------------------------------------


def test_the_roadmap_is_generated_from_the_template_within_the_year(org):
    programme = data.programme(org, roadmap=False)

    events = services.roadmap_generate(programme, by=None)

    assert len(events) == len(roadmap_template.EVENTS)
    assert {e.stage for e in events} == set(Stage.values)
    assert all(
        date(2025, 9, 1) <= (e.starts_on or e.due_on) <= e.due_on <= date(2026, 8, 31)
        for e in events
    )
    by_code = {e.template_code: e for e in events}
    # The half-yearly assessments of seed 002 §7.2.
    assert by_code["assessment_autumn"].due_on == date(2025, 9, 30)
    assert by_code["assessment_spring"].due_on == date(2026, 3, 30)
    assert (by_code["regular_meetings"].starts_on, by_code["regular_meetings"].due_on) == (
        date(2026, 2, 1),
        date(2026, 5, 31),
    )
    assert by_code["mentee_survey"].responsible_roles == [
        ResponsibleRole.CURATOR,
        ResponsibleRole.PSYCHOLOGIST,
    ]


def test_a_roadmap_is_generated_once(org):
    programme = data.programme(org)
    before = snapshot(programme)
    with pytest.raises(ValidationError) as error:
        services.roadmap_generate(programme, by=None)
    assert error.value.messages == [str(MESSAGES["roadmap_exists"])]
    assert snapshot(programme) == before


EVENT = {"stage": 2, "title": "Анкетирование", "due_on": date(2025, 10, 31)}


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"due_on": date(2025, 8, 31)}, "due_on", "outside_year"),
        ({"due_on": date(2026, 9, 1)}, "due_on", "outside_year"),
        ({"starts_on": date(2025, 8, 1)}, "starts_on", "outside_year"),
        ({"starts_on": date(2025, 11, 1)}, "starts_on", "start_after_due"),
        ({"due_on": None}, "due_on", "due_required"),
        ({"stage": None}, "stage", "stage_required"),
        ({"stage": ""}, "stage", "stage_required"),
        ({"stage": 0}, "stage", "stage_invalid"),
        ({"stage": 8}, "stage", "stage_invalid"),
        ({"title": "   "}, "title", "title_required"),
        ({"responsible_roles": ["janitor"]}, "responsible_roles", "role_invalid"),
    ],
)
def test_bad_events_are_refused_with_a_clear_message(org, changes, field, expected):
    programme = data.programme(org)
    before = snapshot(programme)

    with pytest.raises(ValidationError) as error:
        services.event_create(programme, {**EVENT, **changes}, by=None)

    message = str(MESSAGES[expected])
    if expected == "outside_year":
        message %= {"year": "2025/2026", "start": "01.09.2025", "end": "31.08.2026"}
    assert field_messages(error, field) == [message]
    assert snapshot(programme) == before


def test_an_edited_event_is_checked_the_same_way(org):
    programme = data.programme(org)
    event = programme.events.first()
    before = snapshot(programme)

    with pytest.raises(ValidationError) as error:
        services.event_update(event, {**EVENT, "stage": None, "due_on": date(2027, 1, 1)}, by=None)

    assert set(error.value.message_dict) == {"stage", "due_on"}
    assert snapshot(programme) == before


def test_a_responsible_person_of_another_organisation_is_refused(org, tenant_b):
    programme = data.programme(org)
    stranger = StaffFactory(organisation=tenant_b.organisation)
    with pytest.raises(ValidationError) as error:
        services.event_create(programme, {**EVENT, "responsible_person": stranger}, by=None)
    assert field_messages(error, "responsible_person") == [str(MESSAGES["person"])]


def test_moving_an_event_keeps_it_within_the_year(org):
    programme = data.programme(org)
    event = programme.events.get(template_code="mentee_base")

    services.event_move(event, due_on=date(2025, 11, 15), by=None)
    event.refresh_from_db()
    assert (event.starts_on, event.due_on) == (None, date(2025, 11, 15))

    with pytest.raises(ValidationError) as error:
        services.event_move(event, due_on=date(2026, 9, 15), by=None)
    assert "due_on" in error.value.message_dict
    event.refresh_from_db()
    assert event.due_on == date(2025, 11, 15)


def test_completing_an_event_with_a_note_and_a_scan(org, django_capture_on_commit_callbacks):
    programme = data.programme(org)
    event = programme.events.first()

    services.event_complete(
        event,
        done_on=date(2025, 9, 20),
        note="Протокол № 1",
        file=ContentFile(data.PNG, name="фото.png"),
        by=None,
    )
    event.refresh_from_db()
    assert (event.done_on, event.done_note) == (date(2025, 9, 20), "Протокол № 1")
    stored = event.done_file.name
    assert stored.endswith(".png") and default_storage.exists(stored)

    with django_capture_on_commit_callbacks(execute=True):
        services.event_reopen(event, by=None)
    event.refresh_from_db()
    assert event.done_on is None and not event.done_file
    assert not default_storage.exists(stored)


@pytest.mark.parametrize(
    ("content", "key"),
    [(b"GIF89a not accepted", "type"), (b"%!PS-Adobe postscript", "type"), (b"", "empty")],
)
def test_an_attached_file_that_is_not_a_scan_is_refused(org, content, key):
    programme = data.programme(org)
    event = programme.events.first()

    with pytest.raises(ValidationError) as error:
        services.event_complete(
            event, done_on=date(2025, 9, 20), file=ContentFile(content, name="a.pdf"), by=None
        )

    assert field_messages(error, "file") == [str(UPLOAD_MESSAGES[key])]
    event.refresh_from_db()
    assert event.done_on is None and not event.done_file


def test_an_attached_file_over_the_limit_is_refused(org, settings):
    settings.UPLOAD_MAX_BYTES = 100
    event = data.programme(org).events.first()
    with pytest.raises(ValidationError) as error:
        services.event_complete(
            event, done_on=date(2025, 9, 20), file=ContentFile(data.PDF * 10, name="a.pdf"), by=None
        )
    assert list(error.value.message_dict) == ["file"]
    event.refresh_from_db()
    assert event.done_on is None


def test_an_event_cannot_be_done_in_the_future(org):
    event = data.programme(org).events.first()
    tomorrow = data.org_today(org) + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.event_complete(event, done_on=tomorrow, by=None)
    assert field_messages(error, "done_on") == [str(MESSAGES["done_future"])]
    event.refresh_from_db()
    assert event.done_on is None


def test_overdue_events_are_the_open_ones_past_due_of_running_programmes(org, tenant_b):
    programme = data.programme(org)
    finished = data.approved_programme(tenant_b.organisation)
    services.programme_finish(finished, by=None)
    today = date(2025, 10, 15)
    september = programme.events.filter(due_on__lt=today)
    services.event_complete(september.first(), done_on=date(2025, 9, 10), by=None)

    overdue = RoadmapEvent.objects.overdue(today)

    assert set(overdue) == set(september[1:])
    assert all(e.programme == programme for e in overdue)
