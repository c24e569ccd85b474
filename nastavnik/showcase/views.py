"""The settings of the organisation's public page and its announcements (PUBLIC_PAGE_EDIT)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nastavnik.core.access import OrgRequest, org_view
from nastavnik.core.outcomes import submit
from nastavnik.orgs.policy import Perm
from nastavnik.people.validators import org_today
from nastavnik.showcase import publication, services
from nastavnik.showcase.access import announcement_for, announcements_of
from nastavnik.showcase.forms import AnnouncementForm, PublicPageForm
from nastavnik.showcase.models import Announcement


def _settings_url(request: OrgRequest) -> str:
    return reverse("showcase:settings", kwargs={"org_slug": request.org.organisation.slug})


@org_view(Perm.PUBLIC_PAGE_EDIT)
def page_settings(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    organisation = ctx.organisation
    page = services.page_of(organisation)
    initial = {"enabled": page.enabled, "intro": page.intro, "contact": page.contact}
    form = PublicPageForm(request.POST or None, initial=initial)

    def shown() -> dict[str, Any]:
        today = org_today(organisation)
        programme = publication.programme_shown(organisation, today)
        return {
            "page": page,
            "announcements": list(announcements_of(ctx).order_by("-starts_at", "-pk")),
            "public_url": request.build_absolute_uri(
                reverse("public_page:page", kwargs={"slug": organisation.slug})
            ),
            "shown_mentors": publication.registry(programme, today).count(),
            "programme": programme,
        }

    return submit(
        request,
        form,
        lambda: services.public_page_save(organisation, form.cleaned_data, by=request.user),
        success=lambda saved: (
            _("The page is open to everyone.") if saved.enabled else _("The page is closed.")
        ),
        redirect_to=_settings_url(request),
        template="showcase/settings.html",
        context=shown,
    )


def _announcement_page(
    request: OrgRequest, form: AnnouncementForm, write: Callable[[], Announcement], title: str
) -> HttpResponse:
    return submit(
        request,
        form,
        write,
        success=_("The announcement is saved."),
        redirect_to=_settings_url(request),
        template="showcase/announcement_form.html",
        context={"title": title, "back": _settings_url(request)},
    )


@org_view(Perm.PUBLIC_PAGE_EDIT)
def announcement_add(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    form = AnnouncementForm(request.POST or None)
    return _announcement_page(
        request,
        form,
        lambda: services.announcement_create(ctx.organisation, form.cleaned_data, by=request.user),
        _("New announcement"),
    )


@org_view(Perm.PUBLIC_PAGE_EDIT)
def announcement_edit(request: OrgRequest, announcement_pk: int) -> HttpResponse:
    announcement = announcement_for(request.org, announcement_pk)
    initial: dict[str, Any] = {
        field: getattr(announcement, field) for field in services.ANNOUNCEMENT_FIELDS
    }
    form = AnnouncementForm(request.POST or None, initial=initial)
    return _announcement_page(
        request,
        form,
        lambda: services.announcement_update(announcement, form.cleaned_data),
        _("Edit the announcement"),
    )


@org_view(Perm.PUBLIC_PAGE_EDIT)
@require_POST
def announcement_delete(request: OrgRequest, announcement_pk: int) -> HttpResponse:
    announcement = announcement_for(request.org, announcement_pk)
    services.announcement_delete(announcement)
    messages.success(request, _("The announcement is deleted."))
    return redirect(_settings_url(request))
