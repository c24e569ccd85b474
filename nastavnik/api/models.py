"""Personal access tokens for the REST API: one user's, in one organisation, with scopes.

Only a hash of the secret is kept; the secret is shown once, when the token is created.
A token never does more than its owner's roles allow (orgs.policy): its scopes only narrow.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nastavnik.orgs.models import Organisation


class Area(models.TextChoices):
    """What a scope opens: one area of the API, read or also write."""

    PEOPLE = "people", _("People registry and its import")
    MENTEES = "mentees", _("Mentee base")
    MENTORS = "mentors", _("Mentor base")
    MENTORSHIPS = "mentorships", _("Pairs and groups, meetings, plans")
    QUESTIONNAIRES = "questionnaires", _("Questionnaire campaigns and results")
    INDICATORS = "indicators", _("Indicators and coverage")
    ORDERS = "orders", _("Orders")
    # A regional operator's token (no organisation): aggregate figures only.
    REGION = "region", _("Regional aggregate figures")


# What a school's token may open; a regional token opens REGION only.
ORG_AREAS = tuple(area for area in Area if area != Area.REGION)


class Access(models.TextChoices):
    READ = "read", _("read")
    WRITE = "write", _("read and write")


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    # Empty for a regional operator's token, which sees the aggregates of their region only.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters of the secret, shown in lists so the owner can tell tokens apart.
    prefix = models.CharField(max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    # {"people": "write", "mentees": "read", …}: an area missing is closed.
    scopes = models.JSONField(_("scopes"), default=dict)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API access token")
        verbose_name_plural = _("API access tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def allows(self, area: Area, write: bool) -> bool:
        granted = self.scopes.get(str(area))
        return granted == Access.WRITE or (granted == Access.READ and not write)
