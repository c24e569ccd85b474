"""The audit log: who changed which personal data or consent, when, and from what to what.

Entries are written by the services that make the changes (`audit_record`), never by signals,
so a write that bypasses the services is visible in review rather than silently logged.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nastavnik.core.tenancy import TenantQuerySet
from nastavnik.orgs.models import Organisation


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Removed")
    WITHDRAW = "withdraw", _("Withdrawn")
    LINK_ISSUE = "link_issue", _("One-time link issued")
    DEPERSONALISE = "depersonalise", _("Depersonalised")
    # Opening a confidential record (a safeguarding concern): who read it, not what it says.
    READ = "read", _("Read")
    # The right of access: the person (or a guardian) downloaded what the system holds.
    ACCESS_EXPORT = "access_export", _("Own data downloaded")
    # A call through the REST API that changed data (the changes have entries of their own).
    API_WRITE = "api_write", _("Changed through the API")
    REVOKE = "revoke", _("Revoked")
    # Single sign-on: an account signed in through an OpenID Connect provider, and the first
    # time an identity there was tied to the account.
    SSO_LOGIN = "sso_login", _("Signed in through single sign-on")
    SSO_LINK = "sso_link", _("Linked to a single sign-on identity")


class AuditObject(models.TextChoices):
    PERSON = "person", _("Person")
    GUARDIAN_LINK = "guardian_link", _("Legal guardian link")
    CONSENT = "consent", _("Consent")
    CONSENT_LINK = "consent_link", _("One-time consent link")
    MENTEE = "mentee", _("Mentee base entry")
    MENTEE_INPUT = "mentee_input", _("Third-party input on a mentee")
    MEASURE = "measure", _("Entry or exit measure")
    MENTOR = "mentor", _("Mentor base entry")
    MENTOR_DOCUMENT = "mentor_document", _("Mentor's document")
    SELECTION_SCORE = "selection_score", _("Selection score")
    INVITATION = "invitation", _("Questionnaire invitation")
    RESPONSE = "response", _("Questionnaire response")
    MENTORSHIP = "mentorship", _("Mentoring pair or group")
    NOMINEE = "nominee", _("Nominee for an award")
    JURY_SCORE = "jury_score", _("Jury score")
    PLAN_ITEM = "plan_item", _("Item of a development plan")
    CASE = "case", _("Case of best practice")
    MEETING = "meeting", _("Meeting of a pair or group")
    FEEDBACK = "feedback", _("Feedback on a meeting")
    CONCERN = "concern", _("Concern in the safeguarding channel")
    API_TOKEN = "api_token", _("API access token")
    ACCOUNT = "account", _("Account")


class AuditChannel(models.TextChoices):
    WEB = "web", _("Member of the organisation")
    LINK = "link", _("One-time link (no account)")
    SYSTEM = "system", _("System")
    API = "api", _("REST API (access token)")


class AuditEntryQuerySet(TenantQuerySet["AuditEntry"]):
    def about(self, person_pk: int) -> AuditEntryQuerySet:
        """Entries that hold any data of the person, as the subject or as the other party."""
        return self.filter(models.Q(person_id=person_pk) | models.Q(related_person_id=person_pk))


class AuditEntry(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="audit_entries"
    )
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # A snapshot: the entry stays readable after the account is gone.
    actor_label = models.CharField(max_length=300, blank=True)
    # The address the change came from (nastavnik.core.client: trusted proxies only); empty
    # for the system's own work.
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    channel = models.CharField(max_length=8, choices=AuditChannel.choices)
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(_("object"), max_length=16, choices=AuditObject.choices)
    object_id = models.PositiveBigIntegerField()
    object_label = models.CharField(max_length=300, blank=True)
    # The people whose data the entry holds; depersonalising either scrubs the entry.
    person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    related_person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # {field: [old, new]} with JSON-plain values (dates as ISO strings).
    changes = models.JSONField(default=dict, blank=True)
    scrubbed_at = models.DateTimeField(null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "-at"]),
            models.Index(fields=["organisation", "object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"
