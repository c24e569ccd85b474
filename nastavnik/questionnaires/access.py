"""The one way views fetch questionnaire rows: within the current organisation (built-in
questionnaires are readable by all), 404 for anything else, so a pk of another organisation's
row looks exactly like a missing one."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from nastavnik.core.access import OrgContext
from nastavnik.core.tenancy import org_row
from nastavnik.questionnaires.models import (
    Campaign,
    CampaignQuerySet,
    Invitation,
    Question,
    Questionnaire,
    QuestionnaireQuerySet,
    Response,
    Section,
)


def questionnaires_of(ctx: OrgContext) -> QuestionnaireQuerySet:
    """The organisation's questionnaires and the built-ins."""
    return Questionnaire.objects.available_to(ctx.organisation)


def questionnaire_for(ctx: OrgContext, pk: int) -> Questionnaire:
    return get_object_or_404(questionnaires_of(ctx), pk=pk)


def section_for(ctx: OrgContext, pk: int) -> Section:
    """An editable section: of the organisation's own questionnaires only."""
    return get_object_or_404(
        Section.objects.filter(questionnaire__organisation=ctx.organisation).select_related(
            "questionnaire"
        ),
        pk=pk,
    )


def question_for(ctx: OrgContext, pk: int) -> Question:
    """An editable question: of the organisation's own questionnaires only."""
    return get_object_or_404(
        Question.objects.filter(questionnaire__organisation=ctx.organisation).select_related(
            "questionnaire", "section"
        ),
        pk=pk,
    )


def campaigns_of(ctx: OrgContext) -> CampaignQuerySet:
    return Campaign.objects.for_org(ctx.organisation)


def campaign_for(ctx: OrgContext, pk: int) -> Campaign:
    return get_object_or_404(
        campaigns_of(ctx).select_related(
            "organisation", "programme__academic_year", "questionnaire", "form"
        ),
        pk=pk,
    )


def invitation_for(ctx: OrgContext, pk: int) -> Invitation:
    related = ("person", "campaign__organisation", "campaign__programme", "campaign__questionnaire")
    return org_row(Invitation, ctx.organisation, pk, *related)


def response_for(ctx: OrgContext, pk: int) -> Response:
    related = ("person", "entered_by", "campaign__organisation", "campaign__questionnaire")
    return org_row(Response, ctx.organisation, pk, *related)
