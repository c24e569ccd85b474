"""Mail leaves through the task queue, after the transaction that asked for it commits."""

import re
import signal
from contextlib import suppress
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.validators import EmailValidator
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from conftest import PASSWORD
from nastavnik.core.tasks import queue_mail
from nastavnik.orgs.models import Role
from nastavnik.orgs.tests.factories import UserFactory

NEW_PASSWORD = "lilac-tram-orbit-52"


def _logged_in_user_id(client):
    return client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_queued_mail_leaves_only_when_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue_mail("Meeting\non Friday\n", "See you at 15:00.", "mentor@example.ru")
        assert mail.outbox == []

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Meeting on Friday"
    assert mail.outbox[0].to == ["mentor@example.ru"]
    assert mail.outbox[0].body == "See you at 15:00."


@pytest.mark.django_db
def test_a_rolled_back_write_sends_no_mail(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        suppress(RuntimeError),
        transaction.atomic(),
    ):
        queue_mail("Invitation", "A link that will never work", ["someone@example.ru"])
        raise RuntimeError

    assert mail.outbox == []


@pytest.fixture
def restore_signal_handlers():
    # db_worker installs its own SIGINT/SIGTERM handlers for a graceful stop; give pytest its own
    # back so Ctrl+C still works after this test.
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


# A real transaction: the worker opens its own, as it does in production.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_database_queue_keeps_the_letter_until_db_worker_sends_it(restore_signal_handlers):
    queue_mail("Reminder", "The meeting is tomorrow.", ["mentee@example.ru"])

    task = DBTaskResult.objects.get()
    assert task.task_path == "nastavnik.core.tasks.send_mail_task"
    assert task.status == TaskResultStatus.READY
    assert task.args_kwargs["args"] == [
        "Reminder",
        "The meeting is tomorrow.",
        ["mentee@example.ru"],
    ]
    assert mail.outbox == []

    call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Reminder"
    assert mail.outbox[0].to == ["mentee@example.ru"]
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db
def test_password_reset_sends_one_letter_whose_link_sets_a_new_password(
    client, tenant_a, django_capture_on_commit_callbacks
):
    user = tenant_a.user(Role.MENTOR)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        # People type their e-mail as they like; the account is found all the same.
        response = client.post(reverse("accounts:password_reset"), {"email": user.email.upper()})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == [user.email]
    assert "\n" not in letter.subject
    link = re.search(r"https?://\S+", letter.body).group(0)

    # The link leads to the form (Django swaps the token for a session value on the way).
    form_page = client.get(urlsplit(link).path, follow=True)
    assert form_page.context["validlink"] is True
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert _logged_in_user_id(client) is None
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert _logged_in_user_id(client) == str(user.pk)

    # The link works once.
    client.logout()
    assert client.get(urlsplit(link).path, follow=True).context["validlink"] is False


@pytest.mark.django_db
def test_password_reset_for_an_unknown_email_sends_nothing_and_says_the_same(
    client, tenant_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.ru"})

    # The same answer as for a real account, so the page does not tell who has one.
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


@pytest.mark.django_db
def test_password_reset_refuses_a_malformed_email(client, db, django_capture_on_commit_callbacks):
    UserFactory(email="anna@example.ru")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "anna@"})

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [str(EmailValidator.message)]
    assert mail.outbox == []
