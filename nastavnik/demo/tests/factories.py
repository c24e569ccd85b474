"""The demo seeded once for a module of tests, and taken away after it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import StringIO
from typing import Any

from django.core.management import call_command

from nastavnik.demo.seed import remove_demo
from nastavnik.orgs.models import AcademicYear, Municipality, Region


def seed(out: StringIO | None = None) -> None:
    call_command("seed_demo", stdout=out if out is not None else StringIO())


@contextmanager
def seeded_demo(django_db_blocker: Any, build: Callable[[], None] = seed) -> Iterator[None]:
    """Seed the demo with `build` outside a test's transaction (module-scoped fixtures), then
    remove it with the shared reference rows it added: remove_demo keeps years,
    municipalities and regions, which other tests' organisations may use."""
    with django_db_blocker.unblock():
        before = {
            model: set(model.objects.values_list("pk", flat=True))
            for model in (AcademicYear, Municipality, Region)
        }
        build()
    yield
    with django_db_blocker.unblock():
        remove_demo()
        for model, pks in before.items():
            model.objects.exclude(pk__in=pks).delete()
