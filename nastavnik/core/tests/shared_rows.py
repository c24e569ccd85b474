"""Rows built once for a module of tests, as Django's TestCase.setUpTestData does for a class.

The rows go in inside a transaction that stays open while the module's tests run; each test
runs in a savepoint of it (pytest-django's `db`), so what a test changes is undone after it and
the next test finds the rows as they were built. After the module's last test the transaction
is rolled back: the rest of the suite never sees the rows. Each test gets a deep copy of the
built objects, so an attribute one test sets on an instance does not reach the next.

Only for modules whose tests run in transactions (`db`, not `transactional_db`/`live_server`:
those flush the database). Mail sent while building is not in a test's `mail.outbox`, which is
emptied before each test.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import pytest
from django.db import transaction

T = TypeVar("T")


@contextmanager
def rows_for_the_module(django_db_blocker: Any, build: Callable[[], T]) -> Iterator[T]:
    """Runs `build` in a transaction held open until the block ends, then rolled back.

    Use it in a module-scoped fixture (which also asks for `django_db_setup`), and hand each
    test `copy.deepcopy` of what it yields (see `copied`)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        # As TestCase's own: code under test may open a durable block inside it.
        atomic._from_testcase = True  # type: ignore[attr-defined]
        atomic.__enter__()
        try:
            built = build()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def copied(built: T) -> T:
    """A test's own copy of the module's objects (the rows themselves are shared)."""
    return copy.deepcopy(built)


def module_rows(build: Callable[[], T]) -> Any:
    """A module-scoped fixture named `built` whose value is what `build` made (see
    `rows_for_the_module`); a module takes it as `built = module_rows(make_world)` and hands
    its tests `copied(built)` from a function-scoped fixture that also asks for `db`."""

    @pytest.fixture(scope="module", name="built")
    def fixture(django_db_setup: None, django_db_blocker: Any) -> Iterator[T]:
        with rows_for_the_module(django_db_blocker, build) as made:
            yield made

    return fixture


def world_and_two_tenants(build: Callable[[], tuple[Any, Any, Any]]) -> tuple[Any, ...]:
    """The fixtures of a module whose `build` makes (a world, tenant A, tenant B) once:
    `built`, then per test `shared` (the copy) and `world`, `tenant_a`, `tenant_b` from it.
    A module takes them as `built, shared, world, tenant_a, tenant_b = world_and_two_tenants(
    make)`, so pytest finds each under its name."""

    @pytest.fixture(name="shared")
    def shared(built: tuple[Any, Any, Any], db: None) -> tuple[Any, Any, Any]:
        return copied(built)

    @pytest.fixture(name="world")
    def world(shared: tuple[Any, Any, Any]) -> Any:
        return shared[0]

    @pytest.fixture(name="tenant_a")
    def tenant_a(shared: tuple[Any, Any, Any]) -> Any:
        return shared[1]

    @pytest.fixture(name="tenant_b")
    def tenant_b(shared: tuple[Any, Any, Any]) -> Any:
        return shared[2]

    return module_rows(build), shared, world, tenant_a, tenant_b
