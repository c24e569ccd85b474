from django.db import migrations


def load_builtin(apps, schema_editor):
    from nastavnik.assessments import builtin

    builtin.load(apps.get_model("assessments", "Parameter"))


def unload_builtin(apps, schema_editor):
    apps.get_model("assessments", "Parameter").objects.filter(organisation__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(load_builtin, unload_builtin)]
