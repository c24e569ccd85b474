"""Mentoring pairs and groups (наставнические пары и группы), as confirmation of a matching run
creates them and an order fixes them (stage 5). Their life — plans, meetings, replacement,
completion — is stage 6 and 7 (issue 7) and builds on these two tables.

A mentorship is one mentor with one mentee (a pair) or, when the mentor leads a group, several
(a group). It lasts at most one calendar year (seed 002 §2.7). A mentee is in at most one active
mentorship at a time, which the database itself guarantees.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Func, Q
from django.utils.translation import gettext_lazy as _

from nastavnik.catalogue.models import MentoringForm, MentoringKind, RoleModel
from nastavnik.core.tenancy import Authored, OrgPage, TenantModel, TenantQuerySet, account_link
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


class LatestEnd(Func):
    """The last planned end the one-year rule allows: one calendar year after the start, plus
    the days the pair was extended by for an absence (seed 002 §2.7). Kept beside
    `OneYearAfter`, which the first migration names."""

    output_field = models.DateField()
    arity = 2

    def _parts(self, compiler: Any, connection: Any) -> tuple[str, str, list[Any]]:
        start, days = (compiler.compile(e) for e in self.get_source_expressions())
        return start[0], days[0], [*start[1], *days[1]]

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        start, days, params = self._parts(compiler, connection)
        return f"(CAST(({start} + INTERVAL '1 year') AS date) + {days})", params

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        start, days, params = self._parts(compiler, connection)
        return f"date({start}, '+1 year', '+' || {days} || ' days')", params


class MentorshipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    COMPLETED_EARLY = "completed_early", _("Completed early")
    TERMINATED = "terminated", _("Terminated")


class MentorshipQuerySet(TenantQuerySet["Mentorship"]):
    def active(self) -> MentorshipQuerySet:
        return self.filter(status=MentorshipStatus.ACTIVE)


class Mentorship(OrgPage, Authored, TenantModel):
    page_url = "mentorships:detail"
    page_pk = "mentorship_pk"

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
    # How the mentoring is done, orthogonal to the form (DESIGN glossary): from the form's
    # default of the year when the pair is formed, then as the curator sets it.
    kind = models.CharField(
        _("kind of mentoring"),
        max_length=16,
        choices=MentoringKind.choices,
        default=MentoringKind.TRADITIONAL,
    )
    started_on = models.DateField(_("started on"))
    planned_end = models.DateField(_("planned end"))
    # The days the pair was extended by for absences (the sum of its extensions): the one-year
    # rule allows the planned end that much later, and the database checks it so.
    extension_days = models.PositiveIntegerField(_("days of extension"), default=0)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    # Why it ended early or was terminated (an ordinary completion needs no reason).
    end_reason = models.TextField(_("reason for ending"), blank=True)
    # The order of an early completion (its draft is made with the completion).
    end_order = models.ForeignKey(
        "orders.Order",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("order of the early completion"),
    )
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
                condition=Q(planned_end__lte=LatestEnd("started_on", "extension_days")),
                name="mentorship_at_most_a_year",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="mentorship_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "programme", "status"])]

    def __str__(self) -> str:
        names = ", ".join(member.mentee.person.short_name for member in self.members.all())
        return f"{self.mentor.person.short_name} — {names}"

    @property
    def is_active(self) -> bool:
        return self.status == MentorshipStatus.ACTIVE

    @property
    def roster(self) -> list[MentorshipMentee]:
        """The mentees every page and document names: of a pair at work its active ones; of an
        ended one all of them — its members stop being active with its end, not before, and
        its history keeps them. Reads `members` as prefetched (prefetch them all)."""
        members = list(self.members.all())
        return [m for m in members if m.active] if self.is_active else members


class MentorshipMentee(TenantModel):
    """A mentee of a mentorship. `active` is kept here, not read through the mentorship, so
    that the database can refuse a second active mentorship of one mentee."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="members")
    mentee = models.ForeignKey(
        "mentees.Mentee",
        on_delete=models.RESTRICT,
        related_name="memberships",
        verbose_name=_("mentee"),
    )
    active = models.BooleanField(default=True)
    # The mentee's class when the pair was formed: a pair lasts at most a year, so it is the
    # class of the pair's whole term, and its pages and documents print it after the person
    # has moved up (the person's own grade is always today's).
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    class_letter = models.CharField(_("class letter"), max_length=2, blank=True)
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

    @property
    def class_name(self) -> str:
        """«8А», as `Person.class_name`, of the pair's time."""
        return f"{self.grade}{self.class_letter}" if self.grade else ""


class MentorAssignmentQuerySet(models.QuerySet["MentorAssignment"]):
    def with_meetings_held(self) -> MentorAssignmentQuerySet:
        """Each stretch with `meetings_held`: the meetings of its pair its mentor held — the
        meeting names who held it, so a replacement does not pass them on."""
        return self.annotate(
            meetings_held=models.Count(
                "mentor__meetings_held",
                filter=Q(
                    mentor__meetings_held__mentorship=models.F("mentorship"),
                    mentor__meetings_held__status="held",
                ),
                distinct=True,
            )
        )


class MentorAssignment(Authored, TenantModel):
    """Who mentored a pair or group from when to when: the first mentor from the start, each
    replacement (seed 002 §2.8) from its day, on its ground and by its order. The period of the
    mentorship itself never changes on a replacement."""

    class Ground(models.TextChoices):
        LEFT_ORGANISATION = (
            "left_organisation",
            _("The mentor ended the employment with the organisation"),
        )
        INCOMPATIBILITY = (
            "incompatibility",
            _("Psychological incompatibility of the mentor and the mentee"),
        )
        NON_FULFILMENT = "non_fulfilment", _("Systematic non-fulfilment of the mentor's duties")
        DISCIPLINARY = "disciplinary", _("Disciplinary action against the mentor")
        REQUEST = "request", _("A justified request of the mentor or the mentee")

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="assignments")
    mentor = models.ForeignKey(
        "mentors.Mentor",
        on_delete=models.RESTRICT,
        related_name="assignments",
        verbose_name=_("mentor"),
    )
    assigned_on = models.DateField(_("from"))
    released_on = models.DateField(_("to"), null=True, blank=True)
    # A pupil mentor's class when taking the pair over (as `MentorshipMentee.grade`): the
    # pair's documents print the class of its time.
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    class_letter = models.CharField(_("class letter"), max_length=2, blank=True)
    # Why this mentor took over; empty for the first mentor of the pair.
    ground = models.CharField(_("ground"), max_length=24, choices=Ground.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("order"),
    )

    objects = MentorAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentor of a pair or group")
        verbose_name_plural = _("mentors of pairs and groups")
        ordering = ["assigned_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship"],
                condition=Q(released_on__isnull=True),
                name="mentorship_one_current_mentor",
            ),
            models.CheckConstraint(
                condition=Q(released_on__isnull=True) | Q(released_on__gte=models.F("assigned_on")),
                name="assignment_released_after_assigned",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} ({self.assigned_on:%d.%m.%Y})"

    @property
    def class_name(self) -> str:
        return f"{self.grade}{self.class_letter}" if self.grade else ""


class AbsenceReason(models.TextChoices):
    ILLNESS = "illness", _("Temporary incapacity for work (illness)")
    BUSINESS_TRIP = "business_trip", _("Business trip")
    OTHER = "other", _("Other long absence for a valid reason")


class AbsentSide(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")


class MentorshipExtension(Authored, TenantModel):
    """The term extended for an absence of either side (seed 002 §2.7): the planned end moves
    later by the days of the absence."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="extensions")
    reason = models.CharField(_("reason"), max_length=16, choices=AbsenceReason.choices)
    reason_text = models.CharField(_("the valid reason"), max_length=300, blank=True)
    absent_side = models.CharField(_("who was absent"), max_length=8, choices=AbsentSide.choices)
    absent_from = models.DateField(_("absent from"))
    absent_to = models.DateField(_("absent to"))
    days = models.PositiveIntegerField(_("days"))
    planned_end_before = models.DateField(_("planned end before"))
    planned_end_after = models.DateField(_("planned end after"))

    class Meta:
        verbose_name = _("extension of a mentorship")
        verbose_name_plural = _("extensions of mentorships")
        ordering = ["absent_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(absent_to__gte=models.F("absent_from")),
                name="extension_absence_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(planned_end_after__gt=models.F("planned_end_before")),
                name="extension_moves_the_end_later",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.absent_from:%d.%m.%Y}–{self.absent_to:%d.%m.%Y}"


class MentorshipResult(TenantModel):
    """What a pair or group achieved (stage 7): entered by the curator on completion or later,
    while the programme is open; the mentor's card shows it in the mentor's history."""

    mentorship = models.OneToOneField(Mentorship, on_delete=models.CASCADE, related_name="result")
    achievements = models.TextField(_("achievements"), blank=True)
    project = models.CharField(_("project defended"), max_length=300, blank=True)
    grades_change = models.TextField(_("changes in grades"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    mentor_feedback = models.TextField(_("final feedback of the mentor"), blank=True)
    mentee_feedback = models.TextField(_("final feedback of the mentee"), blank=True)
    updated_by = account_link()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("results of a mentorship")
        verbose_name_plural = _("results of mentorships")

    def __str__(self) -> str:
        return str(self.mentorship_id)

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in RESULT_FIELDS)


RESULT_FIELDS = (
    "achievements",
    "project",
    "grades_change",
    "summary",
    "mentor_feedback",
    "mentee_feedback",
)
