"""The table of the database cache (CACHES without DJANGO_CACHE_URL), created with the schema so
that `migrate` alone prepares a server, the demo and CI; with Redis configured it does nothing."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
