"""The mentee's class is kept with the pair, as it was when the pair was formed."""

from django.db import migrations, models


def class_from_the_person(apps, schema_editor):
    """The pairs made before the class was kept take the person's class as it is now: the
    best there is (a pair is at most a year, and most are of the current year)."""
    MentorshipMentee = apps.get_model("mentorships", "MentorshipMentee")
    changed = []
    for member in MentorshipMentee.objects.select_related("mentee__person").iterator():
        member.grade = member.mentee.person.grade
        member.class_letter = member.mentee.person.class_letter
        changed.append(member)
    MentorshipMentee.objects.bulk_update(changed, ["grade", "class_letter"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("mentees", "0001_initial"),
        ("mentorships", "0002_life"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name='mentorshipmentee',
            name='class_letter',
            field=models.CharField(blank=True, max_length=2, verbose_name='class letter'),
        ),
        migrations.AddField(
            model_name='mentorshipmentee',
            name='grade',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='grade'),
        ),
        migrations.RunPython(class_from_the_person, migrations.RunPython.noop),
    ]
