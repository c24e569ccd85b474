"""The migrated template the SQLite test databases start from (tests/template_database.py)."""

import fcntl
import sqlite3
import time
from datetime import date
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from nastavnik.catalogue.models import MentoringForm
from nastavnik.demo.tests import factories as demo_factories
from tests import template_database


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL migrates as before")
def test_this_test_database_is_the_restored_template_and_fully_migrated(db):
    # The connection kept open by the restore and Django's own see the same in-memory database.
    (keeper,) = template_database._keepers
    applied = MigrationRecorder(connection).migration_qs.count()
    assert keeper.execute("SELECT count(*) FROM django_migrations").fetchone() == (applied,)
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    assert MentoringForm.objects.exists(), "the built-in catalogue the migrations load"
    assert ContentType.objects.filter(app_label="mentorships").exists()


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    for path, text in {
        "requirements.lock": "django==5.2\n",
        "nastavnik/people/models.py": "class Person: ...\n",
        "nastavnik/people/migrations/0001_initial.py": "operations = []\n",
        "nastavnik/people/tests/test_models.py": "def test(): ...\n",
        "nastavnik/people/templates/people/list.html": "<ul></ul>\n",
    }.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    monkeypatch.setattr(template_database, "ROOT", tmp_path)
    return tmp_path


def test_the_key_follows_migrations_code_and_dependencies_not_tests_or_templates(project):
    first = template_database.key()
    (project / "nastavnik/people/tests/test_models.py").write_text("def test(): assert 1\n")
    (project / "nastavnik/people/templates/people/list.html").write_text("<ol></ol>\n")
    assert template_database.key() == first

    for changed in (
        "nastavnik/people/migrations/0001_initial.py",
        "nastavnik/people/models.py",
        "requirements.lock",
    ):
        before = template_database.key()
        (project / changed).write_text((project / changed).read_text() + "# changed\n")
        assert template_database.key() != before, changed


def test_the_key_follows_the_database_settings(project, monkeypatch):
    monkeypatch.delenv("DJANGO_CACHE_URL", raising=False)
    before = template_database.key()
    monkeypatch.setenv("DJANGO_CACHE_URL", "redis://127.0.0.1:6379/5")
    assert template_database.key() != before


def test_a_folder_others_can_write_to_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setattr(template_database.tempfile, "gettempdir", lambda: str(tmp_path))
    assert template_database.folder() is not None
    mine = tmp_path / f"nastavnik-test-databases-{template_database.os.getuid()}"
    mine.chmod(0o777)
    assert template_database.folder() is None
    assert template_database.ensure() is None


def test_a_kept_file_is_named_for_the_code_and_locked_while_used(tmp_path, monkeypatch):
    monkeypatch.setattr(template_database.tempfile, "gettempdir", lambda: str(tmp_path))
    with template_database.kept("demo.sqlite3") as path:
        assert path.name == f"{template_database.key()}-demo.sqlite3"
        lock = path.with_name(f"{path.name}.lock")
        with lock.open("a") as other, pytest.raises(BlockingIOError):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    with lock.open("a") as other:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_a_kept_demo_serves_other_processes_only_while_young(tmp_path, monkeypatch):
    database = sqlite3.connect(":memory:")
    database.execute("CREATE TABLE person (name TEXT)")
    database.execute("INSERT INTO person VALUES ('Петрова')")
    database.commit()
    seeded = demo_factories._Seeded(date(2026, 12, 7), "before", database, {"a.pdf": b"%PDF"}, "ok")
    path = tmp_path / "demo.sqlite3"
    demo_factories._write_kept(path, seeded)

    copy = demo_factories._read_kept(path, seeded.day, seeded.before)
    assert copy.database.execute("SELECT name FROM person").fetchall() == [("Петрова",)]
    assert (copy.files, copy.output) == ({"a.pdf": b"%PDF"}, "ok")

    record = path.with_suffix(".pickle")
    written = record.read_bytes()
    record.unlink()
    assert demo_factories._read_kept(path, seeded.day, seeded.before) is None
    record.write_bytes(written)
    assert demo_factories._read_kept(path, seeded.day, seeded.before) is not None

    later = time.time() + demo_factories.KEPT_FOR_S + 1
    monkeypatch.setattr(demo_factories.time, "time", lambda: later)
    assert demo_factories._read_kept(path, seeded.day, seeded.before) is None
