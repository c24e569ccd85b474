"""The pairs and groups of a programme as monitoring groups them: by form, role model and the
strategy that formed them (seed 000 §5.2: «наиболее рациональной и эффективной стратегии
дальнейшего формирования пар»). Three queries for a whole programme, whatever its size.

A person may belong to several mentorships of one year (a mentor of two pairs; a mentee whose
mentor was replaced): their data then count for each of those pairs, and once for each
distinct form, role model or strategy among them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from nastavnik.matching.models import MatchingMode, MatchingRun
from nastavnik.matching.texts import CRITERION_LABELS
from nastavnik.mentorships.models import Mentorship, MentorshipMentee
from nastavnik.programmes.models import Programme

MANUAL = "manual"


@dataclass(frozen=True)
class PairInfo:
    """One pair or group of the programme, with what monitoring groups it by."""

    pk: int
    label: str
    is_group: bool
    status: str
    form_id: int
    form_name: str
    role_model_id: int | None
    role_model_name: str
    # "run:<pk>" for a pair a matching run formed, "manual" for one formed by hand.
    strategy_key: str
    strategy_label: str
    mode: str


@dataclass(frozen=True)
class PairIndex:
    pairs: dict[int, PairInfo]
    # person pk → the pks of the mentorships the person is in (as mentor or mentee).
    by_person: dict[int, tuple[int, ...]]

    def of(self, person_id: int | None) -> list[PairInfo]:
        if person_id is None:
            return []
        return [self.pairs[pk] for pk in self.by_person.get(person_id, ())]


def _short(last: str, first: str, middle: str) -> str:
    initials = " ".join(f"{part[0]}." for part in (first, middle) if part)
    return " ".join(p for p in (last, initials) if p)


def _weights_text(weights: dict[str, Any]) -> str:
    shown = []
    for code, weight in weights.items():
        if not weight:
            continue
        label = CRITERION_LABELS.get(code)
        number = f"{float(weight):g}".replace(".", ",")
        shown.append(f"{label if label is not None else code} {number}")
    return ", ".join(shown)


def strategy_label(
    run_number: int | None, mode: str, weights: dict[str, Any], form_name: str = ""
) -> str:
    """«Подбор № 2 (Учитель – ученик): наибольший общий балл; веса: …» or «Сформирована
    вручную». Runs are numbered within a form, so the form is named."""
    if run_number is None:
        if mode in MatchingMode.values:
            return str(MatchingMode(mode).label)
        return _("Formed by hand")
    label = _("Matching run no. %(number)s (%(form)s): %(mode)s") % {
        "number": run_number,
        "form": form_name,
        "mode": MatchingMode(mode).label if mode in MatchingMode.values else mode,
    }
    weights_text = _weights_text(weights or {})
    if weights_text:
        label += "; " + _("weights: %(weights)s") % {"weights": weights_text}
    return label


def pair_index(programme: Programme) -> PairIndex:
    """Every mentorship of the programme (active, completed or ended early) and its people."""
    members: dict[int, list[tuple[int, str]]] = defaultdict(list)
    by_person: dict[int, list[int]] = defaultdict(list)
    for mentorship_id, person_id, last, first, middle in (
        MentorshipMentee.objects.filter(mentorship__programme=programme)
        .order_by("mentee__person__name_key", "pk")
        .values_list(
            "mentorship_id",
            "mentee__person_id",
            "mentee__person__last_name",
            "mentee__person__first_name",
            "mentee__person__middle_name",
        )
    ):
        members[mentorship_id].append((person_id, _short(last, first, middle)))
        by_person[person_id].append(mentorship_id)
    rows = list(
        Mentorship.objects.filter(programme=programme).values(
            "pk",
            "is_group",
            "status",
            "form_id",
            "form__name",
            "role_model_id",
            "role_model__name",
            "mode",
            "matching_run_id",
            "mentor__person_id",
            "mentor__person__last_name",
            "mentor__person__first_name",
            "mentor__person__middle_name",
        )
    )
    # The runs' weights and labels once per run, not once per pair.
    strategies = {
        pk: strategy_label(number, mode, weights, form_name)
        for pk, number, mode, weights, form_name in MatchingRun.objects.filter(
            pk__in={row["matching_run_id"] for row in rows if row["matching_run_id"]}
        ).values_list("pk", "number", "mode", "weights", "form__name")
    }
    by_hand: dict[str, str] = {}
    pairs: dict[int, PairInfo] = {}
    for row in rows:
        mentor = _short(
            row["mentor__person__last_name"],
            row["mentor__person__first_name"],
            row["mentor__person__middle_name"],
        )
        mentees = ", ".join(name for _pk, name in members.get(row["pk"], []))
        run_id = row["matching_run_id"]
        pairs[row["pk"]] = PairInfo(
            pk=row["pk"],
            label=f"{mentor} — {mentees}" if mentees else mentor,
            is_group=row["is_group"],
            status=row["status"],
            form_id=row["form_id"],
            form_name=row["form__name"],
            role_model_id=row["role_model_id"],
            role_model_name=row["role_model__name"] or "",
            strategy_key=f"run:{run_id}" if run_id else MANUAL,
            strategy_label=(
                strategies[run_id]
                if run_id
                else by_hand.setdefault(row["mode"], strategy_label(None, row["mode"], {}))
            ),
            mode=row["mode"] or MANUAL,
        )
        by_person[row["mentor__person_id"]].append(row["pk"])
    return PairIndex(
        pairs=pairs,
        by_person={person: tuple(dict.fromkeys(pks)) for person, pks in by_person.items()},
    )
