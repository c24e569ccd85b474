"""Computing a matching run: the engine's options for a run's size, asking the engine, and
storing its proposals with what it proved. Called by `services.run_start` in the request for a
usual run and by `tasks` in a worker for a large one; it imports neither.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError

from nastavnik.core.jobs import fault_pause
from nastavnik.matching.models import (
    Exclusion,
    MatchingRun,
    Proposal,
    RunStatus,
    UnmatchedMentee,
)
from nastavnik.matching.profiles import RunInputs, build_inputs
from nastavnik.matching.texts import engine_error_message
from nastavnik.matching_engine import (
    CRITERIA,
    Assignment,
    Constraints,
    EngineInputError,
    MatchResult,
    Mode,
    PairScore,
    Proposer,
    RunOptions,
    Weights,
    run_matching,
)
from nastavnik.matching_engine.engine import prepare_run
from nastavnik.matching_engine.scoring import pair_scores
from nastavnik.people.validators import org_today

logger = logging.getLogger(__name__)


def engine_weights(weights: Mapping[str, float]) -> Weights:
    return Weights(**{c.value: float(weights.get(c.value, 0.0)) for c in CRITERIA})


# Up to this many mentee–mentor pairs a run keeps every admissible pair as a candidate, so
# optimal mode's total score, like the number paired, is the best over all pairs the rules
# allow (an organisation's run is far below it: 1,000 mentees × 300 mentors is 300,000).
# Above it, each mentee's best `RunOptions.top_k` are kept and the page says so.
FULL_GRAPH_PAIRS = 2_000_000


def engine_options(mode: str, proposer: str, *, mentees: int, mentors: int) -> RunOptions:
    options = RunOptions(mode=Mode(mode), proposer=Proposer(proposer))
    if mentees * mentors <= FULL_GRAPH_PAIRS:
        everyone = max(1, mentors)
        options = replace(options, top_k=everyone, pool_limit=max(everyone, options.pool_limit))
    return options


def scored_over_all_pairs(options: RunOptions, mentors: int) -> bool:
    """Whether the candidate lists hold every mentor in reach, so nothing the rules allow was
    left out of the score."""
    return options.top_k >= mentors and options.pool_limit >= mentors


def with_rules(
    inputs: RunInputs, locks: Iterable[tuple[int, int]], exclusions: Iterable[tuple[int, int]]
) -> Constraints:
    return replace(inputs.constraints, locks=frozenset(locks), exclusions=frozenset(exclusions))


def refused(error: EngineInputError, inputs: RunInputs) -> ValidationError:
    return ValidationError(engine_error_message(error, inputs.name), code=error.code)


def run_compute(
    run: MatchingRun, locks: Iterable[tuple[int, int]], *, inputs: RunInputs | None = None
) -> MatchingRun:
    """Ask the engine and store the result. Called in the request for a usual run, and by the
    task for a large one (which reads the bases again: they may have changed meanwhile)."""
    started = time.perf_counter()
    if inputs is None:
        inputs = build_inputs(
            run.programme,
            run.form,
            org_today(run.organisation),
            only_unmatched=run.only_unmatched,
            options=run.options,
        )
    exclusions = list(
        Exclusion.objects.filter(run=run).values_list("mentee__person_id", "mentor__person_id")
    )
    constraints = with_rules(inputs, locks, exclusions)
    options = engine_options(
        run.mode, run.proposer, mentees=len(inputs.mentees), mentors=len(inputs.mentors)
    )
    try:
        result = run_matching(
            inputs.mentees,
            inputs.mentors,
            engine_weights(run.weights),
            constraints,
            options,
        )
    except EngineInputError as error:
        raise refused(error, inputs) from error
    _store(run, inputs, result)
    fault_pause("matching_store")
    run.inputs_fingerprint = inputs.fingerprint
    run.notes = [note.as_json() for note in inputs.notes]
    run.status = RunStatus.PROPOSED
    run.summary = {
        **summarise(run),
        "mentees": len(inputs.mentees),
        "mentors": len(inputs.mentors),
        "places": sum(inputs.places.values()),
        "blocking_pairs": result.certificate.blocking_pairs if result.certificate else None,
        **_certificates(result),
        "scored_over_all_pairs": scored_over_all_pairs(options, len(inputs.mentors)),
        "seconds": round(time.perf_counter() - started, 3),
    }
    # Only a run still running takes the proposals: one found lost meanwhile (core.jobs) and
    # failed stays failed, and the caller's transaction rolls the proposals back.
    settled = MatchingRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
        inputs_fingerprint=run.inputs_fingerprint,
        notes=run.notes,
        status=run.status,
        summary=run.summary,
        lease_until=None,
    )
    if not settled:
        raise RunEnded(run.pk)
    return run


def _certificates(result: MatchResult) -> dict[str, Any]:
    """What the engine proved over every admissible pair, for the run page."""
    found: dict[str, Any] = {}
    if result.certificate is not None:
        found["stability"] = {
            "pairs_checked": result.certificate.pairs_checked,
            "outside_pairs_checked": result.certificate.outside_pairs_checked,
            "lists_extended": result.certificate.lists_extended,
            "all_admissible": result.certificate.all_admissible,
        }
    if result.matching_certificate is not None:
        found["most_matched"] = {
            "proven": result.matching_certificate.most_matched_proven,
            "lists_extended": result.matching_certificate.lists_extended,
        }
    return found


def single_profiles(
    inputs: RunInputs, mentee_id: int, mentor_ids: set[int]
) -> tuple[Any, list[Any]]:
    """The mentee's profile and the given mentors', each's preferences narrowed to the others."""
    mentee = next(p for p in inputs.mentees if p.id == mentee_id)
    mentee = replace(mentee, preferences=tuple(p for p in mentee.preferences if p in mentor_ids))
    mentors = [
        replace(p, preferences=tuple(q for q in p.preferences if q == mentee_id))
        for p in inputs.mentors
        if p.id in mentor_ids
    ]
    return mentee, mentors


@dataclass(frozen=True)
class Admissible:
    """A mentor the hard rules allow for a mentee, with the engine's score of the pair."""

    mentor_person: int
    score: PairScore

    @property
    def points(self) -> int:
        return self.score.points


def admissible_mentors(
    inputs: RunInputs,
    mentee_person: int,
    weights: Weights,
    exclusions: frozenset[tuple[int, int]] = frozenset(),
) -> list[Admissible]:
    """Every mentor of the inputs the engine admits for one mentee, best first: the candidate
    search and the scoring of a run, for one mentee (the curator's swap list, the mentee's
    own suggestions). Empty when the mentee is not among the inputs."""
    if mentee_person not in inputs.mentee_rows or not inputs.mentors:
        return []
    profile, mentors = single_profiles(inputs, mentee_person, set(inputs.mentor_rows))
    prepared = prepare_run(
        [profile],
        mentors,
        weights,
        replace(inputs.constraints, exclusions=exclusions),
        RunOptions(top_k=max(1, len(mentors))),
        {},
    )
    columns = np.asarray(prepared.graph.mentor, dtype=np.int64)
    scores = pair_scores(
        prepared.population, np.zeros(columns.size, dtype=np.int64), columns, weights
    )
    found = [
        Admissible(mentors[j].id, score) for j, score in zip(columns.tolist(), scores, strict=True)
    ]
    found.sort(key=lambda a: -a.points)
    return found


class RunEnded(Exception):
    """The run was ended elsewhere (found lost, superseded) while it was being computed."""


#: The criteria's codes, in the order of a score's columns (read once, not per pair: a region
#: writes 150,000 breakdowns).
_CRITERION_CODES = tuple(c.value for c in CRITERIA)


def breakdown(assignment: Assignment) -> dict[str, Any]:
    """A pair's score as stored with the proposal: per criterion (`PairScore.contributions`)
    its value, weight and points, and what the two have in common."""
    score = assignment.score
    return {
        "criteria": {
            code: {"value": round(value, 3), "weight": weight, "points": points}
            for code, value, weight, points in zip(
                _CRITERION_CODES,
                score.criterion_values,
                score.weights,
                score.criterion_points,
                strict=True,
            )
        },
        "terms": list(score.matched_terms),
        "subjects": list(score.matched_subjects),
        "slots": list(score.common_slots),
        "missing": list(score.missing),
    }


def _impossible(inputs: RunInputs, result: MatchResult) -> dict[Any, list[dict[str, Any]]]:
    """Per mentee, the named mentors the rules ruled out, with the rank and the reason."""
    found: dict[Any, list[dict[str, Any]]] = {}
    for choice in result.impossible_choices:
        found.setdefault(choice.mentee_id, []).append(
            {
                "mentor": inputs.mentor_rows[choice.mentor_id].pk,  # type: ignore[index]
                "rank": choice.rank,
                "reason": choice.reason.value,
            }
        )
    return found


def _store(run: MatchingRun, inputs: RunInputs, result: MatchResult) -> None:
    impossible = _impossible(inputs, result)
    Proposal.objects.bulk_create(
        Proposal(
            organisation_id=run.organisation_id,
            run=run,
            mentee=inputs.mentee_rows[a.mentee_id],  # type: ignore[index]
            mentor=inputs.mentor_rows[a.mentor_id],  # type: ignore[index]
            score=a.score.points,
            breakdown={**breakdown(a), "named_impossible": impossible.get(a.mentee_id, [])},
            mentee_rank=a.mentee_rank,
            mentor_rank=a.mentor_rank,
            locked=a.locked,
        )
        for a in result.assignments
    )
    UnmatchedMentee.objects.bulk_create(
        UnmatchedMentee(
            organisation_id=run.organisation_id,
            run=run,
            mentee=inputs.mentee_rows[u.mentee_id],  # type: ignore[index]
            reason=u.reason.value,
            details={
                "closest": [
                    {
                        "mentor": inputs.mentor_rows[c.mentor_id].pk,  # type: ignore[index]
                        "points": c.points,
                        "taken_by": [
                            {
                                "mentee": inputs.mentee_rows[t.mentee_id].pk,  # type: ignore[index]
                                "points": t.points,
                                "locked": t.locked,
                            }
                            for t in c.taken_by
                        ],
                    }
                    for c in u.closest
                ],
                "funnel": dict(u.funnel),
                "named_impossible": impossible.get(u.mentee_id, []),
            },
        )
        for u in result.unmatched
    )


def summarise(run: MatchingRun) -> dict[str, Any]:
    """The totals two runs are compared by, from the proposals as they stand (after the
    curator's swaps and exclusions too)."""
    rows = list(Proposal.objects.filter(run=run).values_list("score", "mentee_rank", "mentor_rank"))
    matched = len(rows)
    total = sum(score for score, _a, _b in rows)

    def mean(values: list[int | None]) -> float | None:
        given = [v for v in values if v is not None]
        return round(sum(given) / len(given), 2) if given else None

    return {
        "matched": matched,
        "unmatched": UnmatchedMentee.objects.filter(run=run).count(),
        "total_points": total,
        "mean_points": round(total / matched) if matched else 0,
        "mean_mentee_rank": mean([r[1] for r in rows]),
        "mean_mentor_rank": mean([r[2] for r in rows]),
        "ranked_pairs": sum(1 for r in rows if r[1] is not None or r[2] is not None),
        "locked": Proposal.objects.filter(run=run, locked=True).count(),
    }
