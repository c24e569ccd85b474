"""The awards of the year (stage 7; seed 000 §6, seed 002 §8): nominations of a programme, their
nominees, the jury's scores, the winners and the documents handed out.

A nomination («Наставник года», «Лучшая пара», «Наставник+» or the organisation's own) is for
one kind of nominee: a mentor of the programme, a pair or group of the programme, or any person
of the organisation. Its jury are accounts of the organisation; each juror scores each nominee
once, on a 1–10 scale — the scale the satisfaction questionnaires of the monitoring use, so
people read both the same way. The curator or the director then places the winners (one or
several places); an award record is kept for every diploma, certificate and letter of thanks,
with a number, so that a printed paper can be traced back. The awards order lists the winners.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nastavnik.core.tenancy import TenantModel, account_link

# A jury decides as the selection commission does (seed 002 §2.13): at least three members.
JURY_MIN, JURY_MAX = 3, 9
# A place is given only to a nominee at least this many jurors have scored.
QUORUM = JURY_MIN
SCORE_MIN, SCORE_MAX = 1, 10
# First, second and third places; a nomination may have one winner or several places.
PLACES = (1, 2, 3)


class NomineeKind(models.TextChoices):
    MENTOR = "mentor", _("A mentor of the programme")
    MENTORSHIP = "mentorship", _("A pair or group of the programme")
    PERSON = "person", _("A person of the organisation")


class NominationStatus(models.TextChoices):
    OPEN = "open", _("Scoring")
    DECIDED = "decided", _("Winners chosen")


class TieDecision(models.TextChoices):
    """How those who decide settled two or more nominees sharing the best mean score."""

    SHARED = "shared", _("The first place is shared")
    CHOSEN = "chosen", _("The first place went to one of them")


class Nomination(TenantModel):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="nominations"
    )
    name = models.CharField(_("name"), max_length=200)
    # The built-in nominations of seed 000 §6 carry their code; the organisation's own none.
    code = models.CharField(max_length=32, blank=True, editable=False)
    description = models.TextField(_("what it is awarded for"), blank=True)
    nominee_kind = models.CharField(
        _("who is nominated"), max_length=16, choices=NomineeKind.choices
    )
    status = models.CharField(
        _("status"), max_length=16, choices=NominationStatus.choices, default=NominationStatus.OPEN
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = account_link()
    tie_decision = models.CharField(
        _("tie at the top"), max_length=16, choices=TieDecision.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="nomination_name_once"),
            models.UniqueConstraint(
                fields=["programme", "code"], condition=~Q(code=""), name="nomination_code_once"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_decided(self) -> bool:
        return self.status == NominationStatus.DECIDED


class Juror(TenantModel):
    """A member of a nomination's jury: an account of the organisation."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="jury")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="jury_seats",
        verbose_name=_("juror"),
    )

    class Meta:
        verbose_name = _("juror")
        verbose_name_plural = _("jury")
        ordering = ["user__last_name", "user__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "user"], name="juror_once"),
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.email


class Nominee(TenantModel):
    """One nominee of a nomination: exactly one of a mentor, a mentorship or a person, as the
    nomination's kind says."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="nominees")
    mentor = models.ForeignKey(
        "mentors.Mentor", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    mentorship = models.ForeignKey(
        "mentorships.Mentorship",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    merits = models.TextField(_("merits"), blank=True)
    place = models.PositiveSmallIntegerField(_("place"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nominee")
        verbose_name_plural = _("nominees")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(mentor__isnull=False, mentorship__isnull=True, person__isnull=True)
                    | Q(mentor__isnull=True, mentorship__isnull=False, person__isnull=True)
                    | Q(mentor__isnull=True, mentorship__isnull=True, person__isnull=False)
                ),
                name="nominee_exactly_one_target",
            ),
            models.CheckConstraint(
                condition=Q(place__isnull=True) | Q(place__gte=1, place__lte=3),
                name="nominee_place_1_to_3",
            ),
            models.UniqueConstraint(
                fields=["nomination", "mentor"],
                condition=Q(mentor__isnull=False),
                name="nominee_mentor_once",
            ),
            models.UniqueConstraint(
                fields=["nomination", "mentorship"],
                condition=Q(mentorship__isnull=False),
                name="nominee_mentorship_once",
            ),
            models.UniqueConstraint(
                fields=["nomination", "person"],
                condition=Q(person__isnull=False),
                name="nominee_person_once",
            ),
        ]

    def __str__(self) -> str:
        if self.mentor_id:
            # A set id loads its row (or raises DoesNotExist): never None here.
            mentor = self.mentor
            assert mentor is not None
            return mentor.person.full_name
        if self.mentorship_id:
            mentorship = self.mentorship
            assert mentorship is not None
            mentees = ", ".join(m.mentee.person.full_name for m in mentorship.members.all())
            return f"{mentorship.mentor.person.full_name} — {mentees}"
        return self.person.full_name

    @property
    def is_winner(self) -> bool:
        return self.place is not None


class JuryScore(TenantModel):
    """One juror's score of one nominee, 1–10, with a comment."""

    nominee = models.ForeignKey(Nominee, on_delete=models.CASCADE, related_name="scores")
    # RESTRICT: a juror who has scored stays in the jury (the service says so).
    juror = models.ForeignKey(Juror, on_delete=models.RESTRICT, related_name="scores")
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("jury score")
        verbose_name_plural = _("jury scores")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["nominee", "juror"], name="jury_score_once"),
            models.CheckConstraint(
                condition=Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                name="jury_score_1_to_10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nominee}: {self.score}"


class AwardKind(models.TextChoices):
    DIPLOMA = "diploma", _("Winner's diploma")
    CERTIFICATE = "certificate", _("Participant's certificate")
    THANKS = "thanks", _("Letter of thanks")
    PARENT_THANKS = "parent_thanks", _("Letter of thanks to the parents")


class Award(TenantModel):
    """A document handed to a person: a diploma, a certificate or a letter of thanks. Numbered
    within the programme; the document itself is made from the data whenever it is asked for."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="awards"
    )
    nominee = models.ForeignKey(Nominee, on_delete=models.CASCADE, related_name="awards")
    kind = models.CharField(_("kind"), max_length=16, choices=AwardKind.choices)
    recipient = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    # The student mentor a letter to the parents is about.
    child = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    number = models.PositiveIntegerField(_("number"))
    issued_on = models.DateField(_("issued on"))

    class Meta:
        verbose_name = _("award document")
        verbose_name_plural = _("award documents")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="award_number_once"),
            models.UniqueConstraint(
                fields=["nominee", "kind", "recipient"], name="award_once_per_nominee"
            ),
        ]

    def __str__(self) -> str:
        return f"№ {self.number} {self.get_kind_display()}: {self.recipient}"
