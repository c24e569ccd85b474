"""The doors of single sign-on: the login page's buttons, the start of a sign-in (to the
provider) and the provider's callback (back here). Refusals land on the login page with a
message saying why; the password login beside them is unchanged."""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from nastavnik.accounts.access import invitation_by_token
from nastavnik.accounts.sso import providers
from nastavnik.accounts.sso.client import OidcClient, ProtocolError
from nastavnik.accounts.sso.linking import MESSAGES, SsoRefused, sso_sign_in
from nastavnik.accounts.sso.providers import Provider, ProviderUnavailable
from nastavnik.accounts.throttle import WINDOW_SECONDS, login_failed, login_locked
from nastavnik.core.access import public_view

logger = logging.getLogger(__name__)

SESSION_KEY = "sso_flows"
# Sign-ins started and not yet returned, per session: a few tabs' worth, each for a while.
MAX_FLOWS = 5
FLOW_TTL_SECONDS = 10 * 60
STATE_MAX_LENGTH = 64
CODE_MAX_LENGTH = 2048
# An account created by an invitation proved itself through the provider, not a backend.
_LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


class SsoLoginView(LoginView):
    """Django's login page, with a button for each provider on offer (none: as before)."""

    template_name = "accounts/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        org_slug = self.request.GET.get("org", "")
        query = {"next": context["next"]} if context.get("next") else {}
        context["sso_buttons"] = [
            (provider.button_label, _start_url(provider) + _query(query))
            for provider in providers.offered(org_slug)
        ]
        return context


def sso_buttons_for_invitation(token: str, org_slug: str) -> list[tuple[str, str]]:
    """The buttons of an invitation's page: the sign-in starts with the invitation."""
    return [
        (provider.button_label, _start_url(provider) + _query({"invitation": token}))
        for provider in providers.offered(org_slug)
    ]


def _start_url(provider: Provider) -> str:
    if provider.organisation_id is None:
        return reverse("accounts:sso_start")
    return reverse(
        "accounts:sso_start_org", args=[provider.key.removeprefix(providers.ORG_KEY_PREFIX)]
    )


def _query(params: dict[str, str]) -> str:
    return "?" + urlencode(params) if params else ""


def _to_login(request: HttpRequest, provider: Provider | None, message: str) -> HttpResponse:
    messages.error(request, message)
    url = reverse("accounts:login")
    if provider is not None and provider.organisation_id is not None:
        url += _query({"org": provider.key.removeprefix(providers.ORG_KEY_PREFIX)})
    return HttpResponseRedirect(url)


def _refused(request: HttpRequest, provider: Provider, code: str, **params: object) -> HttpResponse:
    return _to_login(request, provider, SsoRefused(code, **params).message(provider))


def _throttled(request: HttpRequest, provider: Provider) -> HttpResponse:
    return _refused(request, provider, "throttled", minutes=WINDOW_SECONDS // 60)


@public_view
@never_cache
@require_GET
def sso_start(request: HttpRequest, slug: str = "") -> HttpResponse:
    """To the provider: the organisation's of `slug`, or the site's."""
    provider = providers.org_provider(slug) if slug else providers.site_provider()
    if provider is None:
        raise Http404
    if login_locked(request, None):
        return _throttled(request, provider)
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    invitation = request.GET.get("invitation", "")
    if invitation:
        found = invitation_by_token(invitation)
        if found is None or not found.is_usable:
            return _refused(request, provider, "invitation_not_usable")
    try:
        client = OidcClient(provider)
    except ProviderUnavailable as error:
        logger.warning("SSO provider %s unavailable: %s", provider.key, error)
        return _refused(request, provider, "unavailable")
    authorization = client.authorization(_callback_url(request))
    flows = _flows(request)
    while len(flows) >= MAX_FLOWS:
        del flows[min(flows, key=lambda state: flows[state]["at"])]
    flows[authorization.state] = {
        "provider": provider.key,
        "nonce": authorization.nonce,
        "code_verifier": authorization.code_verifier,
        "next": next_url,
        "invitation": invitation,
        "at": time.time(),
    }
    request.session[SESSION_KEY] = flows
    return HttpResponseRedirect(authorization.url)


@public_view
@never_cache
@require_GET
def sso_callback(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    flows = _flows(request)
    # Spent at once, whatever happens next: a replayed callback finds nothing.
    flow = flows.pop(state, None) if 0 < len(state) <= STATE_MAX_LENGTH else None
    request.session[SESSION_KEY] = flows
    request.session.save()
    provider = providers.by_key(flow["provider"]) if flow else None
    if flow is None or provider is None or time.time() - flow["at"] > FLOW_TTL_SECONDS:
        name = provider.name if provider else _("single sign-on")
        return _to_login(request, provider, str(MESSAGES["failed"]) % {"provider": name})
    if login_locked(request, None):
        return _throttled(request, provider)
    code = request.GET.get("code", "")
    if request.GET.get("error") or not code or len(code) > CODE_MAX_LENGTH:
        logger.info("SSO %s answered %r", provider.key, request.GET.get("error", "no code")[:100])
        return _refused(request, provider, "failed")
    try:
        identity = OidcClient(provider).identity(
            request, code, _callback_url(request), flow["nonce"], flow["code_verifier"]
        )
    except ProviderUnavailable as error:
        logger.warning("SSO provider %s unavailable: %s", provider.key, error)
        return _refused(request, provider, "unavailable")
    except ProtocolError as error:
        logger.warning("SSO %s: %s", provider.key, error)
        login_failed(request, None)
        return _refused(request, provider, "failed")
    account_key = identity.email or None
    if login_locked(request, account_key):
        return _throttled(request, provider)
    try:
        user = sso_sign_in(provider, identity, flow["invitation"])
    except SsoRefused as refusal:
        logger.info("SSO %s refused %s: %s", provider.key, identity.subject, refusal.code)
        login_failed(request, account_key)
        return _to_login(request, provider, refusal.message(provider))
    login(request, user, backend=_LOGIN_BACKEND)
    invitation = invitation_by_token(flow["invitation"]) if flow["invitation"] else None
    if invitation is not None:
        organisation = invitation.organisation
        messages.success(
            request,
            _("The role “%(role)s” in %(organisation)s has been added to your account.")
            % {"role": invitation.get_role_display(), "organisation": organisation.short_name},
        )
        return redirect("orgs:dashboard", org_slug=organisation.slug)
    return HttpResponseRedirect(flow["next"] or resolve_url(settings.LOGIN_REDIRECT_URL))


def _callback_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("accounts:sso_callback"))


def _flows(request: HttpRequest) -> dict[str, dict[str, Any]]:
    flows = request.session.get(SESSION_KEY)
    return dict(flows) if isinstance(flows, dict) else {}
