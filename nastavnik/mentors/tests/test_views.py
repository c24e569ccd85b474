"""The mentor pages through the browser's door: who may do what, the curator's walk from the
search to the registry, the commission's independent scores, bad input shown on the page with
nothing changed, constant query counts, downloads."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook

from nastavnik.consents.models import Purpose
from nastavnik.core.tests.pages import login, school_a_url, who_reads_and_who_edits
from nastavnik.mentors import services
from nastavnik.mentors.models import (
    Attendance,
    DocumentKind,
    Mentor,
    MentorStatus,
    PortfolioItem,
    SelectionScore,
    TrainingEvent,
)
from nastavnik.mentors.services import MESSAGES
from nastavnik.mentors.tests import data
from nastavnik.mentors.tests.factories import PortfolioItemFactory
from nastavnik.mentors.tests.test_services import SCORES
from nastavnik.orders.models import Order, OrderStatus
from nastavnik.orgs.models import Role
from nastavnik.people.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


url = school_a_url("mentors")


def followed_messages(client, response):
    return [str(m) for m in client.get(response["Location"]).context["messages"]]


@pytest.fixture
def programme(org):
    return data.programme(org)


def score_post(**overrides):
    return {**{k: str(v) for k, v in SCORES.items()}, "note": "", **overrides}


# --- Who may do what --------------------------------------------------------------------------


@who_reads_and_who_edits(editors=(Role.DIRECTOR, Role.CURATOR), readers=(Role.COMMISSION_MEMBER,))
def test_who_reads_and_who_edits_the_mentor_base(
    client, tenant_a, programme, role, view_status, edit_status
):
    mentor = services.mentor_add(programme, data.staff(tenant_a.organisation), by=None)
    login(client, tenant_a, role)

    assert client.get(url("list")).status_code == view_status
    assert client.get(url("detail", mentor_pk=mentor.pk)).status_code == view_status
    assert client.get(url("edit", mentor_pk=mentor.pk)).status_code == edit_status
    response = client.post(url("put_forward", mentor_pk=mentor.pk))
    assert response.status_code == (302 if edit_status == 200 else edit_status)
    expected = MentorStatus.SELECTION if edit_status == 200 else MentorStatus.CANDIDATE
    assert Mentor.objects.get(pk=mentor.pk).status == expected


def test_without_a_programme_the_pages_send_to_the_programmes(client, tenant_a):
    login(client, tenant_a, Role.CURATOR)

    response = client.get(url("list"))

    assert response.status_code == 302
    assert response["Location"] == reverse("programmes:list", kwargs={"org_slug": "school-a"})


def test_a_programme_of_another_organisation_is_not_found(client, tenant_a, tenant_b):
    other = data.programme(tenant_b.organisation)
    data.programme(tenant_a.organisation)
    login(client, tenant_a, Role.CURATOR)

    assert client.get(url("list"), {"programme": other.pk}).status_code == 404
    assert client.get(url("list"), {"programme": "x"}).status_code == 404


# --- The curator's walk ------------------------------------------------------------------------


def test_curator_finds_a_person_and_adds_them_with_the_profile(client, tenant_a, programme):
    org = tenant_a.organisation
    teacher = data.staff(org, last_name="Кораблёва", first_name="Ольга", gender="f")
    data.staff(org, last_name="Иванов")
    login(client, tenant_a, Role.CURATOR)

    found = client.get(url("add"), {"programme": programme.pk, "q": "кораблева"})
    assert [p.pk for p in found.context["candidates"]] == [teacher.pk]

    chosen = client.get(url("add"), {"programme": programme.pk, "person": teacher.pk})
    assert chosen.context["form"].initial["category"] == "staff"
    form = chosen.context["form"].fields["forms"].queryset.get(code="teacher-teacher")
    response = client.post(
        url("add"),
        {
            "programme": programme.pk,
            "person": teacher.pk,
            "category": "staff",
            "forms": [form.pk],
            "competencies": "Современный урок, работа с родителями",
            "availability": ["вт-день", "пн-вечер"],
            "meeting_format": "in_person",
            "capacity": "2",
        },
    )

    mentor = Mentor.objects.get(person=teacher)
    assert response.status_code == 302
    assert response["Location"] == url("detail", mentor_pk=mentor.pk)
    assert mentor.availability == ["пн-вечер", "вт-день"]
    assert list(mentor.forms.all()) == [form]
    card = client.get(response["Location"]).content.decode()
    assert "Кораблёва Ольга" in card
    assert "; ".join(mentor.availability_labels()) in card


def test_a_person_without_consent_is_shown_but_cannot_be_chosen(client, tenant_a, programme):
    org = tenant_a.organisation
    StaffFactory(organisation=org, last_name="Безсогласная", gender="f")
    login(client, tenant_a, Role.CURATOR)

    page = client.get(url("add"), {"programme": programme.pk, "q": "безсогласная"})

    assert page.context["candidates"][0].consent_participation is False
    assert "person=" not in page.content.decode()


@pytest.mark.parametrize(
    ("capacity", "key", "params"),
    [("0", "capacity_zero", {}), ("3", "capacity_rule", {"limit": 2})],
)
def test_a_capacity_against_the_rule_is_shown_and_nothing_is_added(
    client, tenant_a, programme, capacity, key, params
):
    teacher = data.staff(tenant_a.organisation)
    login(client, tenant_a, Role.CURATOR)
    before = data.snapshot()

    response = client.post(
        url("add"),
        {
            "programme": programme.pk,
            "person": teacher.pk,
            "category": "staff",
            "meeting_format": "both",
            "capacity": capacity,
        },
    )

    assert response.status_code == 200
    expected = gettext(MESSAGES[key]) % params if params else gettext(MESSAGES[key])
    assert response.context["form"].errors["capacity"] == [expected]
    assert data.snapshot() == before


def test_an_external_mentor_without_documents_is_refused_with_the_reason(
    client, tenant_a, programme
):
    mentor = services.mentor_add(programme, data.external(tenant_a.organisation), by=None)
    login(client, tenant_a, Role.CURATOR)
    before = data.snapshot()

    response = client.post(url("put_forward", mentor_pk=mentor.pk))

    assert gettext(MESSAGES["documents"]) % {"name": mentor.person.full_name} in (
        followed_messages(client, response)
    )
    assert data.snapshot() == before


def test_documents_are_added_with_a_scan_and_checked_dates(client, tenant_a, programme):
    mentor = services.mentor_add(programme, data.external(tenant_a.organisation), by=None)
    login(client, tenant_a, Role.CURATOR)
    today = timezone.localdate()
    post = {
        "kind": DocumentKind.MEDICAL,
        "number": "7712345",
        "issued_on": today.isoformat(),
        "valid_until": (today - timedelta(days=3)).isoformat(),
        "scan": SimpleUploadedFile("книжка.pdf", data.PDF),
    }
    before = data.snapshot()

    bad = client.post(url("document_add", mentor_pk=mentor.pk), post)

    assert bad.context["form"].errors["valid_until"] == [gettext(MESSAGES["document_dates"])]
    assert data.snapshot() == before
    post["valid_until"] = (today + timedelta(days=300)).isoformat()
    post["scan"] = SimpleUploadedFile("книжка.pdf", data.PDF)
    good = client.post(url("document_add", mentor_pk=mentor.pk), post)
    assert good.status_code == 302
    document = mentor.person.mentor_documents.get()
    scan = client.get(url("document_scan", mentor_document_pk=document.pk))
    assert scan.status_code == 200 and scan["Content-Type"] == "application/pdf"
    # The commission reads the base but not the scans of documents.
    login(client, tenant_a, Role.COMMISSION_MEMBER)
    assert client.get(url("document_scan", mentor_document_pk=document.pk)).status_code == 403


# --- The list ----------------------------------------------------------------------------------


def _fill(programme, count):
    """External mentors with documents and forms, approved, with a training event each time:
    every page has its rows of each kind."""
    org = programme.organisation
    members = data.tenant_commission_of(org)
    for number in range(count):
        mentor = services.mentor_add(
            programme, data.external(org, last_name=f"Наставник{number}"), by=None
        )
        data.documents(mentor)
        services.mentor_update(
            mentor, {"forms": list(services.programme_forms(programme)[:2])}, by=None
        )
        services.mentor_put_forward(mentor, by=None)
        for member in members:
            services.score_record(mentor, member, SCORES, by=None)
        if number % 2 == 0:
            services.decision_record(mentor, True, by=None)
    services.training_event_create(
        programme,
        {"held_on": max(programme.academic_year.starts_on, timezone.localdate()), "topic": "Т"},
        by=None,
    )


@pytest.mark.parametrize("name", ["list", "training", "registry", "selection"])
def test_list_pages_take_the_same_queries_for_one_row_or_three(client, tenant_a, name):
    programme = data.programme(tenant_a.organisation)
    login(client, tenant_a, Role.DIRECTOR)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url(name), {"programme": programme.pk})
        assert response.status_code == 200
        return len(captured)

    _fill(programme, 1)
    queries()  # warms the caches every process keeps (content types)
    one = queries()
    _fill(programme, 2)
    three = queries()

    assert Mentor.objects.count() == 3
    assert one == three


def test_the_list_filters_by_the_state_of_documents_and_training(client, tenant_a, programme):
    org = tenant_a.organisation
    without = services.mentor_add(programme, data.external(org, last_name="Безбумажный"), by=None)
    expiring = services.mentor_add(programme, data.external(org, last_name="Скорый"), by=None)
    data.documents(expiring, until_days=10)
    staff = services.mentor_add(programme, data.staff(org, last_name="Учителев"), by=None)
    services.training_mark(staff, True, "Курсы ПК", by=None)
    login(client, tenant_a, Role.CURATOR)

    def names(**params):
        response = client.get(url("list"), {"programme": programme.pk, **params})
        return [m.pk for m in response.context["rows"]]

    assert names(documents="missing") == [without.pk]
    assert names(documents="expiring") == [expiring.pk]
    assert names(documents="valid") == [expiring.pk]
    assert names(training="yes") == [staff.pk]
    assert set(names(training="no")) == {without.pk, expiring.pk}
    assert names(q="учителев") == [staff.pk]
    assert names(category="staff", status="candidate") == [staff.pk]


def test_the_export_writes_text_that_looks_like_a_formula_as_text(client, tenant_a, programme):
    mentor = services.mentor_add(programme, data.staff(tenant_a.organisation), by=None)
    services.mentor_update(mentor, {"competencies": '=HYPERLINK("http://x","y")'}, by=None)
    login(client, tenant_a, Role.CURATOR)

    response = client.get(url("export"), {"programme": programme.pk})

    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("Компетенции") + 1)
    assert cell.value == '=HYPERLINK("http://x","y")'
    assert cell.data_type == "s" and cell.quotePrefix
    # The commission reads the base on screen; the bulk export is for those who keep it.
    login(client, tenant_a, Role.COMMISSION_MEMBER)
    assert client.get(url("export"), {"programme": programme.pk}).status_code == 403


# --- Selection ---------------------------------------------------------------------------------


@pytest.fixture
def candidate(programme, tenant_a):
    services.commission_set(programme, data.tenant_commission(tenant_a), by=None)
    mentor = services.mentor_add(programme, data.staff(tenant_a.organisation), by=None)
    return services.mentor_put_forward(mentor, by=None)


def test_the_curator_forms_the_commission_and_sees_the_rule_on_bad_input(
    client, tenant_a, programme
):
    login(client, tenant_a, Role.CURATOR)
    two = [tenant_a.user(Role.DIRECTOR).pk, tenant_a.user(Role.CURATOR).pk]
    before = data.snapshot()

    bad = client.post(url("commission", programme_pk=programme.pk), {"members": two})

    message = gettext(MESSAGES["commission_size"]) % {"min": 3, "max": 5, "count": 2}
    assert message in bad.context["form"].non_field_errors()
    assert data.snapshot() == before
    members = [u.pk for u in data.tenant_commission(tenant_a)]
    good = client.post(url("commission", programme_pk=programme.pk), {"members": members})
    assert good.status_code == 302
    assert programme.commission.count() == 3


def test_a_member_scores_once_and_sees_only_their_own_score_until_the_decision(
    client, tenant_a, candidate
):
    login(client, tenant_a, Role.COMMISSION_MEMBER)
    response = client.post(
        url("score", mentor_pk=candidate.pk), score_post(note="Очень мотивирован")
    )
    assert response.status_code == 302
    services.score_record(
        candidate, tenant_a.user(Role.DIRECTOR), SCORES, "Отзыв председателя", by=None
    )

    page = client.get(url("candidate", mentor_pk=candidate.pk)).content.decode()

    assert "Очень мотивирован" in page
    assert "Отзыв председателя" not in page
    assert not client.get(url("candidate", mentor_pk=candidate.pk)).context["show_scores"]
    # Back on the form, the member corrects the one score there is; a second never appears.
    client.post(url("score", mentor_pk=candidate.pk), score_post(time="1"))
    assert SelectionScore.objects.filter(mentor=candidate).count() == 2
    mine = SelectionScore.objects.get(member__user=tenant_a.user(Role.COMMISSION_MEMBER))
    assert mine.time == 1


def test_a_commission_member_outside_the_commission_is_told_and_scores_nothing(
    client, tenant_a, candidate
):
    outsider = data.account(tenant_a.organisation, Role.COMMISSION_MEMBER, last_name="Орлова")
    client.force_login(outsider)
    before = data.snapshot()

    response = client.post(url("score", mentor_pk=candidate.pk), score_post())

    assert gettext(MESSAGES["not_member"]) in followed_messages(client, response)
    assert data.snapshot() == before
    assert client.get(url("candidate", mentor_pk=candidate.pk)).status_code == 403


def test_a_score_out_of_range_is_shown_on_the_form(client, tenant_a, candidate):
    login(client, tenant_a, Role.COMMISSION_MEMBER)
    before = data.snapshot()

    response = client.post(url("score", mentor_pk=candidate.pk), score_post(fit="7"))

    expected = gettext(MESSAGES["score_range"]) % {"min": 0, "max": 5}
    assert response.context["form"].errors["fit"] == [expected]
    assert data.snapshot() == before


def test_the_manager_sees_every_score_and_decides_after_three(client, tenant_a, candidate):
    login(client, tenant_a, Role.CURATOR)
    members = data.tenant_commission(tenant_a)
    services.score_record(candidate, members[0], SCORES, by=None)
    before = data.snapshot()

    early = client.post(url("decision", mentor_pk=candidate.pk), {"decision": "approve"})

    assert gettext(MESSAGES["decision_scores"]) % {"min": 3, "count": 1} in followed_messages(
        client, early
    )
    assert data.snapshot() == before
    for member in members[1:]:
        services.score_record(candidate, member, {**SCORES, "time": 1}, by=None)
    page = client.get(url("candidate", mentor_pk=candidate.pk))
    time_row = next(
        row
        for row in page.context["rows"]
        if row["label"] == gettext("Time available for mentoring")
    )
    assert time_row["values"] == [3, 1, 1]
    assert time_row["mean"] == round(5 / 3, 2)
    response = client.post(url("decision", mentor_pk=candidate.pk), {"decision": "approve"})
    assert response.status_code == 302
    assert Mentor.objects.get(pk=candidate.pk).status == MentorStatus.APPROVED
    # After the decision every member sees the whole table.
    login(client, tenant_a, Role.COMMISSION_MEMBER)
    assert client.get(url("candidate", mentor_pk=candidate.pk)).context["show_scores"]


# --- The registry ------------------------------------------------------------------------------


def test_the_registry_order_is_prepared_from_the_page_and_signing_registers(
    client, tenant_a, candidate
):
    for member in data.tenant_commission(tenant_a):
        services.score_record(candidate, member, SCORES, by=None)
    services.decision_record(candidate, True, by=None)
    director = StaffFactory(organisation=tenant_a.organisation, position="Директор")
    login(client, tenant_a, Role.CURATOR)

    page = client.get(url("registry"))
    assert [row["mentor"] for row in page.context["awaiting"]] == [candidate]
    response = client.post(
        url("registry_order", programme_pk=candidate.programme_id),
        {"number": "12-о", "date": timezone.localdate().isoformat(), "signatory": director.pk},
    )

    order = Order.objects.get(number="12-о")
    assert response["Location"] == reverse(
        "orders:detail", kwargs={"org_slug": "school-a", "order_pk": order.pk}
    )
    assert client.get(response["Location"]).status_code == 200
    login(client, tenant_a, Role.DIRECTOR)
    signed = client.post(
        reverse("orders:sign", kwargs={"org_slug": "school-a", "order_pk": order.pk}),
        {"scan": SimpleUploadedFile("scan.pdf", data.PDF)},
    )
    assert signed.status_code == 302
    assert Order.objects.get(pk=order.pk).status == OrderStatus.SIGNED
    assert Mentor.objects.get(pk=candidate.pk).status == MentorStatus.REGISTERED
    registry = client.get(url("registry"))
    assert [row["mentor"] for row in registry.context["registered"]] == [candidate]
    download = client.get(url("registry_xlsx"))
    sheet = load_workbook(BytesIO(b"".join(download.streaming_content))).active
    assert sheet.cell(row=2, column=2).value == candidate.person.full_name
    assert sheet.cell(row=2, column=5).value.startswith("№ 12-о")


def test_a_registry_order_with_nobody_approved_is_refused_on_the_page(client, tenant_a, programme):
    director = StaffFactory(organisation=tenant_a.organisation, position="Директор")
    login(client, tenant_a, Role.CURATOR)
    before = data.snapshot()

    response = client.post(
        url("registry_order", programme_pk=programme.pk),
        {"number": "12-о", "date": timezone.localdate().isoformat(), "signatory": director.pk},
    )

    assert gettext(MESSAGES["no_approved"]) in response.context["form"].non_field_errors()
    assert data.snapshot() == before


# --- The mentor school -------------------------------------------------------------------------


def test_the_plan_fills_the_school_and_attendance_is_marked(client, tenant_a, programme):
    mentor = services.mentor_add(programme, data.staff(tenant_a.organisation), by=None)
    login(client, tenant_a, Role.CURATOR)

    client.post(url("training_plan", programme_pk=programme.pk))
    client.post(url("training_plan", programme_pk=programme.pk))
    assert TrainingEvent.objects.filter(programme=programme).count() == 11

    held = services.training_event_create(
        programme,
        {"held_on": max(programme.academic_year.starts_on, timezone.localdate()), "topic": "Т"},
        by=None,
    )
    ahead = TrainingEvent.objects.filter(held_on__gt=timezone.localdate()).first()
    response = client.post(url("attendance", training_event_pk=held.pk), {"mentors": [mentor.pk]})
    assert response.status_code == 302
    assert Attendance.objects.get().mentor == mentor
    before = data.snapshot()
    refused = client.post(url("attendance", training_event_pk=ahead.pk), {"mentors": [mentor.pk]})
    assert gettext(MESSAGES["attendance_future"]) in refused.context["form"].non_field_errors()
    assert data.snapshot() == before


def test_materials_are_uploaded_and_downloaded(client, tenant_a, programme):
    login(client, tenant_a, Role.CURATOR)

    client.post(
        url("training_add", programme_pk=programme.pk),
        {
            "held_on": programme.academic_year.starts_on.isoformat(),
            "topic": "Вводное совещание",
            "required": "on",
            "materials": SimpleUploadedFile("презентация.pdf", data.PDF),
        },
    )

    event = TrainingEvent.objects.get()
    assert event.required
    login(client, tenant_a, Role.COMMISSION_MEMBER)
    download = client.get(url("training_materials", training_event_pk=event.pk))
    assert b"".join(download.streaming_content) == data.PDF


# --- Portfolios -------------------------------------------------------------------------------


@pytest.fixture
def mentor_person(tenant_a):
    return data.staff(tenant_a.organisation, user=tenant_a.user(Role.MENTOR))


def test_a_mentor_keeps_their_own_portfolio(client, tenant_a, mentor_person):
    login(client, tenant_a, Role.MENTOR)

    response = client.post(
        url("my_portfolio"),
        {
            "action": "save",
            "kind": "achievement",
            "title": "Диплом победителя конкурса «Наставник года»",
            "file": SimpleUploadedFile("диплом.pdf", data.PDF),
        },
    )

    item = PortfolioItem.objects.get()
    assert response.status_code == 302 and item.person == mentor_person
    assert client.get(url("portfolio_file", portfolio_item_pk=item.pk)).status_code == 200


def test_publishing_without_consent_is_refused_with_the_reason(client, tenant_a, mentor_person):
    item = PortfolioItemFactory(person=mentor_person)
    login(client, tenant_a, Role.MENTOR)
    before = data.snapshot()

    response = client.post(url("my_portfolio"), {"action": "publish", "item": item.pk})

    expected = gettext(MESSAGES["publish_consent"]) % {"name": mentor_person.full_name}
    assert expected in followed_messages(client, response)
    assert data.snapshot() == before


def test_with_the_consent_the_item_is_published(client, tenant_a, mentor_person):
    data.consent(mentor_person, Purpose.PUBLICATION)
    item = PortfolioItemFactory(person=mentor_person)
    login(client, tenant_a, Role.MENTOR)

    client.post(url("my_portfolio"), {"action": "publish", "item": item.pk})

    assert list(PortfolioItem.objects.public()) == [item]


def test_a_mentor_reaches_no_one_elses_portfolio(client, tenant_a, mentor_person):
    someone = PortfolioItemFactory(person=StaffFactory(organisation=tenant_a.organisation))
    login(client, tenant_a, Role.MENTOR)
    before = data.snapshot()

    for action in ("publish", "delete", "save"):
        response = client.post(url("my_portfolio"), {"action": action, "item": someone.pk})
        assert response.status_code == 404
    assert client.get(url("my_portfolio"), {"item": someone.pk}).status_code == 404
    assert client.get(url("portfolio_file", portfolio_item_pk=someone.pk)).status_code == 404
    assert data.snapshot() == before


def test_the_curator_keeps_any_mentors_portfolio(client, tenant_a, programme, mentor_person):
    mentor = services.mentor_add(programme, mentor_person, by=None)
    login(client, tenant_a, Role.CURATOR)

    client.post(
        url("portfolio", mentor_pk=mentor.pk),
        {"action": "save", "kind": "case", "title": "Кейс: адаптация молодого учителя"},
    )

    assert PortfolioItem.objects.get().person == mentor_person
    # Another mentor's item is not reachable through this mentor's page.
    other = PortfolioItemFactory(person=StaffFactory(organisation=tenant_a.organisation))
    response = client.post(
        url("portfolio", mentor_pk=mentor.pk), {"action": "delete", "item": other.pk}
    )
    assert response.status_code == 404


def test_an_account_without_a_person_sees_how_to_get_one(client, tenant_a):
    login(client, tenant_a, Role.MENTOR)

    response = client.get(url("my_portfolio"))

    assert response.status_code == 200
    assert "mentors/portfolio_none.html" in [t.name for t in response.templates]


# --- The dashboard ------------------------------------------------------------------------------


def test_the_curators_dashboard_warns_of_documents_ending_within_a_month(
    client, tenant_a, programme
):
    org = tenant_a.organisation
    soon = services.mentor_add(programme, data.external(org, last_name="Скорый"), by=None)
    data.documents(soon, until_days=12)
    later = services.mentor_add(programme, data.external(org, last_name="Нескорый"), by=None)
    data.documents(later, until_days=200)
    services.mentor_add(programme, data.external(org, last_name="Безбумажный"), by=None)
    dashboard = reverse("orgs:dashboard", kwargs={"org_slug": "school-a"})

    login(client, tenant_a, Role.CURATOR)
    response = client.get(dashboard)

    listed = {
        document.person.last_name for document, _pk in response.context["mentor_documents_expiring"]
    }
    assert listed == {"Скорый"}
    assert response.context["mentor_documents_missing"] == 1
    assert url("detail", mentor_pk=soon.pk) in response.content.decode()
    login(client, tenant_a, Role.MENTOR)
    assert "mentor_documents_expiring" not in client.get(dashboard).context


def test_hidden_people_leave_the_lists(client, tenant_a, programme):
    from nastavnik.consents.services import consent_withdraw

    person = data.staff(tenant_a.organisation)
    mentor = services.mentor_add(programme, person, by=None)
    consent_withdraw(person.consents.get(purpose=Purpose.PROCESSING), reason="Отзыв", by=None)
    login(client, tenant_a, Role.CURATOR)

    assert client.get(url("list")).context["rows"] == []
    assert client.get(url("detail", mentor_pk=mentor.pk)).status_code == 404


def test_guardians_see_neither_the_selection_nor_a_portfolio(client, tenant_a, programme):
    login(client, tenant_a, Role.GUARDIAN)

    assert client.get(url("selection")).status_code == 403
    assert client.get(url("my_portfolio")).status_code == 403


def test_the_stage_view_counts_the_mentor_base_and_the_selection(client, tenant_a, programme):
    org = tenant_a.organisation
    services.mentor_add(programme, data.staff(org), by=None)
    services.mentor_add(programme, data.external(org), by=None)
    login(client, tenant_a, Role.CURATOR)

    response = client.get(
        reverse("programmes:stages", kwargs={"org_slug": "school-a", "programme_pk": programme.pk})
    )

    stages = {view.number: view for view in response.context["stages"]}
    base = {str(i.label): i.value for i in stages[3].indicators}
    assert base[gettext("Mentors in the base")] == 2
    assert base[gettext("External mentors without valid documents")] == 1
    selection = {str(i.label): i.value for i in stages[4].indicators}
    assert selection[gettext("In the registry")] == 0
