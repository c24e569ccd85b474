"""The one way views fetch the page's rows: announcements of the current organisation, 404 for
anything else; and the open public page by its address, 404 when closed or unknown."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from nastavnik.core.access import OrgContext
from nastavnik.showcase.models import Announcement, AnnouncementQuerySet, PublicPage


def announcements_of(ctx: OrgContext) -> AnnouncementQuerySet:
    return Announcement.objects.for_org(ctx.organisation)


def announcement_for(ctx: OrgContext, pk: int) -> Announcement:
    return get_object_or_404(announcements_of(ctx), pk=pk)


def open_page(slug: str) -> PublicPage:
    """The open page of the organisation at `slug`: a closed page and an unknown address look
    the same, «not found»."""
    return get_object_or_404(
        PublicPage.objects.select_related("organisation"), organisation__slug=slug, enabled=True
    )
