"""Benchmark of the matching engine on a synthetic region (issue 6, "Speed").

    .venv/bin/python bench/matching.py            # 200,000 mentees, 80,000 mentors
    .venv/bin/python bench/matching.py --quick    # a small region, to smoke-test the script

The region is blocked the way real data are: ~2,000 organisations in 60 municipalities of very
different sizes, six mentoring forms, mentors who serve the whole municipality (employers,
university students, teachers who allowed it), ranked preferences from group meetings.

Measured:
* the whole pipeline from profiles (validation, lemmas, candidates, scoring, optimal matching,
  explanations), in this process;
* optimal mode and stable mode (with the blocking-pair check) with the candidate graph given,
  each in a fresh child process so that its peak memory is its own;
* a plain single min-cost-flow call on the same graph (what the optimiser improves on);
* the reference paths a Python developer would reach for, on sub-regions of the same data:
  the ``matching`` package (stable; 1k and 10k mentees) and scipy's ``linear_sum_assignment``
  on a dense matrix with one column per mentor place (optimal; 5k mentees). Their results are
  checked against the engine's.

The last line is a summary of name=value figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

# This file is named like the reference ``matching`` package: take its folder off the path so
# that ``import matching`` finds the package, and put the project on it instead.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from nastavnik.matching_engine import (  # noqa: E402
    Constraints,
    FormRules,
    MatchResult,
    MeetingFormat,
    MenteeProfile,
    MentorProfile,
    Mode,
    RunOptions,
    Weights,
    run_matching,
)
from nastavnik.matching_engine.candidates import CandidateGraph  # noqa: E402
from nastavnik.matching_engine.engine import prepare_run, stable_preferences  # noqa: E402
from nastavnik.matching_engine.flow import Bundle, solve_bundle  # noqa: E402
from nastavnik.matching_engine.model import DEFAULT_FORM_RULES, SCORE_SCALE  # noqa: E402
from nastavnik.matching_engine.optimal import solve_optimal, start_pool  # noqa: E402
from nastavnik.matching_engine.population import UNMATCHED  # noqa: E402
from nastavnik.matching_engine.stable import (  # noqa: E402
    RankedPreferences,
    blocking_pairs,
    deferred_acceptance,
)

# ---------------------------------------------------------------------------------------------
# The synthetic region


@dataclass(frozen=True)
class FormSpec:
    code: str
    mentee_share: float
    mentor_share: float
    #: Share of the form's mentors who serve the whole municipality.
    shared: float
    group_size: int | None
    role_models: tuple[str, ...]
    pupils: bool


FORMS = (
    FormSpec(
        "student-student",
        0.40,
        0.35,
        0.10,
        None,
        (
            "Успевающий – неуспевающий",
            "Лидер – пассивный",
            "Равный – равному",
            "Адаптированный – неадаптированный",
        ),
        True,
    ),
    FormSpec(
        "teacher-student",
        0.20,
        0.25,
        0.05,
        None,
        ("Активный профессионал – равнодушный потребитель", "Коллега – молодой коллега"),
        True,
    ),
    FormSpec(
        "teacher-teacher",
        0.10,
        0.15,
        0.10,
        None,
        (
            "Опытный педагог – молодой специалист",
            "Педагог-новатор – консервативный педагог",
            "Опытный предметник – неопытный предметник",
        ),
        False,
    ),
    FormSpec(
        "student-pupil",
        0.10,
        0.08,
        1.0,
        None,
        ("Успевающий – неуспевающий", "Куратор – автор проекта"),
        True,
    ),
    FormSpec(
        "employer-pupil",
        0.10,
        0.05,
        1.0,
        5,
        ("Активный профессионал – равнодушный потребитель", "Коллега – молодой коллега"),
        True,
    ),
    FormSpec(
        "employer-student",
        0.10,
        0.12,
        1.0,
        None,
        ("Работодатель – будущий сотрудник", "Коллега – молодой коллега"),
        False,
    ),
)

# (nominative, dative) of school subjects, for the questionnaires' sentences.
SUBJECTS = (
    ("Математика", "математике"),
    ("Русский язык", "русскому языку"),
    ("Физика", "физике"),
    ("Информатика", "информатике"),
    ("Химия", "химии"),
    ("Биология", "биологии"),
    ("История", "истории"),
    ("Обществознание", "обществознанию"),
    ("Английский язык", "английскому языку"),
    ("Литература", "литературе"),
    ("География", "географии"),
    ("Технология", "технологии"),
    ("Экономика", "экономике"),
    ("Право", "праву"),
)
TOPICS = (
    "Подготовка к ОГЭ",
    "Подготовка к ЕГЭ",
    "Подготовка к ВПР",
    "Олимпиады",
    "Проектная деятельность",
    "Исследовательская работа",
    "Адаптация в новом коллективе",
    "Профориентация",
    "Программирование",
    "Робототехника",
    "Публичные выступления",
    "Тайм-менеджмент",
    "Волонтёрство",
    "Классное руководство",
    "Цифровые инструменты в обучении",
    "Работа с родителями",
    "Финансовая грамотность",
    "Предпринимательство",
    "Трудоустройство",
    "Командная работа",
)
REQUESTS = (
    "Хочу подтянуть оценки по {0}",
    "Нужна помощь с проектом по {0}",
    "Готовлюсь к экзамену по {0}, не хватает практики",
    "Интересуюсь олимпиадами по {0}",
    "Трудно даётся {0}, хочу разобраться",
    "Хочу выбрать профессию, связанную с {0}",
    "Мне нужен совет по подготовке к ОГЭ по {0}",
    "Хочу научиться планировать время и заниматься {0}",
)
OFFERS = (
    "Помогу с подготовкой по {0}, есть опыт олимпиад",
    "Веду проекты по {0} и исследовательские работы",
    "Готовлю к ОГЭ и ЕГЭ по {0}",
    "Расскажу о профессиях, связанных с {0}",
    "Много лет преподаю {0}, помогаю молодым коллегам",
    "Умею объяснять {0} простыми словами",
)
DAYS = ("пн", "вт", "ср", "чт", "пт", "сб")
PARTS = ("утро", "день", "вечер")
SLOTS = tuple(f"{d}-{p}" for d in DAYS for p in PARTS)
FORMATS = (MeetingFormat.IN_PERSON, MeetingFormat.REMOTE, MeetingFormat.BOTH)


@dataclass
class Region:
    mentees: list[MenteeProfile]
    mentors: list[MentorProfile]
    constraints: Constraints


def _zipf_weights(n: int, power: float) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1) ** power
    return weights / weights.sum()


def _pick(rng: np.random.Generator, pool: tuple[str, ...], low: int, high: int) -> list[str]:
    return [pool[k] for k in rng.choice(len(pool), size=rng.integers(low, high + 1), replace=False)]


def _texts(rng: np.random.Generator, templates: tuple[str, ...], n: int) -> list[str]:
    # A few thousand distinct sentences, shared: people write alike, and it keeps memory small.
    pool = [t.format(dative) for t in templates for _, dative in SUBJECTS]
    return [pool[k] for k in rng.integers(0, len(pool), n)]


def _layout(rng: np.random.Generator, n_people: int, org_weights: np.ndarray) -> np.ndarray:
    return np.sort(rng.choice(org_weights.size, size=n_people, p=org_weights))


def synthetic_region(n_mentees: int, n_mentors: int, seed: int = 6) -> Region:
    rng = np.random.default_rng(seed)
    n_orgs = max(4, n_mentees // 100)
    n_munis = max(2, min(60, n_orgs // 30))
    muni_of_org = np.sort(rng.choice(n_munis, size=n_orgs, p=_zipf_weights(n_munis, 0.9)))
    org_weights = rng.lognormal(0.0, 0.5, n_orgs)
    org_weights /= org_weights.sum()
    mentee_org = _layout(rng, n_mentees, org_weights)
    mentor_org = _layout(rng, n_mentors, org_weights)
    mentee_form = rng.choice(len(FORMS), n_mentees, p=[f.mentee_share for f in FORMS])
    mentor_form = rng.choice(len(FORMS), n_mentors, p=[f.mentor_share for f in FORMS])
    mentors = _mentors(rng, mentor_org, mentor_form, muni_of_org)
    mentees = _mentees(rng, mentee_org, mentee_form, muni_of_org, mentors)
    _mentor_preferences(rng, mentors, mentees)
    forms = dict(DEFAULT_FORM_RULES)
    forms.update({f.code: FormRules(group_size=f.group_size) for f in FORMS if f.group_size})
    return Region(mentees, mentors, Constraints(forms=forms))


def _mentors(
    rng: np.random.Generator, org: np.ndarray, form: np.ndarray, muni_of_org: np.ndarray
) -> list[MentorProfile]:
    n = org.size
    about = _texts(rng, OFFERS, n)
    shared = rng.random(n) < np.array([f.shared for f in FORMS])[form]
    grade = rng.integers(8, 12, n)
    results = np.round(rng.uniform(3.4, 5.0, n), 2)
    experience = rng.integers(0, 30, n)
    fmt = rng.choice(3, n, p=(0.5, 0.15, 0.35))
    ok = rng.random((n, 3)) > (0.02, 0.02, 0.01)
    people = []
    for j in range(n):
        spec = FORMS[form[j]]
        pupil_mentor = spec.code == "student-student"
        people.append(
            MentorProfile(
                id=f"r{j}",
                form=spec.code,
                organisation=f"org{org[j]}",
                municipality=f"mun{muni_of_org[org[j]]}",
                shared=bool(shared[j]),
                role_models=frozenset(_pick(rng, spec.role_models, 0, 2)),
                competencies=tuple(_pick(rng, TOPICS, 2, 4)),
                about_text=about[j],
                subjects=frozenset(s for s, _ in _pick_subjects(rng, 1, 3)),
                grade=int(grade[j]) if pupil_mentor else None,
                age=int(grade[j]) + 7 if pupil_mentor else int(22 + experience[j]),
                results=float(results[j]) if spec.pupils else None,
                availability=frozenset(_pick(rng, SLOTS, 3, 9)),
                meeting_format=FORMATS[fmt[j]],
                experience_years=float(experience[j]) if not pupil_mentor else 0.0,
                consent_valid=bool(ok[j, 0]),
                documents_valid=bool(ok[j, 1]),
                eligible=bool(ok[j, 2]),
            )
        )
    return people


def _pick_subjects(rng: np.random.Generator, low: int, high: int) -> list[tuple[str, str]]:
    picked = rng.choice(len(SUBJECTS), size=rng.integers(low, high + 1), replace=False)
    return [SUBJECTS[k] for k in picked]


def _block_members(people: list, keep: np.ndarray) -> dict[tuple[str, str], list]:
    members: dict[tuple[str, str], list] = {}
    for person, kept in zip(people, keep, strict=True):
        if kept:
            members.setdefault((person.form, person.organisation), []).append(person.id)
    return members


def _mentees(
    rng: np.random.Generator,
    org: np.ndarray,
    form: np.ndarray,
    muni_of_org: np.ndarray,
    mentors: list[MentorProfile],
) -> list[MenteeProfile]:
    n = org.size
    request = _texts(rng, REQUESTS, n)
    grade = rng.integers(5, 10, n)
    results = np.round(rng.uniform(2.8, 4.6, n), 2)
    fmt = rng.choice(3, n, p=(0.6, 0.1, 0.3))
    ok = rng.random((n, 3)) > (0.03, 0.0, 0.01)
    names_mentors = rng.random(n) < 0.3
    sibling = rng.random(n) < 0.03
    local_mentors = _block_members(mentors, np.array([not m.shared for m in mentors]))
    families: dict[str, str] = {}
    people = []
    for i in range(n):
        spec = FORMS[form[i]]
        block = local_mentors.get((spec.code, f"org{org[i]}"), [])
        preferences: tuple[str, ...] = ()
        if names_mentors[i] and block:
            preferences = tuple(rng.choice(block, size=min(len(block), 3), replace=False))
        family = None
        if sibling[i] and block:
            family = families.setdefault(str(rng.choice(block)), f"fam{i}")
        people.append(
            MenteeProfile(
                id=f"e{i}",
                form=spec.code,
                organisation=f"org{org[i]}",
                municipality=f"mun{muni_of_org[org[i]]}",
                role_model=spec.role_models[i % len(spec.role_models)],
                topics=tuple(_pick(rng, TOPICS, 1, 2)),
                request_text=request[i],
                subjects=frozenset(s for s, _ in _pick_subjects(rng, 1, 2)),
                grade=int(grade[i]) if spec.pupils else None,
                age=int(grade[i]) + 7 if spec.pupils else int(18 + grade[i]),
                results=float(results[i]) if spec.pupils else None,
                family=family,
                availability=frozenset(_pick(rng, SLOTS, 2, 6)),
                meeting_format=FORMATS[fmt[i]],
                preferences=preferences,
                consent_valid=bool(ok[i, 0]),
                documents_valid=bool(ok[i, 1]),
                eligible=bool(ok[i, 2]),
            )
        )
    # Siblings: the mentor of the same family id is in the mentee's own block.
    for k, mentor in enumerate(mentors):
        family = families.get(mentor.id)
        if family is not None:
            mentors[k] = replace(mentor, family=family)
    return people


def _mentor_preferences(
    rng: np.random.Generator, mentors: list[MentorProfile], mentees: list[MenteeProfile]
) -> None:
    local_mentees = _block_members(mentees, np.ones(len(mentees), dtype=bool))
    names = rng.random(len(mentors)) < 0.3
    for k, mentor in enumerate(mentors):
        block = local_mentees.get((mentor.form, mentor.organisation), [])
        if names[k] and block and not mentor.shared:
            named = rng.choice(block, size=min(len(block), int(rng.integers(1, 5))), replace=False)
            mentors[k] = replace(mentor, preferences=tuple(str(x) for x in named))


# ---------------------------------------------------------------------------------------------
# Measurements


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _save(
    path: Path, graph: CandidateGraph, capacity: np.ndarray, prefs: RankedPreferences
) -> None:
    np.savez(
        path,
        n=np.array([graph.n_mentees, graph.n_mentors]),
        mentee=graph.mentee,
        mentor=graph.mentor,
        points=graph.points,
        capacity=capacity,
        pref_mentee=prefs.mentee,
        pref_mentor=prefs.mentor,
        pref_mentee_rank=prefs.mentee_rank,
        pref_mentor_rank=prefs.mentor_rank,
        pref_points=prefs.points,
    )


def _load_graph(data: np.lib.npyio.NpzFile) -> CandidateGraph:
    n_mentees, n_mentors = (int(x) for x in data["n"])
    return CandidateGraph(n_mentees, n_mentors, data["mentee"], data["mentor"], data["points"])


def _load_preferences(data: np.lib.npyio.NpzFile) -> RankedPreferences:
    n_mentees, n_mentors = (int(x) for x in data["n"])
    return RankedPreferences(
        n_mentees,
        n_mentors,
        data["pref_mentee"],
        data["pref_mentor"],
        data["pref_mentee_rank"],
        data["pref_mentor_rank"],
        data["pref_points"],
    )


def single_flow(graph: CandidateGraph, capacity: np.ndarray) -> np.ndarray:
    """The whole graph as one min-cost-flow call, as a first version would do it."""
    bundle = Bundle(
        mentee=graph.mentee,
        mentor=graph.mentor,
        value=graph.points.astype(np.int64) + SCORE_SCALE,
        capacity=capacity.astype(np.int64),
        n_mentees=graph.n_mentees,
    )
    mentor_of = np.full(graph.n_mentees, UNMATCHED, dtype=np.int32)
    used = solve_bundle(bundle)
    mentor_of[graph.mentee[used]] = graph.mentor[used]
    return mentor_of


def objective(graph: CandidateGraph, mentor_of: np.ndarray, bonus: int = SCORE_SCALE) -> int:
    """Points plus a bonus per matched mentee: one number to compare two assignments by."""
    used = mentor_of[graph.mentee] == graph.mentor
    return int((graph.points[used].astype(np.int64) + bonus).sum())


def child_measure(task: str) -> None:
    """A fresh process for one mode on the saved graph; prints its figures as JSON.

    It starts before the parent builds the region and waits for the graph's path on stdin:
    Linux carries a parent's peak resident size over fork and exec into the child's
    ``ru_maxrss``, so a child started by a large parent would report the parent's peak. For the
    same reason optimal mode's worker processes are started before the graph is loaded.
    """
    pool = start_pool(2) if task == "optimal" else None
    data = np.load(sys.stdin.readline().strip())
    capacity = data["capacity"]
    if task == "stable":
        prefs = _load_preferences(data)
    else:
        graph = _load_graph(data)
    loaded_mb = peak_mb()
    start = time.perf_counter()
    figures: dict[str, float] = {}
    if task == "optimal":
        mentor_of = solve_optimal(graph, capacity, executor=pool)
        figures["objective"] = objective(graph, mentor_of)
        figures["matched"] = int((mentor_of != UNMATCHED).sum())
    elif task == "single_flow":
        mentor_of = single_flow(graph, capacity)
        figures["objective"] = objective(graph, mentor_of)
    else:
        mentor_of = deferred_acceptance(prefs, capacity)
        figures["blocking_pairs"] = int(blocking_pairs(prefs, capacity, mentor_of).size)
        figures["matched"] = int((mentor_of != UNMATCHED).sum())
    figures["seconds"] = time.perf_counter() - start
    if pool is not None:
        pool.shutdown()
    figures["loaded_mb"] = loaded_mb
    figures["peak_mb"] = peak_mb()
    # Workers run side by side: their peaks are added, an upper bound.
    figures["workers_peak_mb"] = peak_mb(resource.RUSAGE_CHILDREN) * (2 if pool else 0)
    print(json.dumps(figures))


class Child:
    """A measuring process, started early (see ``child_measure``)."""

    def __init__(self, task: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--child", task],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def measure(self, path: Path) -> dict[str, float]:
        out, _ = self.process.communicate(f"{path}\n")
        if self.process.returncode:
            raise RuntimeError(f"measuring child failed ({self.process.returncode})")
        return json.loads(out.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# Reference paths on sub-regions


def sub_preferences(prefs: RankedPreferences, n_mentees: int) -> RankedPreferences:
    """The first ``n_mentees`` mentees (whole municipalities, mostly) and their rank lists;
    mentors' ranks are renumbered over the mentees left."""
    keep = prefs.mentee < n_mentees
    mentee, mentor = prefs.mentee[keep], prefs.mentor[keep]
    mentor_rank = prefs.mentor_rank[keep]
    order = np.lexsort((mentor_rank, mentor))
    renumbered = np.empty(order.size, dtype=np.int32)
    sorted_mentor = mentor[order]
    renumbered[order] = np.arange(order.size) - np.searchsorted(sorted_mentor, sorted_mentor)
    return RankedPreferences(
        n_mentees,
        prefs.n_mentors,
        mentee,
        mentor,
        prefs.mentee_rank[keep],
        renumbered,
        prefs.points[keep],
    )


def matching_package(prefs: RankedPreferences, capacity: np.ndarray) -> tuple[float, np.ndarray]:
    from matching.games import HospitalResident

    resident_prefs: dict[int, list[int]] = {}
    for i, j in zip(prefs.mentee.tolist(), prefs.mentor.tolist(), strict=True):
        resident_prefs.setdefault(i, []).append(j + prefs.n_mentees)
    order = np.lexsort((prefs.mentor_rank, prefs.mentor))
    hospital_prefs: dict[int, list[int]] = {}
    for i, j in zip(prefs.mentee[order].tolist(), prefs.mentor[order].tolist(), strict=True):
        hospital_prefs.setdefault(j + prefs.n_mentees, []).append(i)
    capacities = {h: int(capacity[h - prefs.n_mentees]) for h in hospital_prefs}
    start = time.perf_counter()
    game = HospitalResident.create_from_dictionaries(resident_prefs, hospital_prefs, capacities)
    solution = game.solve(optimal="resident")
    seconds = time.perf_counter() - start
    mentor_of = np.full(prefs.n_mentees, UNMATCHED, dtype=np.int32)
    for hospital, residents in solution.items():
        for resident in residents:
            mentor_of[resident.name] = hospital.name - prefs.n_mentees
    return seconds, mentor_of


def _deep_stack(call: Callable[[], object]) -> object:
    """Runs ``call`` in a thread with a large stack: the ``matching`` package deep-copies its
    players, which link to each other through their preferences, and recurses that deep."""
    found: list[object] = []
    limit = sys.getrecursionlimit()
    threading.stack_size(1 << 30)
    sys.setrecursionlimit(1_000_000)
    try:
        worker = threading.Thread(target=lambda: found.append(_caught(call)))
        worker.start()
        worker.join()
    finally:
        threading.stack_size(0)
        sys.setrecursionlimit(limit)
    if isinstance(found[0], BaseException):
        raise found[0]
    return found[0]


def _caught(call: Callable[[], object]) -> object:
    try:
        return call()
    except Exception as error:  # reported by the caller's thread
        return error


def stable_reference(prefs: RankedPreferences, capacity: np.ndarray, n: int) -> dict[str, float]:
    sub = sub_preferences(prefs, n)
    start = time.perf_counter()
    ours = deferred_acceptance(sub, capacity)
    blocking = blocking_pairs(sub, capacity, ours)
    our_seconds = time.perf_counter() - start
    their_seconds, theirs = _deep_stack(lambda: matching_package(sub, capacity))
    return {
        "mentees": n,
        "ours_s": our_seconds,
        "matching_pkg_s": their_seconds,
        "same_matching": bool(np.array_equal(ours, theirs)),
        "blocking_pairs": int(blocking.size),
        "ratio": their_seconds / our_seconds,
    }


def dense_reference(graph: CandidateGraph, capacity: np.ndarray, n: int) -> dict[str, float]:
    """scipy's linear_sum_assignment on a dense mentee × mentor-place matrix. Each pair is worth
    its points plus a bonus larger than any total of points (1,000 × mentees + 1), which makes
    its best the same lexicographic best: the most matched, then the highest total."""
    from scipy.optimize import linear_sum_assignment

    keep = graph.mentee < n
    sub = CandidateGraph(
        n, graph.n_mentors, graph.mentee[keep], graph.mentor[keep], graph.points[keep]
    )
    start = time.perf_counter()
    ours = solve_optimal(sub, capacity, workers=1)
    our_seconds = time.perf_counter() - start

    bonus = SCORE_SCALE * n + 1
    start = time.perf_counter()
    mentors = np.unique(sub.mentor)
    place_start = np.concatenate([[0], np.cumsum(capacity[mentors])])
    local = np.searchsorted(mentors, sub.mentor)
    value = np.zeros((n, int(place_start[-1])), dtype=np.float64)
    for place in range(int(capacity[mentors].max())):
        has_place = capacity[mentors][local] > place
        value[sub.mentee[has_place], place_start[local[has_place]] + place] = (
            sub.points[has_place] + bonus
        )
    rows, cols = linear_sum_assignment(value, maximize=True)
    their_objective = int(value[rows, cols].sum())
    their_seconds = time.perf_counter() - start
    return {
        "mentees": n,
        "places": int(place_start[-1]),
        "ours_s": our_seconds,
        "scipy_dense_s": their_seconds,
        "same_objective": objective(sub, ours, bonus) == their_objective,
        "ratio": their_seconds / our_seconds,
    }


# ---------------------------------------------------------------------------------------------
# The candidate lists against the full admissible graph


def _indices(pop, result: MatchResult) -> np.ndarray:
    mentor_of = np.full(pop.mentees.size, UNMATCHED, dtype=np.int32)
    for a in result.assignments:
        mentor_of[pop.mentee_index[a.mentee_id]] = pop.mentor_index[a.mentor_id]
    return mentor_of


def full_graph_check(n_mentees: int, n_mentors: int) -> dict[str, float]:
    """On a small region, the lists (top 30, pool limit 120) against lists holding every
    admissible pair: optimal must match as many with the same total, stable must leave no
    blocking pair among all admissible pairs."""
    region = synthetic_region(n_mentees, n_mentors, seed=7)
    everyone = n_mentors + 1
    full = RunOptions(top_k=everyone, pool_limit=everyone)
    run = prepare_run(region.mentees, region.mentors, Weights(), region.constraints, full, {})
    pop = run.population

    start = time.perf_counter()
    lists = run_matching(region.mentees, region.mentors, Weights(), region.constraints)
    lists_s = time.perf_counter() - start
    whole = run_matching(region.mentees, region.mentors, Weights(), region.constraints, full)

    stable = run_matching(
        region.mentees,
        region.mentors,
        Weights(),
        region.constraints,
        RunOptions(mode=Mode.STABLE),
    )
    places = run.locks.places_left(pop.capacity)
    full_prefs = stable_preferences(pop, run.graph, run.locks, places)
    blocking = blocking_pairs(full_prefs, places, _indices(pop, stable)).size
    return {
        "mentees": n_mentees,
        "full_edges": run.graph.size,
        "matched_lists": lists.summary.matched,
        "matched_full": whole.summary.matched,
        "total_lists": lists.summary.total_points,
        "total_full": whole.summary.total_points,
        "lists_extended": lists.matching_certificate.lists_extended,
        "stable_blocking_in_full_graph": int(blocking),
        "stable_lists_extended": stable.certificate.lists_extended,
        "lists_s": lists_s,
    }


# ---------------------------------------------------------------------------------------------


def _unmatched_by_reason(result: MatchResult) -> dict[str, int]:
    reasons: dict[str, int] = {}
    for u in result.unmatched:
        reasons[u.reason.value] = reasons.get(u.reason.value, 0) + 1
    return reasons


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small region (smoke test)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_measure(args.child)
        return
    n_mentees, n_mentors = (2_000, 800) if args.quick else (200_000, 80_000)
    stable_sizes, dense_size = ((500, 1_000), 1_000) if args.quick else ((1_000, 10_000), 5_000)
    children = {task: Child(task) for task in ("optimal", "stable", "single_flow")}
    pool = start_pool(2)

    start = time.perf_counter()
    region = synthetic_region(n_mentees, n_mentors)
    print(f"region: {n_mentees} mentees, {n_mentors} mentors, {time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    result = run_matching(region.mentees, region.mentors, Weights(), region.constraints, None, pool)
    pipeline_s = time.perf_counter() - start
    proven = bool(result.matching_certificate and result.matching_certificate.most_matched_proven)
    pool.shutdown()
    pipeline_mb = peak_mb() + 2 * peak_mb(resource.RUSAGE_CHILDREN)
    steps = " ".join(f"{k}={v:.2f}" for k, v in result.timings.items())
    summary = result.summary
    print(
        f"pipeline (optimal mode): {pipeline_s:.2f} s ({steps}); matched {summary.matched}, "
        f"unmatched {summary.unmatched}, total score {summary.total_score:.1f}; peak "
        f"{peak_mb():.0f} MB + workers {pipeline_mb - peak_mb():.0f} MB"
    )
    print("unmatched by reason:", _unmatched_by_reason(result))
    print(f"most matched over every admissible pair: {result.matching_certificate}")
    del result

    run = prepare_run(
        region.mentees, region.mentors, Weights(), region.constraints, RunOptions(), {}
    )
    graph, pop = run.graph, run.population
    start = time.perf_counter()
    prefs = stable_preferences(pop, graph, run.locks, pop.capacity)
    stable_prep_s = time.perf_counter() - start
    degree = np.bincount(graph.mentee, minlength=graph.n_mentees)
    print(
        f"candidate graph: {graph.size} edges, {degree[degree > 0].mean():.1f} per mentee "
        f"with candidates; rank lists built in {stable_prep_s:.2f} s"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "graph.npz"
        _save(path, graph, pop.capacity, prefs)
        measured = {task: child.measure(path) for task, child in children.items()}
    optimal, stable, flow = measured["optimal"], measured["stable"], measured["single_flow"]
    optimal_mb = optimal["peak_mb"] + optimal["workers_peak_mb"]
    print(
        f"optimal (graph given): {optimal['seconds']:.2f} s, peak {optimal['peak_mb']:.0f} MB "
        f"+ workers {optimal['workers_peak_mb']:.0f} MB; one min-cost-flow call on the whole "
        f"graph: {flow['seconds']:.2f} s, peak {flow['peak_mb']:.0f} MB; same objective: "
        f"{optimal['objective'] == flow['objective']}"
    )
    print(
        f"stable (rank lists given, with the blocking-pair check): {stable['seconds']:.3f} s, "
        f"peak {stable['peak_mb']:.0f} MB, blocking pairs {stable['blocking_pairs']}"
    )
    references = [stable_reference(prefs, pop.capacity, n) for n in stable_sizes]
    for ref in references:
        print(f"stable vs matching package: {_rounded(ref)}")
    dense = dense_reference(graph, pop.capacity, dense_size)
    print(f"optimal vs scipy dense: {_rounded(dense)}")
    edges = graph.size
    del graph, prefs, run, pop
    check = full_graph_check(*((1_000, 400) if args.quick else (4_000, 1_600)))
    print(f"candidate lists vs the full admissible graph: {_rounded(check)}")
    assert check["matched_lists"] == check["matched_full"], "the lists lost a matched mentee"
    # The total is optimal over the candidate lists (what the help text promises); over the
    # full graph it can be a little higher, and the gap is reported, not hidden.
    assert check["total_lists"] <= check["total_full"], "the full graph scored less"
    assert check["stable_blocking_in_full_graph"] == 0, "a blocking pair outside the lists"

    figures = {
        "mentees": n_mentees,
        "mentors": n_mentors,
        "edges": edges,
        "optimal_s": round(optimal["seconds"], 2),
        "optimal_peak_mb": round(optimal_mb),
        "single_flow_s": round(flow["seconds"], 2),
        "optimal_vs_single_flow": round(flow["seconds"] / optimal["seconds"], 1),
        "stable_s": round(stable["seconds"], 3),
        "stable_peak_mb": round(stable["peak_mb"]),
        "blocking_pairs": stable["blocking_pairs"],
        "pipeline_s": round(pipeline_s, 2),
        "most_matched_proven": proven,
        "peak_mb": round(pipeline_mb),
        "stable_vs_matching_pkg": round(references[-1]["ratio"], 1),
        "stable_same_as_matching_pkg": all(r["same_matching"] for r in references),
        "optimal_vs_scipy_dense": round(dense["ratio"], 1),
        "optimal_same_as_scipy_dense": dense["same_objective"],
        "full_graph_same_matched": check["matched_lists"] == check["matched_full"],
        "full_graph_total_gap": check["total_full"] - check["total_lists"],
        "full_graph_blocking_pairs": check["stable_blocking_in_full_graph"],
        "cpus": os.cpu_count(),
    }
    print(" ".join(f"{k}={v}" for k, v in figures.items()))


def _rounded(figures: dict[str, float]) -> str:
    return ", ".join(
        f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in figures.items()
    )


if __name__ == "__main__":
    main()
