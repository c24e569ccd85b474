"""Counters of failed tries in the shared cache (Redis or the database table, see CACHES), so
every worker process and every server counts the same tries.

A throttle keys its counters by what is attacked (an account, the code space) and by the
address, with a looser limit per address: one pupil's mistakes then lock that pupil, never a
whole school that reaches the internet through one address.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Counter:
    """One counter: `limit` tries within `window` seconds of the first one."""

    key: str
    limit: int
    window: int

    def count(self) -> int:
        return int(cache.get(self.key) or 0)

    def reached(self) -> bool:
        return self.count() >= self.limit

    def hit(self) -> int:
        # add() starts the window; incr() keeps its expiry.
        if cache.add(self.key, 1, self.window):
            return 1
        try:
            return cache.incr(self.key)
        except ValueError:  # expired between the two calls
            cache.set(self.key, 1, self.window)
            return 1

    def reset(self) -> None:
        cache.delete(self.key)


def counter_key(kind: str, *parts: str) -> str:
    """A cache key that holds no personal data (e-mails, addresses) in clear."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return f"throttle:{kind}:{digest}"


def first_time(kind: str, window: int, *parts: str) -> bool:
    """True the first time `parts` are seen within `window` seconds: the same wrong code typed
    again is a typo repeated, not a new guess."""
    return bool(cache.add(counter_key(kind, *parts), 1, window))


def window_hits(kind: str, window: int, *parts: str) -> tuple[int, int]:
    """Count one call of `parts` in the current fixed window of `window` seconds: the calls of
    this window so far (this one included) and the seconds until the next one begins.

    The window's number is in the key, so the window ends on time whatever the backend does to
    a key's expiry on incr() (the database cache renews it, which would stretch a Counter's
    window for as long as calls keep coming). The usual case, a window already counting, costs
    one incr(); add() starts a window."""
    now = time.time()
    number = int(now // window)
    key = counter_key(kind, *parts, str(number))
    try:
        count = cache.incr(key)
    except ValueError:  # the first call of the window
        count = 1 if cache.add(key, 1, window + 1) else cache.incr(key)
    return count, max(1, int((number + 1) * window - now) + 1)
