"""Questionnaires (анкеты) with versions, and survey campaigns (анкетирование) that send one
to the people of a programme.

A questionnaire is a template: sections of questions. Built-in questionnaires have no
organisation; an organisation copies one and edits the copy. A version that a campaign has
used is never changed in place: editing it makes the next version, so every campaign keeps
exactly the questions its respondents saw.

A campaign sends one frozen version to an audience with a deadline: one invitation per
person, each with a personal one-time link and, once slips are printed, a short code to type.
Only hashes of the link tokens and codes are stored. The answers of an anonymous campaign keep
no trace of who gave them: no invitation, no person, no moment that could be matched to one.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nastavnik.catalogue.models import MentoringForm
from nastavnik.core.language import reads_english
from nastavnik.core.tenancy import Authored, OrgPage, TenantModel, TenantQuerySet, account_link
from nastavnik.orgs.models import Organisation
from nastavnik.people.models import Person
from nastavnik.programmes.models import Programme
from nastavnik.questionnaires import english


class QuestionnaireKind(models.TextChoices):
    MENTEE_APPLICATION = "mentee_application", _("Mentee application")
    MENTOR_APPLICATION = "mentor_application", _("Mentor application")
    MENTEE_PREFERENCES = "mentee_preferences", _("Mentee preferences after the group meeting")
    MENTOR_PREFERENCES = "mentor_preferences", _("Mentor preferences after the group meeting")
    MENTOR_SATISFACTION = "mentor_satisfaction", _("Mentor satisfaction")
    MENTEE_SATISFACTION = "mentee_satisfaction", _("Mentee satisfaction")
    CURATOR_CONFORMITY = "curator_conformity", _("Curator's questionnaire on conformity")
    ASSESSMENT = "assessment", _("Entry / exit assessment")
    OTHER = "other", _("Other")


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    SCALE = "scale", _("Scale")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", pgettext_lazy("question type", "Number")
    DATE = "date", _("Date")
    RANKING = "ranking", _("Ranking of people")


CHOICE_TYPES = frozenset({QuestionType.SINGLE, QuestionType.MULTIPLE})
NUMERIC_TYPES = frozenset({QuestionType.SCALE, QuestionType.NUMBER})
TEXT_TYPES = frozenset({QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT})
SCALE_DEFAULT = (1, 10)


class Phase(models.TextChoices):
    """When an assessment campaign measures: before the programme or after it (DESIGN §5)."""

    ENTRY = "entry", _("Entry")
    EXIT = "exit", _("Exit")


class QuestionnaireQuerySet(models.QuerySet["Questionnaire"]):
    def available_to(self, organisation: Organisation) -> QuestionnaireQuerySet:
        """Built-in questionnaires and the organisation's own."""
        return self.filter(Q(organisation__isnull=True) | Q(organisation=organisation))

    def latest(self) -> QuestionnaireQuerySet:
        """Only the newest version of each questionnaire."""
        return self.filter(next_version__isnull=True)


class Questionnaire(Authored):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for a built-in questionnaire.",
    )
    # Built-ins only: what the data migration recognises its rows by.
    code = models.SlugField(max_length=60, blank=True)
    kind = models.CharField(
        _("kind"),
        max_length=24,
        choices=QuestionnaireKind.choices,
        default=QuestionnaireKind.OTHER,
    )
    title = models.CharField(_("title"), max_length=300)
    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("What respondents read before the questions.")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    # The version this one replaced; its own next version is `next_version`.
    # RESTRICT here and below: kept while referred to, but an organisation removed as a whole
    # takes both with it.
    previous = models.OneToOneField(
        "self",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="next_version",
    )
    # The questionnaire (usually a built-in) the first version was copied from.
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["title", "-version", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                condition=Q(organisation__isnull=True),
                name="questionnaire_builtin_version_once",
            ),
        ]

    def __str__(self) -> str:
        return self.shown_title

    @property
    def is_builtin(self) -> bool:
        return self.organisation_id is None

    # The texts in the reader's language (`english`): a built-in questionnaire reads in English
    # when the interface is English; an organisation's own reads as entered.
    @property
    def shown_title(self) -> str:
        return english.text(self.title, builtin=self.is_builtin)

    @property
    def shown_intro(self) -> str:
        return english.text(self.intro, builtin=self.is_builtin)

    def url_in(self, org_slug: str) -> str:
        """The page of the questionnaire seen from an organisation (built-ins have none)."""
        return reverse(
            "questionnaires:detail", kwargs={"org_slug": org_slug, "questionnaire_pk": self.pk}
        )


def _label_of(choices: Any, value: Any) -> str:
    for choice_value, label in choices:
        if str(choice_value) == str(value):
            return str(label)
    return str(value)


def _builtin(part: Section | Question) -> bool:
    """Whether a section or question belongs to a built-in questionnaire. Asked only on an
    English page: a Russian page costs no query for the questionnaire."""
    return reads_english() and part.questionnaire.is_builtin


class Section(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    intro = models.TextField(_("introduction"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.shown_title or f"#{self.position}"

    @property
    def shown_title(self) -> str:
        return english.text(self.title, builtin=_builtin(self))

    @property
    def shown_intro(self) -> str:
        return english.text(self.intro, builtin=_builtin(self))


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    # Stable within the questionnaire and across its versions: conditions refer to it.
    code = models.SlugField(_("code"), max_length=60)
    type = models.CharField(_("type"), max_length=16, choices=QuestionType.choices)
    text = models.TextField(_("question"))
    help_text = models.TextField(_("hint"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    # [[value, label], …]: the value is what is stored and fed to the bases.
    choices = models.JSONField(_("options"), default=list, blank=True)
    # Scale (1–10 by default) and number bounds.
    min_value = models.DecimalField(
        _("minimum"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    integer_only = models.BooleanField(_("whole numbers only"), default=False)
    # Ranking of people: whom the respondent chooses from (an audience key) and how many.
    pool = models.CharField(_("people to rank"), max_length=24, blank=True)
    rank_count = models.PositiveSmallIntegerField(_("how many to rank"), null=True, blank=True)
    # Shown only when the answer to an earlier question is one of these values.
    show_if_code = models.SlugField(_("shown after question"), max_length=60, blank=True)
    show_if_values = models.JSONField(_("shown for answers"), default=list, blank=True)
    # Where the answer goes in the bases (questionnaires.feeds), e.g. "mentee.topics".
    feed = models.CharField(_("feeds the base"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["section__position", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "code"], name="question_code_once_per_questionnaire"
            ),
        ]

    def __str__(self) -> str:
        return self.shown_text

    @property
    def shown_text(self) -> str:
        return english.text(self.text, builtin=_builtin(self))

    @property
    def shown_help_text(self) -> str:
        return english.text(self.help_text, builtin=_builtin(self))

    @property
    def shown_choices(self) -> list[tuple[str, str]]:
        """(value, label) of the options, the labels in the reader's language."""
        if not reads_english():
            return [(value, str(label)) for value, label in self.choices]
        builtin = _builtin(self)
        return [(value, english.text(str(label), builtin=builtin)) for value, label in self.choices]

    @property
    def choice_values(self) -> list[str]:
        return [str(value) for value, _label in self.choices]

    def choice_label(self, value: Any) -> str:
        """The label of an option as stored (documents and exports are Russian)."""
        return _label_of(self.choices, value)

    def shown_choice_label(self, value: Any) -> str:
        """The label of an option in the reader's language (pages)."""
        return _label_of(self.shown_choices, value)

    @property
    def scale_range(self) -> tuple[int, int]:
        low = int(self.min_value) if self.min_value is not None else SCALE_DEFAULT[0]
        high = int(self.max_value) if self.max_value is not None else SCALE_DEFAULT[1]
        return low, high

    @property
    def scale_points(self) -> list[int]:
        low, high = self.scale_range
        return list(range(low, high + 1))

    @property
    def is_conditional(self) -> bool:
        return bool(self.show_if_code)

    @property
    def is_choice(self) -> bool:
        return self.type in CHOICE_TYPES

    @property
    def is_numeric(self) -> bool:
        return self.type in NUMERIC_TYPES

    @property
    def rank_places(self) -> list[int]:
        return list(range(1, (self.rank_count or 1) + 1))


# --- Campaigns ------------------------------------------------------------------------------


class CampaignQuerySet(TenantQuerySet["Campaign"]):
    """An organisation's campaigns."""


class Campaign(OrgPage, Authored, TenantModel):
    page_url = "questionnaires:campaign_detail"
    page_pk = "campaign_pk"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="campaigns")
    # The frozen version sent: its questions never go away under the campaign.
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.RESTRICT,
        related_name="campaigns",
        verbose_name=_("questionnaire"),
    )
    title = models.CharField(_("title"), max_length=300)
    audience = models.CharField(_("audience"), max_length=24)
    audience_params = models.JSONField(default=dict, blank=True)
    audience_label = models.CharField(_("audience"), max_length=300, blank=True)
    form = models.ForeignKey(
        MentoringForm,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mentoring form"),
    )
    phase = models.CharField(_("phase"), max_length=8, choices=Phase.choices, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    deadline = models.DateField(_("deadline"))
    # People of the audience not invited for lack of a valid consent, as they were at sending.
    left_out = models.JSONField(default=list, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = account_link()
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "programme", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def is_open_on(self, day: Any) -> bool:
        """Open for answers: not closed and the deadline (inclusive) not passed."""
        return self.closed_at is None and day <= self.deadline


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Invitation(TenantModel):
    """One person asked to answer one campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    # Set when slips are printed; printing again gives a new code.
    code_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    code_issued_at = models.DateTimeField(null=True, blank=True)
    # For an anonymous campaign only this flag, never a moment: see the module docstring.
    answered = models.BooleanField(default=False)
    sent_to = models.EmailField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["person__last_name", "person__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="invitation_once"),
        ]
        indexes = [models.Index(fields=["campaign", "answered"])]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.person_id}"


class Channel(models.TextChoices):
    LINK = "link", _("Personal link")
    CODE = "code", _("Code")
    # An anonymous answer by link or code: which of the two would tell who had an e-mail.
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Typed in from paper")


class Response(TenantModel):
    """The answers of one respondent. Anonymous: no invitation, person or exact moment."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, null=True, blank=True, related_name="response"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    submitted_on = models.DateField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    entered_by = account_link()
    # [{"question": code, "feed": key, "reason": text}]: answers the bases could not take.
    feed_notes = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=True) | Q(invitation__isnull=False),
                name="response_person_through_invitation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} #{self.pk}"


class Answer(TenantModel):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.RESTRICT, related_name="answers")
    # str, list[str], int, a number as text, an ISO date or a list of Person pks (ranking).
    value = models.JSONField()
    # Scale and number answers again, as numbers the database can average.
    number = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value}"
