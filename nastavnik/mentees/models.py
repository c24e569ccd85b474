"""The mentee base (stage 2, seed 002 §2.3, §2.9): who asks for a mentor in a programme, what
they ask for, the form and role model they fit, what third parties say about them, and where
they stand (candidate → in the base → paired → finished, or left).

One entry per person and programme; the person's own record stays in the people registry.
The fields matching reads (topics, subjects, availability, format, results, preferences) use the
shared vocabulary of `nastavnik.catalogue.profile`.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nastavnik.catalogue.models import MentoringForm, RoleModel
from nastavnik.catalogue.profile import MeetingFormat, RequestTopic, split_list
from nastavnik.core.tenancy import TenantModel, account_link
from nastavnik.orgs.models import Organisation
from nastavnik.people.models import Person
from nastavnik.programmes.models import Programme


class MenteeStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    IN_BASE = "in_base", _("In the base")
    PAIRED = "paired", _("Paired")
    FINISHED = "finished", _("Finished mentoring")
    LEFT = "left", _("Left")


class MenteeQuerySet(models.QuerySet["Mentee"]):
    # Not a TenantQuerySet: django-stubs then checks the names its callers annotate (mypy
    # sees `hidden`, `load` as missing); the filter is the same one.
    def for_org(self, organisation: Organisation) -> MenteeQuerySet:
        return self.filter(organisation=organisation)

    def current(self) -> MenteeQuerySet:
        """Entries still in the programme: everyone but those who left."""
        return self.exclude(status=MenteeStatus.LEFT)


class Mentee(TenantModel):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="mentees", verbose_name=_("programme")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="mentee_entries", verbose_name=_("person")
    )
    # RESTRICT, as the programme's own forms: a form in use stays while entries name it.
    form = models.ForeignKey(
        MentoringForm,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("form"),
    )
    role_model = models.ForeignKey(
        RoleModel,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("role model"),
    )
    # Values of catalogue.profile.RequestTopic.
    topics = models.JSONField(_("requests"), default=list, blank=True)
    request_text = models.TextField(_("request in own words"), blank=True)
    subjects = models.CharField(
        _("subjects"), max_length=300, blank=True, help_text=_("Separated by commas.")
    )
    # Weekly slots of catalogue.profile.SLOT_CHOICES («пн-вечер»).
    availability = models.JSONField(_("time available"), default=list, blank=True)
    meeting_format = models.CharField(
        _("meeting format"),
        max_length=16,
        choices=MeetingFormat.choices,
        default=MeetingFormat.BOTH,
    )
    # The mean mark, for the role model «успевающий – неуспевающий».
    results = models.DecimalField(
        _("mean mark"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    # Person pks of the preferred mentors, best first (the ranking after the group meeting).
    preferences = models.JSONField(_("preferred mentors"), default=list, blank=True)
    asked_for_mentor = models.BooleanField(_("asked for a mentor"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=MenteeStatus.choices, default=MenteeStatus.CANDIDATE
    )
    # Left without a mentor: psychological and pedagogical support while the search goes on.
    support_needed = models.BooleanField(_("needs support"), default=False)
    left_reason = models.TextField(_("reason for leaving"), blank=True)
    added_by = account_link()
    # A default rather than auto_now_add, so entries brought in from earlier keep their dates.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MenteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentee base entry")
        verbose_name_plural = _("mentee base")
        ordering = ["person__name_key", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "person"], name="mentee_once_a_programme")
        ]
        indexes = [models.Index(fields=["organisation", "programme", "status"])]

    def __str__(self) -> str:
        return self.person.full_name

    @property
    def topic_labels(self) -> list[str]:
        labels = dict(RequestTopic.choices)
        return [str(labels[t]) for t in self.topics if t in labels]

    @property
    def subject_list(self) -> list[str]:
        return split_list(self.subjects)

    @property
    def is_open(self) -> bool:
        """Still in the programme, so its profile and status can change."""
        return self.status not in (MenteeStatus.FINISHED, MenteeStatus.LEFT)


class InputSource(models.TextChoices):
    """Who the information comes from (seed 002 §3: «родители, классные руководители,
    педагоги-психологи»)."""

    CLASS_TEACHER = "class_teacher", _("Class teacher")
    PSYCHOLOGIST = "psychologist", _("Educational psychologist")
    SOCIAL_PEDAGOGUE = "social_pedagogue", _("Social pedagogue")
    PARENT = "parent", _("Parent or legal guardian")
    OTHER = "other", _("Other")


class MenteeInput(TenantModel):
    """What a third party knows about a mentee's needs, kept as said: with its author and date.

    Never edited after it is written: others read it and act on it (the curator when pairing,
    the psychologist when supporting), so a correction is a new note beside the old one.
    """

    mentee = models.ForeignKey(
        Mentee, on_delete=models.CASCADE, related_name="inputs", verbose_name=_("mentee")
    )
    author = account_link()
    # Snapshots: the note stays readable when the account or the position changes.
    author_name = models.CharField(_("author"), max_length=300)
    author_role = models.CharField(_("author's role"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=InputSource.choices)
    text = models.TextField(_("information"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("third-party input")
        verbose_name_plural = _("third-party input")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.text[:40]}"
