"""The mentee base through the browser's door: who may do what, the list with its filters and
export, adding a candidate by search, the card, the edit, the status buttons, input."""

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from openpyxl import load_workbook

from nastavnik.audit.models import AuditEntry
from nastavnik.catalogue.models import RoleModel
from nastavnik.consents.tests.factories import ConsentFactory
from nastavnik.core.tests.pages import login, message_text, school_a_url, who_reads_and_who_edits
from nastavnik.mentees.models import InputSource, Mentee, MenteeInput, MenteeStatus
from nastavnik.mentees.rules import MIN_STUDENT_AGE
from nastavnik.mentees.services import MESSAGES
from nastavnik.mentees.tests.factories import (
    MenteeFactory,
    MenteeInputFactory,
    form,
    programme_of,
    student,
)
from nastavnik.orgs.models import Role

pytestmark = pytest.mark.django_db


url = school_a_url("mentees")


def names(response):
    return [m.person.full_name for m in response.context["page"].object_list]


msg = message_text(MESSAGES)


@pytest.fixture
def programme(tenant_a):
    return programme_of(tenant_a.organisation)


# --- Who may do what --------------------------------------------------------------------------


@who_reads_and_who_edits(editors=(Role.DIRECTOR, Role.CURATOR), readers=(Role.SPECIALIST,))
def test_who_reads_and_who_edits_the_base(
    client, tenant_a, programme, role, view_status, edit_status
):
    mentee = MenteeFactory(person=student(tenant_a.organisation))
    login(client, tenant_a, role)

    assert client.get(url("programme", programme_pk=programme.pk)).status_code == view_status
    assert client.get(url("detail", mentee_pk=mentee.pk)).status_code == view_status
    assert client.get(url("add", programme_pk=programme.pk)).status_code == edit_status
    assert client.get(url("edit", mentee_pk=mentee.pk)).status_code == edit_status
    response = client.post(url("leave", mentee_pk=mentee.pk), {"reason": "Переезд"})
    assert response.status_code == (302 if edit_status == 200 else 403)


def test_the_menu_address_opens_the_running_years_base(client, tenant_a, programme):
    login(client, tenant_a, Role.CURATOR)

    response = client.get(url("list"))

    assert response.status_code == 302
    assert response["Location"] == url("programme", programme_pk=programme.pk)


# --- The list ---------------------------------------------------------------------------------


def test_the_list_shows_entries_counts_and_hides_withdrawn_people(
    client, tenant_a, tenant_b, programme
):
    org = tenant_a.organisation
    shown = MenteeFactory(person=student(org, last_name="Зорина"))
    waiting = MenteeFactory(person=student(org, last_name="Белова"), status=MenteeStatus.CANDIDATE)
    withdrawn = student(org, last_name="Скрытова", with_consent=False)
    ConsentFactory(subject=withdrawn, given_by=withdrawn, withdrawn_at=timezone.now())
    MenteeFactory(person=withdrawn)
    # Another organisation's base: never here.
    other = MenteeFactory(person=student(tenant_b.organisation, last_name="Чужова"))
    login(client, tenant_a, Role.SPECIALIST)

    response = client.get(url("programme", programme_pk=programme.pk))

    assert names(response) == [waiting.person.full_name, shown.person.full_name]
    page = response.content.decode()
    assert withdrawn.full_name not in page and other.person.full_name not in page
    counts = {value: count for value, _label, count in response.context["status_counts"]}
    assert counts[MenteeStatus.IN_BASE] == 1 and counts[MenteeStatus.CANDIDATE] == 1
    assert not response.context["can_edit"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "candidate"}, {"Candidate"}),
        ({"form": "teacher-teacher"}, {"Teacher"}),
        ({"class_name": "7б"}, {"Topic"}),
        ({"class_name": "9"}, {"Support"}),
        ({"topic": "exams"}, {"Topic"}),
        ({"support": "yes"}, {"Support"}),
        ({"q": "кандид"}, {"Candidate"}),
    ],
)
def test_filters(client, tenant_a, programme, params, expected):
    org = tenant_a.organisation
    from nastavnik.mentees.tests.factories import young_teacher

    rows = {
        "Candidate": MenteeFactory(
            person=student(org, last_name="Кандидатова"), status=MenteeStatus.CANDIDATE
        ),
        "Teacher": MenteeFactory(person=young_teacher(org), form=form("teacher-teacher")),
        "Topic": MenteeFactory(
            person=student(org, grade=7, class_letter="Б"), topics=["subject", "exams"]
        ),
        "Support": MenteeFactory(person=student(org, grade=9), support_needed=True),
    }
    if "form" in params:
        params = {"form": str(form(params["form"]).pk)}
    login(client, tenant_a, Role.CURATOR)

    response = client.get(url("programme", programme_pk=programme.pk), params)

    by_name = {m.person.full_name: key for key, m in rows.items()}
    assert {by_name[n] for n in names(response)} == expected


def _render_count(client, programme):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("programme", programme_pk=programme.pk))
    assert response.status_code == 200
    return len(queries), len(names(response))


def test_the_list_query_count_does_not_grow_with_rows(client, tenant_a, programme):
    org = tenant_a.organisation
    login(client, tenant_a, Role.CURATOR)
    for _ in range(3):
        MenteeFactory(person=student(org), role_model=RoleModel.objects.first())
    few, shown = _render_count(client, programme)
    assert shown == 3
    for _ in range(27):
        MenteeFactory(person=student(org), role_model=RoleModel.objects.first())
    many, shown = _render_count(client, programme)
    assert shown == 30
    assert many == few


def test_export_takes_the_filters_and_writes_formulas_as_text(client, tenant_a, programme):
    org = tenant_a.organisation
    MenteeFactory(
        person=student(org, last_name="Формулова"),
        request_text='=HYPERLINK("http://evil.example","жми")',
        topics=["subject"],
        results="3.50",
        availability=["пн-вечер", "чт-день"],
    )
    MenteeFactory(person=student(org, last_name="Другова"), status=MenteeStatus.CANDIDATE)
    login(client, tenant_a, Role.CURATOR)

    response = client.get(url("export", programme_pk=programme.pk), {"status": "in_base"})

    assert "no-store" in response["Cache-Control"].split(", ")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    header, row = rows
    assert row[0].startswith("Формулова")
    cell = sheet.cell(row=2, column=header.index(gettext("Request in own words")) + 1)
    assert cell.data_type == "s" and cell.quotePrefix
    assert row[header.index(gettext("Requests"))] == gettext("Help with a school subject")
    monday = f"{gettext('Monday')}, {gettext('evening')}"
    thursday = f"{gettext('Thursday')}, {gettext('afternoon')}"
    assert row[header.index(gettext("Time available"))] == f"{monday}; {thursday}"


def test_the_specialist_may_not_export(client, tenant_a, programme):
    login(client, tenant_a, Role.SPECIALIST)

    assert client.get(url("export", programme_pk=programme.pk)).status_code == 403


# --- Adding a candidate -----------------------------------------------------------------------


def test_search_offers_students_and_staff_with_eligibility_and_consent(client, tenant_a, programme):
    org = tenant_a.organisation
    ready = student(org, 12, last_name="Поискова")
    young = student(org, 9, last_name="Поисков", first_name="Малыш")
    unconsented = student(org, 13, last_name="Поисковая", with_consent=False)
    login(client, tenant_a, Role.CURATOR)

    response = client.get(url("add", programme_pk=programme.pk), {"q": "поиск"})

    found = {c.pk: c for c in response.context["candidates"]}
    assert set(found) == {ready.pk, young.pk, unconsented.pk}
    assert found[ready.pk].eligibility.ok and not found[young.pk].eligibility.ok
    page = response.content.decode()
    assert (
        reverse("consents:person", kwargs={"org_slug": "school-a", "person_pk": unconsented.pk})
        in page
    )


def test_adding_a_candidate_opens_the_card(client, tenant_a, programme):
    pupil = student(tenant_a.organisation, 12)
    login(client, tenant_a, Role.CURATOR)

    response = client.post(
        url("add", programme_pk=programme.pk),
        {
            "person": pupil.pk,
            "form": form("student-student").pk,
            "topics": ["subject"],
            "request_text": "Помогите с математикой",
        },
    )

    mentee = Mentee.objects.get(person=pupil)
    assert response["Location"] == url("detail", mentee_pk=mentee.pk)
    assert mentee.status == MenteeStatus.CANDIDATE and mentee.topics == ["subject"]


def test_adding_a_nine_year_old_says_why_and_adds_nothing(client, tenant_a, programme):
    nine = student(tenant_a.organisation, 9)
    login(client, tenant_a, Role.CURATOR)
    audit = AuditEntry.objects.count()

    response = client.post(url("add", programme_pk=programme.pk), {"person": nine.pk})

    assert response.status_code == 200
    expected = ngettext(
        "The student is %(age)s year old: students become mentees from the age of %(min)s.",
        "The student is %(age)s years old: students become mentees from the age of %(min)s.",
        9,
    ) % {"age": 9, "min": MIN_STUDENT_AGE}
    assert response.context["form"].errors["person"] == [expected]
    assert expected in response.content.decode()
    assert not Mentee.objects.exists() and AuditEntry.objects.count() == audit


def test_adding_without_consent_leads_to_the_consents(client, tenant_a, programme):
    pupil = student(tenant_a.organisation, 12, with_consent=False)
    login(client, tenant_a, Role.CURATOR)

    response = client.post(url("add", programme_pk=programme.pk), {"person": pupil.pk})

    assert response.context["form"].errors["person"] == [msg("no_consent", name=pupil.full_name)]
    assert reverse("consents:person", kwargs={"org_slug": "school-a", "person_pk": pupil.pk}) in (
        response.content.decode()
    )
    assert not Mentee.objects.exists()


def test_adding_a_person_of_another_organisation_finds_nobody(
    client, tenant_a, tenant_b, programme
):
    stranger = student(tenant_b.organisation, 12)
    login(client, tenant_a, Role.CURATOR)

    response = client.post(url("add", programme_pk=programme.pk), {"person": stranger.pk})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        gettext("Choose a person from the search results.")
    ]
    assert not Mentee.objects.exists()


# --- The card and the edit --------------------------------------------------------------------


def test_the_card_shows_requests_input_history_and_preferences(client, tenant_a, programme):
    org = tenant_a.organisation
    from nastavnik.people.tests.factories import StaffFactory

    mentor = StaffFactory(organisation=org, last_name="Наставникова")
    mentee = MenteeFactory(
        person=student(org),
        status=MenteeStatus.CANDIDATE,
        topics=["career"],
        request_text="Не знаю, кем стать",
        availability=["пн-вечер"],
        preferences=[mentor.pk],
    )
    MenteeInputFactory(mentee=mentee, text="Высокая мотивация, нужна поддержка в выборе.")
    login(client, tenant_a, Role.CURATOR)
    client.post(url("accept", mentee_pk=mentee.pk))

    response = client.get(url("detail", mentee_pk=mentee.pk))

    page = response.content.decode()
    assert "Не знаю, кем стать" in page
    assert "Высокая мотивация, нужна поддержка в выборе." in page
    assert mentor.full_name in page
    assert gettext("Choosing a career") in page
    assert [h["new"] for h in response.context["history"]] == [MenteeStatus.IN_BASE.label]


def test_the_card_of_a_withdrawn_person_shows_no_data(client, tenant_a, programme):
    pupil = student(tenant_a.organisation)
    mentee = MenteeFactory(person=pupil, request_text="Секрет")
    pupil.consents.update(withdrawn_at=timezone.now())
    login(client, tenant_a, Role.CURATOR)

    response = client.get(url("detail", mentee_pk=mentee.pk))

    assert "Секрет" not in response.content.decode()
    assert pupil.full_name not in response.content.decode()


def test_edit_refuses_a_role_model_of_another_form_and_changes_nothing(client, tenant_a, programme):
    mentee = MenteeFactory(person=student(tenant_a.organisation))
    other = RoleModel.objects.get(form__code="teacher-student", name="Коллега – молодой коллега")
    login(client, tenant_a, Role.CURATOR)

    response = client.post(
        url("edit", mentee_pk=mentee.pk),
        {"form": mentee.form_id, "role_model": other.pk, "meeting_format": "both"},
    )

    assert response.context["form"].errors["role_model"] == [
        msg("role_model", form=mentee.form.name)
    ]
    mentee.refresh_from_db()
    assert mentee.role_model is None


def test_edit_saves_the_availability_grid_and_the_requests(client, tenant_a, programme):
    mentee = MenteeFactory(person=student(tenant_a.organisation))
    role_model = programme.chosen_forms.get(form=mentee.form).role_models.first()
    login(client, tenant_a, Role.CURATOR)

    page = client.get(url("edit", mentee_pk=mentee.pk)).content.decode()
    assert 'name="availability" value="пн-утро"' in page
    response = client.post(
        url("edit", mentee_pk=mentee.pk),
        {
            "form": mentee.form_id,
            "role_model": role_model.pk,
            "topics": ["subject", "exams"],
            "request_text": "Подготовка к ОГЭ",
            "subjects": "Математика",
            "availability": ["чт-вечер", "вт-день"],
            "meeting_format": "in_person",
            "results": "3,8",
        },
    )

    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.availability == ["вт-день", "чт-вечер"]
    assert mentee.role_model == role_model
    assert str(mentee.results) == "3.80"


def test_edit_reports_an_unknown_slot(client, tenant_a, programme):
    mentee = MenteeFactory(person=student(tenant_a.organisation))
    login(client, tenant_a, Role.CURATOR)

    response = client.post(
        url("edit", mentee_pk=mentee.pk),
        {"availability": ["вс-ночь"], "meeting_format": "both"},
    )

    assert response.context["form"].errors["availability"] == [msg("slot", value="вс-ночь")]
    mentee.refresh_from_db()
    assert mentee.availability == []


def test_accept_without_a_form_says_so(client, tenant_a, programme):
    mentee = MenteeFactory(
        person=student(tenant_a.organisation), status=MenteeStatus.CANDIDATE, form=None
    )
    login(client, tenant_a, Role.CURATOR)

    response = client.post(url("accept", mentee_pk=mentee.pk), follow=True)

    assert msg("no_form") in [str(m) for m in response.context["messages"]]
    mentee.refresh_from_db()
    assert mentee.status == MenteeStatus.CANDIDATE


def test_leave_without_a_reason_is_refused_then_kept_with_it(client, tenant_a, programme):
    mentee = MenteeFactory(person=student(tenant_a.organisation))
    login(client, tenant_a, Role.CURATOR)

    response = client.post(url("leave", mentee_pk=mentee.pk), {"reason": ""})
    assert response.context["form"].errors["reason"] == [msg("reason_required")]
    mentee.refresh_from_db()
    assert mentee.status == MenteeStatus.IN_BASE

    client.post(url("leave", mentee_pk=mentee.pk), {"reason": "Перевёлся в другую школу"})
    mentee.refresh_from_db()
    assert (mentee.status, mentee.left_reason) == (MenteeStatus.LEFT, "Перевёлся в другую школу")
    client.post(url("restore", mentee_pk=mentee.pk))
    mentee.refresh_from_db()
    assert mentee.status == MenteeStatus.CANDIDATE


# --- Third-party input ------------------------------------------------------------------------


def test_the_specialist_adds_input_and_the_mentor_may_not(client, tenant_a, programme):
    mentee = MenteeFactory(person=student(tenant_a.organisation))
    login(client, tenant_a, Role.MENTOR)
    data = {"source": InputSource.CLASS_TEACHER, "text": "Часто пропускает уроки."}
    assert client.post(url("input_add", mentee_pk=mentee.pk), data).status_code == 403

    specialist = tenant_a.user(Role.SPECIALIST)
    login(client, tenant_a, Role.SPECIALIST)
    response = client.post(url("input_add", mentee_pk=mentee.pk), data)

    assert response.status_code == 302
    note = MenteeInput.objects.get()
    assert (note.author, note.author_name, note.text) == (
        specialist,
        specialist.get_full_name(),
        "Часто пропускает уроки.",
    )


def test_empty_input_is_refused_on_its_page(client, tenant_a, programme):
    mentee = MenteeFactory(person=student(tenant_a.organisation))
    login(client, tenant_a, Role.SPECIALIST)

    response = client.post(url("input_add", mentee_pk=mentee.pk), {"source": "", "text": ""})

    assert response.context["form"].errors == {
        "source": [msg("input_source")],
        "text": [msg("input_text")],
    }
    assert not MenteeInput.objects.exists()


def test_the_edit_offers_the_role_models_of_the_mentees_form_only(client, tenant_a, programme):
    mentee = MenteeFactory(person=student(tenant_a.organisation))
    login(client, tenant_a, Role.CURATOR)

    def offered(params=None):
        response = client.get(url("edit", mentee_pk=mentee.pk), params)
        return {
            str(label)
            for value, label in response.context["form"].fields["role_model"].choices
            if value
        }

    peer = {rm.name for rm in programme.chosen_forms.get(form=mentee.form).role_models.all()}
    assert offered() == peer and len(peer) == 2
    senior = programme.chosen_forms.get(form=form("teacher-student"))
    # Choosing another form (htmx asks with it) brings that form's role models.
    assert offered({"form": senior.form_id}) == {rm.name for rm in senior.role_models.all()}
