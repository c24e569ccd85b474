"""Login throttling beyond django-axes.

Axes locks an account at one address after five wrong passwords (settings.AXES_*). Two looser
counters here, in the same shared cache, stop what that lets through: guessing one account's
password from many addresses (per account), and trying a few passwords on many accounts from one
address (per address). Both limits are far above what a forgetful school produces, so a pupil
who forgot a password never locks the classmates behind the same address.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from nastavnik.core.client import client_ip
from nastavnik.core.throttle import Counter, counter_key

WINDOW_SECONDS = 15 * 60


def _counters(request: HttpRequest | None, username: str | None) -> list[Counter]:
    """The account's counter and the address's; None for the account when the attempt names
    none (a single sign-on refused before the provider said who it was)."""
    counters = []
    if username is not None:
        counters.append(
            Counter(
                counter_key("login:account", username),
                int(getattr(settings, "LOGIN_TRIES_PER_ACCOUNT", 20)),
                WINDOW_SECONDS,
            )
        )
    address = client_ip(request) if request is not None else None
    if address:
        counters.append(
            Counter(
                counter_key("login:address", address),
                int(getattr(settings, "LOGIN_TRIES_PER_ADDRESS", 200)),
                WINDOW_SECONDS,
            )
        )
    return counters


def login_locked(request: HttpRequest | None, username: str | None) -> bool:
    return any(counter.reached() for counter in _counters(request, username))


def login_failed(request: HttpRequest | None, username: str | None) -> None:
    for counter in _counters(request, username):
        counter.hit()
