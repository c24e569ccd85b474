"""Mentoring pairs and groups (наставнические пары и группы), as confirmation of a matching run
creates them and an order fixes them (stage 5). Their life — plans, meetings, replacement,
completion — is stage 6 and 7 (issue 7) and builds on these two tables.

A mentorship is one mentor with one mentee (a pair) or, when the mentor leads a group, several
(a group). It lasts at most one calendar year (seed 002 §2.7). A mentee is in at most one active
mentorship at a time, which the database itself guarantees.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Func, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nastavnik.catalogue.models import MentoringForm, RoleModel
from nastavnik.orgs.models import Organisation
from nastavnik.programmes.models import Programme


class OneYearAfter(Func):
    """A date one calendar year later, in each database's own date arithmetic, so that the
    one-year rule (seed 002 §2.7) is a plain CHECK the database enforces by itself."""

    output_field = models.DateField()
    arity = 1
    # PostgreSQL (and the SQL standard): 29 February + 1 year is 28 February.
    template = "CAST((%(expressions)s + INTERVAL '1 year') AS date)"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # SQLite rolls 29 February over to 1 March: a day laxer than the services, never stricter.
        return self.as_sql(compiler, connection, template="date(%(expressions)s, '+1 year')")


class MentorshipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    COMPLETED_EARLY = "completed_early", _("Completed early")
    TERMINATED = "terminated", _("Terminated")


class MentorshipQuerySet(models.QuerySet["Mentorship"]):
    def for_org(self, organisation: Organisation) -> MentorshipQuerySet:
        return self.filter(organisation=organisation)

    def active(self) -> MentorshipQuerySet:
        return self.filter(status=MentorshipStatus.ACTIVE)


class Mentorship(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="mentorships", verbose_name=_("programme")
    )
    form = models.ForeignKey(
        MentoringForm, on_delete=models.RESTRICT, related_name="+", verbose_name=_("form")
    )
    role_model = models.ForeignKey(
        RoleModel,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("role model"),
    )
    # RESTRICT: a mentor with pairs stays in the base; the rows still go with the programme.
    mentor = models.ForeignKey(
        "mentors.Mentor",
        on_delete=models.RESTRICT,
        related_name="mentorships",
        verbose_name=_("mentor"),
    )
    is_group = models.BooleanField(_("group"), default=False)
    started_on = models.DateField(_("started on"))
    planned_end = models.DateField(_("planned end"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MentorshipStatus.choices,
        default=MentorshipStatus.ACTIVE,
    )
    # How the pair was formed, kept with it: stage-2 monitoring compares the strategies.
    matching_run = models.ForeignKey(
        "matching.MatchingRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentorships",
        verbose_name=_("matching run"),
    )
    mode = models.CharField(_("matching mode"), max_length=16, blank=True)
    weights = models.JSONField(_("weights"), default=dict, blank=True)
    # SET_NULL: a draft order may be deleted and prepared again; a signed one never goes.
    pairs_order = models.ForeignKey(
        "orders.Order",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("order"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MentorshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentoring pair or group")
        verbose_name_plural = _("mentoring pairs and groups")
        ordering = ["form__order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gt=models.F("started_on")),
                name="mentorship_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(planned_end__lte=OneYearAfter("started_on")),
                name="mentorship_at_most_a_year",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "programme", "status"])]

    def __str__(self) -> str:
        names = ", ".join(member.mentee.person.short_name for member in self.members.all())
        return f"{self.mentor.person.short_name} — {names}"

    def get_absolute_url(self) -> str:
        return reverse(
            "mentorships:detail",
            kwargs={"org_slug": self.organisation.slug, "mentorship_pk": self.pk},
        )

    @property
    def is_active(self) -> bool:
        return self.status == MentorshipStatus.ACTIVE


class MentorshipMentee(models.Model):
    """A mentee of a mentorship. `active` is kept here, not read through the mentorship, so
    that the database can refuse a second active mentorship of one mentee."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="members")
    mentee = models.ForeignKey(
        "mentees.Mentee",
        on_delete=models.RESTRICT,
        related_name="memberships",
        verbose_name=_("mentee"),
    )
    active = models.BooleanField(default=True)
    # The pair's score and the ranks the two gave each other when it was formed.
    score = models.PositiveIntegerField(_("score"), null=True, blank=True)
    mentee_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    mentor_rank = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("mentee of a pair or group")
        verbose_name_plural = _("mentees of pairs and groups")
        ordering = ["mentee__person__name_key", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["mentorship", "mentee"], name="mentorship_member_once"),
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(active=True),
                name="mentee_one_active_mentorship",
            ),
        ]

    def __str__(self) -> str:
        return str(self.mentee)
