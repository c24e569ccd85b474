from django.db import migrations


def load_builtin(apps, schema_editor):
    from nastavnik.catalogue import builtin

    builtin.load(apps.get_model("catalogue", "MentoringForm"), apps.get_model("catalogue", "RoleModel"))


def unload_builtin(apps, schema_editor):
    apps.get_model("catalogue", "MentoringForm").objects.filter(organisation__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(load_builtin, unload_builtin)]
