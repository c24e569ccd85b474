"""The class of a pair's mentee, and of a pupil mentor, is kept with the pair as it was when
the pair was formed (or the mentor took it over)."""

from django.db import migrations, models


def class_from_the_person(apps, schema_editor):
    """The pairs made before the class was kept take the person's class as it is now: the
    best there is (a pair is at most a year, and most are of the current year)."""
    MentorshipMentee = apps.get_model("mentorships", "MentorshipMentee")
    MentorAssignment = apps.get_model("mentorships", "MentorAssignment")
    for model, person in ((MentorshipMentee, "mentee__person"), (MentorAssignment, "mentor__person")):
        changed = []
        for row in model.objects.select_related(person).iterator():
            who = row.mentee.person if model is MentorshipMentee else row.mentor.person
            row.grade, row.class_letter = who.grade, who.class_letter
            changed.append(row)
        model.objects.bulk_update(changed, ["grade", "class_letter"], batch_size=500)


def _class_fields(model_name):
    return [
        migrations.AddField(
            model_name=model_name,
            name="class_letter",
            field=models.CharField(blank=True, max_length=2, verbose_name="class letter"),
        ),
        migrations.AddField(
            model_name=model_name,
            name="grade",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="grade"),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("mentees", "0001_initial"),
        ("mentors", "0001_initial"),
        ("mentorships", "0003_mentorship_kind"),
        ("people", "0001_initial"),
    ]

    operations = [
        *_class_fields("mentorshipmentee"),
        *_class_fields("mentorassignment"),
        migrations.RunPython(class_from_the_person, migrations.RunPython.noop),
    ]
