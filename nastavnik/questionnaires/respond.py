"""Answering without an account: by a personal link, or by a code typed from a slip.

A code that works is remembered in the session (never in the address), so the questionnaire
page that follows needs no secret in its URL. Wrong codes are throttled (`throttle.py`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from nastavnik.core.access import public_view
from nastavnik.questionnaires import anonymity, throttle
from nastavnik.questionnaires.forms import CodeForm
from nastavnik.questionnaires.models import Channel, Invitation
from nastavnik.questionnaires.responses import (
    InvitationNotUsable,
    check_usable,
    invitation_by_code,
    invitation_by_token,
    pools_of,
    questions_of,
    raw_from_post,
    response_submit,
)
from nastavnik.questionnaires.sheet import answer_sheet, error_messages

SESSION_INVITATION = "respond_invitation"
SESSION_DONE = "respond_done"

_STATUS = {"not_found": 404, "no_consent": 403}


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _not_usable(request: HttpRequest, state: str, invitation: Invitation | None) -> HttpResponse:
    campaign = invitation.campaign if invitation else None
    return _private(
        render(
            request,
            "questionnaires/respond/not_usable.html",
            {"state": state, "campaign": campaign},
            status=_STATUS.get(state, 410),
        )
    )


def _locked(request: HttpRequest) -> HttpResponse:
    minutes = throttle.window_seconds() // 60
    return _private(
        render(request, "questionnaires/respond/locked.html", {"minutes": minutes}, status=429)
    )


@public_view
@never_cache
def code_entry(request: HttpRequest) -> HttpResponse:
    """Type the code from the slip; a slip's QR code opens this page with the code filled in."""
    typed = request.POST.get("code") if request.method == "POST" else request.GET.get("code")
    form = CodeForm({"code": typed} if typed is not None else None)
    if typed is not None:
        if throttle.is_locked(request):
            return _locked(request)
        invitation = invitation_by_code(typed) if form.is_valid() else None
        if invitation is None:
            throttle.record_wrong(request, typed)
            if throttle.is_locked(request):
                return _locked(request)
            form.add_error(
                "code",
                _("This code does not work. Check it against the slip and type it again."),
            )
        else:
            try:
                check_usable(invitation)
            except InvitationNotUsable as refused:
                return _not_usable(request, refused.state, invitation)
            request.session.cycle_key()
            request.session[SESSION_INVITATION] = invitation.pk
            return redirect("respond:answer")
    return _private(render(request, "questionnaires/respond/code.html", {"form": form}))


def _answer(request: HttpRequest, invitation: Invitation, channel: str) -> HttpResponse:
    try:
        check_usable(invitation)
    except InvitationNotUsable as refused:
        return _not_usable(request, refused.state, invitation)
    campaign = invitation.campaign
    timezone.activate(campaign.organisation.timezone)
    questions = questions_of(campaign)
    pools = pools_of(campaign, questions, invitation.person)
    raw: dict[str, list[str]] = {}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        raw = raw_from_post(request.POST, questions)
        try:
            response_submit(invitation, raw, channel=channel)
        except InvitationNotUsable as refused:
            return _not_usable(request, refused.state, invitation)
        except ValidationError as error:
            errors = error_messages(error)
        else:
            request.session.pop(SESSION_INVITATION, None)
            request.session[SESSION_DONE] = {
                "title": campaign.title,
                "organisation": campaign.organisation.short_name or campaign.organisation.name,
            }
            return redirect("respond:thanks")
    context: dict[str, Any] = {
        "campaign": campaign,
        "organisation": campaign.organisation,
        "questionnaire": campaign.questionnaire,
        "person": None if campaign.anonymous else invitation.person,
        "anonymity_min": anonymity.minimum(),
        "sheet": answer_sheet(questions, raw, errors, pools),
        "errors": errors,
    }
    return _private(render(request, "questionnaires/respond/answer.html", context))


@public_view
@never_cache
def answer_by_code(request: HttpRequest) -> HttpResponse:
    pk = request.session.get(SESSION_INVITATION)
    invitation = (
        Invitation.objects.select_related(
            "campaign__organisation", "campaign__questionnaire", "campaign__programme", "person"
        )
        .filter(pk=pk)
        .first()
        if pk
        else None
    )
    if invitation is None:
        return redirect("respond:code")
    return _answer(request, invitation, Channel.CODE)


@public_view
@never_cache
def answer_by_link(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_by_token(token)
    if invitation is None:
        return _not_usable(request, "not_found", None)
    return _answer(request, invitation, Channel.LINK)


@public_view
@never_cache
def thanks(request: HttpRequest) -> HttpResponse:
    done = request.session.get(SESSION_DONE) or {}
    return _private(render(request, "questionnaires/respond/thanks.html", {"done": done}))
