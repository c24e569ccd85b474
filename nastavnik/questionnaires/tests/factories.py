"""Rows made directly, for tests that need a questionnaire to exist; the rules of editing are
tested through the services."""

import factory

from nastavnik.orgs.tests.factories import OrganisationFactory
from nastavnik.questionnaires.models import (
    Question,
    Questionnaire,
    QuestionnaireKind,
    QuestionType,
    Section,
)


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire

    organisation = factory.SubFactory(OrganisationFactory)
    kind = QuestionnaireKind.OTHER
    title = factory.Sequence(lambda n: f"Анкета {n}")
    intro = "Ответьте, пожалуйста, на несколько вопросов."


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    title = "Основное"
    position = factory.Sequence(lambda n: n + 1)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    section = factory.SubFactory(SectionFactory)
    questionnaire = factory.SelfAttribute("section.questionnaire")
    position = factory.Sequence(lambda n: n + 1)
    code = factory.Sequence(lambda n: f"q{n + 1}")
    type = QuestionType.SHORT_TEXT
    text = factory.Sequence(lambda n: f"Вопрос {n + 1}")
    required = True
