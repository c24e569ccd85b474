from django.db import migrations


def load_builtin(apps, schema_editor):
    from nastavnik.questionnaires import builtin

    builtin.load(
        apps.get_model("questionnaires", "Questionnaire"),
        apps.get_model("questionnaires", "Section"),
        apps.get_model("questionnaires", "Question"),
    )


def unload_builtin(apps, schema_editor):
    Questionnaire = apps.get_model("questionnaires", "Questionnaire")
    # Newest first: each version is protected by the one that replaced it.
    for questionnaire in Questionnaire.objects.filter(organisation__isnull=True).order_by(
        "-version"
    ):
        questionnaire.delete()


class Migration(migrations.Migration):
    dependencies = [("questionnaires", "0001_initial")]

    operations = [migrations.RunPython(load_builtin, unload_builtin)]
