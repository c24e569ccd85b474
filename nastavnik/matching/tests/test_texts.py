"""Every code the engine speaks has words for the curator."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

from nastavnik import matching_engine
from nastavnik.matching import texts
from nastavnik.matching_engine import (
    Criterion,
    EngineInputError,
    MenteeProfile,
    MentorProfile,
    UnmatchedReason,
    run_matching,
)

ENGINE_DIR = Path(matching_engine.__file__).parent
CODE = re.compile(r"^[a-z]+(_[a-z]+)+$")
# Where each raising call takes its code: (function name, position of the code argument).
RAISERS = {"_refuse_if": 1, "EngineInputError": 0, "check_pairs_known": 3}


def engine_error_codes() -> set[str]:
    """The codes the engine can raise, read from its source: a new check without words here
    fails this test the day it is written."""
    codes = set()
    for path in ENGINE_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            position = RAISERS.get(name)
            if position is None or len(node.args) <= position:
                continue
            argument = node.args[position]
            if isinstance(argument, ast.Constant) and CODE.match(str(argument.value)):
                codes.add(argument.value)
    return codes


def test_the_source_scan_finds_the_codes():
    found = engine_error_codes()
    assert {"mentee_without_form", "weights_all_zero", "lock_breaks_family"} <= found
    assert len(found) >= 20


def test_every_engine_error_code_has_a_text():
    assert engine_error_codes() - set(texts.ENGINE_ERRORS) == set()


def test_every_unmatched_reason_and_criterion_has_words():
    assert set(UnmatchedReason) <= set(texts.REASONS)
    assert set(Criterion) <= set(texts.CRITERION_LABELS)
    assert set(Criterion) <= set(texts.CRITERION_HELP)


@pytest.mark.parametrize("code", sorted(texts.ENGINE_ERRORS))
def test_each_text_takes_the_names(code):
    message, kind = texts.ENGINE_ERRORS[code]
    assert ("%(names)s" in str(message)) == (kind != texts.NOTHING)


def test_a_mentor_of_capacity_zero_is_refused_by_name():
    people = {1: "Петров Илья", 2: "Смирнова Анна"}
    with pytest.raises(EngineInputError) as caught:
        run_matching(
            [MenteeProfile(id=1, form="student-student")],
            [MentorProfile(id=2, form="student-student", capacity=0)],
        )
    with translation.override("en"):
        message = texts.engine_error_message(caught.value, people.__getitem__)
    assert message.startswith("These mentors have no free place")
    assert "Смирнова Анна" in message


def test_pairs_are_named_mentee_then_mentor():
    people = {1: "Петров Илья", 2: "Смирнова Анна"}
    error = EngineInputError("lock_breaks_family", "", [(1, 2)])
    assert "Петров Илья — Смирнова Анна" in texts.engine_error_message(error, people.__getitem__)


def test_an_unknown_code_still_reads():
    error = EngineInputError("something_new", "Something new", [3])
    assert "Something new" in texts.engine_error_message(error, str)
