from typing import Any

from django.db import migrations, models


def scrub_score_values(apps: Any, schema_editor: Any) -> None:
    """Entries written before scoring was blind held the score and the comment: drop them."""
    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditEntry.objects.filter(object_type="jury_score").exclude(changes={}).update(changes={})


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0001_initial"),
        ("audit", "0004_client_address"),
    ]

    operations = [
        migrations.AddField(
            model_name="nomination",
            name="tie_decision",
            field=models.CharField(
                blank=True,
                choices=[
                    ("shared", "The first place is shared"),
                    ("chosen", "The first place went to one of them"),
                ],
                max_length=16,
                verbose_name="tie at the top",
            ),
        ),
        migrations.RunPython(scrub_score_values, migrations.RunPython.noop),
    ]
