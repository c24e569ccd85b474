"""The safeguarding channel: a confidential concern of a mentee, a guardian (for their child)
or a mentor — about the pair, the mentor or anything troubling — or a mentee's request for
another mentor (seed 002 §6.2). It reaches the curator (and the psychologist when the reporter
chooses), never the people it is about; `concerns.access` is the one way to read it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nastavnik.core.tenancy import OrgPage, TenantModel, TenantQuerySet, account_link

TEXT_MAX_LENGTH = 4000


class ReporterKind(models.TextChoices):
    MENTEE = "mentee", _("Mentee")
    GUARDIAN = "guardian", _("Legal guardian")
    MENTOR = "mentor", _("Mentor")


class Topic(models.TextChoices):
    PAIR = "pair", _("The pair or group")
    MENTOR = "mentor", _("The mentor")
    REPLACEMENT = "replacement", _("A request for another mentor")
    OTHER = "other", _("Something else troubling")


class ConcernStatus(models.TextChoices):
    NEW = "new", _("Received")
    IN_PROGRESS = "in_progress", _("Being dealt with")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    TALKED = "talked", _("Talked to the people concerned")
    WATCHING = "watching", _("Watching the pair")
    REPLACED = "replaced", _("Replaced the mentor at the mentee's request")
    COMPLETED_EARLY = "completed_early", _("Completed the mentorship early")
    CLOSED = "closed", _("Closed without further action")


class ConcernQuerySet(TenantQuerySet["Concern"]):
    def open(self) -> ConcernQuerySet:
        return self.exclude(status=ConcernStatus.CLOSED)


class Concern(OrgPage, TenantModel):
    page_url = "concerns:detail"
    page_pk = "concern_pk"

    # The reporter's registry entry and account: the cabinet lists a user's own concerns.
    reporter = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reporter_kind = models.CharField(_("reported by"), max_length=12, choices=ReporterKind.choices)
    # The guardian's child the concern is for; empty for a mentee's or a mentor's own.
    child = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    mentorship = models.ForeignKey(
        "mentorships.Mentorship",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pair or group"),
    )
    # Who the concern is about when it was raised (the pair's mentor for a mentee or a parent,
    # none for a mentor's own): kept, so that a later replacement never lets them read it.
    about = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    text = models.TextField(_("what happened"))
    urgent = models.BooleanField(_("urgent"), default=False)
    to_psychologist = models.BooleanField(_("also to the psychologist"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=ConcernStatus.choices, default=ConcernStatus.NEW
    )
    # The answer the reporter reads; the note stays with those who handle the concern.
    answer = models.TextField(_("answer to the reporter"), blank=True)
    outcome = models.CharField(
        _("what was done"), max_length=16, choices=Outcome.choices, blank=True
    )
    note = models.TextField(_("internal note"), blank=True)
    replacement = models.ForeignKey(
        "mentorships.MentorAssignment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replacement of the mentor"),
    )
    handled_by = account_link()
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConcernQuerySet.as_manager()

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering = ["-urgent", "-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.pk}"
