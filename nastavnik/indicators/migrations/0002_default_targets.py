"""The coverage targets of seed 004 (the lyceum's roadmap) as the defaults of every
organisation: students and teachers in mentoring at least 10 % in 2020, 20 % in 2021, 30 % in
2022, 50 % in 2023 and 70 % in 2024 (which then holds for the later years)."""

from django.db import migrations

SEED_004 = {2020: 10, 2021: 20, 2022: 30, 2023: 50, 2024: 70}


def add_defaults(apps, schema_editor):
    CoverageTarget = apps.get_model("indicators", "CoverageTarget")
    for year, percent in SEED_004.items():
        CoverageTarget.objects.get_or_create(
            organisation=None,
            year=year,
            defaults={"students_percent": percent, "teachers_percent": percent},
        )


def remove_defaults(apps, schema_editor):
    CoverageTarget = apps.get_model("indicators", "CoverageTarget")
    CoverageTarget.objects.filter(organisation=None, year__in=SEED_004).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
