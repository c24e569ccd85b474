"""Is the task worker running? Mail, large imports and large matching runs wait in the queue
until `manage.py db_worker` picks them up; a queue that nobody empties is otherwise silent
(the page said «по почте — 3», and no letter ever leaves)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend

# A worker polls every second; ten minutes without a pick-up is not a busy queue.
DEFAULT_WAITING_MINUTES = 10


@dataclass(frozen=True)
class WaitingTasks:
    count: int
    oldest: datetime
    minutes: int


def waiting_minutes() -> int:
    return int(getattr(settings, "TASKS_WAITING_ALERT_MINUTES", DEFAULT_WAITING_MINUTES))


def tasks_waiting_for_worker(now: datetime) -> WaitingTasks | None:
    """Tasks due to run that have waited longer than the alert threshold, or None when there
    are none. Only the database queue can be inspected this way; with another backend (RQ,
    or the immediate one of the tests) there is nothing to report here."""
    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return None
    from django_tasks_db.models import DBTaskResult

    minutes = waiting_minutes()
    waiting = DBTaskResult.objects.ready().filter(enqueued_at__lte=now - timedelta(minutes=minutes))
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    if oldest is None:
        return None
    return WaitingTasks(count=waiting.count(), oldest=oldest, minutes=minutes)
