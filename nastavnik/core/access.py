"""Access to views: every view declares who may use it, and tenant views resolve the
organisation in one place.

`org_view(perm)` is the only door to an organisation's pages: it resolves the organisation
from the URL, checks the user's membership (outsiders get 404, never a hint that the
organisation or row exists), checks the permission (members without it get 403), and
activates the organisation's time zone. `public_view` and `account_view` mark the few views
outside an organisation. `AccessDeclaredMiddleware` refuses any view that declares nothing,
so a new view that forgets is a failing test, not a leak.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.http.response import HttpResponseBase
from django.utils import timezone

from nastavnik.orgs.models import Membership, Organisation, Role
from nastavnik.orgs.policy import Perm, allows

if TYPE_CHECKING:
    from nastavnik.accounts.models import User

logger = logging.getLogger(__name__)

View = Callable[..., HttpResponseBase]
ACCESS_ATTR = "nastavnik_access"


@dataclass(frozen=True)
class OrgContext:
    organisation: Organisation
    roles: frozenset[str]

    def can(self, perm: Perm) -> bool:
        return allows(self.roles, perm)

    def has_role(self, role: Role) -> bool:
        return role in self.roles


class AccountRequest(HttpRequest):
    """The request `account_view` hands to its view: a signed-in account.

    Only a type: the object is Django's own request, whose user `account_view` has checked.
    """

    user: User


class OrgRequest(AccountRequest):
    """The request `org_view` hands to its view: a signed-in member of the organisation in the
    URL, with the organisation and the member's roles in it resolved once.

    Only a type: the object is Django's own request, given `org` by `org_view`.
    """

    org: OrgContext


def resolve_org(request: HttpRequest, org_slug: str) -> OrgContext:
    """The current organisation and the user's roles in it, or 404 for non-members."""
    if not request.user.is_authenticated:
        raise Http404
    # The roles and the organisation in one query: every page of an organisation asks this.
    memberships = list(
        Membership.objects.filter(user=request.user, organisation__slug=org_slug).select_related(
            "organisation__municipality__region"
        )
    )
    if not memberships:
        raise Http404
    return member_context(memberships[0].organisation, {m.role for m in memberships})


def member_context(organisation: Organisation, roles: Iterable[str]) -> OrgContext:
    """`resolve_org`'s answer from roles read already (the API reads them with the token):
    404 for an account with no role in the organisation."""
    roles = frozenset(roles)
    if not roles:
        raise Http404
    return OrgContext(organisation=organisation, roles=roles)


def org_view(perm: Perm) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(
            request: HttpRequest, org_slug: str, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            ctx = resolve_org(request, org_slug)
            if not ctx.can(perm):
                raise PermissionDenied
            org_request = cast(OrgRequest, request)
            org_request.org = ctx
            timezone.activate(ctx.organisation.timezone)
            return view(org_request, *args, **kwargs)

        setattr(wrapped, ACCESS_ATTR, ("org", perm))
        return wrapped

    return decorator


def public_view(view: View) -> View:
    """Anyone, logged in or not (login page, password reset, invitation links)."""
    setattr(view, ACCESS_ATTR, ("public", None))
    return view


def account_view(view: View) -> View:
    """Any logged-in account, outside an organisation (home, password change)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    setattr(wrapped, ACCESS_ATTR, ("account", None))
    return wrapped


def declared_access(view: Any) -> tuple[str, Perm | None] | None:
    view_class = getattr(view, "view_class", None)
    return getattr(view, ACCESS_ATTR, None) or getattr(view_class, ACCESS_ATTR, None)


# Views we do not write ourselves and which guard themselves.
_SELF_GUARDED_NAMESPACES = {"admin"}
_SELF_GUARDED_MODULES = ("django.views.static", "django.contrib.staticfiles")


class AccessDeclaredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: View, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match and _SELF_GUARDED_NAMESPACES.intersection(match.namespaces):
            return None
        if view_func.__module__.startswith(_SELF_GUARDED_MODULES):
            return None
        if declared_access(view_func) is None:
            logger.error("View %s declares no access; refused.", view_func.__qualname__)
            return HttpResponseForbidden()
        return None
