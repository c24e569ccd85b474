"""The one rule: may this person's data be used for this purpose now?

Everything that uses people's data for the programme — the bases of mentors and mentees,
matching, pairs, the public page, the people lists — asks here:

- `with_valid_consent(people, purpose)` (or `.filter(valid_consent_q(purpose))` in a chain)
  narrows a queryset to the people whose data may be used for `purpose` today;
- `may_use(person, purpose)` answers for one person;
- `consent_status(person)` gives the state of every purpose, for cards and dashboards;
- `hidden_q()` / `is_hidden(person)` say whose data nobody but the consent register sees;
- `participation_withdrawn_q()` / `is_participation_withdrawn(person)` say whose part in the
  programme is suspended (pairs and groups read it through `mentorships.suspension`);
- `consent_state(consent)` is the one answer to "does this consent count", for the register,
  the person's page and the cabinet alike.

A consent is valid on a day when it was given on or before it, its term has not ended and it
has not been withdrawn. Every purpose rests on the processing consent: without a valid one,
nothing else counts. Minors are covered by a legal guardian's consent only, and a guardian's
consent ends the day before the child turns 18 (the guardian's authority ends then); both are
checked when a consent is recorded (`services.py`), so a valid record is one that counts.

The data of a person who withdrew the processing consent (and has not given a new one) are
hidden: they leave every list and card except the consent register of the curator and the
director, until `depersonalise_expired` depersonalises them. People who simply have no
consent yet stay visible — the registry is the school's own record — but no purpose allows
their data.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone

from nastavnik.consents.models import Consent, Depersonalisation, Purpose, Status, valid_on_q
from nastavnik.people.models import Person, PersonKind, PersonQuerySet

ADULT_AGE = 18
# From 14 a minor signs the guardian's consent too (Civil Code art. 26: a minor of 14–18 acts
# with the consent of the legal representative, not through them).
OWN_SIGNATURE_AGE = 14
# The purposes every participant needs; publication and sharing are optional extras.
REQUIRED_PURPOSES: tuple[Purpose, ...] = (Purpose.PROCESSING, Purpose.PARTICIPATION)


def needed_for(purpose: Purpose | str) -> tuple[Purpose, ...]:
    """The consents that must all be valid for `purpose`."""
    purpose = Purpose(purpose)
    if purpose == Purpose.PROCESSING:
        return (Purpose.PROCESSING,)
    return (Purpose.PROCESSING, purpose)


def _today(on: date | None) -> date:
    # Views run with the organisation's time zone active (org_view).
    return on if on is not None else timezone.localdate()


# --- Querysets -----------------------------------------------------------------------------


def valid_exists(purpose: Purpose | str, on: date | None = None, ref: str = "pk") -> Exists:
    return Exists(
        Consent.objects.valid_on(_today(on)).filter(subject=OuterRef(ref), purpose=purpose)
    )


def hidden_q(on: date | None = None, ref: str = "pk") -> Q:
    """People whose processing consent was withdrawn (with no valid one since), and people
    already depersonalised."""
    withdrawn = Exists(
        Consent.objects.filter(
            subject=OuterRef(ref), purpose=Purpose.PROCESSING, withdrawn_at__isnull=False
        )
    )
    depersonalised = Exists(Depersonalisation.objects.filter(person=OuterRef(ref)))
    return (Q(withdrawn) & ~Q(valid_exists(Purpose.PROCESSING, on, ref))) | Q(depersonalised)


def withdrawn_q(purpose: Purpose | str, on: date | None = None, ref: str = "pk") -> Q:
    """People who withdrew their consent for `purpose` and have no valid one since."""
    withdrawn = Exists(
        Consent.objects.filter(subject=OuterRef(ref), purpose=purpose, withdrawn_at__isnull=False)
    )
    return Q(withdrawn) & ~Q(valid_exists(purpose, on, ref))


def participation_withdrawn_q(on: date | None = None, ref: str = "pk") -> Q:
    """People whose part in the programme is suspended: they (or a guardian for them) withdrew
    the participation consent, or the processing consent it rests on, with no valid one since.

    Derived from the consents, never stored: a stored "suspended" flag could drift from the
    register (a consent given again, a withdrawal recorded by the curator, a depersonalisation),
    while this answer changes the moment the consent does, on every page at once.
    """
    q = Q()
    for purpose in needed_for(Purpose.PARTICIPATION):
        q |= withdrawn_q(purpose, on, ref)
    return q


# --- A few people known by id -----------------------------------------------------------------
# `hidden_q` and `participation_withdrawn_q` on a handful of ids (a cabinet's pairs, the user's
# own entries), read from the people's consent rows in one plain query. The same rule: Django
# spends ~2 ms compiling the correlated subqueries of the Q forms, every page, for a query
# PostgreSQL answers in a fraction of that.


def _withdrawn_among(people: Collection[int], purposes: tuple[Purpose, ...], day: date) -> set[int]:
    """Those of `people` for whom one of `purposes` is as `withdrawn_q` says: a withdrawn
    consent and no consent valid on `day` (`valid_on_q`, the filter of `valid_exists`)."""
    if not people:
        return set()
    withdrawn: set[tuple[int, str]] = set()
    valid: set[tuple[int, str]] = set()
    for subject, purpose, withdrawn_at, is_valid in (
        Consent.objects.filter(subject__in=list(people), purpose__in=purposes)
        .annotate(is_valid=ExpressionWrapper(valid_on_q(day), output_field=BooleanField()))
        .order_by()
        .values_list("subject_id", "purpose", "withdrawn_at", "is_valid")
    ):
        if withdrawn_at is not None:
            withdrawn.add((subject, purpose))
        if is_valid:
            valid.add((subject, purpose))
    return {subject for subject, purpose in withdrawn - valid}


def hidden_among(people: Collection[int], on: date | None = None) -> set[int]:
    """The ids of `people` that `hidden_q(on)` lets through."""
    if not people:
        return set()
    depersonalised = Depersonalisation.objects.filter(person__in=list(people)).values_list(
        "person_id", flat=True
    )
    return _withdrawn_among(people, (Purpose.PROCESSING,), _today(on)) | set(depersonalised)


def participation_withdrawn_among(people: Collection[int], on: date | None = None) -> set[int]:
    """The ids of `people` that `participation_withdrawn_q(on)` lets through."""
    return _withdrawn_among(people, needed_for(Purpose.PARTICIPATION), _today(on))


def hidden_accounts_q(organisation_id: int, on: date | None = None, ref: str = "pk") -> Q:
    """On an account queryset: accounts linked to a person of the organisation whose data are
    hidden. An account's name is the person's name: pickers of accounts exclude these too."""
    return Q(
        Exists(
            Person.objects.filter(organisation_id=organisation_id, user=OuterRef(ref)).filter(
                hidden_q(on)
            )
        )
    )


def valid_consent_q(purpose: Purpose | str, on: date | None = None, ref: str = "pk") -> Q:
    """On a person queryset: the people whose data may be used for `purpose` on `on`."""
    q = Q()
    for needed in needed_for(purpose):
        q &= Q(valid_exists(needed, on, ref))
    return q


def with_valid_consent(
    people: PersonQuerySet, purpose: Purpose | str, on: date | None = None
) -> PersonQuerySet:
    return people.filter(valid_consent_q(purpose, on))


def not_hidden(people: PersonQuerySet, on: date | None = None) -> PersonQuerySet:
    return people.exclude(hidden_q(on))


def consent_flags(on: date | None = None) -> dict[str, Exists]:
    """Annotations `consent_<purpose>` (valid on `on`, today by default) for each required
    purpose: one query for a whole list, whatever its length."""
    return {f"consent_{purpose.value}": valid_exists(purpose, on) for purpose in REQUIRED_PURPOSES}


def with_consent_flags(people: PersonQuerySet, on: date | None = None) -> PersonQuerySet:
    return people.annotate(**consent_flags(on))


# --- One person ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PurposeState:
    purpose: Purpose
    status: Status
    # The consent that decides the status: the valid one, else the latest.
    consent: Consent | None
    # Valid itself but of no use, because the processing consent is not valid.
    blocked: bool = False

    @property
    def usable(self) -> bool:
        return self.status == Status.VALID and not self.blocked


@dataclass(frozen=True)
class PersonConsents:
    person: Person
    on: date
    states: dict[Purpose, PurposeState]
    hidden: bool

    def may_use(self, purpose: Purpose | str) -> bool:
        return all(self.states[p].status == Status.VALID for p in needed_for(purpose))

    @property
    def missing_required(self) -> list[Purpose]:
        return [p for p in REQUIRED_PURPOSES if not self.may_use(p)]

    @property
    def ordered(self) -> list[PurposeState]:
        return [self.states[p] for p in Purpose]


def consent_status(
    person: Person, on: date | None = None, consents: list[Consent] | None = None
) -> PersonConsents:
    """The state of every purpose for `person`. Pass `consents` (all of the person's) when
    they are already loaded."""
    day = _today(on)
    if consents is None:
        consents = list(person.consents.select_related("given_by").order_by("-given_on", "-pk"))
    else:
        consents = sorted(consents, key=lambda c: (c.given_on, c.pk), reverse=True)
    states: dict[Purpose, PurposeState] = {}
    for purpose in Purpose:
        own = [c for c in consents if c.purpose == purpose and c.given_on <= day]
        valid = next((c for c in own if c.status_on(day) == Status.VALID), None)
        if valid is not None:
            states[purpose] = PurposeState(purpose, Status.VALID, valid)
        elif own:
            states[purpose] = PurposeState(purpose, own[0].status_on(day), own[0])
        else:
            states[purpose] = PurposeState(purpose, Status.MISSING, None)
    processing_ok = states[Purpose.PROCESSING].status == Status.VALID
    # Whether each deciding consent counts is consent_state's answer, as in the register.
    states = {
        p: consent_state(s.consent, day, processing_ok) if s.consent is not None else s
        for p, s in states.items()
    }
    # The same rule as hidden_q, read from the rows already loaded.
    withdrawn = any(c.purpose == Purpose.PROCESSING and c.withdrawn_at for c in consents)
    hidden = (withdrawn and not processing_ok) or Depersonalisation.objects.filter(
        person=person
    ).exists()
    return PersonConsents(person=person, on=day, states=states, hidden=hidden)


def may_use(person: Person, purpose: Purpose | str, on: date | None = None) -> bool:
    return consent_status(person, on).may_use(purpose)


def is_hidden(person: Person, on: date | None = None) -> bool:
    return Person.objects.filter(pk=person.pk).filter(hidden_q(on)).exists()


def is_participation_withdrawn(person: Person, on: date | None = None) -> bool:
    return Person.objects.filter(pk=person.pk).filter(participation_withdrawn_q(on)).exists()


def consent_state(
    consent: Consent, on: date | None = None, processing_valid: bool | None = None
) -> PurposeState:
    """Whether one consent counts on a day: its own status, and `blocked` when it is valid
    itself but of no use because the subject's processing consent is not valid. The register,
    the person's page and the cabinet all show this, so they never disagree. Pass
    `processing_valid` when it is already known (annotated on a list) to spare a query."""
    day = _today(on)
    status = consent.status_on(day)
    if consent.purpose == Purpose.PROCESSING or status != Status.VALID:
        return PurposeState(Purpose(consent.purpose), status, consent)
    if processing_valid is None:
        processing_valid = (
            Consent.objects.valid_on(day)
            .filter(subject_id=consent.subject_id, purpose=Purpose.PROCESSING)
            .exists()
        )
    return PurposeState(Purpose(consent.purpose), status, consent, blocked=not processing_valid)


def consent_states(consents: list[Consent], on: date | None = None) -> list[PurposeState]:
    """`consent_state` of each of a list, with whether each subject's processing consent is
    valid read in one query for the whole list."""
    day = _today(on)
    subjects = {c.subject_id for c in consents if c.purpose != Purpose.PROCESSING}
    processing_valid = (
        set(
            Consent.objects.valid_on(day)
            .filter(subject_id__in=subjects, purpose=Purpose.PROCESSING)
            .values_list("subject_id", flat=True)
        )
        if subjects
        else set()
    )
    return [consent_state(c, day, c.subject_id in processing_valid) for c in consents]


def counting_q(on: date | None = None) -> Q:
    """On a consent queryset: the consents `consent_state` calls valid and not blocked."""
    return Q(purpose=Purpose.PROCESSING) | Q(valid_exists(Purpose.PROCESSING, on, ref="subject"))


# --- Who signs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Signing:
    """Who gives a consent for `subject` on a day."""

    minor: bool
    # From 14 to 18 the minor signs beside the guardian.
    minor_signs: bool
    # The day before the 18th birthday: the last day a guardian's consent can cover.
    guardian_until: date | None


def _eighteenth_eve(born: date) -> date:
    try:
        birthday = born.replace(year=born.year + ADULT_AGE)
    except ValueError:  # born on 29 February
        birthday = born.replace(year=born.year + ADULT_AGE, month=3, day=1)
    return date.fromordinal(birthday.toordinal() - 1)


def signing_for(subject: Person, on: date) -> Signing:
    age = subject.age_on(on)
    if age is None:
        # A student's birth date is required; anyone else without one is taken as an adult.
        minor = subject.kind == PersonKind.STUDENT
        return Signing(minor=minor, minor_signs=False, guardian_until=None)
    minor = age < ADULT_AGE
    return Signing(
        minor=minor,
        minor_signs=minor and age >= OWN_SIGNATURE_AGE,
        guardian_until=_eighteenth_eve(subject.birth_date) if minor else None,  # type: ignore[arg-type]
    )
