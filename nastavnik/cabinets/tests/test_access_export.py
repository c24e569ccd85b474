"""The right of access (152-ФЗ art. 14): a person, or a guardian for their child, downloads
from the cabinet what the system holds about them, as an XLSX workbook; nobody else can, and
every download is in the audit log."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.translation import gettext
from docx import Document
from openpyxl import load_workbook

from conftest import Tenant, make_tenant
from nastavnik.assessments.models import Measure, Parameter, Phase
from nastavnik.audit.models import AuditAction, AuditEntry
from nastavnik.cabinets.access_export import person_data, sheets_docx
from nastavnik.concerns.models import Concern, ReporterKind, Topic
from nastavnik.consents.models import Consent, Purpose
from nastavnik.consents.services import consent_withdraw, people_depersonalise
from nastavnik.consents.tests.factories import ConsentFactory
from nastavnik.core.tests.shared_rows import world_and_two_tenants
from nastavnik.documents.render import find_soffice
from nastavnik.matching.tests import data as matching_data
from nastavnik.meetings.models import Attendance, Feedback, MeetingStatus
from nastavnik.meetings.tests.factories import meeting, rate
from nastavnik.mentees.models import InputSource, Mentee, MenteeInput
from nastavnik.mentors.models import CommissionMember, Interview, Mentor, SelectionScore
from nastavnik.mentors.tests.factories import MentorDocumentFactory
from nastavnik.mentorships.models import MentorAssignment, Mentorship
from nastavnik.orgs.models import Role
from nastavnik.people.validators import org_today
from nastavnik.plans import services as plan_services
from nastavnik.plans.tests.data import Pair, two_pairs
from nastavnik.questionnaires.models import Answer, Campaign, Channel, Invitation, Response
from nastavnik.questionnaires.tests import data as survey_data

FORMULA = '=HYPERLINK("http://evil.example","клик")'
INPUT_AUTHOR = "Петрова Анна Ивановна"
INTERVIEWER = "Сидоров Пётр Ильич"
DOCUMENT_ISSUED = date(2026, 3, 2)

# What the export holds of a person, in its order: the sheets of the .xlsx, the headings of
# the .docx.
SECTIONS = [
    "Персональные данные",
    "Участие в программе",
    "Согласия",
    "Пары и группы",
    "Встречи",
    "Планы",
    "Анкеты",
    "Измерения",
    "Сведения специалистов",
    "Отбор наставника",
    "Документы наставника",
    "Обращения",
]


@dataclass
class World:
    ours: Pair
    theirs: Pair


def _campaign(pair: Pair, *, anonymous: bool, title: str) -> Campaign:
    org = pair.mentorship.organisation
    return Campaign.objects.create(
        organisation=org,
        programme=pair.mentorship.programme,
        questionnaire=survey_data.questionnaire(org),
        title=title,
        audience="class",
        anonymous=anonymous,
        deadline=org_today(org) + timedelta(days=3),
    )


def _answered(pair: Pair, campaign: Campaign, answers: dict[str, object]) -> None:
    org = pair.mentorship.organisation
    invitation = None
    if not campaign.anonymous:
        invitation = Invitation.objects.create(
            organisation=org,
            campaign=campaign,
            person=pair.mentee,
            token_hash=f"t{campaign.pk}",
            answered=True,
        )
    response = Response.objects.create(
        organisation=org,
        campaign=campaign,
        invitation=invitation,
        person=pair.mentee if invitation else None,
        channel=Channel.LINK,
        submitted_on=org_today(org),
    )
    for code, value in answers.items():
        Answer.objects.create(
            organisation=org,
            response=response,
            question=campaign.questionnaire.questions.get(code=code),
            value=value,
        )


def _fill(pair: Pair) -> None:
    """Data about the pair's mentee and mentor in every area the download covers."""
    org = pair.mentorship.organisation
    today = org_today(org)
    child = pair.mentee
    child.notes = FORMULA
    child.phone = "+7 900 111-22-33"
    child.save(update_fields=["notes", "phone"])
    publication = ConsentFactory(
        subject=child, organisation=org, given_by=pair.guardian, purpose=Purpose.PUBLICATION
    )
    consent_withdraw(publication, "Передумали", by=pair.guardian_user)

    plan_services.plan_start(pair.mentorship, by=None)
    came = meeting(
        pair.mentorship, days=-10, status=MeetingStatus.HELD, kind="first", format="remote"
    )
    Feedback.objects.filter(pk=rate(came, child, 5).pk).update(comment="Было полезно")
    missed = meeting(pair.mentorship, days=-3, status=MeetingStatus.HELD)
    Attendance.objects.filter(meeting=missed).delete()
    meeting(pair.mentorship, days=5)  # planned: not a meeting anyone took part in yet

    _answered(
        pair,
        _campaign(pair, anonymous=False, title="Входная анкета наставляемого"),
        {"topic": "subject", "about": "Хочу понять геометрию"},
    )
    _answered(
        pair,
        _campaign(pair, anonymous=True, title="Анонимный опрос о климате"),
        {"about": "Секрет анонимного ответа"},
    )

    parameter = Parameter.objects.get(code="engagement", organisation__isnull=True)
    for phase, value in ((Phase.ENTRY, 4), (Phase.EXIT, 8)):
        Measure.objects.create(
            organisation=org,
            programme=pair.mentorship.programme,
            person=child,
            parameter=parameter,
            phase=phase,
            value=Decimal(value),
            measured_on=today,
        )
    MenteeInput.objects.create(
        organisation=org,
        mentee=Mentee.objects.get(person=child, programme=pair.mentorship.programme),
        author_name=INPUT_AUTHOR,
        author_role="Классный руководитель",
        source=InputSource.CLASS_TEACHER,
        text="Стесняется отвечать у доски",
    )

    candidate = Mentor.objects.get(person=pair.mentor, programme=pair.mentorship.programme)
    member = CommissionMember.objects.create(
        organisation=org, programme=candidate.programme, user=pair.guardian_user
    )
    SelectionScore.objects.create(
        organisation=org,
        mentor=candidate,
        member=member,
        experience=3,
        competencies=4,
        communication=5,
        time=2,
        life_experience=3,
        fit=4,
        civic_position=5,
        motivation=4,
        note="Сильная мотивация",
    )
    MentorDocumentFactory(person=pair.mentor, number="СП-2026-117", issued_on=DOCUMENT_ISSUED)
    Interview.objects.create(
        organisation=org,
        mentor=candidate,
        held_on=today - timedelta(days=40),
        interviewers=INTERVIEWER,
        notes="Спокойно объясняет",
    )


def _build() -> tuple[World, Tenant, Tenant]:
    tenant_a, tenant_b = make_tenant("school-a"), make_tenant("school-b")
    ours, theirs = two_pairs(tenant_a)
    _fill(ours)
    _fill(theirs)
    return World(ours, theirs), tenant_a, tenant_b


# Built once for the module; each test runs in a savepoint of it.
built, shared, world, tenant_a, tenant_b = world_and_two_tenants(_build)


def _url(name: str, pair: Pair) -> str:
    return reverse(f"cabinets:{name}", kwargs={"org_slug": pair.mentorship.organisation.slug})


def _sheets(response) -> dict[str, list[list[object]]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


def _cells(rows: list[list[object]]) -> set[object]:
    return {value for row in rows for value in row}


def _field(sheets, label: str) -> object:
    return dict(sheets[gettext("Personal data")])[gettext(label)]


def test_a_mentee_downloads_every_area_of_their_data(client, world):
    ours = world.ours
    client.force_login(ours.mentee_user)

    response = client.get(_url("own_data", ours))

    assert "no-store" in response["Cache-Control"]
    assert "attachment" in response["Content-Disposition"]
    sheets = _sheets(response)
    assert list(sheets) == SECTIONS
    assert _field(sheets, "Last name") == ours.mentee.last_name
    assert _field(sheets, "Phone") == "+7 900 111-22-33"
    assert _field(sheets, "Legal guardians") == ours.guardian.full_name
    assert _field(sheets, "Notes") == FORMULA  # kept as text, not run as a formula
    book = load_workbook(io.BytesIO(response.content))
    notes = next(
        row[1] for row in book[gettext("Personal data")].iter_rows() if row[1].value == FORMULA
    )
    assert notes.data_type == "s" and notes.quotePrefix

    entries = sheets["Участие в программе"]
    assert entries[0] == [
        "Программа",
        "Роль",
        "Статус",
        "Запросы или сильные стороны",
        "Своими словами",
        "Решение",
    ]
    assert [row[1] for row in entries[1:]] == ["Наставляемый"]

    consents = sheets["Согласия"]
    assert consents[0][:3] == ["Цель", "Кем дано", "Дата согласия"]
    withdrawn = next(row for row in consents[1:] if row[0] == Purpose.PUBLICATION.label)
    assert withdrawn[1] == ours.guardian.full_name
    assert withdrawn[5] == "Отозвано" and withdrawn[7] == "Передумали" and withdrawn[6]
    valid = [row for row in consents[1:] if row[0] == Purpose.PROCESSING.label]
    assert valid and valid[0][5] == "Действует"

    pairs = sheets["Пары и группы"]
    assert len(pairs) == 2
    assert pairs[1][3] == "Наставляемый" and pairs[1][4] == ours.mentor.full_name
    assert pairs[1][5].date() == ours.mentorship.started_on

    meetings = sheets["Встречи"]
    assert len(meetings) == 3  # the two held ones, not the planned one
    first, second = meetings[1:]
    assert first[1] == "Первая, организационная" and first[2] == "Дистанционно"
    assert first[4] == "присутствие" and first[5] == 5 and first[6] == "Было полезно"
    assert second[4] == "отсутствие" and second[5] is None

    plans = sheets["Планы"]
    assert "Повысить успеваемость по математике" in _cells(plans)
    assert {row[1] for row in plans[1:]} >= {"Цель"}

    answers = sheets["Анкеты"]
    assert [
        answers[1][0],
        answers[1][2],
        answers[1][3],
    ] == ["Входная анкета наставляемого", "С чем нужна помощь?", "Учёба"]
    assert "Хочу понять геометрию" in _cells(answers)
    assert "Анонимный опрос о климате" not in _cells(answers)
    assert "Секрет анонимного ответа" not in str(sheets)

    measures = sheets["Измерения"]
    assert [(row[2], row[3]) for row in measures[1:]] == [("Входная", 4), ("Выходная", 8)]

    inputs = sheets["Сведения специалистов"]
    assert inputs[1][1:] == [
        "Классный руководитель",
        "Классный руководитель",
        "Стесняется отвечать у доски",
    ]
    assert INPUT_AUTHOR not in str(sheets)

    assert len(sheets["Отбор наставника"]) == 1  # a mentee was never a candidate
    assert len(sheets["Документы наставника"]) == 1

    # Nothing of the other pair's people.
    text = str(sheets)
    assert world.theirs.mentee.last_name not in text
    assert world.theirs.mentor.last_name not in text

    entry = AuditEntry.objects.get(action=AuditAction.ACCESS_EXPORT)
    assert entry.person == ours.mentee and entry.actor == ours.mentee_user
    assert entry.related_person is None


def test_a_mentor_candidate_gets_the_commissions_scores_without_the_members_names(client, world):
    ours = world.ours
    client.force_login(ours.mentor_user)

    sheets = _sheets(client.get(_url("own_data", ours)))

    selection = sheets["Отбор наставника"]
    assert selection[0] == ["Программа", "Вид записи", "Дата", "Сумма баллов", "Комментарий"]
    score, interview = selection[1:]
    assert (
        score[1] == "Оценка члена комиссии" and score[3] == 30 and score[4] == "Сильная мотивация"
    )
    assert interview[1] == "Собеседование" and interview[4] == "Спокойно объясняет"
    text = str(sheets)
    assert INTERVIEWER not in text and ours.guardian.last_name not in text
    meetings = sheets["Встречи"]
    assert {row[4] for row in meetings[1:]} == {"ведение встречи"}
    documents = sheets["Документы наставника"]
    assert documents[1][1] == "СП-2026-117" and documents[1][2].date() == DOCUMENT_ISSUED
    assert [row[3] for row in sheets["Пары и группы"][1:]] == ["Наставник"]
    # The mentee's own rating is the mentee's, not the mentor's.
    assert "Было полезно" not in text


def test_a_guardian_downloads_their_childs_data_and_no_other_childs(client, world):
    ours, theirs = world.ours, world.theirs
    client.force_login(ours.guardian_user)
    url = _url("child_data", ours)

    sheets = _sheets(client.get(url, {"child": ours.mentee.pk}))

    assert _field(sheets, "Last name") == ours.mentee.last_name
    assert "Стесняется отвечать у доски" in str(sheets)
    entry = AuditEntry.objects.get(action=AuditAction.ACCESS_EXPORT)
    assert entry.person == ours.mentee and entry.related_person == ours.guardian
    assert entry.actor == ours.guardian_user

    for child in (theirs.mentee.pk, theirs.guardian.pk, ours.mentor.pk, "x", "", "9" * 30):
        assert client.get(url, {"child": child}).status_code == 404
    assert client.get(url).status_code == 404
    assert AuditEntry.objects.filter(action=AuditAction.ACCESS_EXPORT).count() == 1


def test_the_parents_page_links_each_child_to_the_download(client, world):
    ours = world.ours
    client.force_login(ours.guardian_user)

    content = client.get(_url("guardian", ours)).content.decode()

    assert f"{_url('child_data', ours)}?child={ours.mentee.pk}" in content
    assert _url("own_data", ours) in content


@pytest.mark.parametrize("who", ("mentor_user", "mentee_user"))
def test_nobody_but_a_guardian_may_ask_for_a_childs_data(client, world, who):
    ours = world.ours
    client.force_login(getattr(ours, who))

    response = client.get(_url("child_data", ours), {"child": ours.mentee.pk})

    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action=AuditAction.ACCESS_EXPORT).exists()


@pytest.mark.parametrize("role", [Role.CURATOR, Role.DIRECTOR, Role.SPECIALIST])
def test_staff_without_a_registry_entry_get_nothing(client, world, tenant_a, role):
    client.force_login(tenant_a.user(role))

    assert client.get(_url("own_data", world.ours)).status_code == 404
    assert client.get(
        _url("child_data", world.ours), {"child": world.ours.mentee.pk}
    ).status_code in {
        403,
        404,
    }
    assert not AuditEntry.objects.filter(action=AuditAction.ACCESS_EXPORT).exists()


@pytest.mark.parametrize("role", Role.values)
def test_a_member_of_another_organisation_gets_404(client, world, tenant_b, role):
    client.force_login(tenant_b.user(role))

    assert client.get(_url("own_data", world.ours)).status_code == 404
    assert (
        client.get(_url("child_data", world.ours), {"child": world.ours.mentee.pk}).status_code
        == 404
    )
    assert not AuditEntry.objects.filter(action=AuditAction.ACCESS_EXPORT).exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, world):
    response = client.get(_url("own_data", world.ours))

    assert response.status_code == 302 and "login" in response["Location"]


def test_a_person_who_withdrew_consent_still_gets_their_data(client, world):
    ours = world.ours
    for consent in Consent.objects.filter(subject=ours.mentee, withdrawn_at__isnull=True):
        consent_withdraw(consent, "", by=ours.guardian_user, require_reason=False)
    client.force_login(ours.mentee_user)

    sheets = _sheets(client.get(_url("own_data", ours)))

    assert {row[5] for row in sheets["Согласия"][1:]} == {"Отозвано"}
    assert _field(sheets, "Last name") == ours.mentee.last_name
    assert len(sheets["Встречи"]) == 3


def test_a_depersonalised_childs_guardian_gets_what_remains(client, world):
    ours = world.ours
    born = ours.mentee.birth_date
    people_depersonalise(ours.mentee, by=None)

    client.force_login(ours.mentee_user)
    assert client.get(_url("own_data", ours)).status_code == 404  # the account is unlinked

    client.force_login(ours.guardian_user)
    sheets = _sheets(client.get(_url("child_data", ours), {"child": ours.mentee.pk}))

    assert _field(sheets, "Last name") == "Обезличено"
    assert _field(sheets, "Phone") in (None, "")
    assert _field(sheets, "Birth date").date() == born.replace(month=1, day=1)
    assert "+7 900 111-22-33" not in str(sheets)
    assert len(sheets["Пары и группы"]) == 2 and len(sheets["Измерения"]) == 3


def test_text_that_xml_cannot_hold_is_dropped_not_a_server_error(client, world):
    ours = world.ours
    ours.mentee.notes = "Звонить\x07 после\x1b уроков"
    ours.mentee.save(update_fields=["notes"])
    client.force_login(ours.mentee_user)

    sheets = _sheets(client.get(_url("own_data", ours)))

    assert _field(sheets, "Notes") == "Звонить после уроков"


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")
def test_a_guardian_downloads_the_same_as_a_pdf(client, world):
    ours = world.ours
    client.force_login(ours.guardian_user)

    response = client.get(_url("child_data", ours), {"child": ours.mentee.pk, "format": "pdf"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"].endswith('.pdf"')
    entry = AuditEntry.objects.get(action=AuditAction.ACCESS_EXPORT)
    assert entry.person == ours.mentee and entry.changes == {"format": [None, "pdf"]}


def test_the_pdf_document_holds_every_area(world):
    document = Document(
        io.BytesIO(
            sheets_docx(
                "Сведения",
                person_data(world.ours.mentee, org_today(world.ours.mentee.organisation)),
            )
        )
    )
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[1:] == SECTIONS
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert {"Стесняется отвечать у доски", "Повысить успеваемость по математике"} <= cells
    assert "Секрет анонимного ответа" not in cells and INPUT_AUTHOR not in cells


def test_without_libreoffice_the_pdf_is_refused_with_a_clear_message(
    client, world, settings, tmp_path
):
    settings.SOFFICE_PATH = str(tmp_path / "no-soffice")
    ours = world.ours
    client.force_login(ours.mentee_user)

    response = client.get(_url("own_data", ours), {"format": "pdf"}, follow=True)

    assert response.redirect_chain[-1][0] == _url("mentee", ours)
    assert gettext("PDF cannot be made on this server; download the XLSX instead.") in (
        response.content.decode()
    )
    assert not AuditEntry.objects.filter(action=AuditAction.ACCESS_EXPORT).exists()


def test_a_child_of_age_is_no_longer_downloaded_by_the_parent(client, world):
    ours = world.ours
    today = org_today(ours.mentee.organisation)
    ours.mentee.birth_date = today - timedelta(days=19 * 366)
    ours.mentee.save(update_fields=["birth_date"])
    client.force_login(ours.guardian_user)

    response = client.get(_url("child_data", ours), {"child": ours.mentee.pk})
    page = client.get(_url("guardian", ours)).content.decode()

    assert response.status_code == 404
    assert f"?child={ours.mentee.pk}" not in page
    assert not AuditEntry.objects.filter(action=AuditAction.ACCESS_EXPORT).exists()
    client.force_login(ours.mentee_user)
    assert client.get(_url("own_data", ours)).status_code == 200


def test_a_replaced_mentor_keeps_the_pair_and_the_meetings_they_led(client, world):
    ours = world.ours
    today = org_today(ours.mentorship.organisation)
    successor = matching_data.mentor(ours.mentorship.programme)
    MentorAssignment.objects.filter(mentorship=ours.mentorship).update(
        released_on=today - timedelta(days=6)
    )
    MentorAssignment.objects.create(
        organisation=ours.mentorship.organisation,
        mentorship=ours.mentorship,
        mentor=successor,
        assigned_on=today - timedelta(days=5),
        ground=MentorAssignment.Ground.REQUEST,
    )
    Mentorship.objects.filter(pk=ours.mentorship.pk).update(mentor=successor)
    client.force_login(ours.mentor_user)

    sheets = _sheets(client.get(_url("own_data", ours)))

    (pair,) = sheets["Пары и группы"][1:]
    assert pair[3] == "Наставник"
    started = ours.mentorship.started_on.strftime("%d.%m.%Y")
    ended = (today - timedelta(days=6)).strftime("%d.%m.%Y")
    assert pair[10] == f"с {started} по {ended}"
    meetings = sheets["Встречи"][1:]
    assert len(meetings) == 1 and meetings[0][1] == "Первая, организационная"


def test_concerns_raised_for_the_child_are_theirs_and_concerns_about_the_mentor_are_not(
    client, world
):
    ours = world.ours
    Concern.objects.create(
        organisation=ours.mentorship.organisation,
        reporter=ours.guardian,
        reporter_kind=ReporterKind.GUARDIAN,
        child=ours.mentee,
        mentorship=ours.mentorship,
        about=ours.mentor,
        topic=Topic.REPLACEMENT,
        text="Просим другого наставника",
        answer="Подберём замену до конца месяца",
        note="Внутренняя заметка куратора",
    )

    client.force_login(ours.guardian_user)
    child = _sheets(client.get(_url("child_data", ours), {"child": ours.mentee.pk}))
    raised = child[gettext("Concerns raised")]
    assert raised[1][1:] == [
        Topic.REPLACEMENT.label,
        Concern._meta.get_field("status").choices[0][1],
        "Просим другого наставника",
        "Подберём замену до конца месяца",
    ]
    assert "Внутренняя заметка куратора" not in _cells(raised)

    client.force_login(ours.mentor_user)
    mentor = _sheets(client.get(_url("own_data", ours)))
    assert "Просим другого наставника" not in str(mentor)
