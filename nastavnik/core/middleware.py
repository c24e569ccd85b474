"""Middleware that wraps every request: what one request sets up is undone before the next one,
and pages that may carry personal data are kept out of every cache on the way."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from nastavnik.core.client import client_ip, current_address

GetResponse = Callable[[HttpRequest], HttpResponse]


class RequestScopeMiddleware:
    """Views activate the organisation's time zone; a worker thread serves the next request,
    maybe of another organisation or of nobody, so the zone is reset however the request ends.
    The client's address is made known to code without a request (the audit log) the same way.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_address.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
            current_address.reset(token)


def _may_be_cached(response: HttpResponse) -> bool:
    """A response whose view chose a cache policy itself: the public mentoring page
    (`public, no-cache` with a conditional GET), which carries only what was consented to."""
    cache_control = response.get("Cache-Control", "")
    return "public" in cache_control


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response this application renders, pages and
    downloads alike, except those marked public. Static files never get here (WhiteNoise
    answers them earlier, with their own long-lived caching)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not _may_be_cached(response):
            add_never_cache_headers(response)
        return response
