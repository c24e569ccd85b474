"""Rows behind the questionnaire URLs, for the project-wide isolation test."""

from datetime import timedelta

from nastavnik.orgs.models import Organisation
from nastavnik.people.validators import org_today
from nastavnik.programmes.models import Programme
from nastavnik.programmes.tests.data import programme as make_programme
from nastavnik.questionnaires.models import Campaign, Channel, Invitation, Response
from nastavnik.questionnaires.tests import data
from nastavnik.questionnaires.tests.factories import QuestionFactory, QuestionnaireFactory


def _campaign(org: Organisation) -> Campaign:
    # Made directly: the programme the programmes' maker builds may be of a past year, where
    # sending (with its deadline rules) would refuse.
    programme = Programme.objects.filter(organisation=org).first() or make_programme(
        org, roadmap=False
    )
    questionnaire = data.questionnaire(org)
    campaign = Campaign.objects.create(
        organisation=org,
        programme=programme,
        questionnaire=questionnaire,
        title="Анкета",
        audience="class",
        audience_params={"grade": 7, "class_letter": "Б"},
        deadline=org_today(org) + timedelta(days=7),
    )
    for person in (data.student(org), data.student(org)):
        Invitation.objects.create(
            organisation=org,
            campaign=campaign,
            person=person,
            token_hash=f"{campaign.pk}-{person.pk}".ljust(64, "0"),
        )
    return campaign


def _response(org: Organisation) -> int:
    invitation = _campaign(org).invitations.first()
    invitation.answered = True
    invitation.save()
    return Response.objects.create(
        organisation=org,
        campaign=invitation.campaign,
        invitation=invitation,
        person=invitation.person,
        channel=Channel.LINK,
        submitted_on=org_today(org),
    ).pk


ROW_MAKERS = {
    "questionnaire_pk": lambda org: data.questionnaire(org).pk,
    "section_pk": lambda org: (
        QuestionFactory(section__questionnaire=QuestionnaireFactory(organisation=org)).section_id
    ),
    "question_pk": lambda org: (
        QuestionFactory(section__questionnaire=QuestionnaireFactory(organisation=org)).pk
    ),
    "campaign_pk": lambda org: _campaign(org).pk,
    "survey_invitation_pk": lambda org: _campaign(org).invitations.first().pk,
    "response_pk": _response,
}
