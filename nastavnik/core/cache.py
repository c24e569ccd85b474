"""The database cache of the throttles' counters, with an incr() of two queries.

Django's DatabaseCache counts by get() and set(): a read, then a count of the table for culling,
a transaction, a read and a write, six queries for every API call's rate-limit counter, and two
workers that count at the same moment can both write the same number. Here incr() reads the
value and writes the new one only if it is still the value read (compare and swap): two queries,
no transaction, no lost count, and the key keeps its expiry as Redis's INCR does.
"""

from __future__ import annotations

import base64
import pickle
from typing import Any

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router
from django.utils.timezone import now as tz_now

# Tries before giving up on a key that other workers keep changing under us.
CAS_TRIES = 20


class DatabaseCache(DjangoDatabaseCache):
    def __init__(self, table: str, params: dict[str, Any]) -> None:
        super().__init__(table, params)
        self.table = table

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table = quote_name(self.table)
        cache_key, value_column, expires = (
            quote_name(name) for name in ("cache_key", "value", "expires")
        )
        with connection.cursor() as cursor:
            for _ in range(CAS_TRIES):
                now = connection.ops.adapt_datetimefield_value(tz_now())
                cursor.execute(
                    f"SELECT {value_column} FROM {table} "
                    f"WHERE {cache_key} = %s AND {expires} >= %s",
                    [key, now],
                )
                row = cursor.fetchone()
                if row is None:
                    raise ValueError(f"Key '{key}' not found")
                old = connection.ops.process_clob(row[0])
                new_value = pickle.loads(base64.b64decode(old.encode())) + delta
                new = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol)).decode(
                    "latin1"
                )
                cursor.execute(
                    f"UPDATE {table} SET {value_column} = %s "
                    f"WHERE {cache_key} = %s AND {value_column} = %s AND {expires} >= %s",
                    [new, key, old, now],
                )
                if cursor.rowcount == 1:
                    return new_value
        raise RuntimeError(f"Key '{key}' kept changing while it was incremented")
