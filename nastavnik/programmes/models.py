"""The mentoring programme of an academic year and its roadmap (seeds 000, 002 §2.1, 004).

One programme per organisation and academic year: the forms and role models chosen for the
year, goal, tasks and expected results, the curator and the team, social partners, a typical
individual development plan per form, and the roadmap of events across the seven stages.
Every row carries its organisation (the tenant key).
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nastavnik.catalogue.models import MentoringForm, MentoringKind, RoleModel
from nastavnik.core.tenancy import Authored, OrgPage, TenantModel, TenantQuerySet, account_link
from nastavnik.orgs.models import AcademicYear, Organisation
from nastavnik.people.models import Person


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    FINISHED = "finished", _("Finished")


class Stage(models.IntegerChoices):
    """The seven stages of the target model (seed 002 §2.9); the same words as the navigation."""

    PREPARATION = 1, _("Preparing the launch")
    MENTEE_BASE = 2, _("Mentee base")
    MENTOR_BASE = 3, _("Mentor base")
    SELECTION = 4, _("Selecting and training mentors")
    MATCHING = 5, _("Forming pairs and groups")
    WORK = 6, _("Work of pairs and groups")
    COMPLETION = 7, _("Completion")


class ResponsibleRole(models.TextChoices):
    """Who answers for a roadmap event, as the seeds' roadmaps name them («Ответственные»)."""

    DIRECTOR = "director", _("Director")
    CURATOR = "curator", _("Curator")
    DEPUTY_DIRECTOR = "deputy_director", _("Deputy director")
    PSYCHOLOGIST = "psychologist", _("Educational psychologist")
    SOCIAL_PEDAGOGUE = "social_pedagogue", _("Social pedagogue")
    CLASS_TEACHERS = "class_teachers", _("Class teachers")
    MENTORS = "mentors", _("Mentors")


# The same roles as documents print them: Russian content, not interface text.
RESPONSIBLE_ROLE_DOCUMENT_NAMES: dict[str, str] = {
    ResponsibleRole.DIRECTOR: "Директор",
    ResponsibleRole.CURATOR: "Куратор программы",
    ResponsibleRole.DEPUTY_DIRECTOR: "Заместитель директора",
    ResponsibleRole.PSYCHOLOGIST: "Педагог-психолог",
    ResponsibleRole.SOCIAL_PEDAGOGUE: "Социальный педагог",
    ResponsibleRole.CLASS_TEACHERS: "Классные руководители",
    ResponsibleRole.MENTORS: "Наставники",
}


class ProgrammeQuerySet(TenantQuerySet["Programme"]):
    """An organisation's programmes."""


class Programme(OrgPage, Authored):
    page_url = "programmes:detail"
    page_pk = "programme_pk"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="programmes"
    )
    academic_year = models.ForeignKey(
        AcademicYear,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("academic year"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    explanatory_note = models.TextField(
        _("explanatory note"),
        blank=True,
        help_text=_("Why the organisation runs the programme this year. One paragraph a line."),
    )
    goal = models.TextField(_("goal"), blank=True)
    tasks = models.TextField(_("tasks"), blank=True, help_text=_("One task a line."))
    expected_results = models.TextField(
        _("expected results"), blank=True, help_text=_("One result a line.")
    )
    curator = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("curator"),
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    # RESTRICT rather than PROTECT here and below: the row is kept while the programme refers
    # to it, but an organisation removed as a whole takes both with it.
    approval_order = models.ForeignKey(
        "orders.Order",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approving order"),
    )
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentoring programme")
        verbose_name_plural = _("mentoring programmes")
        ordering = ["-academic_year__start_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "academic_year"], name="programme_one_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"Программа наставничества на {self.academic_year.label} учебный год"

    @property
    def is_draft(self) -> bool:
        return self.status == ProgrammeStatus.DRAFT

    @property
    def is_finished(self) -> bool:
        return self.status == ProgrammeStatus.FINISHED

    @property
    def task_list(self) -> list[str]:
        return _lines(self.tasks)

    @property
    def result_list(self) -> list[str]:
        return _lines(self.expected_results)

    @property
    def note_paragraphs(self) -> list[str]:
        return _lines(self.explanatory_note)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ProgrammeForm(TenantModel):
    """A mentoring form chosen for the year, with its role models and expected results."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="chosen_forms")
    form = models.ForeignKey(
        MentoringForm, on_delete=models.RESTRICT, related_name="+", verbose_name=_("form")
    )
    role_models = models.ManyToManyField(
        RoleModel,
        through="ProgrammeRoleModel",
        related_name="+",
        blank=True,
        verbose_name=_("role models"),
    )
    # The kind a new pair of this form starts with (a group starts as a group); the curator
    # changes it pair by pair.
    default_kind = models.CharField(
        _("default kind of mentoring"),
        max_length=16,
        choices=MentoringKind.choices,
        default=MentoringKind.TRADITIONAL,
    )
    goal = models.TextField(_("goal"), blank=True)
    tasks = models.TextField(_("tasks"), blank=True, help_text=_("One task a line."))
    expected_results = models.TextField(
        _("expected results"), blank=True, help_text=_("One result a line.")
    )

    class Meta:
        verbose_name = _("form of the programme")
        verbose_name_plural = _("forms of the programme")
        ordering = ["form__order", "form__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "form"], name="programme_form_once")
        ]

    def __str__(self) -> str:
        return self.form.name

    @property
    def task_list(self) -> list[str]:
        return _lines(self.tasks)

    @property
    def result_list(self) -> list[str]:
        return _lines(self.expected_results)


class ProgrammeRoleModel(TenantModel):
    programme_form = models.ForeignKey(ProgrammeForm, on_delete=models.CASCADE, related_name="+")
    role_model = models.ForeignKey(RoleModel, on_delete=models.RESTRICT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme_form", "role_model"], name="programme_role_model_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.role_model_id)


class PlanSection(models.TextChoices):
    GOAL = "goal", _("Goal")
    TASK = "task", _("Task")
    ACTIVITY = "activity", _("Activity")


class TypicalPlanItem(TenantModel):
    """A line of the typical individual development plan of a form: pairs start from these."""

    programme_form = models.ForeignKey(
        ProgrammeForm, on_delete=models.CASCADE, related_name="plan_items"
    )
    section = models.CharField(_("section"), max_length=16, choices=PlanSection.choices)
    text = models.TextField(_("content"))
    timing = models.CharField(
        _("when"), max_length=100, blank=True, help_text=_("For example: «октябрь – ноябрь».")
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("item of a typical plan")
        verbose_name_plural = _("items of a typical plan")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class TeamMember(TenantModel):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="team")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    responsibility = models.CharField(
        _("role in the programme"),
        max_length=300,
        blank=True,
        help_text=_("For example: «диагностика наставляемых, собеседования с наставниками»."),
    )

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team")
        ordering = ["person__last_name", "person__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "person"], name="team_member_once")
        ]

    def __str__(self) -> str:
        return self.person.full_name


class SocialPartner(TenantModel):
    """An organisation that takes part in the programme under an agreement (seed 002 §2.10)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("organisation"), max_length=300)
    contribution = models.TextField(
        _("part in the programme"),
        blank=True,
        help_text=_("What the partner does: mentors, venues, excursions, internships…"),
    )
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    agreement_number = models.CharField(_("agreement number"), max_length=40, blank=True)
    agreement_date = models.DateField(_("agreement date"), null=True, blank=True)
    agreement_until = models.DateField(_("agreement valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("social partner")
        verbose_name_plural = _("social partners")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class RoadmapEventQuerySet(TenantQuerySet["RoadmapEvent"]):
    def open(self) -> RoadmapEventQuerySet:
        return self.filter(done_on__isnull=True)

    def overdue(self, today: date) -> RoadmapEventQuerySet:
        """Not done and past the due date; events of finished programmes are history."""
        return self.open().filter(due_on__lt=today).exclude(programme__status="finished")


class RoadmapEvent(TenantModel):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="events")
    stage = models.PositiveSmallIntegerField(_("stage"), choices=Stage.choices)
    title = models.CharField(_("event"), max_length=500)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    due_on = models.DateField(_("due"))
    responsible_roles = models.JSONField(_("responsible"), default=list, blank=True)
    responsible_person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    # The event of the template it came from, so a stage can tell which of its steps is done.
    template_code = models.CharField(max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_note = models.TextField(_("note"), blank=True)
    done_file = models.FileField(_("attached file"), blank=True)
    done_by = account_link()
    # Marked done by the act that fulfils it (`fulfilment.roadmap_refresh`), not by hand: such
    # a mark goes again when the act is undone.
    done_auto = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoadmapEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("roadmap event")
        verbose_name_plural = _("roadmap events")
        ordering = ["stage", "due_on", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__gte=1) & Q(stage__lte=7), name="roadmap_event_stage_1_to_7"
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(starts_on__lte=models.F("due_on")),
                name="roadmap_event_starts_before_due",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "done_on", "due_on"])]

    def __str__(self) -> str:
        return self.shown_title

    @property
    def shown_title(self) -> str:
        """The title in the reader's language (`english`): an event still bearing the
        template's title reads in English when the interface is English."""
        from nastavnik.programmes import english

        return english.event_title(self)

    @property
    def shown_done_note(self) -> str:
        """The note, a note left by the act that fulfils the event in the reader's language."""
        from nastavnik.programmes import english

        return english.done_note(self)

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def is_overdue(self, today: date) -> bool:
        return self.done_on is None and self.due_on < today

    @property
    def window_start(self) -> date:
        """When work on the event can begin: its start, or the first day of its due month."""
        return self.starts_on or self.due_on.replace(day=1)

    def responsible_role_labels(self) -> list[str]:
        return [str(ResponsibleRole(r).label) for r in self.responsible_roles]
