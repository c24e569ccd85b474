"""Writes of the public page: its settings and the announcements. Atomic and validated; a
refusal changes nothing. Nothing here touches personal data, so nothing goes to the audit log
(the page shows people only as their consents allow, read when it is shown)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import User
from nastavnik.core.rules import rule_errors
from nastavnik.orgs.models import Organisation
from nastavnik.showcase.models import Announcement, PublicPage

MESSAGES = {
    "title_required": _("Name the event."),
    "starts_at_required": _("Enter the date and time of the event."),
    "intro_required": _("Write an introduction before opening the page."),
}

ANNOUNCEMENT_FIELDS: tuple[str, ...] = ("title", "starts_at", "place", "text", "published")
PAGE_FIELDS: tuple[str, ...] = ("enabled", "intro", "contact")


_error = rule_errors(MESSAGES)


def page_of(organisation: Organisation) -> PublicPage:
    """The organisation's page settings; a closed, empty page until someone saves them."""
    found = PublicPage.objects.filter(organisation=organisation).first()
    return found or PublicPage(organisation=organisation)


@transaction.atomic
def public_page_save(
    organisation: Organisation, data: dict[str, Any], by: User | None
) -> PublicPage:
    values = {
        "enabled": bool(data.get("enabled")),
        "intro": (data.get("intro") or "").strip(),
        "contact": (data.get("contact") or "").strip(),
    }
    if values["enabled"] and not values["intro"]:
        raise _error("intro_required", "intro")
    page, _created = PublicPage.objects.select_for_update().get_or_create(
        organisation=organisation, defaults={**values, "updated_by": by}
    )
    if not _created:
        for field, value in values.items():
            setattr(page, field, value)
        page.updated_by = by
        page.save(update_fields=[*PAGE_FIELDS, "updated_by", "updated_at"])
    return page


def _clean_announcement(data: dict[str, Any]) -> dict[str, Any]:
    values = {
        "title": (data.get("title") or "").strip(),
        "starts_at": data.get("starts_at"),
        "place": (data.get("place") or "").strip(),
        "text": (data.get("text") or "").strip(),
        "published": bool(data.get("published")),
    }
    if not values["title"]:
        raise _error("title_required", "title")
    if values["starts_at"] is None:
        raise _error("starts_at_required", "starts_at")
    return values


@transaction.atomic
def announcement_create(
    organisation: Organisation, data: dict[str, Any], by: User | None
) -> Announcement:
    values = _clean_announcement(data)
    return Announcement.objects.create(organisation=organisation, created_by=by, **values)


@transaction.atomic
def announcement_update(announcement: Announcement, data: dict[str, Any]) -> Announcement:
    values = _clean_announcement(data)
    for field, value in values.items():
        setattr(announcement, field, value)
    announcement.save(update_fields=[*ANNOUNCEMENT_FIELDS, "updated_at"])
    return announcement


@transaction.atomic
def announcement_delete(announcement: Announcement) -> None:
    announcement.delete()
