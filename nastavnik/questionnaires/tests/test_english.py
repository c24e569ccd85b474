"""The built-in questionnaires read in English on an English page: titles, introductions,
sections, questions, hints and option labels. An organisation's copy is its own and reads as
entered; the stored built-ins stay Russian."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from nastavnik.core.tests.pages import in_english
from nastavnik.orgs.models import Role
from nastavnik.questionnaires import english
from nastavnik.questionnaires.models import Question, Questionnaire, Section
from nastavnik.questionnaires.services import questionnaire_copy
from nastavnik.questionnaires.tests import data

pytestmark = pytest.mark.django_db
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def detail(questionnaire: Questionnaire) -> str:
    return reverse(
        "questionnaires:detail",
        kwargs={"org_slug": "school-a", "questionnaire_pk": questionnaire.pk},
    )


def test_every_built_in_text_has_an_english_text():
    texts = set()
    for questionnaire in Questionnaire.objects.filter(organisation=None):
        texts |= {questionnaire.title, questionnaire.intro}
    for section in Section.objects.filter(questionnaire__organisation=None):
        texts |= {section.title, section.intro}
    for question in Question.objects.filter(questionnaire__organisation=None):
        texts |= {question.text, question.help_text}
        texts |= {str(label) for _value, label in question.choices}
    texts.discard("")
    assert not [text for text in texts if text not in english.TEXTS]
    assert not [text for text in english.TEXTS.values() if CYRILLIC.search(text)]


def test_a_built_in_questionnaire_reads_in_english_and_a_copy_as_entered(client, tenant_a):
    builtin = Questionnaire.objects.get(organisation=None, code="mentee-application")
    copy = questionnaire_copy(builtin, tenant_a.organisation, by=None)
    copy.title = "Анкета для наших учеников"
    copy.save(update_fields=["title"])
    client.force_login(tenant_a.user(Role.CURATOR))

    russian = unescape(client.get(detail(builtin)).content.decode())
    page = unescape(in_english(client).get(detail(builtin)).content.decode())
    copied = unescape(client.get(detail(copy)).content.decode())

    assert "<h1>Mentee application</h1>" in page
    assert "What would you like a mentor to help you with?" in page
    assert "Preparing for the state exams (OGE or EGE)" in page  # an option
    assert "You may choose several options." in page  # a hint
    assert "A little about you" in page  # a section
    assert "Анкета наставляемого" not in page and "Подготовка к ОГЭ" not in page
    # The organisation's copy is its own: as entered, in Russian, on the English page too.
    assert "Анкета для наших учеников" in copied
    assert "С чем вам хотелось бы получить помощь наставника?" in copied
    assert "What would you like a mentor to help you with?" not in copied
    # The Russian page and the stored built-in are unchanged.
    assert "С чем вам хотелось бы получить помощь наставника?" in russian
    assert "What would you like" not in russian
    builtin.refresh_from_db()
    assert builtin.title == "Анкета наставляемого"


def test_a_respondent_reads_a_built_in_questionnaire_in_english(client, tenant_a):
    org = tenant_a.organisation
    programme = data.programme_of(org)
    student = data.student(org, last_name="Андреева", first_name="Анна")
    builtin = Questionnaire.objects.get(organisation=None, code="mentee-satisfaction")
    campaign = data.send(programme, builtin)
    token = data.link_token(campaign.invitations.get(person=student))
    link = reverse("respond:link", kwargs={"token": token})

    page = unescape(in_english(client).get(link).content.decode())

    assert "How useful was working with your mentor?" in page
    assert "Once every two weeks" in page  # an option of a radio group
    assert "Hard to say" in page
    assert "Насколько полезной" not in page and "Раз в две недели" not in page
