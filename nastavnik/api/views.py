"""The «API tokens» page: a member creates and revokes their own tokens for the organisation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nastavnik.api.forms import RegionTokenForm, TokenForm
from nastavnik.api.models import ApiToken
from nastavnik.api.tokens import token_create, token_revoke, tokens_of
from nastavnik.core.access import AccountRequest, OrgRequest, account_view, org_view
from nastavnik.dashboards.region import operator_scope
from nastavnik.orgs.policy import Perm


@org_view(Perm.API_TOKENS)
def token_list(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = token_create(
                ctx.organisation,
                request.user,
                name=form.cleaned_data["name"],
                scopes=form.scopes,
                days=form.cleaned_data["days"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The token «%(name)s» is created.") % {"name": token.name})
            form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            # Shown on this one answer only: only its hash is kept.
            "secret": secret,
            "tokens": tokens_of(ctx.organisation, request.user),
        },
        status=200 if secret or request.method != "POST" or form.is_valid() else 422,
    )


@org_view(Perm.API_TOKENS)
@require_POST
def token_revoke_view(request: OrgRequest, token_pk: int) -> HttpResponse:
    ctx = request.org
    # One's own tokens only: nobody else's token is found here, in this or any organisation.
    token = get_object_or_404(
        ApiToken.objects.filter(organisation=ctx.organisation, user=request.user), pk=token_pk
    )
    token_revoke(token, by=request.user)
    messages.success(request, _("The token «%(name)s» is revoked.") % {"name": token.name})
    return redirect("api_tokens:list", org_slug=ctx.organisation.slug)


def _operator(request: AccountRequest) -> None:
    # Only a regional operator has regional tokens; for anyone else the page does not exist.
    if operator_scope(request.user) is None:
        raise Http404


@account_view
def region_token_list(request: AccountRequest) -> HttpResponse:
    """A regional operator's tokens: the API's aggregates of the area they cover, nothing else."""
    _operator(request)
    form = RegionTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        token, secret = token_create(
            None,
            request.user,
            name=form.cleaned_data["name"],
            scopes={},
            days=form.cleaned_data["days"],
        )
        messages.success(request, _("The token «%(name)s» is created.") % {"name": token.name})
        form = RegionTokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "secret": secret,
            "regional": True,
            "tokens": tokens_of(None, request.user),
        },
        status=200 if secret or request.method != "POST" else 422,
    )


@account_view
@require_POST
def region_token_revoke(request: AccountRequest, token_pk: int) -> HttpResponse:
    _operator(request)
    token = get_object_or_404(
        ApiToken.objects.filter(organisation=None, user=request.user), pk=token_pk
    )
    token_revoke(token, by=request.user)
    messages.success(request, _("The token «%(name)s» is revoked.") % {"name": token.name})
    return redirect("region:api_tokens")
