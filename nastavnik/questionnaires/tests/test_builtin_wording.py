"""The built-in questionnaires speak to a reader of either gender without «(а)», and the data
migration rewords rows an older load left with the hedges."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps

from nastavnik.questionnaires.models import Question

pytestmark = pytest.mark.django_db

HEDGE = re.compile(r"\w\((а|ы|ла)\)")
migration = importlib.import_module(
    "nastavnik.questionnaires.migrations.0003_builtin_without_gender_hedges"
)


def _texts(question: Question) -> list[str]:
    return [question.text, question.help_text, *(label for _v, label in question.choices)]


def test_no_built_in_question_hedges_the_gender():
    builtin = Question.objects.filter(questionnaire__organisation__isnull=True)
    assert builtin.exists()
    hedged = [q.code for q in builtin if any(HEDGE.search(t) for t in _texts(q))]
    assert hedged == []


def test_the_migration_rewords_the_rows_an_older_load_left():
    builtin = Question.objects.filter(questionnaire__organisation__isnull=True)
    # The mentor's application asks it; the conformity checklist has a «training» of its own.
    training = next(
        q for q in builtin.filter(code="training", type="single") if "done" in dict(q.choices)
    )
    esteem = builtin.filter(code="self_esteem").first()
    assert esteem is not None
    training.choices = [
        [v, "Уже проходил(а)" if v == "done" else label] for v, label in training.choices
    ]
    training.save()
    esteem.help_text = migration.HELP_TEXT[0]
    esteem.save()

    migration.forwards(apps, None)

    training.refresh_from_db()
    esteem.refresh_from_db()
    assert dict(training.choices)["done"] == "Обучение уже пройдено"
    assert dict(training.choices)["yes"] == "Да"
    assert esteem.help_text == "1 — совсем нет уверенности, 10 — полная уверенность."
