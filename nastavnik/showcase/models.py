"""The organisation's public mentoring page (seed 002 §7.4: the site shows the mentor registry,
mentors' portfolios, the social partners and announcements of events).

`PublicPage` holds what only the page has: whether it is on, an introduction, contacts.
Everything else it shows is read from where it lives — the registry and portfolios from the
mentor base, the partners from the programme, the cases from the library — at the moment of
the request, under the consent to publication.

Announcements are rows of their own rather than roadmap events marked public: a roadmap event
is the team's task (a responsible person, a deadline, a done mark), an announcement is written
for parents and partners (a start time, a place, an invitation), and the two rarely coincide —
«Школа наставника: занятие 3» is an announcement, «Сформировать базу наставников» is not.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from nastavnik.core.tenancy import Authored, TenantModel, TenantQuerySet, account_link
from nastavnik.orgs.models import Organisation


class PublicPage(models.Model):
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="public_page"
    )
    enabled = models.BooleanField(
        _("the page is open"),
        default=False,
        help_text=_("While closed, the address answers «not found» to everyone."),
    )
    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("A few paragraphs about mentoring in the organisation. One paragraph a line."),
    )
    contact = models.TextField(
        _("contacts"),
        blank=True,
        help_text=_("Whom parents and partners may ask about mentoring: a phone, an e-mail."),
    )
    updated_by = account_link()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("public mentoring page")
        verbose_name_plural = _("public mentoring pages")

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def intro_paragraphs(self) -> list[str]:
        return [line.strip() for line in self.intro.splitlines() if line.strip()]


class AnnouncementQuerySet(TenantQuerySet["Announcement"]):
    def published(self) -> AnnouncementQuerySet:
        return self.filter(published=True)


class Announcement(Authored, TenantModel):
    """An announcement of an event of the programme, for the public page."""

    title = models.CharField(_("event"), max_length=300)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True)
    published = models.BooleanField(_("shown on the page"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["organisation", "published", "starts_at"])]

    def __str__(self) -> str:
        return self.title
