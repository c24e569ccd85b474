"""Wrong codes are counted in the shared cache, per browser session and per address, so that
codes cannot be guessed: after a few wrong tries a browser waits, and an address that many
browsers share (a school's network) gets a much larger allowance before it waits too.

Only different wrong codes count: what is attacked is the space of codes, and a pupil who types
the same mistaken code again guesses nothing new. So one pupil's typos lock that pupil's browser,
not the school.

With 31⁸ ≈ 8.5·10¹¹ possible codes, 100 different tries a quarter of an hour from one address
find one of 100 000 live codes with a chance of about 1 in 900 a day.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from nastavnik.core.client import client_ip
from nastavnik.core.throttle import Counter, counter_key, first_time


def window_seconds() -> int:
    return int(getattr(settings, "QUESTIONNAIRE_CODE_WINDOW_SECONDS", 15 * 60))


def _session_key(request: HttpRequest) -> str:
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key or ""


def _counters(request: HttpRequest) -> list[Counter]:
    window = window_seconds()
    address = client_ip(request) or "unknown"
    per_session = int(getattr(settings, "QUESTIONNAIRE_CODE_TRIES_PER_SESSION", 5))
    per_address = int(getattr(settings, "QUESTIONNAIRE_CODE_TRIES_PER_ADDRESS", 100))
    return [
        Counter(counter_key("q-code:session", _session_key(request)), per_session, window),
        Counter(counter_key("q-code:address", address), per_address, window),
    ]


def is_locked(request: HttpRequest) -> bool:
    return any(counter.reached() for counter in _counters(request))


def record_wrong(request: HttpRequest, code: str) -> None:
    """Count a wrong code, once for each browser and each address that tries it."""
    session, address = _counters(request)
    normalised = "".join(code.split()).upper()
    for counter in (session, address):
        if first_time(f"{counter.key}:seen", counter.window, normalised):
            counter.hit()
