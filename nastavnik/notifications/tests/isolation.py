"""Rows behind the notification centre's URLs, for the project-wide isolation test."""

from nastavnik.notifications.models import Notification
from nastavnik.orgs.models import Membership


def notification_in(org) -> int:
    member = Membership.objects.filter(organisation=org).order_by("pk").first()
    return Notification.objects.create(
        organisation=org, recipient=member.user, kind="meeting.cancelled", title="Встреча отменена"
    ).pk


ROW_MAKERS = {"notification_pk": notification_in}
