"""`manage.py backup` and `manage.py restore`: a backup restores into a fresh database with the
same rows, and a wrong file or a refused confirmation changes nothing."""

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from conftest import make_tenant
from nastavnik.people.models import Person
from nastavnik.people.tests.factories import PersonFactory

ROOT = Path(__file__).resolve().parents[3]

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_dump/pg_restore need PostgreSQL (DATABASE_URL=postgres://…); "
    "the SQLite backup is tested by test_sqlite_backup_restores_into_a_fresh_file",
)


def table_rows(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def backup_file(folder: Path) -> Path:
    call_command("backup", "--output", str(folder))
    (written,) = folder.glob("nastavnik-*")
    return written


@pytest.fixture
def scratch_postgres_database():
    """An empty database beside the test one, dropped afterwards."""
    import psycopg

    settings_dict = connection.settings_dict
    name = f"{settings_dict['NAME']}_restore"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    user = settings_dict["USER"] or ""
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    url = (
        f"postgres://{user}{password}@{settings_dict['HOST']}:{settings_dict['PORT'] or 5432}"
        f"/{name}"
    )
    yield url, lambda: psycopg.connect(url)
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_restores_into_a_fresh_database(tmp_path, scratch_postgres_database):
    tenant = make_tenant("school-backup")
    PersonFactory.create_batch(25, organisation=tenant.organisation)
    url, connect = scratch_postgres_database

    written = backup_file(tmp_path)
    call_command("restore", str(written), "--database-url", url, "--yes")

    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        expected = table_rows(cursor, tables)
    with connect() as restored, restored.cursor() as cursor:
        assert table_rows(cursor, tables) == expected
        cursor.execute("SELECT last_name, first_name FROM people_person ORDER BY id")
        restored_names = cursor.fetchall()
    assert restored_names == list(
        Person.objects.order_by("id").values_list("last_name", "first_name")
    )
    assert expected["people_person"] >= 25


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_restore_over_a_changed_database_brings_back_the_backup(tmp_path):
    tenant = make_tenant("school-backup")
    PersonFactory.create_batch(3, organisation=tenant.organisation)
    written = backup_file(tmp_path)
    PersonFactory.create_batch(4, organisation=tenant.organisation)

    call_command("restore", str(written), "--yes")

    assert Person.objects.count() == 3


@pytest.mark.django_db
def test_restore_of_a_missing_file_says_so_and_changes_nothing(tmp_path):
    tenant = make_tenant("school-backup")
    PersonFactory(organisation=tenant.organisation)

    with pytest.raises(CommandError, match=r"No backup file at .*nowhere\.pgdump"):
        call_command("restore", str(tmp_path / "nowhere.pgdump"), "--yes")

    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_restore_of_another_databases_backup_is_refused(tmp_path):
    other = ".sqlite3" if connection.vendor == "postgresql" else ".pgdump"
    wrong = tmp_path / f"nastavnik-20260101-000000{other}"
    wrong.write_bytes(b"not this database's backup")
    tenant = make_tenant("school-backup")
    PersonFactory(organisation=tenant.organisation)

    with pytest.raises(CommandError, match=rf"{re.escape(wrong.name)} is not a .* backup"):
        call_command("restore", str(wrong), "--yes")

    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_restore_without_confirmation_changes_nothing(tmp_path, monkeypatch):
    own = ".pgdump" if connection.vendor == "postgresql" else ".sqlite3"
    written = tmp_path / f"nastavnik-20260101-000000{own}"
    written.write_bytes(b"")
    tenant = make_tenant("school-backup")
    PersonFactory(organisation=tenant.organisation)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    with pytest.raises(CommandError, match=r"Restore cancelled; nothing changed\."):
        call_command("restore", str(written))

    assert Person.objects.count() == 1


def manage(database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A command on a SQLite file, in its own process like an operator's (the test database
    of a SQLite run lives in memory, which no backup can copy)."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def sqlite_rows(database: Path) -> list[tuple]:
    with sqlite3.connect(database) as db:
        return db.execute("SELECT id, name FROM school ORDER BY id").fetchall()


def test_sqlite_backup_restores_into_a_fresh_file_and_keeps_the_newest(tmp_path):
    site = tmp_path / "site.sqlite3"
    with sqlite3.connect(site) as db:
        db.execute("CREATE TABLE school (id INTEGER PRIMARY KEY, name TEXT)")
        db.executemany(
            "INSERT INTO school (name) VALUES (?)", [(f"СШ № {n}",) for n in range(1, 301)]
        )
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in ("01", "02"):
        (folder / f"nastavnik-202601{day}-020000.sqlite3").write_bytes(b"old")

    made = manage(site, "backup", "--output", str(folder), "--keep", "2")
    assert made.returncode == 0, made.stderr
    kept = sorted(p.name for p in folder.iterdir())
    assert len(kept) == 2
    assert kept[0] == "nastavnik-20260102-020000.sqlite3"
    fresh = tmp_path / "fresh.sqlite3"
    restored = manage(
        site, "restore", str(folder / kept[1]), "--database-url", f"sqlite:///{fresh}", "--yes"
    )

    assert restored.returncode == 0, restored.stderr
    assert sqlite_rows(fresh) == sqlite_rows(site)
    assert len(sqlite_rows(fresh)) == 300


def test_backup_refuses_a_negative_keep_and_writes_nothing(tmp_path):
    site = tmp_path / "site.sqlite3"
    sqlite3.connect(site).close()

    made = manage(site, "backup", "--output", str(tmp_path / "backups"), "--keep", "-1")

    assert made.returncode != 0
    assert "--keep must be 0 (keep all) or more." in made.stderr
    assert not (tmp_path / "backups").exists()
