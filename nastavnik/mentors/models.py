"""The mentor base of a programme (stage 3), the selection by the commission, the mentor
registry and the mentor school (stage 4), and mentors' portfolios.

A person enters the base of a programme once (`Mentor`), as a candidate; the curator puts the
candidate forward to the commission; each member scores separately; the commission decides;
the approved are listed in the registry by an order of the director and become registered
when it is signed. External mentors bring documents (`MentorDocument`), kept with the person so
that they serve the next year's programme as well. Every row carries its organisation.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nastavnik.catalogue.models import MentoringForm, RoleModel
from nastavnik.catalogue.profile import SLOT_CHOICES, MeetingFormat, MentorCategory
from nastavnik.consents.models import Purpose
from nastavnik.consents.rules import hidden_q, needed_for, valid_exists
from nastavnik.core.tenancy import TenantModel, TenantQuerySet, account_link
from nastavnik.orgs.models import Organisation
from nastavnik.people.models import Person

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The regulation (seed 002 §2.6): at most two mentees at once, group forms excepted.
ONE_TO_ONE_LIMIT = 2
# A group mentor's ceiling. The seeds fix none; a group beyond a class half stops being
# mentoring and becomes a lesson, so the base refuses more.
GROUP_LIMIT = 15
# The commission of seed 002 §2.13: 3–5 members, the director at its head, the curator in it.
COMMISSION_MIN, COMMISSION_MAX = 3, 5
# A decision needs the scores of at least this many members (the smallest commission).
DECISION_MIN_SCORES = 3
SCORE_MIN, SCORE_MAX = 0, 5


class MentorStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    SELECTION = "selection", _("Put forward to the commission")
    APPROVED = "approved", _("Approved by the commission")
    REJECTED = "rejected", _("Not approved")
    REGISTERED = "registered", _("In the registry")
    LEFT = "left", _("Left the programme")


#: Entries that are out of the base: not offered to matching, not asked in campaigns.
INACTIVE_STATUSES: frozenset[str] = frozenset({MentorStatus.REJECTED, MentorStatus.LEFT})


class MentorQuerySet(models.QuerySet["Mentor"]):
    # Not a TenantQuerySet: django-stubs then checks the names its callers annotate (mypy
    # sees `hidden`, `load` as missing); the filter is the same one.
    def for_org(self, organisation: Organisation) -> MentorQuerySet:
        return self.filter(organisation=organisation)

    def active(self) -> MentorQuerySet:
        return self.exclude(status__in=INACTIVE_STATUSES)


class Mentor(TenantModel):
    """A person in the mentor base of one programme, with the profile matching reads."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="mentors"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="mentor_entries", verbose_name=_("person")
    )
    category = models.CharField(
        _("category of mentor"), max_length=24, choices=MentorCategory.choices
    )
    forms = models.ManyToManyField(
        MentoringForm, related_name="+", blank=True, verbose_name=_("mentoring forms")
    )
    role_models = models.ManyToManyField(
        RoleModel,
        related_name="+",
        blank=True,
        verbose_name=_("role models"),
        help_text=_("Leave empty when any role model of the chosen forms suits."),
    )
    competencies = models.TextField(_("competencies and strengths"), blank=True)
    subjects = models.CharField(
        _("subjects"), max_length=300, blank=True, help_text=_("Separated by commas.")
    )
    experience_years = models.PositiveSmallIntegerField(
        _("years of experience"), null=True, blank=True, validators=[MaxValueValidator(70)]
    )
    hours_per_month = models.PositiveSmallIntegerField(
        _("hours a month for mentoring"), null=True, blank=True
    )
    # Weekly slots of catalogue.profile.SLOT_CHOICES («пн-вечер»).
    availability = models.JSONField(_("time available"), default=list, blank=True)
    meeting_format = models.CharField(
        _("meeting format"),
        max_length=16,
        choices=MeetingFormat.choices,
        default=MeetingFormat.BOTH,
    )
    motivation = models.TextField(_("motivation"), blank=True)
    leads_group = models.BooleanField(
        _("leads a group"),
        default=False,
        help_text=_("A group mentor may take more than 2 mentees (regulation §2.6)."),
    )
    capacity = models.PositiveSmallIntegerField(
        _("mentees at once"),
        default=ONE_TO_ONE_LIMIT,
        help_text=_("At most 2 at once; a group mentor: the size of the group."),
    )
    share_with_others = models.BooleanField(
        _("may be offered to other organisations"),
        default=False,
        help_text=_("Takes effect only with the person's valid consent to sharing."),
    )
    # Person pks of the mentees the mentor would prefer, best first (after the group meeting).
    preferences = models.JSONField(_("preferred mentees"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MentorStatus.choices, default=MentorStatus.CANDIDATE
    )
    registry_order = models.ForeignKey(
        "orders.Order",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registry order"),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("decision"), blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    left_reason = models.TextField(_("reason for leaving"), blank=True)
    # The curator's mark that the mentor school is completed, whatever the attendance says
    # (training elsewhere, a course of further education …).
    training_marked_on = models.DateField(_("training marked completed on"), null=True, blank=True)
    training_note = models.TextField(_("note on training"), blank=True)
    added_by = account_link()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MentorQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        ordering = ["person__name_key", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "person"], name="mentor_once_a_programme"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="mentor_capacity_positive"),
            models.CheckConstraint(
                condition=Q(leads_group=True) | Q(capacity__lte=ONE_TO_ONE_LIMIT),
                name="mentor_capacity_two_unless_group",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "programme", "status"])]

    def __str__(self) -> str:
        return self.person.full_name

    @property
    def subject_list(self) -> list[str]:
        return [s.strip() for s in self.subjects.split(",") if s.strip()]

    @property
    def is_active(self) -> bool:
        return self.status not in INACTIVE_STATUSES

    def availability_labels(self) -> list[str]:
        chosen = set(self.availability or [])
        return [str(label) for value, label in SLOT_CHOICES if value in chosen]


class DocumentKind(models.TextChoices):
    """What an external mentor brings before working with students (seed 002 §5.1)."""

    NO_CRIMINAL_RECORD = "no_criminal_record", _("Certificate of no criminal record")
    MEDICAL = "medical", _("Medical record book or certificate")


class MentorDocument(TenantModel):
    """The current document of a kind for a person; a new one replaces it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mentor_documents")
    kind = models.CharField(_("document"), max_length=24, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=60)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    scan = models.FileField(_("scan"))
    added_by = account_link()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mentor's document")
        verbose_name_plural = _("mentors' documents")
        ordering = ["kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="mentor_document_one_a_kind"),
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("issued_on")),
                name="mentor_document_valid_after_issue",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} № {self.number}"

    def is_valid_on(self, day: date) -> bool:
        return self.issued_on <= day <= self.valid_until


class CommissionMember(TenantModel):
    """A member of the programme's selection commission: an account of the organisation."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="commission"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="commission_seats",
        verbose_name=_("member"),
    )
    is_chair = models.BooleanField(_("chair"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("commission member")
        verbose_name_plural = _("selection commission")
        ordering = ["-is_chair", "user__last_name", "user__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="commission_member_once"),
            models.UniqueConstraint(
                fields=["programme"], condition=Q(is_chair=True), name="commission_one_chair"
            ),
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.email


#: The selection criteria of DESIGN §3 stage 4 (seed 004, stage 4), as score fields.
SELECTION_CRITERIA: tuple[tuple[str, StrOrPromise], ...] = (
    ("experience", _("Professional experience")),
    ("competencies", _("Competencies and strengths")),
    ("communication", _("Communication skills")),
    ("time", _("Time available for mentoring")),
    ("life_experience", _("Positive life and professional experience")),
    ("fit", _("Fit with the mentees' requests")),
    ("civic_position", _("Civic position")),
    ("motivation", _("Motivation")),
)
CRITERIA_FIELDS: tuple[str, ...] = tuple(field for field, _label in SELECTION_CRITERIA)


def _score_field(label: StrOrPromise) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, validators=[MaxValueValidator(SCORE_MAX)])


class SelectionScore(TenantModel):
    """One member's scores of one candidate, 0–5 a criterion, with a comment."""

    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="scores")
    # RESTRICT: a member who has scored stays in the commission (the service says so); the
    # rows still go with the programme or the organisation.
    member = models.ForeignKey(CommissionMember, on_delete=models.RESTRICT, related_name="scores")
    experience = _score_field(SELECTION_CRITERIA[0][1])
    competencies = _score_field(SELECTION_CRITERIA[1][1])
    communication = _score_field(SELECTION_CRITERIA[2][1])
    time = _score_field(SELECTION_CRITERIA[3][1])
    life_experience = _score_field(SELECTION_CRITERIA[4][1])
    fit = _score_field(SELECTION_CRITERIA[5][1])
    civic_position = _score_field(SELECTION_CRITERIA[6][1])
    motivation = _score_field(SELECTION_CRITERIA[7][1])
    note = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("selection score")
        verbose_name_plural = _("selection scores")
        ordering = ["member__is_chair", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["mentor", "member"], name="selection_score_once"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{field}__lte": SCORE_MAX}), name=f"score_{field}_at_most_5"
                )
                for field in CRITERIA_FIELDS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.mentor}"

    @property
    def values(self) -> list[int]:
        return [getattr(self, field) for field in CRITERIA_FIELDS]

    @property
    def total(self) -> int:
        return sum(self.values)


class Interview(TenantModel):
    """Notes of an interview with a candidate (sometimes with the psychologist present)."""

    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="interviews")
    held_on = models.DateField(_("date"))
    interviewers = models.CharField(_("who interviewed"), max_length=300)
    psychologist_present = models.BooleanField(_("the psychologist took part"), default=False)
    notes = models.TextField(_("notes"))
    recorded_by = account_link()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.mentor} · {self.held_on:%d.%m.%Y}"


class TrainingEvent(TenantModel):
    """An event of the mentor school."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="training_events"
    )
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=300)
    trainer = models.CharField(_("led by"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    materials = models.FileField(_("materials"), blank=True)
    required = models.BooleanField(
        _("required"),
        default=True,
        help_text=_("Every mentor attends a required event to complete the mentor school."),
    )
    # The event of the school's calendar plan it came from: filling by the plan is idempotent.
    plan_code = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mentor school event")
        verbose_name_plural = _("mentor school events")
        ordering = ["held_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "plan_code"],
                condition=~Q(plan_code=""),
                name="training_event_plan_code_once",
            )
        ]

    def __str__(self) -> str:
        return self.topic


class Attendance(TenantModel):
    """A mentor attended a mentor school event (absence is the absence of a row)."""

    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="attendances")
    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="attendances")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["event", "mentor"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor_id} @ {self.event_id}"


class PortfolioKind(models.TextChoices):
    ACHIEVEMENT = "achievement", _("Achievement")
    DOCUMENT = "document", _("Document")
    CASE = "case", _("Case")


class PortfolioItemQuerySet(TenantQuerySet["PortfolioItem"]):
    def public(self, on: date | None = None) -> PortfolioItemQuerySet:
        """What the organisation's site may show: items marked published of people whose
        consent to publication is valid today. The consent is read now, so a withdrawn one
        takes the items off at once, whatever the stored mark says."""
        queryset = self.filter(published=True).exclude(hidden_q(on, ref="person"))
        for purpose in needed_for(Purpose.PUBLICATION):
            queryset = queryset.filter(valid_exists(purpose, on, ref="person"))
        return queryset


class PortfolioItem(TenantModel):
    """An item of a mentor's portfolio: an achievement, a document, a case."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="portfolio_items")
    kind = models.CharField(_("kind"), max_length=16, choices=PortfolioKind.choices)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("description"), blank=True)
    dated = models.DateField(_("date"), null=True, blank=True)
    file = models.FileField(_("file"), blank=True)
    published = models.BooleanField(_("published on the site"), default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    added_by = account_link()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PortfolioItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("portfolio item")
        verbose_name_plural = _("portfolio items")
        ordering = ["-dated", "-pk"]

    def __str__(self) -> str:
        return self.title
