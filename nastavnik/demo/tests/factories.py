"""The demo seeded once for a module of tests, and taken away after it.

Seeding takes some ten seconds of CPU, and a score of test modules want the same demo. On the
in-memory SQLite test database a test process seeds it once: the database as seeded is copied
aside (SQLite's backup API, a fraction of a second), with the files the demo stored, and a later
module that starts from the same database gets that copy back instead of a new seed. The copy
is also kept on disk for the code as it is (tests/template_database.kept), so the other workers
of the run, and a later run within a quarter of an hour, load it rather than seed. After the module the
database is put back exactly as it was before (the copy of it taken then), which also takes
the demo's files out of storage. Elsewhere (PostgreSQL) each module seeds and
removes the demo as before.
"""

from __future__ import annotations

import hashlib
import pickle
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from nastavnik.demo.bases import StageCost
from nastavnik.demo.seed import remove_demo
from nastavnik.orgs.models import AcademicYear, Municipality, Region
from nastavnik.programmes.models import Programme
from tests.template_database import kept


def seed(out: StringIO | None = None) -> None:
    # Verbosity 2 prints what each stage cost (read back by `stage_costs`).
    call_command("seed_demo", verbosity=2, stdout=out if out is not None else StringIO())


_STAGE_LINE = re.compile(r"^Этап (\w+): ([\d.]+) с процессора, запросов к базе: (\d+)$", re.M)


def stage_costs(output: str) -> dict[str, StageCost]:
    """What each stage of the seed cost, by stage, as `seed_demo -v 2` printed it."""
    return {
        stage: StageCost(stage, float(seconds), int(queries))
        for stage, seconds, queries in _STAGE_LINE.findall(output)
    }


@dataclass
class _Seeded:
    """The database as the demo left it, and what it was before (by its contents)."""

    day: date
    before: str
    database: sqlite3.Connection
    files: dict[str, bytes]
    output: str


_seeded: _Seeded | None = None
# How long a copy kept on disk serves (see _read_kept): about a run of the suite.
KEPT_FOR_S = 15 * 60


def _copyable() -> bool:
    """The test database is SQLite in memory, and no transaction is open on it."""
    return (
        connection.vendor == "sqlite"
        and connection.is_in_memory_db()
        and not connection.in_atomic_block
    )


def _raw() -> sqlite3.Connection:
    connection.ensure_connection()
    return connection.connection


def _contents(raw: sqlite3.Connection) -> str:
    """A digest of every row of every table. Not of sqlite_sequence: which numbers were handed
    out before does not change what the demo is."""
    digest = hashlib.blake2b()
    tables = raw.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    for (table,) in tables:
        digest.update(table.encode())
        for row in raw.execute(f'SELECT * FROM "{table}"'):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _copy(raw: sqlite3.Connection) -> sqlite3.Connection:
    aside = sqlite3.connect(":memory:", check_same_thread=False)
    raw.backup(aside)
    return aside


def _stored(path: str = "") -> set[str]:
    directories, files = default_storage.listdir(path)
    names = {f"{path}{name}" for name in files}
    for directory in directories:
        names |= _stored(f"{path}{directory}/")
    return names


def _read(names: set[str]) -> dict[str, bytes]:
    found = {}
    for name in names:
        with default_storage.open(name, "rb") as file:
            found[name] = file.read()
    return found


def _put_back(seeded: _Seeded, raw: sqlite3.Connection) -> None:
    seeded.database.backup(raw)
    for name, content in seeded.files.items():
        default_storage.delete(name)
        default_storage.save(name, ContentFile(content))


def _seeded_or_put_back(raw: sqlite3.Connection) -> _Seeded:
    """Seeds the demo by the command, or puts back the copy of an earlier seed that started
    from the same database on the same day: this process's, or one another process of the
    same code kept (tests/template_database.kept), so a run seeds the demo once, not once
    per worker."""
    global _seeded
    contents = _contents(raw)
    today = timezone.localdate()
    if _seeded is not None and (_seeded.day, _seeded.before) == (today, contents):
        _put_back(_seeded, raw)
        return _seeded
    with kept(f"demo-{today.isoformat()}-{contents[:32]}.sqlite3") as path:
        copy = _read_kept(path, today, contents) if path is not None else None
        if copy is not None:
            _seeded = copy
            _put_back(_seeded, raw)
            return _seeded
        stored = _stored()
        out = StringIO()
        seed(out)
        _seeded = _Seeded(today, contents, _copy(raw), _read(_stored() - stored), out.getvalue())
        if path is not None:
            _write_kept(path, _seeded)
    return _seeded


def _write_kept(path: Path, seeded: _Seeded) -> None:
    # The files and the command's output beside the database; the database last, under its
    # own name only when whole, since its presence says the copy is there.
    record = (time.time(), seeded.files, seeded.output)
    path.with_suffix(".pickle").write_bytes(pickle.dumps(record))
    partial = path.with_suffix(".partial")
    target = sqlite3.connect(partial)
    try:
        seeded.database.backup(target)
    finally:
        target.close()
    partial.rename(path)


def _read_kept(path: Path, day: date, before: str) -> _Seeded | None:
    """The kept copy, if there is one young enough: the demo stamps some rows with the time it
    was seeded (mail queued, jobs started), and pages tell how long ago, so an old copy is no
    fresher than this run's own seed would be."""
    record = path.with_suffix(".pickle")
    if not (path.exists() and record.exists()):
        return None
    made_at, files, output = pickle.loads(record.read_bytes())
    if time.time() - made_at > KEPT_FOR_S:
        return None
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        database = _copy(source)
    finally:
        source.close()
    return _Seeded(day, before, database, files, output)


@contextmanager
def seeded_demo(django_db_blocker: Any, build: Callable[[], None] | None = None) -> Iterator[str]:
    """The demo for a module's tests (module-scoped fixtures); yields what `seed_demo` printed.

    Without `build` the demo is seeded by the command, or its copy put back (see above). With
    `build` (a test that measures the seed itself) it is seeded by `build` every time, then
    removed with the shared reference rows it added: remove_demo keeps years, municipalities
    and regions, which other tests' organisations may use."""
    with django_db_blocker.unblock():
        if build is None and _copyable():
            raw = _raw()
            as_it_was = _copy(raw)
            files: dict[str, bytes] = {}
            try:
                seeded = _seeded_or_put_back(raw)
                files = seeded.files
                # The tests run with the database blocked as usual, each in its own
                # transaction.
                with django_db_blocker.block():
                    yield seeded.output
            finally:
                # As it was before: the demo's rows go, and its files.
                as_it_was.backup(raw)
                as_it_was.close()
                for name in files:
                    default_storage.delete(name)
            return
        before = {
            model: set(model.objects.values_list("pk", flat=True))
            for model in (AcademicYear, Municipality, Region)
        }
        out = StringIO()
        (build or (lambda: seed(out)))()
    yield out.getvalue()
    with django_db_blocker.unblock():
        remove_demo()
        for model, pks in before.items():
            model.objects.exclude(pk__in=pks).delete()


def load_demo() -> None:
    """The demo in a test of its own that flushes the database after it (transactional_db,
    live_server): seeded by the command, or the copy of an earlier seed put back."""
    if _copyable():
        _seeded_or_put_back(_raw())
    else:
        seed()


def demo_for_the_module(name: str = "demo_seeded") -> Any:
    """A module-scoped fixture called `name`: the demo (see `seeded_demo`) for the module's
    tests, removed after its last one. Assign it in the module: `demo_seeded =
    demo_for_the_module()`."""

    @pytest.fixture(scope="module", name=name)
    def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
        with seeded_demo(django_db_blocker):
            yield

    return demo


def current_programme() -> Programme:
    """School 5's programme of the current year (the closed year before it has its own)."""
    return Programme.objects.filter(organisation__slug="school-5").latest(
        "academic_year__start_year"
    )
