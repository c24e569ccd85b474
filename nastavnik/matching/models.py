"""Matching runs (stage 5): the curator asks the engine for pairs of one form of the programme,
reads the proposals and why some mentees are left without a mentor, locks, excludes or swaps,
runs again, compares, and confirms one run — which creates the pairs and groups and the order
fixing them (`services.py`).

A run keeps what it was given (mode, weights, options, a fingerprint of the bases) and what it
proposed, so two runs can be compared and a stale one refused.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nastavnik.catalogue.models import MentoringForm
from nastavnik.core.tenancy import Authored, OrgPage, TenantModel, TenantQuerySet, account_link
from nastavnik.orgs.models import Organisation
from nastavnik.programmes.models import Programme


class MatchingMode(models.TextChoices):
    # The values of nastavnik.matching_engine.model.Mode.
    OPTIMAL = "optimal", _("Best total score")
    STABLE = "stable", _("Stable by the preferences")


class ProposingSide(models.TextChoices):
    # The values of nastavnik.matching_engine.model.Proposer.
    MENTEE = "mentee", _("Mentees propose")
    MENTOR = "mentor", _("Mentors propose")


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    FAILED = "failed", _("Failed")
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    SUPERSEDED = "superseded", _("Superseded")


class MatchingRunQuerySet(TenantQuerySet["MatchingRun"]):
    """An organisation's matching runs."""


class MatchingRun(OrgPage, Authored, TenantModel):
    page_url = "matching:run"
    page_pk = "matching_run_pk"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="matching_runs")
    form = models.ForeignKey(
        MentoringForm, on_delete=models.RESTRICT, related_name="+", verbose_name=_("form")
    )
    # Runs of a programme and form are numbered 1, 2, 3 … so the curator can name them.
    number = models.PositiveIntegerField(_("run"))
    mode = models.CharField(_("mode"), max_length=16, choices=MatchingMode.choices)
    proposer = models.CharField(
        _("proposing side"),
        max_length=16,
        choices=ProposingSide.choices,
        default=ProposingSide.MENTEE,
    )
    # {criterion: weight}, the engine's Weights.
    weights = models.JSONField(_("weights"), default=dict)
    # Engine options chosen by the curator (common time required, formats must fit).
    options = models.JSONField(_("options"), default=dict, blank=True)
    # A later run for those left without a mentor: only mentees marked for support.
    only_unmatched = models.BooleanField(_("only mentees left without a mentor"), default=False)
    # The run it was run again from: its locks came along.
    source = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("run again from"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.RUNNING
    )
    # What the bases looked like when the run read them (see profiles.fingerprint).
    inputs_fingerprint = models.CharField(max_length=64, blank=True)
    # Totals to compare runs by (matched, total and mean points, mean ranks, blocking pairs …).
    summary = models.JSONField(default=dict, blank=True)
    # What the curator should know about the inputs: preferences that named people outside
    # the run, mentors left out because they are full …
    notes = models.JSONField(default=list, blank=True)
    # A background run that failed: the message, in the language of whoever started it.
    error = models.TextField(blank=True)
    language = models.CharField(max_length=8, blank=True)
    # A background run: its task in the queue, until when it counts as alive (core.jobs), and
    # how many times a worker took it up.
    task_id = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("order"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = account_link()

    objects = MatchingRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "form", "number"], name="matching_run_number_once"
            )
        ]
        indexes = [models.Index(fields=["organisation", "programme", "form", "status"])]

    def __str__(self) -> str:
        return f"{self.form.shown_name} · {self.number}"

    @property
    def is_proposed(self) -> bool:
        return self.status == RunStatus.PROPOSED

    @property
    def is_running(self) -> bool:
        return self.status == RunStatus.RUNNING


class Proposal(TenantModel):
    """A pair the run proposes: a mentee with a mentor, the score and its breakdown."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="proposals")
    mentee = models.ForeignKey("mentees.Mentee", on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey("mentors.Mentor", on_delete=models.CASCADE, related_name="+")
    # Whole points (1000 = a perfect pair); the breakdown's points add up to it.
    score = models.PositiveIntegerField(_("score"))
    # {criterion: {"value": 0…1, "weight": w, "points": p}} plus matched terms, subjects, slots.
    breakdown = models.JSONField(default=dict)
    # The rank (1 = first) each side gave the other after the group meeting.
    mentee_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    mentor_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    locked = models.BooleanField(_("locked"), default=False)
    # Chosen by the curator instead of the engine's proposal.
    swapped = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("proposed pair")
        verbose_name_plural = _("proposed pairs")
        ordering = ["mentor__person__name_key", "mentee__person__name_key", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "mentee"], name="proposal_one_per_mentee")
        ]

    def __str__(self) -> str:
        return f"{self.mentee_id} → {self.mentor_id}"


class Exclusion(TenantModel):
    """A pair the curator ruled out; it stays ruled out in every run made again from this one."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="exclusions")
    mentee = models.ForeignKey("mentees.Mentee", on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey("mentors.Mentor", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("excluded pair")
        verbose_name_plural = _("excluded pairs")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "mentee", "mentor"], name="exclusion_once_per_run"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentee_id} ✕ {self.mentor_id}"


class UnmatchedMentee(TenantModel):
    """A mentee the run left without a mentor, and why (the engine's reason code)."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="unmatched")
    mentee = models.ForeignKey("mentees.Mentee", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=32)
    # {"closest": [{"mentor": pk, "points": p, "taken_by": [{"mentee": pk, "points": p,
    #  "locked": bool}]}], "funnel": {step: count}}
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("mentee left without a mentor")
        verbose_name_plural = _("mentees left without a mentor")
        ordering = ["mentee__person__name_key", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "mentee"], name="unmatched_once_per_run"),
            models.CheckConstraint(condition=~Q(reason=""), name="unmatched_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.mentee_id}: {self.reason}"


class SynonymList(models.Model):
    """The organisation's synonym groups for matching requests with competencies, one group a
    line («3D = трёхмерный»). Without a row the engine's defaults apply (``synonyms.py``)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    text = models.TextField(_("synonym groups"), blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("synonym list")
        verbose_name_plural = _("synonym lists")

    def __str__(self) -> str:
        return str(self.organisation)


class OfferStatus(models.TextChoices):
    ASKED = "asked", _("Waiting for the agreement")
    AGREED = "agreed", _("Agreed: the pair may be formed")
    PAIRED = "paired", _("Pair formed")
    REFUSED = "refused", _("Refused")
    ENDED = "ended", _("Ended: the mentor is no longer shared")


#: Offers still going somewhere: at most one such offer of a mentor to one mentee.
OPEN_OFFER_STATUSES: tuple[str, ...] = (OfferStatus.ASKED, OfferStatus.AGREED)


class OfferSide(models.TextChoices):
    HOST = "host", _("The mentee's organisation")
    HOME = "home", _("The mentor's organisation")
    MENTOR = "mentor", _("The mentor")


class SharedOfferQuerySet(models.QuerySet["SharedOffer"]):
    def visible_to(self, organisation: Organisation) -> SharedOfferQuerySet:
        """The offers one of whose two sides the organisation is: nobody else's."""
        return self.filter(Q(home_organisation=organisation) | Q(host_organisation=organisation))

    def open(self) -> SharedOfferQuerySet:
        return self.filter(status__in=OPEN_OFFER_STATUSES)


class SharedOffer(models.Model):
    """A mentor of one organisation (home) asked to mentor a mentee of another organisation of
    the municipality (host).

    The one row two organisations share, so its tenancy is explicit: both keys are on it and
    `SharedOfferQuerySet.visible_to` is the only way a page reaches it. Through it the host
    sees the mentor's limited card (`sharing.SharedCard`), never the mentor's other rows; the
    home organisation sees which mentee of which organisation, never the host's other rows.
    The pair it leads to belongs to the host (its programme, order, plan and meetings).
    """

    home_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("mentor's organisation"),
    )
    host_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("mentee's organisation"),
    )
    mentor = models.ForeignKey(
        "mentors.Mentor", on_delete=models.CASCADE, related_name="+", verbose_name=_("mentor")
    )
    mentee = models.ForeignKey(
        "mentees.Mentee", on_delete=models.CASCADE, related_name="+", verbose_name=_("mentee")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=OfferStatus.choices, default=OfferStatus.ASKED
    )
    # The host's words to the home organisation and the mentor (why this mentor).
    message = models.TextField(_("message"), blank=True)
    home_agreed_at = models.DateTimeField(_("the mentor's organisation agreed"), null=True)
    home_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    mentor_agreed_at = models.DateTimeField(_("the mentor agreed"), null=True)
    refused_by = models.CharField(
        _("refused by"), max_length=8, choices=OfferSide.choices, blank=True
    )
    refusal_reason = models.TextField(_("reason"), blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    mentorship = models.ForeignKey(
        "mentorships.Mentorship",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pair"),
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SharedOfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("shared mentor offer")
        verbose_name_plural = _("shared mentor offers")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentor", "mentee"],
                condition=Q(status__in=OPEN_OFFER_STATUSES),
                name="shared_offer_one_open",
            ),
            models.CheckConstraint(
                condition=~Q(home_organisation=models.F("host_organisation")),
                name="shared_offer_between_two_organisations",
            ),
        ]
        indexes = [
            models.Index(fields=["home_organisation", "status"]),
            models.Index(fields=["host_organisation", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.mentor_id} → {self.mentee_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_OFFER_STATUSES


# --- Self-match: a mentee asks a suggested mentor (selfmatch.py) -----------------------------

#: The bounds the curator may set: suggestions shown, and days the mentor has to answer.
SELFMATCH_MAX_SUGGESTIONS = 10
SELFMATCH_MAX_ANSWER_DAYS = 30
#: `Mentorship.mode` of a pair a mentee chose (a run's pairs carry the run's mode).
SELFMATCH_MODE = "selfmatch"
#: A request's note to the mentor: a few sentences, not a letter.
SELFMATCH_MESSAGE_MAX = 500


class SelfMatchWindow(TenantModel):
    """Self-match of one form of the programme, switched on by the curator for a window of
    dates: mentees of the form see suggested mentors and ask one of them."""

    programme_form = models.OneToOneField(
        "programmes.ProgrammeForm", on_delete=models.CASCADE, related_name="selfmatch_window"
    )
    enabled = models.BooleanField(_("mentees may choose a mentor"), default=False)
    opens_on = models.DateField(_("open from"))
    closes_on = models.DateField(_("open until"))
    suggestions = models.PositiveSmallIntegerField(
        _("mentors suggested"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(SELFMATCH_MAX_SUGGESTIONS)],
    )
    answer_days = models.PositiveSmallIntegerField(
        _("days the mentor has to answer"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(SELFMATCH_MAX_ANSWER_DAYS)],
    )
    updated_by = account_link()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("self-match window")
        verbose_name_plural = _("self-match windows")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="selfmatch_window_ordered"
            ),
            models.CheckConstraint(
                condition=Q(suggestions__gte=1, suggestions__lte=SELFMATCH_MAX_SUGGESTIONS),
                name="selfmatch_suggestions_bounded",
            ),
            models.CheckConstraint(
                condition=Q(answer_days__gte=1, answer_days__lte=SELFMATCH_MAX_ANSWER_DAYS),
                name="selfmatch_answer_days_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_form_id}: {self.opens_on}–{self.closes_on}"

    def is_open(self, day: date) -> bool:
        return self.enabled and self.opens_on <= day <= self.closes_on


class SelfMatchMentor(TenantModel):
    """A mentor's own choices about self-match: a pause in taking requests, and whether
    mentees may read why the mentor suits them (the common subjects, strengths and time)."""

    mentor = models.OneToOneField(
        "mentors.Mentor", on_delete=models.CASCADE, related_name="selfmatch"
    )
    paused = models.BooleanField(_("not taking requests now"), default=False)
    shows_reasons = models.BooleanField(
        _("mentees may see what we have in common"),
        default=False,
        help_text=_(
            "The subjects, strengths and free time that match the mentee's request. Contacts "
            "are never shown."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mentor's self-match settings")
        verbose_name_plural = _("mentors' self-match settings")

    def __str__(self) -> str:
        return str(self.mentor_id)


class SelfMatchStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the mentor")
    ACCEPTED = "accepted", _("Accepted by the mentor, waiting for the curator")
    DECLINED = "declined", _("Declined by the mentor")
    EXPIRED = "expired", _("Not answered in time")
    APPROVED = "approved", _("Approved: the pair is formed")
    OVERRIDDEN = "overridden", _("Declined by the curator")
    CLOSED = "closed", _("Closed: the mentee was paired otherwise")


#: A request still going: one per mentee at a time.
SELFMATCH_OPEN = (SelfMatchStatus.PENDING, SelfMatchStatus.ACCEPTED)


class SelfMatchRequestQuerySet(TenantQuerySet["SelfMatchRequest"]):
    def open(self) -> SelfMatchRequestQuerySet:
        return self.filter(status__in=SELFMATCH_OPEN)


class SelfMatchRequest(TenantModel):
    """A mentee's (or their guardian's) request to one suggested mentor."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    form = models.ForeignKey(
        MentoringForm, on_delete=models.RESTRICT, related_name="+", verbose_name=_("form")
    )
    mentee = models.ForeignKey(
        "mentees.Mentee", on_delete=models.CASCADE, related_name="+", verbose_name=_("mentee")
    )
    mentor = models.ForeignKey(
        "mentors.Mentor", on_delete=models.CASCADE, related_name="+", verbose_name=_("mentor")
    )
    message = models.CharField(_("message to the mentor"), max_length=SELFMATCH_MESSAGE_MAX)
    status = models.CharField(
        _("status"), max_length=16, choices=SelfMatchStatus.choices, default=SelfMatchStatus.PENDING
    )
    # The engine's score of the pair when asked (1000 = perfect), for the curator.
    points = models.PositiveIntegerField(_("score"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answer_by = models.DateTimeField(_("answer by"))
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = account_link()
    mentorship = models.ForeignKey(
        "mentorships.Mentorship", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = SelfMatchRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-match request")
        verbose_name_plural = _("self-match requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # The one-open-request rule, kept by the database against two tabs at once.
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(status__in=SELFMATCH_OPEN),
                name="selfmatch_one_open_request",
            ),
            models.CheckConstraint(condition=~Q(message=""), name="selfmatch_message_given"),
        ]
        indexes = [
            models.Index(fields=["organisation", "programme", "form", "status"]),
            models.Index(fields=["status", "answer_by"]),
        ]

    def __str__(self) -> str:
        return f"{self.mentee_id} → {self.mentor_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in SELFMATCH_OPEN
