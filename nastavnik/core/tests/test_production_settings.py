"""Production settings refuse to start without what they need, with a message that says what.

Each case runs `manage.py check` in a fresh process, as an operator would start the site: the
settings module is read once per process, so the environment must be set before it starts.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="nastavnik.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="nastavnik.example.ru",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off."),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off"),
        ("DATABASE_URL", "DATABASE_URL must be set when DJANGO_DEBUG is off"),
    ],
)
def test_production_refuses_to_start_without(tmp_path, missing, message):
    result = manage(production_env(tmp_path, **{missing: None}), "check")

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr
    # Nothing was made: no database file appeared for a refused start.
    assert not (tmp_path / "prod.sqlite3").exists()


def test_an_empty_value_counts_as_missing(tmp_path):
    result = manage(production_env(tmp_path, DJANGO_ALLOWED_HOSTS=" , "), "check")

    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_complete_production_settings_pass_the_deployment_checks(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def example_env_file() -> dict[str, str]:
    """deploy/nastavnik.env.example as `set -a; . /etc/nastavnik/env` reads it."""
    lines = (ROOT / "deploy" / "nastavnik.env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))


def test_the_shipped_environment_file_sees_the_client_behind_the_local_nginx(tmp_path):
    """The recipe's nginx on 127.0.0.1 forwards the client's address and the scheme; with the
    environment file as shipped (only the secret, the host and the database filled in), login
    throttling, django-axes and the audit log see the client, not the proxy."""
    env = production_env(tmp_path)
    example = example_env_file()
    env.update({k: v for k, v in example.items() if k.startswith("DJANGO_")})
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    code = (
        "from django.test import RequestFactory\n"
        "from nastavnik.core.client import client_ip\n"
        "request = RequestFactory().get('/', REMOTE_ADDR='127.0.0.1',"
        " HTTP_X_FORWARDED_FOR='192.0.2.2', HTTP_X_FORWARDED_PROTO='https',"
        " SERVER_NAME='nastavnik.example.ru')\n"
        "print(client_ip(request), request.is_secure())\n"
    )

    result = manage(env, "shell", "-c", code)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["192.0.2.2", "True"]
    checked = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert checked.returncode == 0, checked.stderr


def test_development_needs_none_of_them(tmp_path):
    env = production_env(
        tmp_path,
        DJANGO_DEBUG="1",
        DJANGO_SECRET_KEY=None,
        DJANGO_ALLOWED_HOSTS=None,
        DATABASE_URL=None,
    )

    result = manage(env, "check")

    assert result.returncode == 0, result.stderr


def test_postgresql_connections_plan_for_fast_random_reads_without_jit(tmp_path):
    code = "import nastavnik.settings as s; print(s.DATABASES['default']['OPTIONS']['options'])"
    env = production_env(tmp_path, DATABASE_URL="postgres://nastavnik@db.example.ru/nastavnik")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["-c", "jit=off", "-c", "random_page_cost=1.1"]


@pytest.mark.parametrize(
    ("prepare", "expected"),
    [(None, "True 5"), ("1", "True 5"), ("0", "None None"), ("false", "None None")],
)
def test_postgresql_queries_are_prepared_unless_switched_off(tmp_path, prepare, expected):
    code = (
        "import nastavnik.settings as s; o = s.DATABASES['default']['OPTIONS'];"
        "print(o.get('server_side_binding'), o.get('prepare_threshold'))"
    )
    env = production_env(
        tmp_path,
        DATABASE_URL="postgres://nastavnik@db.example.ru/nastavnik",
        DJANGO_DB_PREPARE=prepare,
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == expected, out.stderr


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_query_run_again_and_again_is_planned_once():
    from django.db import connection

    from nastavnik.people.models import Person

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    for organisation_id in range(1, 8):
        list(Person.objects.filter(organisation_id=organisation_id, last_name="Иванов"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "people_person"' in statement and "$1" in statement for statement in prepared)
