"""The curator's matching workflow: start a run, lock, exclude or swap its proposals, run it
again, and confirm it. Views, the demo and the tests all come through here.

Each function is atomic and validated: bad input raises ValidationError with a message that
names the people at fault, and nothing is written. The engine's refusals (`EngineInputError`)
are turned into such messages by `texts.engine_error_message`.

A run reads the bases once (`profiles.build_inputs`) and keeps a fingerprint of what it read.
Confirming compares it with the bases as they are then: a run made on data that changed since
(a new mentee, a withdrawn consent, a pair formed by another run) is refused and made again.

Size: the engine matches 3,000 mentees to 1,000 mentors in about 0.3 s, and a run belongs to one
organisation (at most a few thousand students), so runs are made during the request. A run of
more than `MATCHING_INLINE_MENTEES` mentees (settings; 5,000 by default — a region-scale base)
goes to the task queue and its page follows it until it is ready.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import User
from nastavnik.catalogue.models import MentoringForm
from nastavnik.core.events import emit
from nastavnik.core.rules import rule_errors
from nastavnik.matching.compute import (
    admissible_mentors,
    breakdown,
    engine_options,
    engine_weights,
    refused,
    run_compute,
    single_profiles,
    summarise,
    with_rules,
)
from nastavnik.matching.models import (
    Exclusion,
    MatchingMode,
    MatchingRun,
    Proposal,
    ProposingSide,
    RunStatus,
    SelfMatchRequest,
    SelfMatchStatus,
    UnmatchedMentee,
)
from nastavnik.matching.profiles import Note, RunInputs, build_inputs, missing_data
from nastavnik.matching.sharing import offers_ask_from_run
from nastavnik.matching.tasks import matching_run_queue
from nastavnik.matching.texts import missing_label
from nastavnik.matching_engine import (
    CRITERIA,
    EngineInputError,
    Weights,
    run_matching,
)
from nastavnik.matching_engine.validate import validate_run
from nastavnik.mentees.models import Mentee, MenteeStatus
from nastavnik.mentees.services import mentee_set_status, mentee_update
from nastavnik.mentors.models import Mentor
from nastavnik.mentorships.models import Mentorship
from nastavnik.mentorships.services import (
    NewMember,
    check_places,
    check_term,
    lock_mentors,
    mentorship_create,
)
from nastavnik.orders.kinds import OrderKind
from nastavnik.orders.models import Order
from nastavnik.orders.services import OrderDetails, order_draft
from nastavnik.people.validators import org_today
from nastavnik.programmes.models import Programme, ProgrammeForm, ProgrammeStatus, RoadmapEvent
from nastavnik.programmes.services import event_complete, require_open

logger = logging.getLogger(__name__)

DEFAULT_INLINE_MENTEES = 5000
#: Why a mentee whose proposed pair the curator ruled out has no mentor in the run (the
#: engine's own reasons are for what the engine decided).
PAIR_EXCLUDED = "pair_excluded"
#: Run options the curator may set; the rest are the engine's defaults.
OPTION_NAMES = ("require_common_slot", "format_must_fit", "include_shared")
PAIRS_ORDER_TITLE = "О закреплении наставнических пар (групп)"

MESSAGES = {
    "not_approved": _(
        "Pairs are formed in an approved programme: approve the programme by an order first."
    ),
    "form_not_chosen": _("The form «%(form)s» is not one of the programme's forms."),
    "no_mentees": _(
        "There is nobody to match in the form «%(form)s»: no mentee of the base is waiting "
        "for a mentor."
    ),
    "no_mentees_unmatched": _(
        "No mentee of the form «%(form)s» is marked as left without a mentor."
    ),
    "not_proposed": _("The run is %(status)s: only a proposed run can be changed or confirmed."),
    "confirmed": _("The run is already confirmed: its pairs exist and the order is made."),
    "stale": _(
        "The bases changed since this run was made (new or changed mentees or mentors, "
        "consents, pairs formed meanwhile): run it again and confirm the new run."
    ),
    "no_proposals": _("The run proposes no pair: there is nothing to confirm."),
    "mentor_not_in_run": _(
        "%(name)s is not a mentor of this run: choose one of the mentee's candidates."
    ),
    "mentee_not_in_run": _("%(name)s is no longer waiting for a mentor in this form."),
    "mentor_full_in_run": _(
        "%(name)s has no free place left in this run: unlock or exclude one of the mentor's "
        "pairs first."
    ),
    "excluded": _("The pair %(mentee)s — %(mentor)s is excluded in this run."),
    "same_mentor": _("%(name)s is already the proposed mentor."),
    "different_runs": _("Compare two runs of the same form of the programme."),
    "order_exists": _("The run already has its order (№ %(number)s)."),
    "not_confirmed": _("The order is made for a confirmed run."),
}


_error = rule_errors(MESSAGES)


def inline_limit() -> int:
    return int(getattr(settings, "MATCHING_INLINE_MENTEES", DEFAULT_INLINE_MENTEES))


# --- Settings of a run -----------------------------------------------------------------------


@dataclass(frozen=True)
class RunSettings:
    mode: str = MatchingMode.OPTIMAL
    proposer: str = ProposingSide.MENTEE
    weights: Mapping[str, float] | None = None
    require_common_slot: bool = True
    format_must_fit: bool = False
    only_unmatched: bool = False
    # The shared mentors of the municipality's other organisations take part too; a pair with
    # one becomes a request to their organisation and to them on confirmation (`sharing`).
    include_shared: bool = False

    @property
    def weight_map(self) -> dict[str, float]:
        defaults = Weights()
        given = dict(self.weights or {})
        return {c.value: float(given.get(c.value, defaults.of(c))) for c in CRITERIA}

    @property
    def options(self) -> dict[str, bool]:
        return {
            "require_common_slot": self.require_common_slot,
            "format_must_fit": self.format_must_fit,
            "include_shared": self.include_shared,
        }

    @classmethod
    def of_run(cls, run: MatchingRun) -> RunSettings:
        return cls(
            mode=run.mode,
            proposer=run.proposer,
            weights=run.weights,
            only_unmatched=run.only_unmatched,
            **{
                name: bool(run.options.get(name, cls.__dataclass_fields__[name].default))
                for name in OPTION_NAMES
            },
        )


# --- Checks shared by the writes ----------------------------------------------------------------


def _locked_programme(programme: Programme) -> Programme:
    return (
        Programme.objects.select_for_update(of=("self",))
        .select_related("organisation", "academic_year")
        .get(pk=programme.pk)
    )


def _require_open(programme: Programme) -> None:
    require_open(programme)
    if programme.status != ProgrammeStatus.APPROVED:
        raise _error("not_approved")


def _require_form(programme: Programme, form: MentoringForm) -> None:
    if not ProgrammeForm.objects.filter(programme=programme, form=form).exists():
        raise _error("form_not_chosen", form=form.shown_name)


def _locked_run(run: MatchingRun) -> MatchingRun:
    return (
        MatchingRun.objects.select_for_update(of=("self",))
        .select_related("programme__organisation", "programme__academic_year", "form")
        .get(pk=run.pk)
    )


def require_proposed(run: MatchingRun) -> None:
    """Only a proposed run changes or is confirmed."""
    if run.status == RunStatus.CONFIRMED:
        raise _error("confirmed")
    if run.status != RunStatus.PROPOSED:
        raise _error("not_proposed", status=RunStatus(run.status).label.lower())


# --- Starting a run ---------------------------------------------------------------------------


def _carried_rules(
    source: MatchingRun | None, inputs: RunInputs
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The source run's locks and exclusions, as (mentee person, mentor person) pairs.

    A lock or exclusion naming someone no longer in the run (paired meanwhile, left, full) is
    moot and dropped, with a note for the curator. A lock between people still in the run is
    carried as it is: if it breaks a rule now, the engine refuses it by name.
    """
    if source is None:
        return [], []

    def inside(pair: tuple[int, int]) -> bool:
        return pair[0] in inputs.mentee_rows and pair[1] in inputs.mentor_rows

    locks = list(
        Proposal.objects.filter(run=source, locked=True).values_list(
            "mentee__person_id", "mentor__person_id"
        )
    )
    exclusions = Exclusion.objects.filter(run=source).values_list(
        "mentee__person_id", "mentor__person_id"
    )
    dropped = [pair for pair in locks if not inside(pair)]
    if dropped:
        inputs.notes.append(Note("locks_dropped", pairs=tuple(dropped)))
    return [p for p in locks if inside(p)], [p for p in exclusions if inside(p)]


def _self_matched(
    programme: Programme, form: MentoringForm, inputs: RunInputs, locks: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Pairs a mentor accepted by self-match, waiting for the curator: the run keeps them as
    locks, so it matches only those who did not choose (a curator's own lock comes first)."""
    locked_mentees = {mentee for mentee, _mentor in locks}
    accepted = SelfMatchRequest.objects.filter(
        programme=programme, form=form, status=SelfMatchStatus.ACCEPTED
    ).values_list("mentee__person_id", "mentor__person_id")
    return [
        (mentee, mentor)
        for mentee, mentor in accepted
        if mentee in inputs.mentee_rows
        and mentor in inputs.mentor_rows
        and mentee not in locked_mentees
    ]


@transaction.atomic
def run_start(
    programme: Programme,
    form: MentoringForm,
    run_settings: RunSettings,
    *,
    by: User | None,
    source: MatchingRun | None = None,
) -> MatchingRun:
    """Read the bases, ask the engine, keep the proposals. With `source`, the new run keeps the
    source's locked pairs and excluded pairs."""
    if source is not None and (source.programme_id != programme.pk or source.form_id != form.pk):
        raise ValueError(f"run {source.pk} is not a run of this programme and form")
    locked = _locked_programme(programme)
    _require_open(locked)
    _require_form(locked, form)
    today = org_today(locked.organisation)
    inputs = build_inputs(
        locked,
        form,
        today,
        only_unmatched=run_settings.only_unmatched,
        options=run_settings.options,
    )
    if not inputs.mentees:
        key = "no_mentees_unmatched" if run_settings.only_unmatched else "no_mentees"
        raise _error(key, form=form.shown_name)
    locks, exclusions = _carried_rules(source, inputs)
    locks += _self_matched(locked, form, inputs, locks)
    weights = engine_weights(run_settings.weight_map)
    constraints = with_rules(inputs, locks, exclusions)
    options = engine_options(
        run_settings.mode,
        run_settings.proposer,
        mentees=len(inputs.mentees),
        mentors=len(inputs.mentors),
    )
    try:
        # Everything the profiles alone can show is refused now, before a row is written.
        validate_run(inputs.mentees, inputs.mentors, weights, constraints, options)
    except EngineInputError as error:
        raise refused(error, inputs) from error

    number = (
        MatchingRun.objects.filter(programme=locked, form=form).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    run = MatchingRun.objects.create(
        organisation=locked.organisation,
        programme=locked,
        form=form,
        number=number,
        mode=run_settings.mode,
        proposer=run_settings.proposer,
        weights=run_settings.weight_map,
        options=run_settings.options,
        only_unmatched=run_settings.only_unmatched,
        source=source,
        status=RunStatus.RUNNING,
        language=translation.get_language() or "",
        created_by=by,
    )
    Exclusion.objects.bulk_create(
        Exclusion(
            organisation=locked.organisation,
            run=run,
            mentee=inputs.mentee_rows[a],
            mentor=inputs.mentor_rows[b],
        )
        for a, b in exclusions
    )
    if len(inputs.mentees) > inline_limit():
        transaction.on_commit(lambda: matching_run_queue(run, locks))
        logger.info("matching run %s queued (%s mentees) by %s", run.pk, len(inputs.mentees), by)
        return run
    run_compute(run, locks, inputs=inputs)
    logger.info("matching run %s made by %s: %s", run.pk, by, run.summary)
    return run


@dataclass(frozen=True)
class GapView:
    name: str
    side: str
    missing: list[str]


def missing_before_run(programme: Programme, form: MentoringForm) -> list[GapView]:
    """The people the next run of this form would take whose profiles lack data, with what
    they lack in words (the run page lists them before the curator starts)."""
    inputs = build_inputs(programme, form, org_today(programme.organisation))
    return [
        GapView(row.name, row.side, [missing_label(code) for code in row.missing])
        for row in missing_data(inputs)
    ]


def _refresh_summary(run: MatchingRun, *, edited: bool = True) -> None:
    run.summary = {**run.summary, **summarise(run), "edited": edited or run.summary.get("edited")}
    run.save(update_fields=["summary"])


# --- The curator's changes to a proposed run ------------------------------------------------------


@transaction.atomic
def proposal_lock(proposal: Proposal, locked: bool, *, by: User | None) -> Proposal:
    """Keep a good pair in every run made again from this one (or stop keeping it)."""
    run = _locked_run(proposal.run)
    require_proposed(run)
    Proposal.objects.filter(pk=proposal.pk).update(locked=locked)
    proposal.locked = locked
    _refresh_summary(run, edited=bool(run.summary.get("edited")))
    logger.info("proposal %s %s by %s", proposal.pk, "locked" if locked else "unlocked", by)
    return proposal


@transaction.atomic
def proposal_exclude(proposal: Proposal, *, by: User | None) -> Exclusion:
    """Rule the pair out: the mentee is left without a mentor in this run, and no run made again
    from it proposes the pair."""
    run = _locked_run(proposal.run)
    require_proposed(run)
    exclusion, _created = Exclusion.objects.get_or_create(
        organisation_id=run.organisation_id,
        run=run,
        mentee_id=proposal.mentee_id,
        mentor_id=proposal.mentor_id,
    )
    UnmatchedMentee.objects.create(
        organisation_id=run.organisation_id,
        run=run,
        mentee_id=proposal.mentee_id,
        reason=PAIR_EXCLUDED,
        details={"closest": [], "funnel": {}, "excluded_mentor": proposal.mentor_id},
    )
    Proposal.objects.filter(pk=proposal.pk).delete()
    _refresh_summary(run)
    logger.info("proposal %s excluded by %s", proposal.pk, by)
    return exclusion


@dataclass(frozen=True)
class Candidate:
    mentor: Mentor
    points: int
    #: Free places the mentor has in this run (places before the run minus its proposals).
    free: int
    holders: list[Proposal]
    current: bool = False


def _run_inputs(run: MatchingRun) -> RunInputs:
    return build_inputs(
        run.programme,
        run.form,
        org_today(run.organisation),
        only_unmatched=run.only_unmatched,
        options=run.options,
    )


def candidates_for(run: MatchingRun, mentee: Mentee) -> list[Candidate]:
    """The mentors the engine would consider for the mentee (hard rules kept, exclusions of the
    run applied), best first, with their free places in this run and who holds them."""
    inputs = _run_inputs(run)
    if mentee.person_id not in inputs.mentee_rows:
        return []
    excluded = {
        (a, b)
        for a, b in Exclusion.objects.filter(run=run, mentee=mentee).values_list(
            "mentee__person_id", "mentor__person_id"
        )
        if b in inputs.mentor_rows
    }
    found_mentors = admissible_mentors(
        inputs, mentee.person_id, engine_weights(run.weights), frozenset(excluded)
    )
    proposals = list(
        Proposal.objects.filter(run=run).select_related("mentee__person").order_by("-score")
    )
    held: dict[int, list[Proposal]] = {}
    for p in proposals:
        held.setdefault(p.mentor_id, []).append(p)
    current = next((p.mentor_id for p in proposals if p.mentee_id == mentee.pk), None)
    found = []
    for admissible in found_mentors:
        mentor = inputs.mentor_rows[admissible.mentor_person]
        holders = held.get(mentor.pk, [])
        found.append(
            Candidate(
                mentor=mentor,
                points=admissible.points,
                free=inputs.places[mentor.person_id] - len(holders),
                holders=holders,
                current=mentor.pk == current,
            )
        )
    return found


@transaction.atomic
def mentee_assign(run: MatchingRun, mentee: Mentee, mentor: Mentor, *, by: User | None) -> Proposal:
    """The curator's choice of mentor for a mentee of the run: a swap of a proposed pair, or a
    mentor for a mentee the run left alone. Places, exclusions and every hard rule are checked
    (the engine checks the pair as a lock); the new pair is locked."""
    locked_run = _locked_run(run)
    require_proposed(locked_run)
    inputs = _run_inputs(locked_run)
    if mentee.person_id not in inputs.mentee_rows:
        raise _error("mentee_not_in_run", name=mentee.person.full_name)
    if (
        mentor.person_id not in inputs.mentor_rows
        or inputs.mentor_rows[mentor.person_id].pk != mentor.pk
    ):
        raise _error("mentor_not_in_run", name=mentor.person.full_name)
    current = Proposal.objects.filter(run=locked_run, mentee=mentee).first()
    if current is not None and current.mentor_id == mentor.pk:
        raise _error("same_mentor", name=mentor.person.full_name)
    if Exclusion.objects.filter(run=locked_run, mentee=mentee, mentor=mentor).exists():
        raise _error("excluded", mentee=mentee.person.full_name, mentor=mentor.person.full_name)
    holders = Proposal.objects.filter(run=locked_run, mentor=mentor).exclude(mentee=mentee).count()
    if holders >= inputs.places[mentor.person_id]:
        raise _error("mentor_full_in_run", name=mentor.person.full_name)

    profile, mentors = single_profiles(inputs, mentee.person_id, {mentor.person_id})
    mentors = [replace(mentors[0], capacity=1)]
    constraints = replace(inputs.constraints, locks=frozenset({(profile.id, mentor.person_id)}))
    try:
        result = run_matching([profile], mentors, engine_weights(locked_run.weights), constraints)
    except EngineInputError as error:
        raise refused(error, inputs) from error
    assignment = result.assignments[0]
    full_mentee = next(p for p in inputs.mentees if p.id == mentee.person_id)
    full_mentor = next(p for p in inputs.mentors if p.id == mentor.person_id)
    values = {
        "mentor": mentor,
        "score": assignment.score.points,
        "breakdown": breakdown(assignment),
        "mentee_rank": _rank(full_mentee.preferences, mentor.person_id),
        "mentor_rank": _rank(full_mentor.preferences, mentee.person_id),
        "locked": True,
        "swapped": True,
    }
    if current is None:
        proposal = Proposal.objects.create(
            organisation_id=locked_run.organisation_id, run=locked_run, mentee=mentee, **values
        )
        UnmatchedMentee.objects.filter(run=locked_run, mentee=mentee).delete()
    else:
        for field, value in values.items():
            setattr(current, field, value)
        current.save(update_fields=list(values))
        proposal = current
    _refresh_summary(locked_run)
    logger.info("run %s: mentee %s given mentor %s by %s", run.pk, mentee.pk, mentor.pk, by)
    return proposal


def _rank(preferences: tuple[Any, ...], person: int) -> int | None:
    return preferences.index(person) + 1 if person in preferences else None


# --- Confirming -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pairing:
    """A mentee and the mentor to pair them with, as a run proposed or a self-match agreed."""

    mentee: Mentee
    mentor: Mentor
    score: int | None = None
    mentee_rank: int | None = None
    mentor_rank: int | None = None


def _groups(pairings: list[Pairing]) -> list[tuple[Mentor, list[Pairing]]]:
    """A group mentor's mentees form one group; a mentor of pairs has a pair with each."""
    by_mentor: dict[int, list[Pairing]] = {}
    for pairing in pairings:
        by_mentor.setdefault(pairing.mentor.pk, []).append(pairing)
    made: list[tuple[Mentor, list[Pairing]]] = []
    for members in by_mentor.values():
        mentor = members[0].mentor
        if mentor.leads_group:
            made.append((mentor, members))
        else:
            made.extend((mentor, [p]) for p in members)
    return made


def _role_model(members: list[Pairing]) -> Any:
    models = {p.mentee.role_model_id for p in members}
    return members[0].mentee.role_model if len(models) == 1 else None


def pairs_form(
    programme: Programme,
    form: MentoringForm,
    pairings: list[Pairing],
    *,
    order: OrderDetails,
    started_on: date,
    planned_end: date,
    by: User | None,
    recheck: Callable[[], None] | None = None,
    before_order: Callable[[], None] | None = None,
    matching_run: MatchingRun | None = None,
    mode: str = "",
    weights: dict[str, float] | None = None,
) -> tuple[list[Mentorship], Order | None]:
    """The one way agreed pairs become pairs: a confirmed run's and an approved self-match's.

    The mentors' rows are locked and their active mentees counted again inside the caller's
    transaction: a concurrent confirmation waits, then finds the places it wanted taken.
    `recheck` runs with the rows locked, for the caller's own rules (a run not stale, a
    self-matched pair still admissible). Then the pairs and groups, the mentees paired,
    `before_order` (what the order must already show), and the order «о закреплении
    наставнических пар» drafted."""
    mentors = lock_mentors(p.mentor.pk for p in pairings)
    list(
        Mentee.objects.select_for_update(of=("self",))
        .filter(pk__in=[p.mentee.pk for p in pairings])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if recheck is not None:
        recheck()
    check_places(mentors, Counter(p.mentor.pk for p in pairings))
    mentorships = []
    for mentor, members in _groups(pairings):
        mentorships.append(
            mentorship_create(
                programme,
                form=form,
                mentor=mentors[mentor.pk],
                members=[
                    NewMember(p.mentee, p.score, p.mentee_rank, p.mentor_rank) for p in members
                ],
                role_model=_role_model(members),
                is_group=mentor.leads_group,
                started_on=started_on,
                planned_end=planned_end,
                matching_run=matching_run,
                mode=mode,
                weights=weights,
                by=by,
            )
        )
    for pairing in pairings:
        mentee_set_status(pairing.mentee, MenteeStatus.PAIRED, by=by)
    if before_order is not None:
        before_order()
    # Only shared mentors' proposals: no pair of one's own, so no order fixing pairs.
    made = pairs_order_make(programme, mentorships, order, by=by) if mentorships else None
    return mentorships, made


@transaction.atomic
def run_confirm(
    run: MatchingRun,
    *,
    order: OrderDetails,
    started_on: date,
    planned_end: date,
    by: User | None,
) -> MatchingRun:
    """Create the run's pairs and groups, set their mentees paired, mark the mentees left
    alone for support, and make the order fixing the pairs — all or nothing (`pairs_form`)."""
    locked = _locked_run(run)
    require_proposed(locked)
    # Not locked: the mentors' rows are what two confirmations of one programme queue on.
    programme = locked.programme
    _require_open(programme)
    check_term(started_on, planned_end)
    proposals = list(
        Proposal.objects.filter(run=locked)
        .select_related("mentee__person", "mentee__role_model", "mentor__person")
        .order_by("mentor__person__name_key", "mentee__person__name_key", "pk")
    )
    if not proposals:
        raise _error("no_proposals")
    # A proposal of another organisation's shared mentor is a request to that organisation
    # and the mentor: the pair is formed once both agree (`sharing`), not here.
    elsewhere = [p for p in proposals if p.mentor.organisation_id != locked.organisation_id]
    proposals = [p for p in proposals if p.mentor.organisation_id == locked.organisation_id]

    def not_stale() -> None:
        if run_is_stale(locked):
            raise _error("stale")

    def before_order() -> None:
        offers_ask_from_run(locked, [(p.mentor, p.mentee) for p in elsewhere], by=by)
        # The order counts the mentees left alone: they are marked first.
        _mark_for_support(locked, by)

    mentorships, made = pairs_form(
        programme,
        locked.form,
        [Pairing(p.mentee, p.mentor, p.score, p.mentee_rank, p.mentor_rank) for p in proposals],
        order=order,
        started_on=started_on,
        planned_end=planned_end,
        by=by,
        recheck=not_stale,
        before_order=before_order,
        matching_run=locked,
        mode=locked.mode,
        weights=dict(locked.weights),
    )
    _settle_self_matches(mentorships, by)

    locked.status = RunStatus.CONFIRMED
    locked.confirmed_at = timezone.now()
    locked.confirmed_by = by
    locked.order = made
    locked.save(update_fields=["status", "confirmed_at", "confirmed_by", "order"])
    MatchingRun.objects.filter(
        programme=programme, form=locked.form, status__in=(RunStatus.PROPOSED, RunStatus.RUNNING)
    ).exclude(pk=locked.pk).update(status=RunStatus.SUPERSEDED)
    _roadmap_done(programme, "matching", org_today(programme.organisation), "", by)
    logger.info("matching run %s confirmed by %s: %s mentorships", locked.pk, by, len(mentorships))
    run.status, run.order = locked.status, made
    return locked


def _settle_self_matches(mentorships: list[Mentorship], by: User | None) -> None:
    """Open self-match requests of the mentees a run paired: the one the run kept as a lock
    (accepted, same mentor) is approved with the pair; any other is closed."""
    now = timezone.now()
    for mentorship in mentorships:
        members = list(mentorship.members.values_list("mentee_id", flat=True))
        for request in SelfMatchRequest.objects.open().filter(mentee_id__in=members):
            kept = (
                request.status == SelfMatchStatus.ACCEPTED
                and request.mentor_id == mentorship.mentor_id
            )
            request.status = SelfMatchStatus.APPROVED if kept else SelfMatchStatus.CLOSED
            request.decided_at, request.decided_by = now, by
            request.mentorship = mentorship if kept else None
            request.save(update_fields=["status", "decided_at", "decided_by", "mentorship"])
            emit(
                "selfmatch.approved" if kept else "selfmatch.closed",
                request=request,
                mentorship=mentorship,
                by=by,
            )


def _mark_for_support(run: MatchingRun, by: User | None) -> None:
    """Mentees left alone get psychological and pedagogical support while the search goes on.
    Those without a valid consent are left as they are: their data may not be used at all."""
    left = (
        UnmatchedMentee.objects.filter(run=run, mentee__support_needed=False)
        .exclude(reason="consent_missing")
        .select_related("mentee")
    )
    for unmatched in left:
        mentee_update(unmatched.mentee, {"support_needed": True}, by=by)


def _roadmap_done(programme: Programme, code: str, day: date, note: str, by: User | None) -> None:
    for event in RoadmapEvent.objects.filter(
        programme=programme, template_code=code, done_on__isnull=True
    ):
        event_complete(event, done_on=min(day, org_today(programme.organisation)), note=note, by=by)


# --- The order ----------------------------------------------------------------------------------


def pairs_order_make(
    programme: Programme,
    mentorships: list[Mentorship],
    details: OrderDetails,
    *,
    by: User | None,
) -> Order:
    made = order_draft(
        programme.organisation,
        OrderKind.PAIRS,
        details,
        title=PAIRS_ORDER_TITLE,
        subjects=mentorships,
        by=by,
    )
    Mentorship.objects.filter(pk__in=[m.pk for m in mentorships]).update(pairs_order=made)
    for mentorship in mentorships:
        mentorship.pairs_order = made
    return made


@transaction.atomic
def run_order_create(run: MatchingRun, details: OrderDetails, *, by: User | None) -> Order:
    """The order again for a confirmed run whose draft order was deleted."""
    locked = _locked_run(run)
    if locked.status != RunStatus.CONFIRMED:
        raise _error("not_confirmed")
    if locked.order_id is not None:
        raise _error("order_exists", number=Order.objects.get(pk=locked.order_id).number)
    mentorships = list(
        Mentorship.objects.filter(matching_run=locked).select_related("mentor__person")
    )
    made = pairs_order_make(locked.programme, mentorships, details, by=by)
    locked.order = made
    locked.save(update_fields=["order"])
    run.order = made
    return made


def pairs_order_signed(order: Order, by: User | None) -> None:
    """The sign hook of pairs orders (see `orders.kinds`): the roadmap's step «pairs fixed by an
    order» is done by this very order."""
    mentorship = Mentorship.objects.filter(pairs_order=order).select_related("programme").first()
    if mentorship is None:
        return
    note = f"Приказ от {order.date:%d.%m.%Y} № {order.number}"
    _roadmap_done(mentorship.programme, "pairs_order", order.date, note, by)


def run_is_stale(run: MatchingRun) -> bool:
    """Have the bases changed since the run read them?"""
    return _run_inputs(run).fingerprint != run.inputs_fingerprint


def run_settings_from(run: MatchingRun | None) -> RunSettings:
    return RunSettings.of_run(run) if run is not None else RunSettings()
