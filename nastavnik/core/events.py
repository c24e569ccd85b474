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
from collections.abc import Callable
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

Listener = Callable[..., None]

_listeners: dict[str, list[Listener]] = defaultdict(list)


def subscribe(event: str, listener: Listener) -> None:
    """Call ``listener(event=..., **context)`` after every committed ``emit(event, ...)``."""
    if listener not in _listeners[event]:
        _listeners[event].append(listener)


def unsubscribe(event: str, listener: Listener) -> None:
    if listener in _listeners.get(event, []):
        _listeners[event].remove(listener)


def listeners(event: str) -> list[Listener]:
    return list(_listeners.get(event, []))


def emit(event: str, **context: Any) -> None:
    """Announce ``event`` with the objects it concerns, once the current transaction commits."""
    transaction.on_commit(lambda: _deliver(event, context))


def _deliver(event: str, context: dict[str, Any]) -> None:
    for listener in listeners(event):
        try:
            listener(event=event, **context)
        except Exception:
            # The change is committed; one listener's failure must not hide it from the others.
            logger.exception("listener %r of event %s failed", listener, event)
