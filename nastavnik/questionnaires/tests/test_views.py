"""The organisation's questionnaire pages through the browser's door: who may do what, the
curator's walk (copy, edit, send, follow, remind, print, type in, read results), bad input
shown next to the field, constant query counts."""

from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from nastavnik.core.tests.pages import messages_after, school_a_url
from nastavnik.documents.render import docx_text, find_soffice
from nastavnik.orgs.models import Role
from nastavnik.questionnaires import services
from nastavnik.questionnaires.campaigns import MESSAGES as CAMPAIGN_MESSAGES
from nastavnik.questionnaires.models import Campaign, Channel, Questionnaire, Response
from nastavnik.questionnaires.responses import response_submit
from nastavnik.questionnaires.services import MESSAGES
from nastavnik.questionnaires.tests import data
from nastavnik.questionnaires.views import NEW_VERSION, PDF_UNAVAILABLE
from tests.test_isolation import database_snapshot

pytestmark = pytest.mark.django_db


url = school_a_url("questionnaires")


def login(client, tenant, role=Role.CURATOR):
    client.force_login(tenant.user(role))
    return client


def answer_well_by_link(invitation):
    """The invited person answers every question well, by their link."""
    response_submit(
        invitation, {k: list(v) for k, v in data.GOOD_ANSWERS.items()}, channel=Channel.LINK
    )


@pytest.fixture
def campaign(tenant_a):
    org = tenant_a.organisation
    data.student(org, last_name="Андреева", first_name="Анна")
    data.student(org, last_name="Борисов", first_name="Борис")
    data.student(org, last_name="Васильев", consented=False)
    return data.send(data.programme_of(org), data.questionnaire(org))


# --- Who may do what --------------------------------------------------------------------------


def test_three_people_at_the_list_of_questionnaires(client, tenant_a, tenant_b):
    own = data.questionnaire(tenant_a.organisation, title="Наша анкета")

    page = login(client, tenant_a).get(url("list"))
    assert page.status_code == 200
    assert [q.title for q in page.context["own"]] == ["Наша анкета"]
    assert len(page.context["builtin"]) == 8

    assert login(client, tenant_a, Role.MENTOR).get(url("list")).status_code == 403
    outsider = login(client, tenant_b)
    assert outsider.get(url("detail", questionnaire_pk=own.pk)).status_code == 404
    other_own = reverse(
        "questionnaires:detail", kwargs={"org_slug": "school-b", "questionnaire_pk": own.pk}
    )
    assert outsider.get(other_own).status_code == 404


def test_a_member_without_the_right_cannot_send_or_edit(client, tenant_a, campaign):
    login(client, tenant_a, Role.SPECIALIST)
    before = database_snapshot()

    assert client.post(url("campaign_close", campaign_pk=campaign.pk)).status_code == 403
    assert client.get(url("campaign_create")).status_code == 403
    assert client.post(url("copy", questionnaire_pk=campaign.questionnaire_id)).status_code == 403
    assert database_snapshot() == before


# --- Query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_of_questionnaires_does_not_grow_in_queries(
    client, tenant_a, django_assert_max_num_queries, rows
):
    for n in range(rows):
        data.questionnaire(tenant_a.organisation, title=f"Анкета {n}")
    login(client, tenant_a)
    with django_assert_max_num_queries(8):
        assert client.get(url("list")).status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_of_campaigns_does_not_grow_in_queries(
    client, tenant_a, django_assert_max_num_queries, rows
):
    org = tenant_a.organisation
    data.student(org)
    questionnaire = data.questionnaire(org)
    programme = data.programme_of(org)
    for _ in range(rows):
        data.send(programme, questionnaire)
    login(client, tenant_a)
    with django_assert_max_num_queries(9):
        page = client.get(url("campaigns"))
    assert len(page.context["campaigns"]) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_a_campaign_page_does_not_grow_in_queries(
    client, tenant_a, django_assert_max_num_queries, rows
):
    org = tenant_a.organisation
    people = [data.student(org) for _ in range(rows)]
    data.student(org, consented=False)
    campaign = data.send(data.programme_of(org), data.questionnaire(org))
    answer_well_by_link(campaign.invitations.get(person=people[0]))
    login(client, tenant_a)
    with django_assert_max_num_queries(12):
        page = client.get(url("campaign_detail", campaign_pk=campaign.pk))
    assert len(page.context["invitations"]) == rows
    assert len(page.context["left_out"]) == 1


# --- Editing ----------------------------------------------------------------------------------


def test_the_curator_copies_a_built_in_and_adds_a_question(client, tenant_a):
    login(client, tenant_a)
    builtin = Questionnaire.objects.get(organisation=None, code="mentor-application")

    copied = client.post(url("copy", questionnaire_pk=builtin.pk))
    copy = Questionnaire.objects.get(organisation=tenant_a.organisation)
    assert copied["Location"] == url("detail", questionnaire_pk=copy.pk)

    section = copy.sections.order_by("position").first()
    form = client.get(url("question_create", questionnaire_pk=copy.pk) + f"?section={section.pk}")
    assert form.status_code == 200
    added = client.post(
        url("question_create", questionnaire_pk=copy.pk),
        {
            "section": section.pk,
            "type": "single",
            "text": "Ваш любимый формат занятий?",
            "required": "on",
            "choices": "lecture | Лекция\npractice | Практикум",
            "show_if": ["mentored_before::yes"],
        },
    )
    assert added.status_code == 302
    question = copy.questions.get(text="Ваш любимый формат занятий?")
    assert question.choices == [["lecture", "Лекция"], ["practice", "Практикум"]]
    assert (question.show_if_code, question.show_if_values) == ("mentored_before", ["yes"])


def test_a_built_in_cannot_be_edited_through_the_pages(client, tenant_a):
    login(client, tenant_a)
    builtin = Questionnaire.objects.get(organisation=None, code="assessment")
    before = database_snapshot()

    page = client.post(url("edit", questionnaire_pk=builtin.pk), {"title": "Моя", "kind": "other"})

    assert page.status_code == 302
    assert messages_after(page) == [gettext(MESSAGES["builtin"])]
    assert (
        client.get(url("question_edit", question_pk=builtin.questions.first().pk)).status_code
        == 404
    )
    assert database_snapshot() == before


def test_an_unknown_feed_is_shown_next_to_the_field(client, tenant_a):
    login(client, tenant_a)
    questionnaire = data.questionnaire(tenant_a.organisation)
    question = questionnaire.questions.get(code="about")
    before = database_snapshot()

    page = client.post(
        url("question_edit", question_pk=question.pk),
        {**_question_post(question), "feed": "mentor.superpowers"},
    )

    assert page.status_code == 200
    assert page.context["form"].errors["feed"] == [
        gettext(MESSAGES["feed"]) % {"key": "mentor.superpowers"}
    ]
    assert database_snapshot() == before


def _question_post(question):
    return {
        "section": question.section_id,
        "type": question.type,
        "text": question.text,
        "required": "on" if question.required else "",
        "choices": services.choices_text(question.choices),
    }


def test_editing_a_used_version_through_the_page_says_a_new_version_is_made(
    client, tenant_a, campaign
):
    login(client, tenant_a)
    question = campaign.questionnaire.questions.get(code="about")

    page = client.post(
        url("question_edit", question_pk=question.pk),
        {**_question_post(question), "text": "Расскажите о себе"},
    )

    newer = Questionnaire.objects.get(previous=campaign.questionnaire)
    assert page["Location"].startswith(url("detail", questionnaire_pk=newer.pk))
    assert messages_after(page) == [str(NEW_VERSION) % {"old": 1, "new": 2}]
    assert newer.questions.get(code="about").text == "Расскажите о себе"
    question.refresh_from_db()
    assert question.text != "Расскажите о себе"
    old_page = client.get(url("detail", questionnaire_pk=campaign.questionnaire_id))
    assert old_page.context["newer"] == newer and not old_page.context["can_edit"]


def test_moving_a_question_through_the_page(client, tenant_a):
    login(client, tenant_a)
    questionnaire = data.questionnaire(tenant_a.organisation)
    about = questionnaire.questions.get(code="about")

    client.post(url("question_move", question_pk=about.pk), {"direction": "up"})

    codes = list(
        questionnaire.questions.filter(section=about.section)
        .order_by("position")
        .values_list("code", flat=True)
    )
    assert codes == ["topic", "topic_other", "about", "slots"]


# --- Campaigns --------------------------------------------------------------------------------


def test_the_curator_sends_a_questionnaire_to_a_class(client, tenant_a):
    org = tenant_a.organisation
    data.programme_of(org)
    anna = data.student(org, last_name="Андреева")
    data.student(org, consented=False)
    questionnaire = data.questionnaire(org)
    login(client, tenant_a)

    form = client.get(url("campaign_create") + f"?questionnaire={questionnaire.pk}")
    assert form.context["form"].initial["questionnaire"] == questionnaire.pk
    assert ("7Б", "7Б") in form.context["form"].fields["class_name"].choices
    sent = client.post(
        url("campaign_create"),
        {
            "questionnaire": questionnaire.pk,
            "title": "Анкета 7Б",
            "audience": "class",
            "class_name": "7Б",
            "deadline": (data.today(org) + timedelta(days=10)).isoformat(),
        },
    )

    campaign = Campaign.objects.get()
    assert sent["Location"] == url("campaign_detail", campaign_pk=campaign.pk)
    assert [i.person for i in campaign.invitations.all()] == [anna]
    page = client.get(sent["Location"])
    assert [p.pk for p in page.context["left_out"]] == campaign.left_out


def test_a_deadline_in_the_past_is_shown_on_the_form(client, tenant_a):
    org = tenant_a.organisation
    data.programme_of(org)
    data.student(org)
    questionnaire = data.questionnaire(org)
    login(client, tenant_a)
    before = database_snapshot()

    page = client.post(
        url("campaign_create"),
        {
            "questionnaire": questionnaire.pk,
            "audience": "class",
            "class_name": "7Б",
            "deadline": (data.today(org) - timedelta(days=1)).isoformat(),
        },
    )

    assert page.status_code == 200
    assert page.context["form"].errors["deadline"] == [gettext(CAMPAIGN_MESSAGES["deadline_past"])]
    assert database_snapshot() == before


def test_progress_is_a_fragment_the_page_polls(client, tenant_a, campaign):
    login(client, tenant_a)
    answer_well_by_link(campaign.invitations.first())

    page = client.get(url("campaign_detail", campaign_pk=campaign.pk))
    fragment = client.get(url("campaign_progress", campaign_pk=campaign.pk), HTTP_HX_REQUEST="true")

    assert (
        page.context["progress"]
        == fragment.context["progress"]
        == {
            "total": 2,
            "answered": 1,
            "percent": 50,
            "open": True,
        }
    )
    assert 'hx-trigger="every 10s"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()


def test_closing_stops_polling_and_answers(client, tenant_a, campaign):
    login(client, tenant_a)

    client.post(url("campaign_close", campaign_pk=campaign.pk))

    campaign.refresh_from_db()
    assert campaign.closed_at is not None
    fragment = client.get(url("campaign_progress", campaign_pk=campaign.pk))
    assert "hx-get" not in fragment.content.decode()


def test_slips_are_printed_by_a_post_and_name_everyone_waiting(client, tenant_a, campaign):
    login(client, tenant_a)
    assert client.get(url("campaign_slips_docx", campaign_pk=campaign.pk)).status_code == 405

    download = client.post(url("campaign_slips_docx", campaign_pk=campaign.pk))

    assert download.status_code == 200
    assert "wordprocessingml" in download["Content-Type"]
    assert unquote(download["Content-Disposition"]).endswith(".docx")
    text = docx_text(b"".join(download.streaming_content))
    assert "Андреева Анна" in text and "Борисов Борис" in text
    assert campaign.invitations.filter(code_hash__isnull=True).count() == 0


@pytest.mark.skipif(find_soffice() is not None, reason="LibreOffice makes the PDF here")
def test_without_libreoffice_the_pdf_slips_change_no_code(client, tenant_a, campaign):
    login(client, tenant_a)
    before = database_snapshot()

    page = client.post(url("campaign_slips_pdf", campaign_pk=campaign.pk))

    assert page.status_code == 302
    assert messages_after(page) == [str(PDF_UNAVAILABLE)]
    assert database_snapshot() == before


def test_the_curator_types_in_paper_answers_for_an_invitation(client, tenant_a, campaign):
    login(client, tenant_a)
    invitation = campaign.invitations.get(person__last_name="Андреева")
    # Paper answers come in after the deadline too, until the campaign is closed.
    Campaign.objects.filter(pk=campaign.pk).update(
        deadline=data.today(campaign.organisation) - timedelta(days=1)
    )

    form = client.get(url("invitation_enter", survey_invitation_pk=invitation.pk))
    assert form.status_code == 200
    bad = client.post(
        url("invitation_enter", survey_invitation_pk=invitation.pk),
        data.post_of({**data.GOOD_ANSWERS, "mood": ["11"]}),
    )
    assert bad.status_code == 200 and "mood" in bad.context["errors"]
    saved = client.post(
        url("invitation_enter", survey_invitation_pk=invitation.pk),
        data.post_of(data.GOOD_ANSWERS),
    )

    response = Response.objects.get()
    assert saved["Location"] == url("response_detail", response_pk=response.pk)
    assert (response.channel, response.entered_by, response.person) == (
        Channel.PAPER,
        tenant_a.user(Role.CURATOR),
        invitation.person,
    )
    detail = client.get(saved["Location"])
    assert detail.status_code == 200 and "Хочу лучше понимать геометрию" in detail.content.decode()


def test_the_curator_types_in_an_anonymous_paper_form(client, tenant_a):
    org = tenant_a.organisation
    data.student(org)
    campaign = data.send(data.programme_of(org), data.questionnaire(org), anonymous=True)
    login(client, tenant_a)

    client.post(url("campaign_enter", campaign_pk=campaign.pk), data.post_of(data.GOOD_ANSWERS))

    response = campaign.responses.get()
    assert response.person is None and response.invitation is None
    assert response.entered_by == tenant_a.user(Role.CURATOR)
    assert (
        client.get(
            url(
                "campaign_enter",
                campaign_pk=data.send(data.programme_of(org), data.questionnaire(org)).pk,
            )
        ).status_code
        == 404
    )


def test_results_and_the_export_download(client, tenant_a, campaign):
    login(client, tenant_a)
    answer_well_by_link(campaign.invitations.first())

    results = client.get(url("campaign_results", campaign_pk=campaign.pk))
    export = client.get(url("campaign_export", campaign_pk=campaign.pk))

    assert results.status_code == 200
    mood = next(r for r in results.context["results"] if r.question.code == "mood")
    assert mood.count == 1
    assert "spreadsheetml" in export["Content-Type"]


def test_the_printable_questionnaire_downloads(client, tenant_a):
    login(client, tenant_a)
    builtin = Questionnaire.objects.get(organisation=None, code="mentor-satisfaction")

    download = client.get(url("docx", questionnaire_pk=builtin.pk))

    assert "Анкета удовлетворённости наставника".upper() in docx_text(
        b"".join(download.streaming_content)
    )
