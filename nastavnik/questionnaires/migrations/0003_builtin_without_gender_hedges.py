"""The built-in questionnaires' two gender hedges reworded without a gender: «Уже проходил(а)»
and «совсем не уверен(а) … полностью уверен(а)». Only the built-in rows (no organisation) are
changed: an organisation's own questionnaires keep what it wrote. The stored answers keep
their option values («done»), so nothing answered changes meaning."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

CHOICE = ("done", "Уже проходил(а)", "Обучение уже пройдено")
HELP_TEXT = (
    "1 — совсем не уверен(а), 10 — полностью уверен(а).",
    "1 — совсем нет уверенности, 10 — полная уверенность.",
)


def _reword(apps: Apps, choice_from: int, choice_to: int, help_from: int, help_to: int) -> None:
    Question = apps.get_model("questionnaires", "Question")
    builtin = Question.objects.filter(questionnaire__organisation__isnull=True)
    builtin.filter(help_text=HELP_TEXT[help_from]).update(help_text=HELP_TEXT[help_to])
    value, *labels = CHOICE
    for question in builtin.filter(code="training", type="single"):
        choices = [
            [v, labels[choice_to] if v == value and label == labels[choice_from] else label]
            for v, label in question.choices
        ]
        if choices != question.choices:
            question.choices = choices
            question.save(update_fields=["choices"])


def forwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor | None) -> None:
    _reword(apps, 0, 1, 0, 1)


def backwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor | None) -> None:
    _reword(apps, 1, 0, 1, 0)


class Migration(migrations.Migration):
    dependencies = [("questionnaires", "0002_builtin_questionnaires")]

    operations = [migrations.RunPython(forwards, backwards)]
