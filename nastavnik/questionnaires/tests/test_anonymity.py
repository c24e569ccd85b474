"""Anonymity by construction: an anonymous campaign's pages, exports and audit log never link an
answer to a person; below the minimum nothing of the answers is shown at all, and free text
comes in an order the order of the answers cannot steer."""

import io
import json

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from nastavnik.audit.models import AuditEntry
from nastavnik.core.tests.pages import school_a_url
from nastavnik.documents.render import docx_text
from nastavnik.orgs.models import Role
from nastavnik.questionnaires import anonymity
from nastavnik.questionnaires.anonymity import ResultsWithheld
from nastavnik.questionnaires.exports import answers_xlsx
from nastavnik.questionnaires.results import campaign_results
from nastavnik.questionnaires.tests import data

pytestmark = pytest.mark.django_db

SURNAMES = ["Зарецкая", "Кольцов", "Лебедянская", "Муравьёв", "Нестерова", "Огородников"]
# What each of the first five says in their own words, in the order they answer.
TEXTS = [
    "Хочу разобраться с дробями",
    "Мне нравится ходить в кружок",
    "Боюсь выступать перед классом",
    "Пусть занятия будут по средам",
    "Всё хорошо, спасибо",
]
# Only the fourth chooses «Другое» and explains: one answer to that question.
LONE_TEXT = "Шахматы по выходным"


url = school_a_url("questionnaires")


def answers_of(number: int) -> dict[str, list[str]]:
    raw = {code: list(v) for code, v in data.GOOD_ANSWERS.items()}
    raw["about"] = [TEXTS[number]]
    raw["mood"] = [str(5 + number)]
    if number == 3:
        raw["topic"], raw["topic_other"] = ["other"], [LONE_TEXT]
    return raw


def answer_by_link(campaign, person, raw) -> None:
    """The respondent's own door: the personal link, opened without an account."""
    token = data.link_token(campaign.invitations.get(person=person))
    page = Client().post(reverse("respond:link", kwargs={"token": token}), data.post_of(raw))
    assert page.status_code == 302 and page["Location"] == reverse("respond:thanks")


@pytest.fixture
def survey(tenant_a):
    org = tenant_a.organisation
    people = [
        data.student(org, last_name=surname, first_name="Ирина", email=f"p{n}@example.ru")
        for n, surname in enumerate(SURNAMES)
    ]
    campaign = data.send(data.programme_of(org), data.questionnaire(org), anonymous=True)
    return {"org": org, "people": people, "campaign": campaign}


def content_of(page) -> str:
    """What a page or a download shows, as text (a download's body is read once, then kept)."""
    if not hasattr(page, "shown_text"):
        page.shown_text = _text_of(page)
    return page.shown_text


def _text_of(page) -> str:
    kind = page.get("Content-Type", "")
    body = b"".join(page.streaming_content) if page.streaming else page.content
    if "spreadsheetml" in kind:
        sheet = load_workbook(io.BytesIO(body)).active
        return "\n".join(
            " | ".join("" if v is None else str(v) for v in row)
            for row in sheet.iter_rows(values_only=True)
        )
    if "wordprocessingml" in kind:
        return docx_text(body)
    if "pdf" in kind:
        return ""  # the blank questionnaire: checked as DOCX, it holds no answer
    return body.decode()


def walk(client, campaign) -> dict[str, object]:
    """Every page and export of the campaign a member of the organisation can open."""
    names = {
        "campaigns": url("campaigns"),
        "detail": url("campaign_detail", campaign_pk=campaign.pk),
        "progress": url("campaign_progress", campaign_pk=campaign.pk),
        "results": url("campaign_results", campaign_pk=campaign.pk),
        "export": url("campaign_export", campaign_pk=campaign.pk),
        "questionnaire_docx": url("campaign_docx", campaign_pk=campaign.pk),
        "questionnaire_pdf": url("campaign_pdf", campaign_pk=campaign.pk),
        "enter": url("campaign_enter", campaign_pk=campaign.pk),
    }
    return {name: client.get(address) for name, address in names.items()}


def assert_no_respondent(pages, people) -> None:
    for name, page in pages.items():
        shown = content_of(page)
        for person in people:
            assert person.last_name not in shown, (name, person.last_name)


def answered(survey, count):
    """The survey's campaign and people, the first `count` of whom have answered by link."""
    campaign, people = survey["campaign"], survey["people"]
    for number in range(count):
        answer_by_link(campaign, people[number], answers_of(number))
    return campaign, people


def assert_no_answers(pages) -> None:
    for name, page in pages.items():
        shown = content_of(page)
        for text in [*TEXTS, LONE_TEXT]:
            assert text not in shown, (name, text)


@pytest.mark.parametrize("role", [Role.CURATOR, Role.DIRECTOR])
def test_with_three_answers_nobody_is_named_and_nothing_of_the_answers_is_shown(
    client, tenant_a, survey, role
):
    campaign, people = answered(survey, 3)
    client.force_login(tenant_a.user(role))

    pages = walk(client, campaign)

    assert pages["results"].status_code == 200
    assert_no_respondent(pages, people)
    assert_no_answers(pages)
    assert pages["results"].context["results"] == []
    results = pages["results"].content.decode()
    assert "Ответы пока не показываются: ответили 3, нужно ещё 2 ответа." in results
    assert "не меньше 5 человек" in results
    detail = pages["detail"].content.decode()
    assert "Приглашено: 6; ответили: 3; ещё не ответили: 3." in detail
    # No per-person mark of any kind: not «ответил(а)», not «ждём», not «напомнили».
    assert "ответил(а)" not in detail and "внести с бумаги" not in detail
    assert "напомнили" not in detail and "код напечатан" not in detail
    assert "Ответы (XLSX)" not in detail
    # The export asked for directly is refused with the reason, and nothing is downloaded.
    export = pages["export"]
    assert export.status_code == 302 and export["Location"] == url(
        "campaign_results", campaign_pk=campaign.pk
    )
    assert [str(m) for m in get_messages(export.wsgi_request)] == [
        "Анкетирование анонимное: ответы показываются, когда ответят не меньше 5 человек, "
        "чтобы ничьи ответы нельзя было узнать. Пока ответили: 3; нужно ещё 2 ответа."
    ]
    # One response on its own is one person's answers: no page shows it.
    for response in campaign.responses.all():
        assert client.get(url("response_detail", response_pk=response.pk)).status_code == 404


def test_below_the_minimum_the_functions_themselves_refuse(survey):
    campaign, _people = answered(survey, 3)

    with pytest.raises(ResultsWithheld) as results:
        campaign_results(campaign)
    with pytest.raises(ResultsWithheld) as export:
        answers_xlsx(campaign)

    assert (results.value.withheld.answered, results.value.withheld.needed) == (3, 2)
    assert export.value.withheld.minimum == 5


def test_paper_forms_typed_in_by_the_staff_cannot_single_out_an_online_answer(
    client, tenant_a, survey
):
    """Four forms typed in and one answer online: the one who typed would know the fifth."""
    campaign, people = survey["campaign"], survey["people"]
    answer_by_link(campaign, people[0], answers_of(0))
    client.force_login(tenant_a.user(Role.CURATOR))
    for number in range(1, 5):
        typed = client.post(
            url("campaign_enter", campaign_pk=campaign.pk), data.post_of(answers_of(number))
        )
        assert typed.status_code == 302

    pages = walk(client, campaign)

    assert campaign.responses.count() == 5
    assert pages["results"].context["results"] == []
    assert TEXTS[0] not in pages["results"].content.decode()
    assert "онлайн дано только 1" in pages["results"].content.decode()
    assert pages["export"].status_code == 302
    with pytest.raises(ResultsWithheld):
        answers_xlsx(campaign)
    # Once enough answered online, everything shows.
    for number in range(1, 5):
        answer_by_link(campaign, people[number], answers_of(number))
    assert len(client.get(url("campaign_results", campaign_pk=campaign.pk)).context["results"])


def test_a_role_without_access_to_surveys_opens_nothing_of_the_campaign(client, tenant_a, survey):
    campaign, _people = answered(survey, 5)
    for role in (Role.SPECIALIST, Role.MENTOR, Role.MENTEE, Role.GUARDIAN):
        client.force_login(tenant_a.user(role))
        for name, page in walk(client, campaign).items():
            assert page.status_code in (403, 404), (role, name)


@pytest.mark.parametrize("role", [Role.CURATOR, Role.DIRECTOR])
def test_with_enough_answers_results_appear_without_names_and_texts_unlinked(
    client, tenant_a, survey, role
):
    campaign, people = answered(survey, 5)
    client.force_login(tenant_a.user(role))

    pages = walk(client, campaign)

    assert_no_respondent(pages, people)
    results = {r.question.code: r for r in pages["results"].context["results"]}
    assert results["mood"].count == 5 and results["mood"].mean is not None
    shown = results["about"].texts
    assert sorted(shown) == sorted(TEXTS)
    # Not in the order they came: in an order fixed by the texts alone.
    assert shown != TEXTS
    assert shown == anonymity.unlinked(TEXTS)
    # The question one person answered shows its count, never what was said.
    assert results["topic_other"].withheld and results["topic_other"].texts == []
    page = pages["results"].content.decode()
    assert LONE_TEXT not in page and "На этот вопрос ответили меньше 5 человек" in page
    assert all(text in page for text in TEXTS)
    export = content_of(pages["export"])
    assert all(text in export for text in TEXTS)
    assert "ФИО" not in export and "Дата ответа" not in export


def test_the_order_of_texts_and_rows_does_not_follow_the_order_of_answers(tenant_a, survey):
    org, people = survey["org"], survey["people"]
    first = survey["campaign"]
    second = data.send(data.programme_of(org), first.questionnaire, anonymous=True)
    for number in range(5):
        answer_by_link(first, people[number], answers_of(number))
    # The same answers, given by other people in the reverse order.
    for number in reversed(range(5)):
        answer_by_link(second, people[4 - number], answers_of(number))

    def texts(campaign):
        return next(r for r in campaign_results(campaign) if r.question.code == "about").texts

    def rows(campaign):
        sheet = load_workbook(io.BytesIO(answers_xlsx(campaign))).active
        return list(sheet.iter_rows(values_only=True))

    assert texts(first) == texts(second)
    assert rows(first) == rows(second)


def test_reminders_reach_exactly_those_who_have_not_answered(
    client, tenant_a, survey, django_capture_on_commit_callbacks
):
    campaign, people = answered(survey, 3)
    client.force_login(tenant_a.user(Role.CURATOR))

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url("campaign_remind", campaign_pk=campaign.pk))

    assert page.status_code == 302
    assert sorted(to for letter in mail.outbox for to in letter.to) == sorted(
        person.email for person in people[3:]
    )
    # The curator is told how many, not whom.
    assert [str(m) for m in get_messages(page.wsgi_request)] == [
        "Напоминания отправлены 3 адресатам."
    ]
    assert all(ANONYMOUS_LETTER in letter.body for letter in mail.outbox)


def test_slips_of_an_anonymous_campaign_go_to_everyone_invited(client, tenant_a, survey):
    """A printed list of those still waiting would name who has answered."""
    campaign, people = answered(survey, 3)
    client.force_login(tenant_a.user(Role.CURATOR))

    download = client.post(url("campaign_slips_docx", campaign_pk=campaign.pk))

    assert download.status_code == 200
    text = content_of(download)
    assert all(person.last_name in text for person in people)


def test_the_audit_log_links_no_answer_to_a_person(client, tenant_a, survey):
    campaign, people = survey["campaign"], survey["people"]
    before = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    client.force_login(tenant_a.user(Role.CURATOR))
    for number in range(5):
        answer_by_link(campaign, people[number], answers_of(number))
    client.post(url("campaign_enter", campaign_pk=campaign.pk), data.post_of(answers_of(0)))
    walk(client, campaign)
    client.post(url("campaign_slips_docx", campaign_pk=campaign.pk))

    since = AuditEntry.objects.filter(pk__gt=before)
    invited = {p.pk for p in people}
    for entry in since:
        assert entry.person_id not in invited and entry.related_person_id not in invited
        written = f"{entry.object_label} {json.dumps(entry.changes, ensure_ascii=False)}"
        assert not any(p.last_name in written for p in people), written
    # And the log as the director reads it names nobody next to an answer.
    client.force_login(tenant_a.user(Role.DIRECTOR))
    log = client.get(reverse("audit:log", kwargs={"org_slug": "school-a"})).content.decode()
    for text in [*TEXTS, LONE_TEXT]:
        assert text not in log


@pytest.mark.parametrize(
    ("configured", "expected"), [(None, 5), (1, 3), (3, 3), (8, 8), ("много", 5)]
)
def test_the_minimum_is_configurable_but_never_below_three(configured, expected):
    if configured is None:
        assert anonymity.minimum() == expected
        return
    with override_settings(QUESTIONNAIRE_ANONYMITY_MIN=configured):
        assert anonymity.minimum() == expected


@override_settings(QUESTIONNAIRE_ANONYMITY_MIN=1)
def test_a_minimum_set_too_low_still_withholds_two_answers(client, tenant_a, survey):
    campaign, people = answered(survey, 2)
    client.force_login(tenant_a.user(Role.CURATOR))

    page = client.get(url("campaign_results", campaign_pk=campaign.pk))

    assert page.context["results"] == []
    assert "нужен ещё 1 ответ" in page.content.decode()
    answer_by_link(campaign, people[2], answers_of(2))
    assert client.get(url("campaign_results", campaign_pk=campaign.pk)).context["results"]


def test_the_paper_form_of_an_anonymous_campaign_asks_for_no_name(client, tenant_a, survey):
    org = survey["org"]
    named = data.send(data.programme_of(org), data.questionnaire(org))
    client.force_login(tenant_a.user(Role.CURATOR))

    anonymous_form = content_of(client.get(url("campaign_docx", campaign_pk=survey["campaign"].pk)))
    named_form = content_of(client.get(url("campaign_docx", campaign_pk=named.pk)))

    assert "ФИО" not in anonymous_form and "Анкета анонимная: не подписывайте её." in anonymous_form
    assert "ФИО" in named_form and "Анкета анонимная" not in named_form


ANONYMOUS_LETTER = "Анкета анонимная: ваши ответы сохраняются без имени. Школа видит только"


def test_the_invitation_letter_says_the_questionnaire_is_anonymous(
    tenant_a, survey, django_capture_on_commit_callbacks
):
    org = survey["org"]
    with django_capture_on_commit_callbacks(execute=True):
        data.send(data.programme_of(org), data.questionnaire(org), anonymous=True, send_mail=True)
        data.send(data.programme_of(org), data.questionnaire(org), send_mail=True)

    anonymous, named = mail.outbox[:6], mail.outbox[6:]
    assert len(anonymous) == len(named) == 6
    assert all(ANONYMOUS_LETTER in letter.body for letter in anonymous)
    assert not any(ANONYMOUS_LETTER in letter.body for letter in named)


def test_the_respondent_is_told_what_anonymity_means(survey):
    campaign, person = survey["campaign"], survey["people"][0]
    token = data.link_token(campaign.invitations.get(person=person))

    page = Client().get(reverse("respond:link", kwargs={"token": token})).content.decode()

    assert person.last_name not in page
    assert "Школа видит, сколько человек ответили, но не кто." in page
    assert "не ответят не меньше 5 человек" in page
    assert "не пишите своё имя" in page
