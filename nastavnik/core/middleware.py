"""Middleware that wraps every request: what one request sets up is undone before the next one,
pages that may carry personal data are kept out of every cache on the way, and a lost database
is a clear page, not a server error."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from nastavnik.core.client import client_ip, current_address

logger = logging.getLogger(__name__)

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


# Seconds a browser or a proxy is told to wait before asking again.
RETRY_AFTER = 30


def database_unavailable_response() -> HttpResponse:
    """The 503 page: rendered without the request, so no context processor, no session and no
    user is touched (each of them would ask the database that is away)."""
    response = HttpResponse(render_to_string("core/database_unavailable.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # Lost or refused connections; errors in a query (IntegrityError, DataError …) are bugs
        # and stay server errors.
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("database unavailable on %s: %s", request.path, exception)
        return database_unavailable_response()
