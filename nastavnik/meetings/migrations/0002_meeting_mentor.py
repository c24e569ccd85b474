"""Each meeting names the mentor who held it: the pair's mentor on the meeting's day, from the
history of its mentors (the last assignment that began on or before that day)."""

import zoneinfo

import django.db.models.deletion
from django.db import migrations, models


def mentor_of_each_meeting(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    MentorAssignment = apps.get_model("mentorships", "MentorAssignment")
    history: dict[int, list[tuple]] = {}
    for row in MentorAssignment.objects.order_by("assigned_on", "pk").values(
        "mentorship_id", "assigned_on", "mentor_id"
    ):
        history.setdefault(row["mentorship_id"], []).append((row["assigned_on"], row["mentor_id"]))
    changed = []
    for meeting in Meeting.objects.select_related("mentorship", "organisation").iterator():
        day = meeting.starts_at.astimezone(
            zoneinfo.ZoneInfo(meeting.organisation.timezone)
        ).date()
        mentor_id = meeting.mentorship.mentor_id
        periods = history.get(meeting.mentorship_id, [])
        if periods:
            mentor_id = periods[0][1]
            for assigned_on, assigned in periods:
                if assigned_on <= day:
                    mentor_id = assigned
        meeting.mentor_id = mentor_id
        changed.append(meeting)
    Meeting.objects.bulk_update(changed, ["mentor"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("mentors", "0001_initial"),
        ("mentorships", "0002_life"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="mentor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.RESTRICT,
                related_name="meetings_held",
                to="mentors.mentor",
                verbose_name="mentor",
            ),
        ),
        migrations.RunPython(mentor_of_each_meeting, migrations.RunPython.noop),
    ]
