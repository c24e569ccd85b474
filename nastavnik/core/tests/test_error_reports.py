"""Server errors are reported to ADMINS by mail and to Sentry, without personal data."""

import copy

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import path

from nastavnik.core.access import public_view
from nastavnik.core.errors import SCRUBBED, scrub_event
from nastavnik.settings import parse_admins

PUPIL = "Андреева Анна Петровна"
EMAIL = "anna.andreeva@school10.example"


@public_view
def broken(request):
    pupil_name = request.POST.get("full_name")  # a local variable with personal data
    raise RuntimeError(f"could not save the form ({len(pupil_name or '')} letters)")


urlpatterns = [path("o/school/people/new/", broken)]


def test_admins_are_read_from_the_environment_form():
    assert parse_admins("Ольга Завуч <olga@school.example>, it@region.example") == [
        ("Ольга Завуч", "olga@school.example"),
        ("it@region.example", "it@region.example"),
    ]
    assert parse_admins("") == []


@pytest.mark.django_db
def test_a_server_error_is_mailed_to_the_admins_without_what_was_typed(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    settings.ADMINS = [("Ольга", "olga@school.example")]
    settings.CACHE_URL = "redis://:redis-password@127.0.0.1:6379/0"
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "secret-session-value"

    upload = SimpleUploadedFile("Андреева_справка.pdf", b"%PDF-1.4", "application/pdf")
    response = client.post(
        "/o/school/people/new/?q=Андреева",
        {"full_name": PUPIL, "email": EMAIL, "certificate": upload},
        REMOTE_ADDR="203.0.113.9",
        HTTP_REFERER="http://testserver/o/school/people/?q=Андреева",
    )

    assert response.status_code == 500
    assert len(mail.outbox) == 1
    report = mail.outbox[0]
    assert report.to == ["olga@school.example"]
    assert "/o/school/people/new/" in report.subject
    body = report.body + "".join(str(alt[0]) for alt in getattr(report, "alternatives", []))
    assert "RuntimeError" in body and "could not save the form" in body
    assert "Request URL: http://testserver/o/school/people/new/\n" in body
    for personal in (
        PUPIL,
        EMAIL,
        "Андреева",
        "%D0%90",  # the query, percent-encoded
        "справка",
        "203.0.113.9",
        "secret-session-value",
        "redis-password",
    ):
        assert personal not in body


def realistic_event():
    """Shaped as sentry-sdk's Django integration sends an error from a form post."""
    return {
        "event_id": "5b8f6f1c2a0e4c7e9b0d3a1f2e4d6c8b",
        "level": "error",
        "platform": "python",
        "transaction": "/o/{org_slug}/people/new/",
        "request": {
            "url": "https://nastavnik.example.ru/o/school-10/people/new/",
            "method": "POST",
            "query_string": "q=%D0%90%D0%BD%D0%B4%D1%80%D0%B5%D0%B5%D0%B2%D0%B0",
            "headers": {
                "Host": "nastavnik.example.ru",
                "User-Agent": "Mozilla/5.0",
                "Cookie": "sessionid=abc; csrftoken=def",
                "X-Forwarded-For": "203.0.113.9",
                "Referer": "https://nastavnik.example.ru/o/school-10/people/?q=Андреева",
                "X-Csrftoken": "def",
            },
            "cookies": {"sessionid": "abc", "csrftoken": "def"},
            "data": {"last_name": "Андреева", "first_name": "Анна", "email": EMAIL},
            "env": {"REMOTE_ADDR": "10.0.0.1", "SERVER_NAME": "web1"},
        },
        "user": {"id": "42", "email": EMAIL, "username": EMAIL, "ip_address": "203.0.113.9"},
        "exception": {
            "values": [
                {
                    "type": "RuntimeError",
                    "value": "could not save the form",
                    "stacktrace": {
                        "frames": [
                            {
                                "filename": "nastavnik/people/views.py",
                                "function": "person_create",
                                "lineno": 120,
                                "vars": {"full_name": PUPIL, "email": EMAIL},
                            }
                        ]
                    },
                }
            ]
        },
        "breadcrumbs": {
            "values": [
                {
                    "category": "query",
                    "message": "SELECT * FROM people_person WHERE last_name = 'Андреева'",
                    "data": {"params": ["Андреева"]},
                },
                {"category": "django.request", "message": "GET /o/school-10/people/"},
            ]
        },
    }


def test_the_sentry_event_loses_every_piece_of_personal_data():
    event = scrub_event(realistic_event(), {})

    request = event["request"]
    assert "cookies" not in request and "data" not in request
    assert "query_string" not in request and "env" not in request
    assert request["url"] == "https://nastavnik.example.ru/o/school-10/people/new/"
    assert request["headers"] == {"Host": "nastavnik.example.ru", "User-Agent": "Mozilla/5.0"}
    assert event["user"] == {"id": "42"}
    frame = event["exception"]["values"][0]["stacktrace"]["frames"][0]
    assert "vars" not in frame
    assert frame["function"] == "person_create" and frame["lineno"] == 120
    crumbs = event["breadcrumbs"]["values"]
    assert crumbs[0]["message"] == SCRUBBED and "data" not in crumbs[0]
    # What broke and where stays.
    assert event["exception"]["values"][0]["value"] == "could not save the form"
    assert event["transaction"] == "/o/{org_slug}/people/new/"
    text = repr(event)
    for personal in (EMAIL, "Андреева", "Анна", "203.0.113.9", "sessionid", "10.0.0.1"):
        assert personal not in text


def test_secrets_in_the_path_and_the_query_are_scrubbed_from_the_url():
    event = realistic_event()
    event["request"]["url"] = (
        "https://nastavnik.example.ru/consent/Kx8vQ2mZ7pL4wN9rT3yB6cD1fG5hJ0aS/?code=ABCD-EFGH"
    )

    scrubbed = scrub_event(event, {})

    assert scrubbed["request"]["url"] == f"https://nastavnik.example.ru/consent/{SCRUBBED}/"


def test_an_event_without_a_request_or_user_passes_through():
    event = {"level": "error", "message": "a task failed", "extra": {"sys.argv": ["manage.py"]}}

    scrubbed = scrub_event(copy.deepcopy(event), None)

    assert scrubbed["message"] == "a task failed"
    assert "sys.argv" not in scrubbed["extra"]


def test_sentry_is_set_up_with_the_scrubber_and_no_personal_data(monkeypatch):
    import sentry_sdk

    from nastavnik.core.errors import init_sentry

    seen = {}
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: seen.update(options))

    init_sentry("https://key@sentry.example/1", environment="test")

    assert seen["send_default_pii"] is False
    assert seen["include_local_variables"] is False
    assert seen["max_request_body_size"] == "never"
    assert seen["before_send"] is scrub_event
