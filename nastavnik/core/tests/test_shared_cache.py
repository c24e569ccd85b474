"""The throttles' counters live in a cache every worker process shares: the database table
(default) or Redis (`DJANGO_CACHE_URL`)."""

import importlib
import os
import subprocess
import sys
import uuid
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nastavnik.core.cache import DatabaseCache
from nastavnik.core.throttle import Counter

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
DB_CACHE = {
    "default": {
        "BACKEND": "nastavnik.core.cache.DatabaseCache",
        "LOCATION": "nastavnik_cache",
    }
}
REDIS_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
}


def test_without_a_cache_url_the_settings_choose_the_database_cache():
    code = "import nastavnik.settings as s; print(s.CACHES['default']['BACKEND'])"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_CACHE_URL"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "nastavnik.core.cache.DatabaseCache"

    env["DJANGO_CACHE_URL"] = REDIS_URL
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "django.core.cache.backends.redis.RedisCache"


@pytest.mark.django_db
def test_the_migration_creates_the_cache_table_and_two_workers_share_it(settings):
    settings.CACHES = DB_CACHE
    assert "nastavnik_cache" not in connection.introspection.table_names()
    migration = importlib.import_module("nastavnik.core.migrations.0001_cache_table")

    migration.create_cache_table(None, SimpleNamespace(connection=connection))

    assert "nastavnik_cache" in connection.introspection.table_names()
    # Two processes each build their own cache object over the same table.
    first, second = DatabaseCache("nastavnik_cache", {}), DatabaseCache("nastavnik_cache", {})
    first.add("throttle:test", 1, 60)
    first.incr("throttle:test")
    assert second.get("throttle:test") == 2


@pytest.mark.django_db
def test_a_counter_in_the_database_cache_counts_in_two_queries_and_keeps_its_expiry(settings):
    """incr() reads and swaps the value: two queries (Django's get() and set() take six), no
    count of another worker lost, and the window's expiry stays where add() put it."""
    settings.CACHES = DB_CACHE
    migration = importlib.import_module("nastavnik.core.migrations.0001_cache_table")
    migration.create_cache_table(None, SimpleNamespace(connection=connection))
    first, second = DatabaseCache("nastavnik_cache", {}), DatabaseCache("nastavnik_cache", {})
    first.add("throttle:count", 1, 60)
    table = connection.ops.quote_name("nastavnik_cache")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT expires FROM {table}")
        (expires,) = cursor.fetchone()

    with CaptureQueriesContext(connection) as queries:
        assert first.incr("throttle:count") == 2
    assert len(queries) == 2
    assert second.incr("throttle:count", 3) == 5
    assert first.get("throttle:count") == 5
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT expires FROM {table}")
        assert cursor.fetchone() == (expires,)

    with pytest.raises(ValueError):
        first.incr("throttle:never-added")
    first.add("throttle:gone", 1, 60)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET expires = %s", ["2000-01-01 00:00:00"])
    with pytest.raises(ValueError):
        first.incr("throttle:gone")


def redis_or_skip():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")


HIT_IN_ANOTHER_PROCESS = """
import django
django.setup()
from nastavnik.core.throttle import Counter
for _ in range(3):
    Counter({key!r}, 5, 60).hit()
"""


def test_two_processes_share_a_counter_in_redis(settings):
    redis_or_skip()
    settings.CACHES = REDIS_CACHE
    key = f"throttle:test:{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "nastavnik.settings",
        "DJANGO_CACHE_URL": REDIS_URL,
    }
    try:
        subprocess.run(
            [sys.executable, "-c", HIT_IN_ANOTHER_PROCESS.format(key=key)], env=env, check=True
        )
        counter = Counter(key, 5, 60)
        assert counter.count() == 3
        assert not counter.reached()
        counter.hit()
        counter.hit()
        assert counter.reached()
    finally:
        Counter(key, 5, 60).reset()


@pytest.mark.django_db
def test_a_login_lockout_in_redis_holds_for_another_worker(client, tenant_a, settings):
    """Axes and the login throttles count in the shared cache: failures seen by one worker lock
    the account at the next, which here is a fresh connection to Redis."""
    from django.core.cache import caches
    from django.urls import reverse

    from conftest import PASSWORD
    from nastavnik.orgs.models import Role

    redis_or_skip()
    settings.CACHES = REDIS_CACHE
    user = tenant_a.user(Role.MENTOR)
    try:
        for _attempt in range(5):
            client.post(reverse("accounts:login"), {"username": user.email, "password": "guess"})
        caches.close_all()
        del caches["default"]  # the next worker's own connection

        response = client.post(
            reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
        )
        assert response.status_code == 429
    finally:
        caches["default"].clear()
