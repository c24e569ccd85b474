"""The demo's notifications: what the demo accounts would have been told of the year so far,
so the bell shows a count for each of them. The year is built with events muted (the demo
mails nobody); here the registry tells of a few of its real rows, in the system only."""

from __future__ import annotations

from nastavnik.awards.models import Nomination, NominationStatus
from nastavnik.concerns.models import Concern
from nastavnik.meetings.models import Meeting, MeetingStatus
from nastavnik.notifications.delivery import tell
from nastavnik.notifications.registry import KINDS
from nastavnik.orgs.models import Organisation
from nastavnik.plans.models import PlanComment


def build_notifications(organisation: Organisation) -> int:
    """Tell of the next and the last meeting and the latest plan comment of every pair with an
    account in it, of the open concerns and of the decided nominations. Returns how many."""
    told = 0
    meetings = Meeting.objects.filter(organisation=organisation).select_related(
        "mentorship__mentor__person", "mentor__person"
    )
    with_accounts = meetings.filter(mentorship__members__mentee__person__user__isnull=False)
    pairs = set(with_accounts.values_list("mentorship", flat=True).distinct())
    for pair in sorted(pairs):
        upcoming = meetings.filter(mentorship=pair, status=MeetingStatus.PLANNED).first()
        if upcoming is not None:
            told += tell(KINDS["meeting.scheduled"], {"meeting": upcoming}, mail=False)
        held = meetings.filter(mentorship=pair, status=MeetingStatus.HELD).last()
        if held is not None:
            told += tell(KINDS["meeting.held"], {"meeting": held}, mail=False)
        comment = (
            PlanComment.objects.filter(plan__mentorship=pair)
            .select_related("author", "plan__mentorship")
            .last()
        )
        if comment is not None:
            told += tell(
                KINDS["plan.commented"], {"comment": comment, "by": comment.author}, mail=False
            )
    for concern in Concern.objects.filter(organisation=organisation, answered_at__isnull=True):
        told += tell(KINDS["concern.raised"], {"concern": concern}, mail=False)
    for nomination in Nomination.objects.filter(
        organisation=organisation, status=NominationStatus.DECIDED
    ):
        told += tell(KINDS["award.decided"], {"nomination": nomination}, mail=False)
    return told
