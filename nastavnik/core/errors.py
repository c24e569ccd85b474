"""Reports of server errors, to the administrators' mail and to Sentry, without the personal
data of pupils and staff: no request bodies, cookies, query strings, local variables, e-mails
or names leave the server in a report.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

SCRUBBED = "[scrubbed]"
# Path segments that look like secrets: one-time link tokens, signed values.
_TOKEN = re.compile(r"/[A-Za-z0-9_\-:.]{20,}")
# Headers that identify a person or carry a secret.
_HEADERS_DROPPED = {
    "cookie",
    "authorization",
    "x-csrftoken",
    "x-forwarded-for",
    "x-real-ip",
    "forwarded",
    "referer",
}


_META_KEPT = (
    "REQUEST_METHOD",
    "PATH_INFO",
    "SCRIPT_NAME",
    "SERVER_NAME",
    "SERVER_PORT",
    "SERVER_PROTOCOL",
    "HTTP_HOST",
    "HTTP_USER_AGENT",
    "HTTP_ACCEPT_LANGUAGE",
    "CONTENT_TYPE",
    "CONTENT_LENGTH",
    "HTTP_HX_REQUEST",
)


class PersonalDataFilter(SafeExceptionReporterFilter):
    """Django's filter, told that everything a request sends and every local variable may be
    personal data (forms of people, consents, answers of minors)."""

    # Settings that may hold a password inside a URL (Redis, Sentry) are hidden as well.
    hidden_settings = re.compile(
        "API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DSN|CACHE_URL|LOCATION", flags=re.I
    )

    def get_post_parameters(self, request: Any) -> dict[str, str]:
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_safe_cookies(self, request: Any) -> dict[str, str]:
        return dict.fromkeys(getattr(request, "COOKIES", {}), self.cleansed_substitute)

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> list[tuple[str, str]]:
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]

    def get_safe_request_meta(self, request: Any) -> dict[str, Any]:
        """Only what tells where the error happened: not the address, the referring page, the
        query string or the cookies."""
        if not hasattr(request, "META"):
            return {}
        meta = {key: request.META[key] for key in _META_KEPT if key in request.META}
        if "PATH_INFO" in meta:
            meta["PATH_INFO"] = _scrub_url(meta["PATH_INFO"])
        return meta


class QuietExceptionReporter(ExceptionReporter):
    """The report mailed to ADMINS: the traceback and where it happened, not what was typed."""

    def __init__(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.filter = PersonalDataFilter()

    def get_traceback_data(self) -> dict[str, Any]:
        data = super().get_traceback_data()
        # Query values (search terms: names of people), names of uploaded files, and the query
        # string and secrets in the address.
        if self.request is not None:
            hidden = PersonalDataFilter.cleansed_substitute
            data["request_GET_items"] = [(key, hidden) for key in self.request.GET]
            data["request_FILES_items"] = [(key, hidden) for key in self.request.FILES]
            if data.get("request_insecure_uri"):
                data["request_insecure_uri"] = _scrub_url(data["request_insecure_uri"])
        return data


def _scrub_url(url: str) -> str:
    parts = urlsplit(url)
    path = _TOKEN.sub("/" + SCRUBBED, parts.path)
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _scrub_request(request: dict[str, Any]) -> None:
    for key in ("cookies", "data", "query_string", "env"):
        request.pop(key, None)
    if "url" in request:
        request["url"] = _scrub_url(request["url"])
    headers = request.get("headers")
    if isinstance(headers, dict):
        request["headers"] = {
            name: value for name, value in headers.items() if name.lower() not in _HEADERS_DROPPED
        }


def _scrub_frames(event: dict[str, Any]) -> None:
    for exception in (event.get("exception") or {}).get("values") or []:
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for thread in (event.get("threads") or {}).get("values") or []:
        for frame in (thread.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """Sentry's `before_send`: the event without personal data; what broke and where stays."""
    if isinstance(event.get("request"), dict):
        _scrub_request(event["request"])
    if isinstance(event.get("user"), dict):
        # The account's number is enough to find it; never its e-mail, name or address.
        user_id = event["user"].get("id")
        event["user"] = {"id": user_id} if user_id is not None else {}
    _scrub_frames(event)
    for crumb in (event.get("breadcrumbs") or {}).get("values") or []:
        crumb.pop("data", None)
        if crumb.get("category") == "query":
            crumb["message"] = SCRUBBED
    if isinstance(event.get("extra"), dict):
        event["extra"].pop("sys.argv", None)
    return event


def init_sentry(dsn: str, *, environment: str) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub_event,
        traces_sample_rate=0.0,
    )
