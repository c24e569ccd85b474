"""Background work through django-tasks: the database backend by default (`manage.py db_worker`),
run at once in the tests.

Task arguments are stored as JSON, so they are plain strings and lists, never model instances
or lazy translations.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.mail import send_mail
from django.db import transaction
from django_tasks import task


@task()
def send_mail_task(subject: str, body: str, to: list[str]) -> int:
    """Send one plain-text e-mail; the number of messages sent is the task's result."""
    return send_mail(subject, body, None, to)


def queue_mail(subject: str, body: str, to: str | Iterable[str]) -> None:
    """Send an e-mail from the task queue once the current transaction commits.

    A rolled-back write sends nothing, and the worker never sees rows that are not committed
    yet (an invitation link that does not work).
    """
    recipients = [to] if isinstance(to, str) else list(to)
    # A header may not span lines; subjects rendered from templates often end with a newline.
    subject_line = " ".join(str(subject).split())
    body_text = str(body)
    transaction.on_commit(lambda: send_mail_task.enqueue(subject_line, body_text, recipients))
