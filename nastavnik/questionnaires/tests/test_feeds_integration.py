"""The built-in mentee application answered by a class, with the mentee base's real handlers:
the answers land in the structured fields matching reads; a pupil the base cannot take (a
9-year-old) keeps the answers, with the reason shown to the curator."""

import pytest

from nastavnik.mentees.models import Mentee
from nastavnik.people.tests.data import born
from nastavnik.questionnaires.models import Channel, Questionnaire
from nastavnik.questionnaires.responses import response_submit
from nastavnik.questionnaires.tests import data

pytestmark = pytest.mark.django_db

APPLICATION = {
    "topics": ["subject", "communication"],
    "subjects": ["Математика", "Физика"],
    "request_text": ["Хочу разобраться с дробями и перестать бояться доски."],
    "availability": ["пн-вечер", "ср-день"],
    "format": ["in_person"],
    "mentor_kind": ["other"],
    "mentor_kind_other": ["Студента педагогического колледжа"],
    "was_mentored": ["no"],
}


@pytest.fixture
def application(tenant_a):
    org = tenant_a.organisation
    teen = data.student(org, last_name="Андреев", birth_date=born(13, org))
    child = data.student(org, last_name="Малышев", birth_date=born(9, org))
    programme = data.programme_of(org)
    builtin = Questionnaire.objects.get(organisation=None, code="mentee-application")
    campaign = data.send(programme, builtin)
    return {"campaign": campaign, "teen": teen, "child": child, "programme": programme}


def test_the_answers_fill_the_mentee_base(application):
    invitation = application["campaign"].invitations.get(person=application["teen"])

    response = response_submit(invitation, APPLICATION, channel=Channel.CODE)

    assert response.feed_notes == []
    entry = Mentee.objects.get(programme=application["programme"], person=application["teen"])
    assert entry.topics == ["subject", "communication"]
    assert entry.request_text == "Хочу разобраться с дробями и перестать бояться доски."
    assert entry.subjects == "Математика, Физика"
    assert entry.availability == ["пн-вечер", "ср-день"]
    assert entry.meeting_format == "in_person"


def test_a_pupil_the_base_cannot_take_keeps_the_answers_with_the_reason(application):
    invitation = application["campaign"].invitations.get(person=application["child"])

    response = response_submit(invitation, APPLICATION, channel=Channel.LINK)

    assert not Mentee.objects.filter(person=application["child"]).exists()
    assert response.answers.count() == 8
    feeds = {note["feed"] for note in response.feed_notes}
    assert "mentee.topics" in feeds
    assert all(note["reason"] for note in response.feed_notes)
