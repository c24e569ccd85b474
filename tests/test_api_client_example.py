"""The issue's «done when», as a user does it: a curator makes a token on the «Токены API» page,
and the docs' own script (docs/examples/api_client.py, run as a separate program) pulls the
mentee base and pushes an import through the API of a live server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from nastavnik.mentees.tests.factories import MenteeFactory
from nastavnik.orgs.models import Role
from nastavnik.people.models import Person

SCRIPT = Path(__file__).resolve().parent.parent / "docs" / "examples" / "api_client.py"
PUPILS = (
    "Фамилия;Имя;Пол;Дата рождения;Класс\n"
    "Скриптов;Олег;м;05.05.2012;7А\n"
    "Скриптова;Ольга;ж;06.06.2012;7А\n"
).encode()


def run_script(base: str, secret: str, file: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), base, str(file)],
        env={**os.environ, "NASTAVNIK_TOKEN": secret},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_token_made_in_the_ui_pulls_the_mentee_base_and_pushes_an_import(
    live_server, client, tenant_a, tmp_path
):
    for _ in range(3):
        MenteeFactory(person__organisation=tenant_a.organisation)
    client.force_login(tenant_a.user(Role.CURATOR))
    page = client.post(
        reverse("api_tokens:list", kwargs={"org_slug": "school-a"}),
        {"name": "Скрипт", "days": 30, "scope_people": "write", "scope_mentees": "read"},
    )
    assert page.status_code == 200
    secret = page.context["secret"]
    pupils = tmp_path / "7a.csv"
    pupils.write_bytes(PUPILS)

    done = run_script(f"{live_server.url}/api/v1/o/school-a", secret, pupils)

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "mentees: 3"
    assert lines[1].startswith("import: done")
    assert set(
        Person.objects.filter(
            organisation=tenant_a.organisation, last_name__startswith="Скриптов"
        ).values_list("first_name", flat=True)
    ) == {"Олег", "Ольга"}


@pytest.mark.slow
def test_script_with_a_read_only_token_changes_nothing(live_server, client, tenant_a, tmp_path):
    client.force_login(tenant_a.user(Role.CURATOR))
    page = client.post(
        reverse("api_tokens:list", kwargs={"org_slug": "school-a"}),
        {"name": "Только чтение", "days": 7, "scope_people": "read", "scope_mentees": "read"},
    )
    pupils = tmp_path / "7a.csv"
    pupils.write_bytes(PUPILS)

    done = run_script(f"{live_server.url}/api/v1/o/school-a", page.context["secret"], pupils)

    assert done.returncode != 0
    assert "403" in done.stderr
    assert not Person.objects.filter(last_name__startswith="Скриптов").exists()
