"""Invitations: sending them from an organisation's members page, and accepting them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nastavnik.accounts import services
from nastavnik.accounts.access import invitation_by_token, invitation_for, membership_for
from nastavnik.accounts.forms import AcceptInvitationForm, InvitationForm
from nastavnik.accounts.models import Invitation, User
from nastavnik.accounts.sso.views import sso_buttons_for_invitation
from nastavnik.consents.rules import hidden_q
from nastavnik.core.access import OrgContext, OrgRequest, org_view, public_view
from nastavnik.core.outcomes import perform, submit
from nastavnik.orgs.models import Role
from nastavnik.orgs.policy import Perm
from nastavnik.people.access import people_of, person_for
from nastavnik.people.models import Person

# An account created here has proved its password through the form, not through a backend.
_LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _to_members(request: OrgRequest) -> HttpResponse:
    return redirect("orgs:members", org_slug=request.org.organisation.slug)


def invitation_form(
    ctx: OrgContext, data: Mapping[str, Any] | None = None, person: Person | None = None
) -> InvitationForm:
    """The invitation form as the members page and the invite page both show it."""
    # People who already have an account are linked already; the prefilled one stays choosable
    # so the form shows who is being invited.
    # Nobody whose data are hidden after a withdrawn consent is offered by name.
    people = (
        people_of(ctx)
        .exclude(hidden_q())
        .filter(Q(user__isnull=True) | Q(pk=getattr(person, "pk", None)))
    )
    initial = {"person": person.pk, "email": person.email} if person else {}
    return InvitationForm(
        data,
        initial=initial,
        roles=services.roles_assignable_by(ctx.roles),
        people=people,
    )


@org_view(Perm.MEMBERS_MANAGE)
def member_invite(request: OrgRequest) -> HttpResponse:
    ctx: OrgContext = request.org
    person = None
    person_pk = request.GET.get("person", "")
    if person_pk:
        if not person_pk.isdigit():
            raise Http404
        person = person_for(ctx, int(person_pk))
    form = invitation_form(ctx, request.POST or None, person)
    return submit(
        request,
        form,
        lambda: services.invitation_create(
            ctx.organisation,
            form.cleaned_data["email"],
            form.cleaned_data["role"],
            form.cleaned_data["person"],
            request.user,
            base_url=request.build_absolute_uri("/"),
        ),
        success=lambda invitation: (
            _("The invitation has been sent to %(email)s (the link is valid until %(date)s).")
            % {
                "email": invitation.email,
                "date": date_format(timezone.localtime(invitation.expires_at)),
            }
        ),
        redirect_to=_to_members(request),
        template="accounts/invite.html",
        context={"person": person, "ttl_days": settings.INVITATION_TTL_DAYS},
    )


@require_POST
@org_view(Perm.MEMBERS_MANAGE)
def invitation_revoke(request: OrgRequest, invitation_pk: int) -> HttpResponse:
    invitation = invitation_for(request.org, invitation_pk)
    return perform(
        request,
        lambda: services.invitation_revoke(invitation, request.user),
        success=_("The invitation for %(email)s has been revoked; its link no longer works.")
        % {"email": invitation.email},
        redirect_to=_to_members(request),
    )


@require_POST
@org_view(Perm.MEMBERS_MANAGE)
def membership_remove(request: OrgRequest, membership_pk: int) -> HttpResponse:
    membership = membership_for(request.org, membership_pk)
    return perform(
        request,
        lambda: services.membership_remove(membership, request.user),
        success=_("The role “%(role)s” has been taken from %(name)s.")
        % {"role": membership.get_role_display(), "name": membership.user},
        redirect_to=_to_members(request),
    )


def _not_usable(
    request: HttpRequest, invitation: Invitation | None, status: str | None = None
) -> HttpResponse:
    """What an invitee sees when the link leads nowhere: why, and what to do about it."""
    status = status or (invitation.status if invitation else "unknown")
    return render(
        request,
        "accounts/invitation_not_usable.html",
        {
            "invitation": invitation,
            "status": status,
            "ttl_days": settings.INVITATION_TTL_DAYS,
        },
        status=404 if invitation is None else 410,
    )


@public_view
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_by_token(token)
    if invitation is None or not invitation.is_usable:
        return _not_usable(request, invitation)
    organisation = invitation.organisation
    context: dict[str, object] = {
        "invitation": invitation,
        "organisation": organisation,
        "role": Role(invitation.role).label,
        "sso_buttons": sso_buttons_for_invitation(invitation.token, organisation.slug),
    }
    user = request.user
    if user.is_authenticated and services.normalise_email(user.email) != invitation.email:
        return render(
            request, "accounts/invitation_accept.html", {**context, "state": "wrong_account"}
        )

    if user.is_authenticated:
        if request.method == "POST":
            try:
                services.invitation_accept(invitation, user)
            except services.InvitationNotUsable as error:
                return _not_usable(request, invitation, error.status)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("The role “%(role)s” in %(organisation)s has been added to your account.")
                    % {"role": context["role"], "organisation": organisation.short_name},
                )
                return redirect("orgs:dashboard", org_slug=organisation.slug)
        return render(request, "accounts/invitation_accept.html", {**context, "state": "confirm"})

    if User.objects.filter(email__iexact=invitation.email).exists():
        return render(request, "accounts/invitation_accept.html", {**context, "state": "log_in"})

    person = invitation.person
    form = AcceptInvitationForm(
        request.POST or None,
        initial={"first_name": person.first_name, "last_name": person.last_name} if person else {},
    )
    if request.method == "POST" and form.is_valid():
        data = services.NewAccount(
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            password=form.cleaned_data["password"],
        )
        try:
            user = services.invitation_accept(invitation, data)
        except services.InvitationNotUsable as error:
            return _not_usable(request, invitation, error.status)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend=_LOGIN_BACKEND)
            messages.success(
                request,
                _(
                    "Welcome! Your account is ready, and you are now in %(organisation)s "
                    "as “%(role)s”."
                )
                % {"organisation": organisation.short_name, "role": context["role"]},
            )
            return redirect("orgs:dashboard", org_slug=organisation.slug)
    return render(
        request,
        "accounts/invitation_accept.html",
        {**context, "state": "new_account", "form": form},
    )
