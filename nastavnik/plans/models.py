"""Individual development plans of pairs and groups (индивидуальный план развития, stage 6).

A plan belongs to one mentorship and starts from the programme's typical plan for the pair's
form (`programmes.TypicalPlanItem`). Its items are goals, tasks and activities with a due date
inside the pair's period, a responsible side, a status and, when done, a result with its
evidence. Mentor and mentee keep it together; the curator comments. Every row carries its
organisation (the tenant key).
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nastavnik.core.tenancy import Authored, TenantModel, TenantQuerySet, account_link
from nastavnik.programmes.models import PlanSection


class ResponsibleSide(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")
    BOTH = "both", _("Mentor and mentee")
    CURATOR = "curator", _("Curator")


class PlanItemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Carried out")
    DROPPED = "dropped", _("Dropped")


#: Statuses of an item still to be done: only these can be overdue.
OPEN_STATUSES = (PlanItemStatus.PLANNED, PlanItemStatus.IN_PROGRESS)


class DevelopmentPlan(Authored, TenantModel):
    mentorship = models.OneToOneField(
        "mentorships.Mentorship", on_delete=models.CASCADE, related_name="plan"
    )
    # What the mentees see of how to reach the mentor: the curator decides, not the registry.
    mentor_contact = models.CharField(
        _("how to reach the mentor"),
        max_length=300,
        blank=True,
        help_text=_(
            "Shown to the mentees in their cabinet. For example: «e-mail ivanova@school.ru, "
            "каб. 21 по средам после 7 урока»."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("individual development plan")
        verbose_name_plural = _("individual development plans")

    def __str__(self) -> str:
        return f"ИПР {self.mentorship_id}"


class PlanItemQuerySet(TenantQuerySet["PlanItem"]):
    def open(self) -> PlanItemQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: date) -> PlanItemQuerySet:
        """Items still to be done whose due date has passed."""
        return self.open().filter(due_on__lt=today)


class PlanItem(Authored, TenantModel):
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="items")
    section = models.CharField(
        _("section"), max_length=16, choices=PlanSection.choices, default=PlanSection.ACTIVITY
    )
    text = models.TextField(_("content"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    responsible = models.CharField(
        _("who is responsible"),
        max_length=16,
        choices=ResponsibleSide.choices,
        default=ResponsibleSide.BOTH,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PlanItemStatus.choices, default=PlanItemStatus.PLANNED
    )
    result = models.TextField(_("result"), blank=True)
    evidence = models.FileField(_("evidence file"), blank=True)
    evidence_link = models.URLField(_("evidence link"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    updated_by = account_link()
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("item of a development plan")
        verbose_name_plural = _("items of development plans")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["organisation", "status", "due_on"])]

    def __str__(self) -> str:
        return self.text

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < today


class PlanComment(TenantModel):
    """The curator's comment on the plan as a whole or on one item."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="comments")
    item = models.ForeignKey(
        PlanItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("item"),
    )
    author = account_link()
    # A snapshot: the comment stays signed after the account is gone.
    author_label = models.CharField(max_length=300, blank=True)
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment on a development plan")
        verbose_name_plural = _("comments on development plans")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="plan_comment_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text[:50]
