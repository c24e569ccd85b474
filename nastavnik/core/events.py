"""Domain events: what happened, said by the app where it happened, heard by the apps above.

The stage apps sit below the pages that gather from many apps (the notification centre among
them) and may not import them. So an app says what happened — ``emit("meeting.cancelled",
meeting=meeting, by=user)`` — and the apps above subscribe in their ``AppConfig.ready()``. Who is
told and with what words is decided there, in one place, not at every call site.

Events are delivered after the current transaction commits: a rolled-back change tells nobody,
and a listener never sees rows that are not written yet. Outside a transaction they are
delivered at once. A listener that fails is logged and does not undo the change or stop the
other listeners: the change has already happened.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

Listener = Callable[..., None]

_listeners: dict[str, list[Listener]] = defaultdict(list)
_muted: ContextVar[bool] = ContextVar("events_muted", default=False)


def subscribe(event: str, listener: Listener) -> None:
    """Call ``listener(event=..., **context)`` after every committed ``emit(event, ...)``."""
    if listener not in _listeners[event]:
        _listeners[event].append(listener)


def unsubscribe(event: str, listener: Listener) -> None:
    if listener in _listeners.get(event, []):
        _listeners[event].remove(listener)


def listeners(event: str) -> list[Listener]:
    return list(_listeners.get(event, []))


@contextmanager
def muted() -> Iterator[None]:
    """Nothing emitted inside is announced: for loading rows that tell of nothing happening now
    (the demo's year is built through the services, and must mail nobody)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def emit(event: str, **context: Any) -> None:
    """Announce ``event`` with the objects it concerns, once the current transaction commits."""
    if _muted.get():
        return
    transaction.on_commit(lambda: _deliver(event, context))


def _deliver(event: str, context: dict[str, Any]) -> None:
    for listener in listeners(event):
        try:
            listener(event=event, **context)
        except Exception:
            # The change is committed; one listener's failure must not hide it from the others.
            logger.exception("listener %r of event %s failed", listener, event)
