"""Results per question, the XLSX of raw answers (formula-safe; anonymous without names) and
the printable questionnaire and slips."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from nastavnik.documents.render import docx_text
from nastavnik.questionnaires import campaigns
from nastavnik.questionnaires.documents import questionnaire_docx, slips_docx
from nastavnik.questionnaires.exports import answers_xlsx
from nastavnik.questionnaires.models import Channel, Questionnaire
from nastavnik.questionnaires.responses import response_submit
from nastavnik.questionnaires.results import campaign_results
from nastavnik.questionnaires.tests import data

pytestmark = pytest.mark.django_db


def raw(**overrides):
    values = {code: list(v) for code, v in data.GOOD_ANSWERS.items()}
    values.update({k: v if isinstance(v, list) else [v] for k, v in overrides.items()})
    return values


@pytest.fixture
def answered(tenant_a):
    """Three answers: moods 8, 6 and 10; one formula-like text; a ranking of two mentors."""
    org = tenant_a.organisation
    questionnaire = data.questionnaire(org)
    data.ranking_question(questionnaire, pool="staff")
    mentor_a = data.staff(org, last_name="Орлова", first_name="Елена", middle_name="")
    mentor_b = data.staff(org, last_name="Смирнов", first_name="Олег", middle_name="")
    people = [data.student(org, last_name=f"Ученик{n}", first_name="Иван") for n in range(3)]
    campaign = data.send(data.programme_of(org), questionnaire)
    invitations = {i.person_id: i for i in campaign.invitations.all()}
    given = [
        raw(
            mood="8",
            topic="subject",
            about='=HYPERLINK("http://evil")',
            prefer=[str(mentor_a.pk), str(mentor_b.pk)],
        ),
        raw(mood="6", topic="career", slots=["пн-вечер", "ср-вечер"], prefer=[str(mentor_a.pk)]),
        raw(mood="10", topic="other", topic_other="Шахматы", mark="", prefer=[str(mentor_b.pk)]),
    ]
    for person, values in zip(people, given, strict=True):
        response_submit(invitations[person.pk], values, channel=Channel.LINK)
    return {"campaign": campaign, "people": people, "mentors": (mentor_a, mentor_b)}


def by_code(results):
    return {r.question.code: r for r in results}


def test_results_count_average_and_distribute(answered, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        results = by_code(campaign_results(answered["campaign"]))

    mood = results["mood"]
    assert (mood.count, mood.mean) == (3, Decimal("8.00"))
    assert [(s.label, s.count) for s in mood.shares if s.count] == [("6", 1), ("8", 1), ("10", 1)]
    topic = results["topic"]
    assert [(s.label, s.count, s.percent) for s in topic.shares] == [
        ("Учёба", 1, 33),
        ("Профессия", 1, 33),
        ("Другое", 1, 33),
    ]
    slots = results["slots"]
    assert [(s.label, s.count) for s in slots.shares] == [
        ("Понедельник, вечер", 3),
        ("Среда, вечер", 1),
    ]
    assert results["mark"].mean == Decimal("4.50") and results["mark"].count == 2
    assert results["topic_other"].texts == ["Шахматы"]
    assert len(results["about"].texts) == 3
    mentor_a, mentor_b = answered["mentors"]
    assert [(r.name, r.mentions, r.mean_place) for r in results["prefer"].ranked] == [
        (mentor_a.full_name, 2, Decimal("1.0")),
        (mentor_b.full_name, 2, Decimal("1.5")),
    ]


def test_the_export_has_a_row_per_response_and_a_column_per_question(answered):
    workbook = load_workbook(io.BytesIO(answers_xlsx(answered["campaign"])))
    rows = list(workbook.active.iter_rows(values_only=True))

    header = rows[0]
    assert header[:5] == ("№", "ФИО", "Класс", "Дата ответа", "Как получен ответ")
    assert header[5] == "1. С чем нужна помощь?"
    assert len(rows) == 4
    first = dict(zip(header, rows[1], strict=True))
    assert first["ФИО"] == answered["people"][0].full_name
    assert first["1. С чем нужна помощь?"] == "Учёба"
    mentor_a, mentor_b = answered["mentors"]
    assert first["8. Кого бы вы выбрали?"] == f"1. {mentor_a.full_name}; 2. {mentor_b.full_name}"
    # A formula typed as an answer stays text: opening the file runs nothing.
    cell = next(c for c in workbook.active[2] if c.value and str(c.value).startswith("=HYPER"))
    assert cell.data_type == "s" and cell.quotePrefix


def test_an_anonymous_export_has_no_names(tenant_a):
    org = tenant_a.organisation
    people = [data.student(org, last_name=f"Скрытная{n}") for n in range(5)]
    campaign = data.send(data.programme_of(org), data.questionnaire(org), anonymous=True)
    for person in people:
        response_submit(campaign.invitations.get(person=person), raw(), channel=Channel.CODE)

    workbook = load_workbook(io.BytesIO(answers_xlsx(campaign)))
    rows = list(workbook.active.iter_rows(values_only=True))

    assert "ФИО" not in rows[0] and "Дата ответа" not in rows[0]
    assert not any("Скрытная" in str(value) for row in rows for value in row)
    assert len(rows) == 6


def test_the_printable_questionnaire_has_every_question_and_its_condition(tenant_a):
    questionnaire = Questionnaire.objects.get(organisation=None, code="mentee-application")

    text = docx_text(questionnaire_docx(questionnaire, tenant_a.organisation))

    assert questionnaire.title.upper() in text
    assert "Ваш запрос" in text
    for question in questionnaire.questions.all():
        assert question.text in text
    assert "☐ Помощь с учебным предметом" in text
    assert "Ответьте, если в вопросе 6 выбрали «Другое»." in text


def test_slips_carry_the_name_class_code_address_and_a_qr_code(tenant_a):
    org = tenant_a.organisation
    data.student(org, last_name="Петрова", first_name="Мария", middle_name="Ивановна")
    campaign = data.send(
        data.programme_of(org),
        data.questionnaire(org, title="Анкета наставляемого"),
        deadline=data.today(org) + timedelta(days=3),
    )
    slips = []

    content = campaigns.slips_print(
        campaign,
        lambda c, s: slips.extend(s) or slips_docx(c, s),
        by=None,
        base_url="https://school.example/",
    )

    text = docx_text(content)
    assert "Петрова Мария Ивановна, 7Б класс" in text
    assert slips[0].code in text
    assert "https://school.example/q/" in text
    assert "Анкета «Анкета наставляемого»" in text
    images = Document(io.BytesIO(content)).inline_shapes
    assert len(images) == 1
