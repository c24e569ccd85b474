"""Every row of some tables, to prove that a request changed nothing.

The tests of isolation take such a picture of the whole database twice in each of thousands of
tests; through the ORM (`values_list()` per model) that was nine tenths of their time. Here
each table is one prepared SELECT of the model's columns in primary-key order, and the rows
come as the database holds them: a row the ORM would read differently differs here too.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from django.db import connection, models


@cache
def _select(model: type[models.Model]) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in model._meta.concrete_fields)
    table = quote(model._meta.db_table)
    return f"SELECT {columns} FROM {table} ORDER BY {quote(model._meta.pk.column)}"


def table_rows(chosen: Iterable[type[models.Model]]) -> dict[str, list[tuple]]:
    """{model label: its rows in primary-key order}, one query per model."""
    found = {}
    with connection.cursor() as cursor:
        for model in chosen:
            cursor.execute(_select(model))
            found[model._meta.label] = [tuple(row) for row in cursor.fetchall()]
    return found


def rows_written() -> int:
    """Rows inserted, updated or deleted through the connection: since it opened on SQLite, in
    the open transaction on PostgreSQL (every test runs in one). Where a request must write
    nothing at all, two readings of this prove it for the whole database in one query."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.total_changes
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) "
            "FROM pg_stat_xact_all_tables"
        )
        return int(cursor.fetchone()[0])
