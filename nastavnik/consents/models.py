"""Consents under 152-ФЗ: one record per purpose, given by the person or by a legal guardian,
on paper (a scan) or electronically (a one-time link), withdrawable.

Whether a person's data may be used for a purpose is decided in `rules.py` and nowhere else.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nastavnik.core.tenancy import TenantModel, account_link
from nastavnik.orgs.models import Organisation
from nastavnik.people.models import Person


class Purpose(models.TextChoices):
    PROCESSING = "processing", _("Personal data processing for the mentoring programme")
    PARTICIPATION = "participation", _("Participation in the mentoring programme")
    PUBLICATION = "publication", _("Publication on the organisation's website")
    SHARING = "sharing", _("Sharing the mentor's profile with other organisations of the region")


class Method(models.TextChoices):
    PAPER = "paper", _("On paper (scan uploaded)")
    ELECTRONIC = "electronic", _("Electronically (one-time link)")


class Status(models.TextChoices):
    VALID = "valid", _("Valid")
    MISSING = "missing", _("Missing")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def scan_path(instance: Consent, filename: str) -> str:
    # A random name: neither the person's name nor anything guessable ends up in storage.
    suffix = PurePath(filename).suffix.lower()
    return f"consents/{instance.organisation_id}/{uuid.uuid4().hex}{suffix}"


def valid_on_q(day: date) -> models.Q:
    """The consents valid on `day`: given by then, not ended, not withdrawn."""
    return models.Q(withdrawn_at__isnull=True, given_on__lte=day, valid_until__gte=day)


class ConsentQuerySet(models.QuerySet["Consent"]):
    # Not a TenantQuerySet: django-stubs then checks the names its callers annotate (mypy
    # sees `hidden`, `load` as missing); the filter is the same one.
    def for_org(self, organisation: Organisation) -> ConsentQuerySet:
        return self.filter(organisation=organisation)

    def valid_on(self, day: date) -> ConsentQuerySet:
        return self.filter(valid_on_q(day))


class Consent(models.Model):
    """One consent of one subject for one purpose, with a copy of what it said."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="consents", verbose_name=_("operator")
    )
    subject = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("subject")
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    # The subject themselves, or a legal guardian of a minor subject. RESTRICT: the signer of a
    # consent cannot be deleted on their own, only together with the organisation.
    given_by = models.ForeignKey(
        Person, on_delete=models.RESTRICT, related_name="consents_given", verbose_name=_("given by")
    )
    authority_document = models.CharField(
        _("document proving the authority"), max_length=300, blank=True
    )
    # From 14 a minor signs the guardian's consent as well.
    minor_signed = models.BooleanField(_("signed by the minor as well"), default=False)

    # A copy of the document's content when it was given (texts.py may change later).
    document_version = models.CharField(_("document version"), max_length=20)
    operator_details = models.TextField(_("operator"))
    purpose_text = models.TextField(_("purpose of processing"))
    data_categories = models.TextField(_("data categories"))
    actions = models.TextField(_("processing actions"))
    withdrawal_procedure = models.TextField(_("how to withdraw"))

    given_on = models.DateField(_("given on"))
    valid_until = models.DateField(_("valid until"))
    method = models.CharField(_("how given"), max_length=12, choices=Method.choices)
    scan = models.FileField(_("scan"), upload_to=scan_path, blank=True, max_length=200)
    # Electronic consent: the name typed as the signature, and where it came from.
    signed_name = models.CharField(_("name typed as the signature"), max_length=250, blank=True)
    minor_signed_name = models.CharField(_("name typed by the minor"), max_length=250, blank=True)
    signed_ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    signed_user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawal recorded by"),
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "-pk"]
        indexes = [
            models.Index(fields=["subject", "purpose", "valid_until"]),
            models.Index(fields=["organisation", "purpose", "-given_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("given_on")),
                name="consent_term_after_giving",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.subject}"

    def status_on(self, day: date) -> Status:
        if self.withdrawn_at is not None:
            return Status.WITHDRAWN
        if self.valid_until < day:
            return Status.EXPIRED
        return Status.VALID

    @property
    def by_representative(self) -> bool:
        return self.given_by_id != self.subject_id


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class LinkState(models.TextChoices):
    USABLE = "usable", _("Waiting for confirmation")
    USED = "used", _("Used")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Replaced by a newer link")


class ConsentLinkQuerySet(models.QuerySet["ConsentLink"]):
    def usable(self) -> ConsentLinkQuerySet:
        return self.filter(
            used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class ConsentLink(TenantModel):
    """A one-time link for giving consents electronically, without an account.

    Only a hash of the token is stored: a copy of the database does not contain working links.
    """

    subject = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consent_links")
    # Who is to confirm: the subject (an adult) or a legal guardian of the minor subject.
    addressee = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consent_links_received"
    )
    purposes = models.JSONField(_("purposes"))
    authority_document = models.CharField(
        _("document proving the authority"), max_length=300, blank=True
    )
    valid_until = models.DateField(_("consent valid until"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_to = models.EmailField(_("sent to"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("link expires at"))
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ConsentLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("one-time consent link")
        verbose_name_plural = _("one-time consent links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.addressee} → {self.subject}"

    @property
    def state(self) -> LinkState:
        if self.used_at is not None:
            return LinkState.USED
        if self.revoked_at is not None:
            return LinkState.REVOKED
        if self.expires_at <= timezone.now():
            return LinkState.EXPIRED
        return LinkState.USABLE

    @property
    def purpose_labels(self) -> list[str]:
        return [str(Purpose(p).label) for p in self.purposes]


class Depersonalisation(TenantModel):
    """The mark that a person's record was depersonalised: when, why, by whom."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="depersonalised")
    at = models.DateTimeField(default=timezone.now)
    by = account_link()

    class Meta:
        verbose_name = _("depersonalisation")
        verbose_name_plural = _("depersonalisations")

    def __str__(self) -> str:
        return f"№{self.person_id} {self.at:%Y-%m-%d}"
