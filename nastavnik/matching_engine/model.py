"""What goes into a matching run and what comes out of it.

Plain frozen dataclasses: the Django layer builds the profiles from its models, the engine never
reads a database. Identifiers are whatever the caller uses (primary keys, codes); the engine only
compares them.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

PersonId = int | str

#: A score of 1.0 is 1000 points. Scores are whole points so that the optimiser works on small
#: integers and a pair's criterion points add up exactly to its score.
SCORE_SCALE = 1000

#: The regulation (§2.6): a mentor has at most two mentees at once, group forms excepted.
DEFAULT_CAPACITY = 2


class MeetingFormat(enum.StrEnum):
    IN_PERSON = "in_person"
    REMOTE = "remote"
    BOTH = "both"


class Mode(enum.StrEnum):
    OPTIMAL = "optimal"
    STABLE = "stable"


class Proposer(enum.StrEnum):
    """Which side proposes in stable mode; that side gets its best stable partners."""

    MENTEE = "mentee"
    MENTOR = "mentor"


class Strictness(enum.StrEnum):
    OFF = "off"
    SOFT = "soft"
    HARD = "hard"


class Criterion(enum.StrEnum):
    REQUESTS = "requests"
    SUBJECTS = "subjects"
    TIME = "time"
    FORMAT = "format"
    PREFERENCES = "preferences"
    ROLE_MODEL = "role_model"
    EXPERIENCE = "experience"


CRITERIA: tuple[Criterion, ...] = tuple(Criterion)


@dataclass(frozen=True, slots=True)
class MenteeProfile:
    id: PersonId
    form: str | None
    organisation: str = ""
    municipality: str = ""
    role_model: str | None = None
    topics: tuple[str, ...] = ()
    request_text: str = ""
    subjects: frozenset[str] = frozenset()
    grade: int | None = None
    age: int | None = None
    #: Academic results on one scale for the run (e.g. the mean mark), for role-model rules.
    results: float | None = None
    #: Siblings share a family id: no pairs inside one family.
    family: str | None = None
    #: Weekly slots such as "пн-вечер"; empty means not stated.
    availability: frozenset[str] = frozenset()
    meeting_format: MeetingFormat = MeetingFormat.BOTH
    #: Mentors named after the group meeting, best first.
    preferences: tuple[PersonId, ...] = ()
    consent_valid: bool = True
    documents_valid: bool = True
    eligible: bool = True


@dataclass(frozen=True, slots=True)
class MentorProfile:
    id: PersonId
    form: str | None
    organisation: str = ""
    municipality: str = ""
    #: The mentor lets other organisations of the municipality use the base (seed 004, stage 3).
    shared: bool = False
    #: Role models the mentor takes on; empty means any.
    role_models: frozenset[str] = frozenset()
    competencies: tuple[str, ...] = ()
    about_text: str = ""
    subjects: frozenset[str] = frozenset()
    grade: int | None = None
    age: int | None = None
    results: float | None = None
    family: str | None = None
    availability: frozenset[str] = frozenset()
    meeting_format: MeetingFormat = MeetingFormat.BOTH
    experience_years: float = 0.0
    #: Free places; None means the form's default (2, or the group size of a group form).
    capacity: int | None = None
    #: Mentees named after the group meeting, best first.
    preferences: tuple[PersonId, ...] = ()
    consent_valid: bool = True
    documents_valid: bool = True
    eligible: bool = True


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each criterion counts; a pair's score is the weighted mean of its criteria."""

    requests: float = 4.0
    subjects: float = 2.0
    time: float = 1.0
    format: float = 1.0
    preferences: float = 3.0
    role_model: float = 1.0
    experience: float = 0.5

    def of(self, criterion: Criterion) -> float:
        return float(getattr(self, criterion.value))

    def as_tuple(self) -> tuple[float, ...]:
        return tuple(self.of(criterion) for criterion in CRITERIA)


@dataclass(frozen=True, slots=True)
class FormRules:
    #: A group form: one mentor, this many mentees.
    group_size: int | None = None
    #: ученик – ученик: the mentor is older or in a higher grade (a hard rule).
    mentor_older: bool = False


@dataclass(frozen=True, slots=True)
class RoleModelRules:
    #: «успевающий – неуспевающий»: the mentor's results are higher than the mentee's.
    mentor_results_higher: Strictness = Strictness.OFF


DEFAULT_FORM_RULES: Mapping[str, FormRules] = MappingProxyType(
    {"student-student": FormRules(mentor_older=True)}
)
DEFAULT_ROLE_MODEL_RULES: Mapping[str, RoleModelRules] = MappingProxyType(
    {"Успевающий – неуспевающий": RoleModelRules(mentor_results_higher=Strictness.HARD)}
)


@dataclass(frozen=True, slots=True)
class Constraints:
    """Hard rules of a run. Locks and exclusions are (mentee id, mentor id) pairs."""

    locks: frozenset[tuple[PersonId, PersonId]] = frozenset()
    exclusions: frozenset[tuple[PersonId, PersonId]] = frozenset()
    forms: Mapping[str, FormRules] = field(default_factory=lambda: DEFAULT_FORM_RULES)
    role_models: Mapping[str, RoleModelRules] = field(
        default_factory=lambda: DEFAULT_ROLE_MODEL_RULES
    )
    #: Upper bound on a mentor's capacity outside group forms (regulation §2.6).
    max_mentees: int = DEFAULT_CAPACITY
    #: Pairs without a common weekly slot could never meet, so they are not proposed.
    require_common_slot: bool = True
    #: If set, an in-person-only side is never paired with a remote-only side.
    format_must_fit: bool = False
    #: Synonym groups of the organisation (each term of a group counts as its first term).
    synonyms: tuple[tuple[str, ...], ...] = (("3D", "трёхмерный"), ("IT", "информатика"))

    def form_rules(self, form: str) -> FormRules:
        return self.forms.get(form, FormRules())

    def role_model_rules(self, role_model: str | None) -> RoleModelRules:
        if role_model is None:
            return RoleModelRules()
        return self.role_models.get(role_model, RoleModelRules())


@dataclass(frozen=True, slots=True)
class RunOptions:
    mode: Mode = Mode.OPTIMAL
    proposer: Proposer = Proposer.MENTEE
    #: Candidates kept per mentee (the sparse graph the optimiser sees).
    top_k: int = 30
    #: Up to this many mentors in reach, every one of them is scored. In a larger pool (a big
    #: municipality's shared mentors) only those sharing a subject or a request term with the
    #: mentee are considered (an inverted index), and of them this many score, those sharing
    #: the most first — so a region stays sparse.
    pool_limit: int = 120
    #: Processes for optimal mode; 0 chooses by the size of the problem and the CPUs.
    workers: int = 0
    #: Closest mentors listed for a mentee left without a mentor.
    closest_shown: int = 3


class Missing(enum.StrEnum):
    """Data a pair's score could not use: the criterion then scores nothing, and says why."""

    MENTEE_TIME = "mentee_time"
    MENTOR_TIME = "mentor_time"
    ROLE_MODEL = "role_model"
    MENTEE_REQUEST = "mentee_request"
    MENTOR_OFFER = "mentor_offer"
    MENTEE_SUBJECTS = "mentee_subjects"


@dataclass(frozen=True, slots=True)
class Contribution:
    criterion: Criterion
    #: How well the pair meets the criterion, in [0, 1].
    value: float
    weight: float
    #: This criterion's share of the pair's score, in points.
    points: int


@dataclass(frozen=True, slots=True)
class PairScore:
    points: int
    #: Per criterion, in the order of CRITERIA; they add up to ``points`` exactly.
    criterion_points: tuple[int, ...]
    criterion_values: tuple[float, ...]
    weights: tuple[float, ...]
    matched_terms: tuple[str, ...] = ()
    matched_subjects: tuple[str, ...] = ()
    common_slots: tuple[str, ...] = ()
    #: Codes of ``Missing``: what either side left blank.
    missing: tuple[str, ...] = ()

    @property
    def score(self) -> float:
        return self.points / SCORE_SCALE

    def contributions(self) -> tuple[Contribution, ...]:
        return tuple(
            Contribution(criterion, value, weight, points)
            for criterion, value, weight, points in zip(
                CRITERIA, self.criterion_values, self.weights, self.criterion_points, strict=True
            )
        )


@dataclass(frozen=True, slots=True)
class Assignment:
    mentee_id: PersonId
    mentor_id: PersonId
    score: PairScore
    #: The rank (1 = first) each side gave the other after the group meeting, if any.
    mentee_rank: int | None
    mentor_rank: int | None
    locked: bool = False


class UnmatchedReason(enum.StrEnum):
    CONSENT_MISSING = "consent_missing"
    DOCUMENTS_MISSING = "documents_missing"
    NOT_ELIGIBLE = "not_eligible"
    NO_MENTOR_OF_FORM = "no_mentor_of_form"
    NO_ELIGIBLE_MENTOR = "no_eligible_mentor"
    NO_SHARED_REQUEST = "no_shared_request"
    RULES_EXCLUDE_ALL = "rules_exclude_all"
    NO_COMMON_TIME = "no_common_time"
    #: The run requires a common time and the mentee gave none: nothing can be checked.
    NO_TIME_GIVEN = "no_time_given"
    EXCLUDED_BY_CURATOR = "excluded_by_curator"
    ALL_MENTORS_FULL = "all_mentors_full"


class Impossible(enum.StrEnum):
    """Why a mentor a mentee named after the group meeting could not be proposed."""

    OTHER_FORM = "other_form"
    MENTOR_UNAVAILABLE = "mentor_unavailable"
    FAMILY = "family"
    ROLE_MODEL_RULE = "role_model_rule"
    TIME_NOT_GIVEN = "time_not_given"
    NO_COMMON_TIME = "no_common_time"
    FORMAT = "format"
    EXCLUDED_BY_CURATOR = "excluded_by_curator"


@dataclass(frozen=True, slots=True)
class ImpossibleChoice:
    """A mentor the mentee named whom the rules rule out, and the first rule that does."""

    mentee_id: PersonId
    mentor_id: PersonId
    #: The rank the mentee gave (1 = first choice).
    rank: int
    reason: Impossible


@dataclass(frozen=True, slots=True)
class TakenPlace:
    mentee_id: PersonId
    points: int
    locked: bool


@dataclass(frozen=True, slots=True)
class ClosestMentor:
    mentor_id: PersonId
    points: int
    #: Who holds the mentor's places in this run.
    taken_by: tuple[TakenPlace, ...]


@dataclass(frozen=True, slots=True)
class Unmatched:
    mentee_id: PersonId
    reason: UnmatchedReason
    closest: tuple[ClosestMentor, ...] = ()
    #: How many mentors were left after each filter, to show where the search ended.
    funnel: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Summary:
    mode: Mode
    matched: int
    unmatched: int
    total_points: int
    mean_points: float
    #: Mean of the ranks people gave each other, over the pairs where a rank was given.
    mean_mentee_rank: float | None
    mean_mentor_rank: float | None
    ranked_pairs: int

    @property
    def total_score(self) -> float:
        return self.total_points / SCORE_SCALE


@dataclass(frozen=True, slots=True)
class StabilityCertificate:
    """Checked over every admissible pair after the run, not only the candidate lists (see
    ``complete``). Locked pairs are fixed by the curator and take their places first, so the
    check covers everyone else and the places left."""

    proposer: Proposer
    #: Pairs that would both rather have each other than what they got; zero for a stable run.
    blocking_pairs: int
    #: Pairs checked one by one: the candidate lists, and the full lists of the mentees whose
    #: list could hide a blocking pair (left alone, or matched no better than the bound on what
    #: their list left out).
    pairs_checked: int
    #: Of them, pairs outside the candidate lists.
    outside_pairs_checked: int = 0
    #: Mentees whose lists were extended to every admissible mentor and matched again.
    lists_extended: int = 0
    #: The check covered every admissible pair (it stops short only after too many rounds).
    all_admissible: bool = True


@dataclass(frozen=True, slots=True)
class MatchingCertificate:
    """Optimal mode: the number matched is the most the full graph of admissible pairs allows
    (no augmenting path, checked from every mentee left alone)."""

    most_matched_proven: bool
    #: Mentees whose lists were extended to every admissible mentor and solved again.
    lists_extended: int
    rounds: int
    #: Pairs outside the lists checked one by one: before the first solve, those of the
    #: mentors in too few lists with mentees in reach; after each solve, a reached mentee and
    #: a free mentor.
    outside_pairs_checked: int = 0


@dataclass(frozen=True, slots=True)
class MatchResult:
    assignments: tuple[Assignment, ...]
    unmatched: tuple[Unmatched, ...]
    summary: Summary
    certificate: StabilityCertificate | None = None
    matching_certificate: MatchingCertificate | None = None
    #: Named choices of the mentees that no run could have proposed, with the reason.
    impossible_choices: tuple[ImpossibleChoice, ...] = ()
    timings: Mapping[str, float] = field(default_factory=dict)
