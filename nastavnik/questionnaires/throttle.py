"""Wrong codes are counted per browser session and per address, in the cache, so that codes
cannot be guessed: after a few wrong tries a browser waits, and an address that many browsers
share (a school's network) gets a larger allowance before it waits too.

With 31⁸ ≈ 8.5·10¹¹ possible codes, 50 tries a quarter of an hour from one address find one of
100 000 live codes with a chance of about 1 in 2 000 a day.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = int(getattr(settings, "QUESTIONNAIRE_CODE_WINDOW_SECONDS", 15 * 60))
PER_SESSION = int(getattr(settings, "QUESTIONNAIRE_CODE_TRIES_PER_SESSION", 5))
PER_ADDRESS = int(getattr(settings, "QUESTIONNAIRE_CODE_TRIES_PER_ADDRESS", 50))


def _keys(request: HttpRequest) -> list[tuple[str, int]]:
    if not request.session.session_key:
        request.session.save()
    address = request.META.get("REMOTE_ADDR") or "unknown"
    return [
        (f"q-code-wrong:s:{request.session.session_key}", PER_SESSION),
        (f"q-code-wrong:a:{address}", PER_ADDRESS),
    ]


def is_locked(request: HttpRequest) -> bool:
    return any((cache.get(key) or 0) >= limit for key, limit in _keys(request))


def record_wrong(request: HttpRequest) -> None:
    for key, _limit in _keys(request):
        # add() starts the window; incr() keeps its expiry.
        if not cache.add(key, 1, WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, WINDOW_SECONDS)
