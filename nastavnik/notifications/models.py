"""What a person was told (`Notification`) and how each person wants to be told of each kind
(`NotificationPreference`). Both belong to one organisation: an account that is a member of two
schools has two bells, and nobody of one school ever sees a row of the other."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nastavnik.core.language import reads_english
from nastavnik.core.tenancy import TenantModel
from nastavnik.orgs.models import Organisation

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 2000


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the system only")
    MAIL = "mail", _("In the system and by e-mail at once")
    DIGEST = "digest", _("In the system and in one daily e-mail")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, organisation: Organisation | int, user: object) -> NotificationQuerySet:
        return self.filter(organisation=organisation, recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(TenantModel):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # The registry's kind (an event name such as "meeting.cancelled"); not a choices field, so
    # that a new kind is one entry in the registry and no migration.
    kind = models.CharField(_("kind"), max_length=48)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("text"), blank=True)
    # The same words in English, written at the same moment, for a reader of the English
    # interface; the Russian ones are what the letters carry.
    title_en = models.CharField(_("title in English"), max_length=TITLE_MAX_LENGTH, blank=True)
    body_en = models.TextField(_("text in English"), blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # How the recipient chose to be told when it was made: a digest gathers the DIGEST ones.
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.IN_APP)
    # Set when the letter of a digest-channel notification went out; digests skip these.
    digested_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The list, newest first, and the bell's count of the unread: one index serves both
            # (the count reads the index only, the read_at column is in it).
            models.Index(
                fields=["recipient", "organisation", "-created_at", "-id"],
                name="notification_list",
            ),
            models.Index(
                fields=["recipient", "organisation"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["channel"],
                condition=models.Q(digested_at__isnull=True, channel="digest"),
                name="notification_digest_pending",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def shown_title(self) -> str:
        return self.title_en if self.title_en and reads_english() else self.title

    @property
    def shown_body(self) -> str:
        return self.body_en if self.title_en and reads_english() else self.body


class NotificationPreference(TenantModel):
    """A person's choice for one kind; without a row the kind's default holds."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=48)
    channel = models.CharField(_("how to tell"), max_length=8, choices=Channel.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "kind"], name="notification_preference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind} · {self.channel}"
