"""The REST API's machinery: token authentication, tenancy, problem details, pages, ETags.

Tenancy and rights follow the same rules as the pages: the token's query reads its owner's
roles in its organisation and `core.access.member_context` answers as for `resolve_org` (404
for non-members), `orgs.policy.allows` decides each right (403), and the access modules of the
apps fetch the rows (404 for rows of another organisation). A token only narrows what its
owner may do: its organisation and its scopes (area, read or write) are checked first.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from functools import wraps
from http import HTTPStatus
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import URLPattern, URLResolver
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from pydantic import BaseModel, ConfigDict, create_model

from nastavnik.api.models import ApiToken, Area
from nastavnik.api.tokens import token_by_secret, token_with_roles
from nastavnik.audit.models import AuditAction, AuditChannel, AuditObject
from nastavnik.audit.services import audit_record, current_channel
from nastavnik.core.access import ACCESS_ATTR, OrgContext, OrgRequest, member_context
from nastavnik.core.throttle import window_hits
from nastavnik.orgs.policy import Perm

PROBLEM_TYPE = "application/problem+json"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 50
# Calls a token may make per window (seconds), counted in the shared cache across workers.
DEFAULT_RATE = 600
RATE_WINDOW = 60


# --- Problem details (RFC 9457) ----------------------------------------------------------------


class FieldProblem(Schema):
    loc: list[str]
    message: str
    code: str


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[FieldProblem] | None = None


ERROR_CODES = (400, 401, 403, 404, 422, 429)


def responses(ok: Any, status: int = 200, *extra: int) -> dict[int, Any]:
    """An operation's responses: its result and the problems every operation may answer."""
    return {status: ok, **dict.fromkeys((*ERROR_CODES, *extra), Problem)}


def problem(
    status: int,
    title: str,
    detail: str | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    import json

    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors is not None:
        body["errors"] = errors
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_TYPE
    )


class RateLimited(Exception):
    def __init__(self, wait: int) -> None:
        super().__init__(wait)
        self.wait = wait


class Conflict(Exception):
    """The row is in a state that forbids the change (hidden after a withdrawn consent…)."""


def django_errors(error: DjangoValidationError) -> list[dict[str, Any]]:
    """The messages of a Django ValidationError, in Russian, per field."""
    with translation.override("ru"):
        if hasattr(error, "error_dict"):
            return [
                {"loc": ["body", field], "message": str(message), "code": item.code or "invalid"}
                for field, items in error.error_dict.items()
                for item in items
                for message in item.messages
            ]
        return [
            {"loc": ["body"], "message": str(message), "code": item.code or "invalid"}
            for item in error.error_list
            for message in item.messages
        ]


# Pydantic's messages are English; the people who read validation errors read Russian.
_PYDANTIC_MESSAGES = {
    "missing": "Обязательное поле.",
    "extra_forbidden": "Такого поля нет.",
    "literal_error": "Недопустимое значение: выберите одно из перечисленных в схеме.",
    "enum": "Недопустимое значение: выберите одно из перечисленных в схеме.",
    "greater_than_equal": "Значение меньше допустимого.",
    "less_than_equal": "Значение больше допустимого.",
    "string_too_long": "Слишком длинная строка.",
}


def _pydantic_message(kind: str) -> str:
    if kind in _PYDANTIC_MESSAGES:
        return _PYDANTIC_MESSAGES[kind]
    if kind.endswith(("_parsing", "_type")):
        return "Неверный формат значения."
    return "Недопустимое значение."


def _install_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(AuthenticationError)
    def unauthorised(request: HttpRequest, exc: Exception) -> HttpResponse:
        response = problem(
            401, "Unauthorized", "A valid, unexpired and unrevoked access token is required."
        )
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # Ninja's own refusals: a body that is not JSON (400) and the like.
        return problem(exc.status_code, HTTPStatus(exc.status_code).phrase, exc.message)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(403, "Forbidden", "The token or its owner's role does not allow this.")

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(404, "Not Found")

    @api.exception_handler(RateLimited)
    def limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
        response = problem(429, "Too Many Requests", "The token's rate limit is reached.")
        response["Retry-After"] = str(exc.wait)
        return response

    @api.exception_handler(Conflict)
    def conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
        return problem(409, "Conflict", str(exc))

    @api.exception_handler(NinjaValidationError)
    def invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            {
                "loc": [str(part) for part in error.get("loc", ())],
                "message": _pydantic_message(str(error.get("type", ""))),
                "code": str(error.get("type", "invalid")),
            }
            for error in exc.errors
        ]
        return problem(
            422, "Unprocessable Content", "The request does not match the schema.", errors
        )

    @api.exception_handler(DjangoValidationError)
    def invalid_data(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return problem(
            422,
            "Unprocessable Content",
            "The data break a rule of the registry.",
            django_errors(exc),
        )


# --- Authentication and tenancy ----------------------------------------------------------------


def rate_limit() -> int:
    return int(getattr(settings, "API_RATE_PER_MINUTE", DEFAULT_RATE))


class TokenAuth(HttpBearer):
    """A personal access token of the organisation in the URL, with the router's area in its
    scopes: read for safe methods, write for the rest."""

    def __init__(self, area: Area | None) -> None:
        super().__init__()
        self.area = area

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        # The token and its owner's roles in its organisation in one query.
        with_roles = token_with_roles(token)
        if with_roles is None:
            return None
        found, roles = with_roles
        _counted(found)
        match = request.resolver_match
        org_slug = (match.kwargs if match else {}).get("org_slug")
        # A token of another organisation (or a regional one) finds nothing here, as a
        # non-member's page does.
        if found.organisation is None or org_slug != found.organisation.slug:
            raise Http404
        request.user = found.user
        # `resolve_org`'s rule: the owner's roles in the organisation, 404 without one.
        ctx = member_context(found.organisation, roles)
        if self.area is not None and not found.allows(
            self.area, request.method not in SAFE_METHODS
        ):
            raise PermissionDenied
        cast(OrgRequest, request).org = ctx
        timezone.activate(ctx.organisation.timezone)
        return found


class RegionTokenAuth(HttpBearer):
    """A regional operator's token (one without an organisation): the aggregates of the
    regions and municipalities the owner covers now; a school's token finds nothing here."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = _counted(token_by_secret(token))
        if found is None:
            return None
        if found.organisation_id is not None:
            raise Http404
        if not found.allows(Area.REGION, request.method not in SAFE_METHODS):
            raise PermissionDenied
        request.user = found.user
        return found


def _counted(token: ApiToken | None) -> ApiToken | None:
    """The token, once its call is counted against its rate limit (429 beyond it)."""
    if token is not None:
        calls, wait = window_hits("api", RATE_WINDOW, str(token.pk))
        if calls > rate_limit():
            raise RateLimited(wait)
    return token


def org_of(request: OrgRequest, perm: Perm) -> OrgContext:
    """The organisation of the call, once the owner's roles allow `perm` (the views' rule)."""
    ctx: OrgContext = request.org
    if not ctx.can(perm):
        raise PermissionDenied
    return ctx


# --- Pages -------------------------------------------------------------------------------------


class Out(BaseModel):
    """What an operation answers. A plain pydantic model, not ninja's Schema: the operations
    build their answers as dicts, which pydantic validates in its core, while Schema's
    validator wraps every row and every nested object in a DjangoGetter first (a quarter of a
    list call's CPU). The OpenAPI schema is the same."""

    model_config = ConfigDict(from_attributes=True)


def page_schema(item: type[Out], name: str) -> type[Out]:
    return create_model(
        name,
        __base__=Out,
        count=(int, ...),
        page=(int, ...),
        page_size=(int, ...),
        pages=(int, ...),
        results=(list[item], ...),
    )


def paginate(
    queryset: QuerySet[Any] | list[Any],
    page: int,
    page_size: int,
    render: Callable[[Any], Any] = lambda row: row,
) -> dict[str, Any]:
    start = (page - 1) * page_size
    rows = list(queryset[start : start + page_size])
    if not isinstance(queryset, QuerySet):
        count = len(queryset)
    elif 0 < len(rows) < page_size or (not rows and not start):
        # A page that is not full is the last one: its rows tell the count, with no query.
        count = start + len(rows)
    else:
        count = queryset.count()
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "pages": max(1, math.ceil(count / page_size)),
        "results": [render(row) for row in rows],
    }


# --- The API object and its URLs ---------------------------------------------------------------


class Api(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        # Problems are problem details: say so, so clients and schema checks read them right.
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[PROBLEM_TYPE] = content.pop("application/json")
        return schema


def _with_etag(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return response
    etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    response["ETag"] = etag
    patch_vary_headers(response, ["Authorization"])
    wanted = request.headers.get("If-None-Match", "")
    if etag in {tag.strip() for tag in wanted.split(",")}:
        not_modified = HttpResponseNotModified()
        not_modified["ETag"] = etag
        return not_modified
    return response


def _audited(request: HttpRequest, response: HttpResponse) -> None:
    token = getattr(request, "auth", None)
    if not isinstance(token, ApiToken) or request.method in SAFE_METHODS:
        return
    # A regional token only reads; the audit log belongs to an organisation.
    if response.status_code >= 400 or token.organisation_id is None:
        return
    audit_record(
        token.organisation_id,
        action=AuditAction.API_WRITE,
        object_type=AuditObject.API_TOKEN,
        object_id=token.pk,
        label=str(token),
        by=token.user,
        channel=AuditChannel.API,
        changes={"request": [None, f"{request.method} {request.path}"]},
    )


def _api_view(view: Callable[..., HttpResponse], access: tuple[str, None]) -> Callable:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        reset = current_channel.set(AuditChannel.API)
        try:
            response = view(request, *args, **kwargs)
            _audited(request, response)
        finally:
            current_channel.reset(reset)
        return _with_etag(request, response)

    setattr(wrapped, ACCESS_ATTR, access)
    return wrapped


def api_urls(api: Api) -> tuple[list[Any], str, str]:
    """The API's URL patterns, each view wrapped: access declared (the operations check their
    token; the schema and the docs are public), the audit channel set, ETags added."""
    patterns, app_name, namespace = api.urls
    for pattern in _flatten(patterns):
        public = pattern.name in {"openapi-json", "openapi-view", "api-root"}
        pattern.callback = _api_view(pattern.callback, ("public" if public else "api", None))
    return patterns, app_name, namespace


def _flatten(patterns: list[Any]) -> list[URLPattern]:
    found: list[URLPattern] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            found.extend(_flatten(entry.url_patterns))
        else:
            found.append(entry)
    return found


def new_api() -> Api:
    api = Api(
        title="Nastavnik API",
        version="1",
        description=_API_DESCRIPTION,
        urls_namespace="api",
        openapi_url="/openapi.json",
        docs_url="/docs",
    )
    _install_handlers(api)
    return api


_API_DESCRIPTION = (
    "The REST API of Nastavnik, version 1 (the version is in the path: /api/v1/; a change "
    "that breaks clients comes as /api/v2/). Authenticate with a personal access token "
    "created on the «API tokens» page of the organisation: `Authorization: Bearer nst_…`. "
    "Errors are RFC 9457 problem details (application/problem+json) in English; validation "
    "messages are in Russian. Lists are paged (`page`, `page_size` ≤ 100). GET answers carry "
    "an ETag; send it back in If-None-Match to get 304."
)
