"""The programme pages through the browser's door: who may do what, the curator's walk, bad
input shown next to the field, constant query counts, downloads."""

from datetime import date, timedelta
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from nastavnik.core.tests.pages import login, school_a_url, who_reads_and_who_edits
from nastavnik.core.uploads import UPLOAD_MESSAGES
from nastavnik.documents.render import docx_text
from nastavnik.orders.models import Order
from nastavnik.orgs.models import AcademicYear, Role
from nastavnik.people.tests.factories import StaffFactory
from nastavnik.programmes import services
from nastavnik.programmes.models import Programme, ProgrammeStatus, RoadmapEvent
from nastavnik.programmes.services import MESSAGES
from nastavnik.programmes.tests import data

pytestmark = pytest.mark.django_db


url = school_a_url("programmes")


def form_errors(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


def running_year() -> int:
    """The academic year of yesterday: an event due yesterday falls within it and is overdue."""
    return AcademicYear.start_year_for(timezone.localdate() - timedelta(days=1))


def overdue_programme(org):
    """A programme of the running year with one event overdue, one done, one ahead."""
    programme = data.programme(org, running_year(), roadmap=False)
    yesterday = timezone.localdate() - timedelta(days=1)
    ends = programme.academic_year.ends_on
    late = services.event_create(
        programme, {"stage": 2, "title": "Просроченное событие", "due_on": yesterday}, by=None
    )
    done = services.event_create(
        programme, {"stage": 1, "title": "Выполненное событие", "due_on": yesterday}, by=None
    )
    services.event_complete(done, done_on=yesterday, by=None)
    services.event_create(
        programme, {"stage": 7, "title": "Будущее событие", "due_on": ends}, by=None
    )
    return programme, late


# --- Who may do what --------------------------------------------------------------------------


@who_reads_and_who_edits(
    editors=(Role.DIRECTOR, Role.CURATOR),
    readers=(
        Role.SPECIALIST,
        Role.COMMISSION_MEMBER,
        Role.MENTOR,
    ),
)
def test_who_reads_and_who_edits_the_programme(client, tenant_a, role, view_status, edit_status):
    programme = data.programme(tenant_a.organisation)
    login(client, tenant_a, role)

    assert client.get(url("detail", programme_pk=programme.pk)).status_code == view_status
    assert client.get(url("roadmap", programme_pk=programme.pk)).status_code == view_status
    assert client.get(url("edit", programme_pk=programme.pk)).status_code == edit_status
    event = programme.events.first()
    response = client.post(url("event_delete", event_pk=event.pk))
    assert response.status_code == (302 if edit_status == 200 else edit_status)


def test_readers_see_no_editing_controls(client, tenant_a):
    programme = data.programme(tenant_a.organisation)
    login(client, tenant_a, Role.MENTOR)

    page = client.get(url("roadmap", programme_pk=programme.pk)).content.decode()

    assert url("event_create", programme_pk=programme.pk) not in page
    assert "/done/" not in page


# --- The curator's walk -----------------------------------------------------------------------


def test_curator_creates_next_years_programme_from_the_current_one(client, tenant_a):
    org = tenant_a.organisation
    this_year = AcademicYear.start_year_for(timezone.localdate())
    current = data.approved_programme(org, this_year)
    login(client, tenant_a, Role.CURATOR)

    page = client.get(url("create"))
    assert [int(v) for v, _ in page.context["form"].fields["academic_year"].choices] == [
        this_year + 1
    ]
    response = client.post(url("create"), {"academic_year": this_year + 1, "source": current.pk})

    made = Programme.objects.get(organisation=org, academic_year__start_year=this_year + 1)
    assert response.status_code == 302
    assert response["Location"] == url("detail", programme_pk=made.pk)
    assert made.status == ProgrammeStatus.DRAFT
    assert made.copied_from == current
    assert made.events.count() == current.events.count()
    assert made.chosen_forms.count() == 2


def test_an_empty_programme_starts_with_the_goal_of_the_regulation(client, tenant_a):
    login(client, tenant_a, Role.CURATOR)
    year = AcademicYear.start_year_for(timezone.localdate())

    client.post(url("create"), {"academic_year": year, "source": ""})

    made = Programme.objects.get(organisation=tenant_a.organisation)
    assert made.goal.startswith("Максимально полное раскрытие потенциала личности")
    assert not made.events.exists()


def test_curator_generates_the_roadmap_and_sees_it_by_stage(client, tenant_a):
    programme = data.programme(tenant_a.organisation, roadmap=False)
    login(client, tenant_a, Role.CURATOR)

    response = client.post(url("roadmap_generate", programme_pk=programme.pk))
    page = client.get(url("roadmap", programme_pk=programme.pk))

    assert response.status_code == 302
    assert programme.events.count() > 30
    content = page.content.decode()
    assert "Информирование родительского сообщества" in content
    assert content.count('class="stage-no"') >= 7


@pytest.mark.parametrize(
    ("posted", "field", "key", "params"),
    [
        (
            {"stage": "2", "due_on": "2026-09-01"},
            "due_on",
            "outside_year",
            {"year": "2025/2026", "start": "01.09.2025", "end": "31.08.2026"},
        ),
        ({"stage": "", "due_on": "2025-10-01"}, "stage", "stage_required", None),
    ],
    ids=["due-outside-the-year", "without-a-stage"],
)
def test_adding_an_event_the_form_refuses_shows_why(client, tenant_a, posted, field, key, params):
    programme = data.programme(tenant_a.organisation)
    count = RoadmapEvent.objects.count()
    login(client, tenant_a, Role.CURATOR)

    response = client.post(
        url("event_create", programme_pk=programme.pk), {"title": "Ярмарка", **posted}
    )

    assert response.status_code == 200
    message = str(MESSAGES[key])
    assert form_errors(response, field) == [message % params if params else message]
    assert RoadmapEvent.objects.count() == count


def test_editing_moving_and_completing_an_event(client, tenant_a):
    programme = data.programme(tenant_a.organisation)
    event = programme.events.get(template_code="mentee_base")
    psychologist = StaffFactory(organisation=tenant_a.organisation, position="Педагог-психолог")
    login(client, tenant_a, Role.CURATOR)

    client.post(
        url("event_edit", event_pk=event.pk),
        {
            "stage": "2",
            "title": "Анализ анкет",
            "due_on": "2025-10-31",
            "responsible_roles": ["curator", "psychologist"],
            "responsible_person": psychologist.pk,
        },
    )
    client.post(url("event_move", event_pk=event.pk), {"due_on": "2025-11-14"})
    response = client.post(
        url("event_done", event_pk=event.pk),
        {
            "done_on": "2025-11-10",
            "note": "База сформирована",
            "file": SimpleUploadedFile("протокол.jpg", data.PDF, content_type="image/jpeg"),
        },
    )

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Анализ анкет"
    assert event.responsible_person == psychologist
    assert event.responsible_roles == ["curator", "psychologist"]
    assert (event.starts_on, event.due_on) == (None, date(2025, 11, 14))
    assert event.done_on == date(2025, 11, 10)
    download = client.get(url("event_file", event_pk=event.pk))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == data.PDF


@pytest.mark.parametrize(("content", "key"), [(b"MZ\x90\x00 not a scan", "type"), (b"", "empty")])
def test_attaching_a_file_that_is_not_a_scan_shows_why(client, tenant_a, content, key):
    programme = data.programme(tenant_a.organisation)
    event = programme.events.first()
    login(client, tenant_a, Role.CURATOR)

    response = client.post(
        url("event_done", event_pk=event.pk),
        {"done_on": "2025-09-20", "file": SimpleUploadedFile("scan.pdf", content)},
    )

    assert response.status_code == 200
    expected = str(UPLOAD_MESSAGES[key])
    # An empty upload is refused by Django's own FileField before our check.
    assert form_errors(response, "file") and (
        form_errors(response, "file") == [expected] or key == "empty"
    )
    event.refresh_from_db()
    assert event.done_on is None and not event.done_file


def test_attaching_a_too_large_file_shows_the_limit(client, tenant_a, settings):
    settings.UPLOAD_MAX_BYTES = 512
    programme = data.programme(tenant_a.organisation)
    event = programme.events.first()
    login(client, tenant_a, Role.CURATOR)

    response = client.post(
        url("event_done", event_pk=event.pk),
        {"done_on": "2025-09-20", "file": SimpleUploadedFile("scan.pdf", data.PDF * 20)},
    )

    assert form_errors(response, "file") == [
        str(UPLOAD_MESSAGES["size"])
        % {"size": filesizeformat(len(data.PDF) * 20), "limit": filesizeformat(512)}
    ]
    event.refresh_from_db()
    assert event.done_on is None


def test_approving_order_is_prepared_signed_by_the_director_and_approves(client, tenant_a):
    org = tenant_a.organisation
    programme = data.programme(org)
    director = data.director(org)
    login(client, tenant_a, Role.CURATOR)

    form = client.get(url("approval_order", programme_pk=programme.pk)).context["form"]
    assert form.initial["signatory"] == director.pk
    response = client.post(
        url("approval_order", programme_pk=programme.pk),
        {"number": "45-о", "date": "2025-09-02", "signatory": director.pk},
    )
    order = Order.objects.get()
    assert response["Location"] == reverse(
        "orders:detail", kwargs={"org_slug": "school-a", "order_pk": order.pk}
    )
    sign = reverse("orders:sign", kwargs={"org_slug": "school-a", "order_pk": order.pk})
    scan = SimpleUploadedFile("скан.pdf", data.PDF)
    assert client.post(sign, {"scan": scan}).status_code == 403

    login(client, tenant_a, Role.DIRECTOR)
    client.post(sign, {"scan": SimpleUploadedFile("скан.pdf", data.PDF)})

    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.APPROVED
    assert programme.approval_order == order
    docx = client.get(url("docx", programme_pk=programme.pk))
    assert "от 2 сентября 2025 г. № 45-о" in docx_text(b"".join(docx.streaming_content))


def test_approving_a_programme_without_forms_shows_why(client, tenant_a):
    org = tenant_a.organisation
    programme = data.programme(org, forms=())
    director = data.director(org)
    login(client, tenant_a, Role.CURATOR)

    response = client.post(
        url("approval_order", programme_pk=programme.pk),
        {"number": "45-о", "date": "2025-09-02", "signatory": director.pk},
    )

    assert response.status_code == 200
    assert [str(e) for e in response.context["form"].non_field_errors()] == [
        str(MESSAGES["no_forms"])
    ]
    assert not Order.objects.exists()


def test_an_approved_programme_keeps_its_texts_but_the_curator_can_change(client, tenant_a):
    org = tenant_a.organisation
    programme = data.approved_programme(org)
    successor = StaffFactory(organisation=org)
    login(client, tenant_a, Role.CURATOR)

    form = client.get(url("edit", programme_pk=programme.pk)).context["form"]
    assert form.fields["goal"].disabled
    client.post(
        url("edit", programme_pk=programme.pk),
        {"curator": successor.pk, "goal": "Подменённая цель"},
    )

    programme.refresh_from_db()
    assert programme.curator == successor
    assert programme.goal == "Раскрытие потенциала личности наставляемого."


def test_choosing_forms_role_models_and_a_typical_plan(client, tenant_a):
    programme = data.programme(tenant_a.organisation, forms=(), roadmap=False)
    form = data.builtin_form("teacher-student")
    login(client, tenant_a, Role.CURATOR)

    response = client.post(url("form_add", programme_pk=programme.pk), {"form": form.pk})
    chosen = programme.chosen_forms.get()
    assert response["Location"] == url("form_edit", programme_form_pk=chosen.pk)
    models = list(form.role_models.all())
    client.post(
        url("form_edit", programme_form_pk=chosen.pk),
        {
            "default_kind": "traditional",
            "role_models": [m.pk for m in models],
            "goal": "Цель формы",
            "tasks": "Задача 1\nЗадача 2",
            "expected_results": "",
        },
    )
    client.post(
        url("plan_edit", programme_form_pk=chosen.pk),
        {
            "plan-TOTAL_FORMS": "2",
            "plan-INITIAL_FORMS": "0",
            "plan-0-section": "goal",
            "plan-0-text": "Выбрать профиль",
            "plan-0-timing": "",
            "plan-1-section": "activity",
            "plan-1-text": "",
            "plan-1-timing": "",
        },
    )

    chosen.refresh_from_db()
    assert set(chosen.role_models.all()) == set(models)
    assert chosen.task_list == ["Задача 1", "Задача 2"]
    assert list(chosen.plan_items.values_list("text", flat=True)) == ["Выбрать профиль"]


def test_the_form_of_the_year_sets_the_kind_its_pairs_start_with(client, tenant_a):
    programme = data.programme(tenant_a.organisation, forms=("teacher-teacher",), roadmap=False)
    chosen = programme.chosen_forms.get()
    login(client, tenant_a, Role.CURATOR)
    page = client.get(url("form_edit", programme_form_pk=chosen.pk)).content.decode()
    # A group is group mentoring by itself: not a default for the form's pairs.
    assert 'value="reverse"' in page and 'value="group"' not in page

    fields = {"goal": "Цель", "tasks": "", "expected_results": ""}
    response = client.post(
        url("form_edit", programme_form_pk=chosen.pk), {**fields, "default_kind": "reverse"}
    )
    assert response.status_code == 302
    chosen.refresh_from_db()
    assert chosen.default_kind == "reverse"
    detail = client.get(url("detail", programme_pk=programme.pk)).content.decode()
    assert gettext("Reverse") in detail

    for bad in ("group", "online", ""):
        response = client.post(
            url("form_edit", programme_form_pk=chosen.pk), {**fields, "default_kind": bad}
        )
        assert response.status_code == 200 and form_errors(response, "default_kind")
        chosen.refresh_from_db()
        assert chosen.default_kind == "reverse"

    # The service says why, whoever calls it; and a copy for the next year keeps the kind.
    with pytest.raises(ValidationError) as caught:
        services.programme_form_update(
            chosen,
            role_models=[],
            goal="",
            tasks="",
            expected_results="",
            default_kind="group",
            by=None,
        )
    assert caught.value.message_dict["default_kind"] == [str(MESSAGES["default_kind"])]
    copy = services.programme_copy_from(
        programme, AcademicYear.objects.get_or_create(start_year=data.YEAR + 1)[0], by=None
    )
    assert copy.chosen_forms.get().default_kind == "reverse"


def test_team_and_partners_through_their_pages(client, tenant_a):
    org = tenant_a.organisation
    programme = data.programme(org, roadmap=False)
    colleague = StaffFactory(organisation=org)
    login(client, tenant_a, Role.CURATOR)

    client.post(
        url("team", programme_pk=programme.pk),
        {"person": colleague.pk, "responsibility": "анкетирование"},
    )
    response = client.post(
        url("partner_create", programme_pk=programme.pk),
        {"name": "ООО «Урал»", "agreement_date": "2025-09-10", "agreement_until": "2025-01-01"},
    )
    assert form_errors(response, "agreement_until") == [str(MESSAGES["agreement_dates"])]
    client.post(url("partner_create", programme_pk=programme.pk), {"name": "ООО «Урал»"})

    member = programme.team.get()
    assert (member.person, member.responsibility) == (colleague, "анкетирование")
    assert programme.partners.get().name == "ООО «Урал»"
    client.post(url("team_remove", member_pk=member.pk))
    assert not programme.team.exists()


# --- Overdue events, stages, timeline ---------------------------------------------------------


@pytest.mark.parametrize("role", [Role.CURATOR, Role.DIRECTOR])
def test_overdue_events_are_on_the_curators_and_directors_dashboard(client, tenant_a, role):
    _programme, late = overdue_programme(tenant_a.organisation)
    login(client, tenant_a, role)

    response = client.get(reverse("orgs:dashboard", kwargs={"org_slug": "school-a"}))

    assert response.context["overdue_events"] == [late]
    assert response.context["overdue_total"] == 1
    assert "Просроченное событие" in response.content.decode()


def test_a_mentor_dashboard_has_no_overdue_list(client, tenant_a, tenant_b):
    overdue_programme(tenant_a.organisation)
    login(client, tenant_a, Role.MENTOR)
    response = client.get(reverse("orgs:dashboard", kwargs={"org_slug": "school-a"}))
    assert "overdue_events" not in response.context


def test_another_organisations_overdue_events_stay_there(client, tenant_a, tenant_b):
    overdue_programme(tenant_b.organisation)
    login(client, tenant_a, Role.CURATOR)
    response = client.get(reverse("orgs:dashboard", kwargs={"org_slug": "school-a"}))
    assert response.context["overdue_events"] == []


def test_roadmap_highlights_and_filters_overdue_events(client, tenant_a):
    programme, late = overdue_programme(tenant_a.organisation)
    login(client, tenant_a, Role.CURATOR)

    page = client.get(url("roadmap", programme_pk=programme.pk))
    overdue = client.get(url("roadmap", programme_pk=programme.pk), {"show": "overdue"})

    assert f'<tr id="event-{late.pk}" class="row-overdue">' in page.content.decode()
    assert list(overdue.context["events"]) == [late]


def test_stage_view_shows_the_current_stage_and_what_is_open(client, tenant_a):
    programme, _late = overdue_programme(tenant_a.organisation)
    login(client, tenant_a, Role.CURATOR)

    response = client.get(url("stages", programme_pk=programme.pk))

    stages = response.context["stages"]
    assert [s.number for s in stages] == [1, 2, 3, 4, 5, 6, 7]
    # The overdue stage-2 event does not hold the programme back: the work ahead is stage 7's.
    assert response.context["current"].number == 7
    assert stages[1].overdue == 1
    checks = {str(c.label): c.done for c in stages[0].checks}
    assert checks[gettext("The curator is appointed")] is True
    assert checks[gettext("The roadmap is generated")] is True
    assert checks[gettext("The programme and the roadmap are approved by an order")] is False


def test_timeline_draws_bands_marks_and_todays_line(client, tenant_a):
    programme, late = overdue_programme(tenant_a.organisation)
    login(client, tenant_a, Role.CURATOR)

    response = client.get(url("timeline", programme_pk=programme.pk))

    timeline = response.context["timeline"]
    assert len(timeline.months) == 12
    assert timeline.months[0].first_day == programme.academic_year.starts_on
    assert timeline.today_left is not None and 0 <= timeline.today_left <= 100
    marks = {m.event.pk: m.status for row in timeline.rows for m in row.marks}
    assert marks[late.pk] == "overdue"
    assert sorted(marks.values()) == ["done", "open", "overdue"]
    content = response.content.decode()
    assert "timeline-today" in content
    assert content.count("timeline-mark mark-") == 3


def test_current_leads_to_the_programme_of_the_year_or_to_the_list(client, tenant_a):
    login(client, tenant_a, Role.CURATOR)
    assert client.get(url("current"))["Location"] == url("list")

    programme = data.programme(
        tenant_a.organisation, AcademicYear.start_year_for(timezone.localdate()), roadmap=False
    )
    assert client.get(url("current"))["Location"] == url("detail", programme_pk=programme.pk)
    assert client.get(url("current_roadmap"))["Location"] == url(
        "roadmap", programme_pk=programme.pk
    )


# --- Downloads --------------------------------------------------------------------------------


def test_documents_download_with_russian_names(client, tenant_a):
    programme = data.programme(tenant_a.organisation)
    login(client, tenant_a, Role.MENTOR)

    for name, filename, content_type in (
        ("docx", "Программа наставничества 2025-2026.docx", "wordprocessingml"),
        ("roadmap_docx", "Дорожная карта 2025-2026.docx", "wordprocessingml"),
        ("roadmap_xlsx", "Дорожная карта 2025-2026.xlsx", "spreadsheetml"),
    ):
        response = client.get(url(name, programme_pk=programme.pk))
        assert response.status_code == 200
        assert content_type in response["Content-Type"]
        disposition = unquote(response["Content-Disposition"])
        assert disposition.startswith("attachment;")
        assert disposition.endswith(filename)


# --- Query counts -----------------------------------------------------------------------------


def _count_queries(client, django_assert_num_queries, target, expected):
    with django_assert_num_queries(expected):
        assert client.get(target).status_code == 200


@pytest.mark.parametrize("rows", [1, 3])
def test_programme_list_queries_do_not_grow(client, tenant_a, django_assert_num_queries, rows):
    for offset in range(rows):
        data.programme(tenant_a.organisation, 2020 + offset)
    login(client, tenant_a, Role.CURATOR)
    _count_queries(client, django_assert_num_queries, url("list"), 5)


@pytest.mark.parametrize("rows", [1, 3])
def test_roadmap_queries_do_not_grow(client, tenant_a, django_assert_num_queries, rows):
    programme = data.programme(tenant_a.organisation, roadmap=False)
    staff = StaffFactory(organisation=tenant_a.organisation)
    for day in range(rows):
        services.event_create(
            programme,
            {
                "stage": 1 + day,
                "title": f"Событие {day}",
                "due_on": date(2025, 10, 1 + day),
                "responsible_person": staff,
            },
            by=None,
        )
    login(client, tenant_a, Role.CURATOR)
    # The 7th brings the events the data fulfil in line with them (`fulfilment.roadmap_refresh`).
    _count_queries(client, django_assert_num_queries, url("roadmap", programme_pk=programme.pk), 8)


@pytest.mark.parametrize("rows", [1, 3])
def test_team_and_partner_queries_do_not_grow(client, tenant_a, django_assert_num_queries, rows):
    programme = data.programme(tenant_a.organisation, roadmap=False)
    for number in range(rows):
        services.team_member_add(
            programme, StaffFactory(organisation=tenant_a.organisation), by=None
        )
        services.partner_create(programme, {"name": f"Партнёр {number}"}, by=None)
    login(client, tenant_a, Role.CURATOR)
    _count_queries(client, django_assert_num_queries, url("team", programme_pk=programme.pk), 7)
    _count_queries(client, django_assert_num_queries, url("partners", programme_pk=programme.pk), 6)
