"""A clear page, not a server error, while the database is unreachable."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

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
