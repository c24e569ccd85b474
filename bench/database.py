"""The database the benchmarks run on, shared by those that use Django's test machinery."""

from __future__ import annotations


def ensure_postgres_database() -> None:
    """Django connects to the configured database before it makes the test one: create it
    when it is missing (the maintenance database `postgres` is asked)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    name = connection.settings_dict["NAME"]
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")
