"""Refuse bad input before anything is computed, with a message a curator can act on.

Each check raises :class:`EngineInputError` with a stable code (the Django layer translates it)
and the ids at fault: people, or (mentee id, mentor id) pairs.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from nastavnik.matching_engine.errors import EngineInputError
from nastavnik.matching_engine.model import (
    Constraints,
    MeetingFormat,
    MenteeProfile,
    MentorProfile,
    Mode,
    PersonId,
    Proposer,
    RunOptions,
    Weights,
)
from nastavnik.matching_engine.population import Population, effective_capacity
from nastavnik.matching_engine.rules import check_pairs

Pair = tuple[PersonId, PersonId]
#: The optimiser's costs stay small integers (32 bits and a short cost scaling).


def _refuse_if(found: Sequence[object], code: str, message: str) -> None:
    if found:
        raise EngineInputError(code, message, found)


def _duplicates(ids: Iterable[PersonId]) -> list[PersonId]:
    return [person for person, times in Counter(ids).items() if times > 1]


def check_people(mentees: Sequence[MenteeProfile], mentors: Sequence[MentorProfile]) -> None:
    _refuse_if(
        _duplicates(m.id for m in mentees),
        "duplicate_mentee",
        "These mentees appear more than once in the run",
    )
    _refuse_if(
        _duplicates(m.id for m in mentors),
        "duplicate_mentor",
        "These mentors appear more than once in the run",
    )
    _refuse_if(
        [m.id for m in mentees if not (m.form or "").strip()],
        "mentee_without_form",
        "These mentees have no mentoring form; choose a form for each of them",
    )
    _refuse_if(
        [m.id for m in mentors if not (m.form or "").strip()],
        "mentor_without_form",
        "These mentors have no mentoring form; choose a form for each of them",
    )
    formats = set(MeetingFormat)
    everyone: tuple[MenteeProfile | MentorProfile, ...] = (*mentees, *mentors)
    _refuse_if(
        [p.id for p in everyone if p.meeting_format not in formats],
        "meeting_format_unknown",
        "These people have a meeting format other than in person, remote or both",
    )


def check_capacities(mentors: Sequence[MentorProfile], constraints: Constraints) -> None:
    bad_groups = [
        form
        for form, rules in constraints.forms.items()
        if rules.group_size is not None and rules.group_size < 1
    ]
    _refuse_if(bad_groups, "group_size_not_positive", "These group forms have a group size below 1")
    _refuse_if(
        [m.id for m in mentors if effective_capacity(m, constraints) < 1],
        "mentor_capacity_not_positive",
        "These mentors have no free place (capacity below 1); leave them out of the run",
    )
    over = [
        m.id
        for m in mentors
        if constraints.form_rules(m.form or "").group_size is None
        and effective_capacity(m, constraints) > constraints.max_mentees
    ]
    _refuse_if(
        over,
        "mentor_capacity_above_limit",
        f"These mentors would take more than {constraints.max_mentees} mentees at once, "
        "which only group forms allow",
    )


def check_weights(weights: Weights) -> None:
    values = weights.as_tuple()
    _refuse_if(
        [
            name
            for name, value in zip(Weights.__slots__, values, strict=True)
            if not math.isfinite(value) or value < 0
        ],
        "weights_negative",
        "Weights must be zero or positive numbers; these are not",
    )
    if not any(values):
        raise EngineInputError(
            "weights_all_zero", "All weights are zero: give at least one criterion a weight"
        )


def check_preferences(mentees: Sequence[MenteeProfile], mentors: Sequence[MentorProfile]) -> None:
    mentor_ids = {m.id for m in mentors}
    mentee_ids = {m.id for m in mentees}
    outside = [(m.id, p) for m in mentees for p in m.preferences if p not in mentor_ids]
    outside += [(m.id, p) for m in mentors for p in m.preferences if p not in mentee_ids]
    _refuse_if(
        outside,
        "preference_outside_run",
        "These preferences name people who are not in this run (person, named person)",
    )
    everyone: tuple[MenteeProfile | MentorProfile, ...] = (*mentees, *mentors)
    _refuse_if(
        [p.id for p in everyone if len(set(p.preferences)) != len(p.preferences)],
        "preference_repeated",
        "These people name the same person twice in their preferences",
    )


def check_pairs_known(
    pairs: Iterable[Pair],
    mentees: Sequence[MenteeProfile],
    mentors: Sequence[MentorProfile],
    code: str,
    what: str,
) -> None:
    mentee_ids = {m.id for m in mentees}
    mentor_ids = {m.id for m in mentors}
    _refuse_if(
        [pair for pair in pairs if pair[0] not in mentee_ids or pair[1] not in mentor_ids],
        code,
        f"These {what} name people who are not in this run (mentee, mentor)",
    )


def check_locks(
    mentees: Sequence[MenteeProfile],
    mentors: Sequence[MentorProfile],
    constraints: Constraints,
) -> None:
    """The rules a lock must keep that can be read off the profiles."""
    if not constraints.locks and not constraints.exclusions:
        return
    locks = sorted(constraints.locks, key=repr)
    check_pairs_known(locks, mentees, mentors, "lock_outside_run", "locks")
    check_pairs_known(
        constraints.exclusions, mentees, mentors, "exclusion_outside_run", "exclusions"
    )
    _refuse_if(
        _duplicates(mentee for mentee, _ in locks),
        "lock_mentee_twice",
        "These mentees are locked to more than one mentor",
    )
    _refuse_if(
        [pair for pair in locks if pair in constraints.exclusions],
        "lock_excluded",
        "These pairs are both locked and excluded (mentee, mentor)",
    )
    mentee_of = {m.id: m for m in mentees}
    mentor_of = {m.id: m for m in mentors}
    _refuse_if(
        [(a, b) for a, b in locks if mentee_of[a].form != mentor_of[b].form],
        "lock_breaks_form",
        "These locked pairs are of different mentoring forms (mentee, mentor)",
    )
    _refuse_if(
        [
            (a, b)
            for a, b in locks
            if not (mentee_of[a].consent_valid and mentor_of[b].consent_valid)
        ],
        "lock_breaks_consent",
        "In these locked pairs a consent is missing or expired (mentee, mentor)",
    )
    _refuse_if(
        [
            (a, b)
            for a, b in locks
            if not (mentee_of[a].documents_valid and mentor_of[b].documents_valid)
        ],
        "lock_breaks_documents",
        "In these locked pairs a required document is missing or expired (mentee, mentor)",
    )
    _refuse_if(
        [(a, b) for a, b in locks if not (mentee_of[a].eligible and mentor_of[b].eligible)],
        "lock_breaks_eligibility",
        "In these locked pairs someone is not eligible for the programme (mentee, mentor)",
    )
    per_mentor = Counter(b for _, b in locks)
    _refuse_if(
        [b for b, n in per_mentor.items() if n > effective_capacity(mentor_of[b], constraints)],
        "lock_over_capacity",
        "These mentors have more locked mentees than places",
    )


def check_lock_rules(
    pop: Population, lock_mentee: np.ndarray, lock_mentor: np.ndarray, constraints: Constraints
) -> None:
    """The rules about who the two people are: one family, the role model's rules."""
    checks = check_pairs(pop, lock_mentee, lock_mentor, constraints)

    def pairs(mask: np.ndarray) -> list[Pair]:
        return [
            (pop.mentees.ids[i], pop.mentors.ids[j])
            for i, j in zip(lock_mentee[mask].tolist(), lock_mentor[mask].tolist(), strict=True)
        ]

    _refuse_if(
        pairs(~checks.not_family),
        "lock_breaks_family",
        "These locked pairs are of one family (mentee, mentor)",
    )
    _refuse_if(
        pairs(~checks.role_model),
        "lock_breaks_role_model",
        "In these locked pairs the mentor is not older, in a higher grade or with higher "
        "results as the role model requires (mentee, mentor)",
    )


def check_options(options: RunOptions) -> None:
    problems = []
    if options.mode not in set(Mode):
        problems.append("mode")
    if options.proposer not in set(Proposer):
        problems.append("proposer")
    for name in ("top_k", "pool_limit"):
        if getattr(options, name) < 1:
            problems.append(name)
    for name in ("workers", "closest_shown"):
        if getattr(options, name) < 0:
            problems.append(name)
    _refuse_if(problems, "options_invalid", "These run options are out of range")


def validate_run(
    mentees: Sequence[MenteeProfile],
    mentors: Sequence[MentorProfile],
    weights: Weights,
    constraints: Constraints,
    options: RunOptions,
) -> None:
    check_options(options)
    check_weights(weights)
    check_people(mentees, mentors)
    check_capacities(mentors, constraints)
    check_preferences(mentees, mentors)
    check_locks(mentees, mentors, constraints)
