from __future__ import annotations

import copy
from typing import Any

from django.conf import settings as django_settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nastavnik.accounts.access import invitations_of, memberships_of
from nastavnik.accounts.services import roles_assignable_by
from nastavnik.accounts.views import invitation_form
from nastavnik.core.access import OrgRequest, org_view
from nastavnik.orgs.forms import LetterheadForm, OrganisationForm
from nastavnik.orgs.policy import Perm
from nastavnik.orgs.services import letterhead_set, organisation_update
from nastavnik.people.models import Person


@org_view(Perm.MEMBERS_VIEW)
def members(request: OrgRequest) -> HttpResponse:
    """Accounts of the organisation with their roles; for those who manage members, also the
    pending invitations and the form to invite someone."""
    ctx = request.org
    organisation = ctx.organisation
    memberships = (
        memberships_of(ctx)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email", "role")
    )
    people = {
        p.user_id: p
        for p in Person.objects.for_org(organisation).filter(user__in=memberships.values("user"))
    }
    # An account's row for the template: its user, its person and its roles.
    accounts: dict[int, dict[str, Any]] = {}
    for membership in memberships:
        entry = accounts.setdefault(
            membership.user_id,
            {"user": membership.user, "person": people.get(membership.user_id), "roles": []},
        )
        entry["roles"].append(membership)
    context: dict[str, object] = {"accounts": list(accounts.values())}
    if ctx.can(Perm.MEMBERS_MANAGE):
        context.update(
            can_manage=True,
            removable_roles={r.value for r in roles_assignable_by(ctx.roles)},
            invitations=invitations_of(ctx)
            .pending()
            .select_related("invited_by", "person")
            .order_by("expires_at"),
            form=invitation_form(ctx),
            ttl_days=django_settings.INVITATION_TTL_DAYS,
        )
    return render(request, "orgs/members.html", context)


@org_view(Perm.ORGANISATION_EDIT)
def settings(request: OrgRequest) -> HttpResponse:
    """The organisation's requisites (they head every document) and its time zone."""
    organisation = request.org.organisation
    # A copy, so a rejected form does not blank the header of the page that shows the errors.
    form = OrganisationForm(request.POST or None, instance=copy.copy(organisation))
    if request.method == "POST" and form.is_valid():
        organisation_update(
            organisation, **{f: form.cleaned_data[f] for f in OrganisationForm.Meta.fields}
        )
        messages.success(request, _("The organisation's details have been saved."))
        return redirect("orgs:settings", org_slug=organisation.slug)
    return render(
        request, "orgs/settings.html", {"form": form, "letterhead_form": LetterheadForm()}
    )


@require_POST
@org_view(Perm.ORGANISATION_EDIT)
def letterhead(request: OrgRequest) -> HttpResponse:
    """Upload the organisation's own DOCX blank, or remove it (the «remove» button)."""
    organisation = request.org.organisation
    if "remove" in request.POST:
        letterhead_set(organisation, None)
        messages.success(request, _("The letterhead blank has been removed."))
        return redirect("orgs:settings", org_slug=organisation.slug)
    letterhead_form = LetterheadForm(request.POST, request.FILES)
    if letterhead_form.is_valid():
        letterhead_set(organisation, letterhead_form.cleaned_data["blank"])
        messages.success(
            request, _("The letterhead blank has been saved; new orders start with it.")
        )
        return redirect("orgs:settings", org_slug=organisation.slug)
    form = OrganisationForm(instance=copy.copy(organisation))
    return render(
        request,
        "orgs/settings.html",
        {"form": form, "letterhead_form": letterhead_form},
        status=400,
    )
