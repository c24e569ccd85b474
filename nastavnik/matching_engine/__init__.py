"""The matching engine: mentees and mentors in, proposed pairs and their explanations out.

A plain Python package — no Django — so that it can be tested, benchmarked and scaled on its
own. The Django layer builds the profiles from its models and translates the error codes.

    result = run_matching(mentees, mentors, Weights(requests=5), Constraints(locks=…),
                          RunOptions(mode=Mode.STABLE))
    result.assignments   # pairs, each with its score breakdown and the ranks given
    result.unmatched     # who is left alone and why (reason code, closest mentors, funnel)
    result.summary       # total score, matched, mean ranks: to compare two runs

Optimal mode maximises the number of matched mentees first and the total score second (over
the candidate lists: each mentee's top k, plus the admissible pairs ``complete`` adds for mentors
in too few lists and for mentees whose lists it extends; the number matched is proved over every
admissible pair). Stable mode's certificate covers every admissible pair.

Bad input raises EngineInputError (``code``, ``ids``) before anything is computed.

The names below load on first use: a worker process of optimal mode imports only the flow
solver, not the lemmatiser and the rest.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nastavnik.matching_engine.engine import run_matching
    from nastavnik.matching_engine.errors import EngineInputError
    from nastavnik.matching_engine.model import (
        CRITERIA,
        SCORE_SCALE,
        Assignment,
        ClosestMentor,
        Constraints,
        Contribution,
        Criterion,
        FormRules,
        Impossible,
        ImpossibleChoice,
        MatchingCertificate,
        MatchResult,
        MeetingFormat,
        MenteeProfile,
        MentorProfile,
        Missing,
        Mode,
        PairScore,
        Proposer,
        RoleModelRules,
        RunOptions,
        StabilityCertificate,
        Strictness,
        Summary,
        TakenPlace,
        Unmatched,
        UnmatchedReason,
        Weights,
    )

_HOME = {
    "run_matching": "engine",
    "EngineInputError": "errors",
}


def __getattr__(name: str) -> object:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{_HOME.get(name, 'model')}")
    return getattr(module, name)


__all__ = [
    "CRITERIA",
    "SCORE_SCALE",
    "Assignment",
    "ClosestMentor",
    "Constraints",
    "Contribution",
    "Criterion",
    "EngineInputError",
    "FormRules",
    "Impossible",
    "ImpossibleChoice",
    "MatchResult",
    "MatchingCertificate",
    "MeetingFormat",
    "MenteeProfile",
    "MentorProfile",
    "Missing",
    "Mode",
    "PairScore",
    "Proposer",
    "RoleModelRules",
    "RunOptions",
    "StabilityCertificate",
    "Strictness",
    "Summary",
    "TakenPlace",
    "Unmatched",
    "UnmatchedReason",
    "Weights",
    "run_matching",
]
