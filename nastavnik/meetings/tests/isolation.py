"""Rows behind the meetings' URLs, for the project-wide isolation test."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from nastavnik.matching.tests.isolation import proposed_run
from nastavnik.meetings.models import Meeting
from nastavnik.orgs.models import Organisation


def pair_meeting(org: Organisation) -> Meeting:
    """A planned meeting of the organisation's pair (the one the matching rows make)."""
    mentorship = proposed_run(org).mentorships.first()
    existing = Meeting.objects.filter(mentorship=mentorship).first()
    if existing is not None:
        return existing
    day = mentorship.started_on + timedelta(days=1)
    return Meeting.objects.create(
        organisation=org,
        mentorship=mentorship,
        mentor_id=mentorship.mentor_id,
        kind="first",
        starts_at=timezone.make_aware(datetime.combine(day, time(15, 0))),
        place="Кабинет 214",
    )


ROW_MAKERS = {"meeting_pk": lambda org: pair_meeting(org).pk}


def _meeting_of(mentorship) -> int:
    """A planned meeting of the pair, for the isolation test inside one organisation."""
    day = mentorship.started_on + timedelta(days=1)
    return Meeting.objects.create(
        organisation_id=mentorship.organisation_id,
        mentorship=mentorship,
        mentor_id=mentorship.mentor_id,
        kind="first",
        starts_at=timezone.make_aware(datetime.combine(day, time(15, 0))),
        place="Кабинет 214",
    ).pk


PAIR_ROW_MAKERS = {"meeting_pk": _meeting_of}

# The mentor (and the curator) plan and record meetings; the pair's mentee reads and rates
# them, and is refused these pages with 403 (a right, not a row: nothing is revealed).
MENTOR_ONLY_ROUTES = ("meetings:create", "meetings:edit", "meetings:hold", "meetings:cancel")
