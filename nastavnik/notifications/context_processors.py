"""The bell in the header: the number of unread notifications, counted by one query, and only
when a page actually shows the bell (pages outside an organisation have none)."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

from nastavnik.notifications.models import Notification


def unread(request: HttpRequest) -> dict[str, Any]:
    ctx = getattr(request, "org", None)
    if ctx is None or not request.user.is_authenticated:
        return {}

    @cache
    def count() -> int:
        return Notification.objects.for_user(ctx.organisation, request.user).unread().count()

    # A callable: the template calls it when it renders the bell, once however often it asks.
    return {"notifications_unread": count}
