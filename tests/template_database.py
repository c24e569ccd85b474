"""One migrated SQLite database per state of the code, copied into each test database.

Every pytest-xdist worker used to build its in-memory test database through all the
migrations: about 18 s of CPU each before its first test, most of it Django rendering
migration states. Now a subprocess migrates a file once (the controller starts it as the run
begins, while the workers collect their tests), and each worker copies that file into its
in-memory database with SQLite's backup API before Django's own `migrate`, which then finds
nothing to apply.

The file is kept in a per-user temporary folder under a key of everything that decides what
the migrations write: the project's source outside tests, templates and static files (the
migrations and the built-in catalogue and questionnaires they load), the locked
dependencies, Python's version and the environment's DJANGO_ and DATABASE settings. The next
run on the same code skips the migrations altogether; a change to any of those makes a new
file. Only SQLite in memory takes this path: PostgreSQL and a kept database (--reuse-db)
migrate as before.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_FOLDERS = {"tests", "templates", "static", "__pycache__"}
# A template no run has used for this long is some older state of the code: removed.
STALE_AFTER_S = 3 * 24 * 3600

# The open connections that keep each restored in-memory database alive until Django opens its
# own: an in-memory SQLite database lives as long as some connection to it is open.
_keepers: list[sqlite3.Connection] = []


def folder() -> Path | None:
    """The current user's folder for templates, or None when it is not safely ours."""
    path = Path(tempfile.gettempdir()) / f"nastavnik-test-databases-{os.getuid()}"
    path.mkdir(mode=0o700, exist_ok=True)
    # Another user's folder of the same name could hold a planted database.
    if path.stat().st_uid != os.getuid() or path.stat().st_mode & 0o077:
        return None
    return path


def key() -> str:
    digest = hashlib.sha256()
    digest.update(sys.version.encode())
    # How the template is built is part of what it holds.
    digest.update(Path(__file__).read_bytes())
    for name, value in sorted(os.environ.items()):
        if name.startswith(("DJANGO_", "DATABASE")):
            digest.update(f"{name}={value}\n".encode())
    sources = [ROOT / "requirements.lock"]
    sources += sorted(
        path
        for path in (ROOT / "nastavnik").rglob("*")
        if path.is_file() and not SKIPPED_FOLDERS.intersection(path.relative_to(ROOT).parts)
    )
    for path in sources:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


@contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    with lock_path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@functools.cache
def _current_key() -> str:
    # The code does not change under a running process.
    return key()


@contextmanager
def kept(name: str) -> Iterator[Path | None]:
    """The path of a file named `name` kept for the code as it is (other processes and later
    runs of the same code find it), locked while the caller reads or writes it. It may not
    exist yet: the caller makes it. None when there is no safe folder."""
    where = folder()
    if where is None:
        yield None
        return
    path = where / f"{_current_key()}-{name}"
    with _locked(path.with_name(f"{path.name}.lock")):
        yield path
    if path.exists():
        path.touch()  # in use, so not stale
    _remove_stale(where)


def ensure() -> Path | None:
    """The migrated template for the code as it is, built first if no run has built it.

    Processes that ask at once wait for the one that builds. None when it cannot be built: the
    caller migrates as usual, and shows the migrations' own error if there is one."""
    with kept("migrated.sqlite3") as template:
        if template is None or (not template.exists() and not _build(template)):
            return None
    return template


def _build(template: Path) -> bool:
    partial = template.with_suffix(f".{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "nastavnik.settings_test",
        "DATABASE_URL": f"sqlite:///{partial}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.template_database", "build"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        return False
    partial.rename(template)
    return True


def _remove_stale(where: Path) -> None:
    now = time.time()
    for path in where.glob("*"):
        try:
            if now - path.stat().st_mtime > STALE_AFTER_S:
                path.unlink()
        except FileNotFoundError:
            pass


def restore(template: Path, database_name: str) -> None:
    """Copy the template into the in-memory database that Django's tests will open."""
    keeper = sqlite3.connect(database_name, uri=True)
    source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
    try:
        source.backup(keeper)
    finally:
        source.close()
    _keepers.append(keeper)


def start_building() -> None:
    """Build the template in the background (the xdist controller, while workers collect)."""
    threading.Thread(target=ensure, name="template-database", daemon=True).start()


def install() -> None:
    """Make Django's SQLite test databases start from the template."""
    from django.db.backends.sqlite3.creation import DatabaseCreation

    original = DatabaseCreation._create_test_db

    def _create_test_db(
        self: DatabaseCreation, verbosity: int, autoclobber: bool, keepdb: bool = False
    ) -> str:
        name = original(self, verbosity, autoclobber, keepdb)
        if not keepdb and self.is_in_memory_db(name):
            template = ensure()
            if template is not None:
                restore(template, name)
        return name

    DatabaseCreation._create_test_db = _create_test_db  # type: ignore[method-assign]


def _build_here() -> None:
    """Migrate the database DATABASE_URL names, as Django's create_test_db does."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False, run_syncdb=True)
    call_command("createcachetable", verbosity=0)


if __name__ == "__main__" and sys.argv[1:] == ["build"]:
    _build_here()
