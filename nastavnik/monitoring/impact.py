"""Stage 2 of monitoring: the impact of the programme on its participants (seed 000 §5.2). Each
parameter is measured at entry and at exit (`assessments`); here the change of everyone with
both measures, per participant, per pair, and by form, role model and matching strategy — «so
the curator can see which way of forming pairs worked».

The statistic, chosen to be honest on small, tied, 1–10 data:

- n: participants with both measures of the parameter. Under MIN_N (6) nothing is claimed: no
  p-value, no effect size, and the reading says there are too few to draw conclusions. (With
  five pairs even a change for everyone gives a two-sided p of 0.0625.)
- The change is exit − entry; «improved» follows the parameter's direction (for anxiety a
  fall is an improvement).
- The Wilcoxon signed-rank test, two-sided, with Pratt's treatment of zeros: participants who
  did not change stay in the ranking of |change| (their ranks are then dropped from the
  statistic). Discarding them (Wilcoxon's own "wilcox") would test only those who changed and
  overstate a change most participants did not show. Up to EXACT_UP_TO (50) participants the
  p-value is exact: the distribution of W+ over every sign pattern of the non-zero ranks,
  ties keeping their mean ranks (`exact_p`, a subset-sum count — what scipy's permutation
  method computes, without its cost of seconds per call). Above, `scipy.stats.wilcoxon` with
  zero_method="pratt" and the normal approximation corrected for ties and zeros. All changes
  zero: no test (there is nothing to rank), p is None.
- The effect size: the matched-pairs rank-biserial correlation with the same Pratt ranks,
  r = (W+ − W−) / (n(n + 1) / 2), where W+ and W− are the sums of the ranks of the rises and
  the falls and n counts every participant. Without zeros it is Kerby's simple difference
  (W+ − W−)/(W+ + W−); participants who did not change pull it towards 0 instead of being
  ignored. r > 0: the values grew. |r| below 0.1 is negligible, below 0.3 small, below 0.5
  medium, else large.

Bounded in queries: measures, parameters, people and the pairs (a handful of values queries),
then Python; the test runs only for groups with at least MIN_N participants.
"""

from __future__ import annotations

import math
import statistics
import warnings
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db.models import BooleanField, ExpressionWrapper
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nastavnik.assessments.models import EntryAndExit, Measure, Parameter, Phase
from nastavnik.consents.rules import hidden_q
from nastavnik.matching.models import SELFMATCH_MODE, MatchingMode
from nastavnik.mentees.models import Mentee, MenteeStatus
from nastavnik.monitoring.pairs import PairIndex, pair_index
from nastavnik.people.models import Person
from nastavnik.programmes.models import Programme

MIN_N = 6
SIGNIFICANCE = 0.05
ZERO_METHOD = "pratt"
EXACT_UP_TO = 50


# --- The statistic ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PairedTest:
    """The paired comparison of entry and exit over a set of participants."""

    n: int
    mean_change: float | None
    median_change: float | None
    improved: int
    worsened: int
    unchanged: int
    w_plus: float  # sum of the (Pratt) ranks of the rises
    w_minus: float  # … of the falls
    p_value: float | None  # None: too few participants, or nobody changed
    effect_size: float | None  # rank-biserial r; None when too few

    @property
    def enough(self) -> bool:
        return self.n >= MIN_N

    @property
    def share_improved(self) -> float | None:
        return self.improved / self.n if self.n else None

    @property
    def significant(self) -> bool:
        return self.p_value is not None and self.p_value < SIGNIFICANCE


def average_ranks(values: Sequence[float]) -> list[float]:
    """Ranks 1…n, ties sharing the mean of their ranks (scipy's rankdata "average", without
    its per-call cost, which dominates on many small groups)."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        shared = (start + end) / 2 + 1
        for index in order[start : end + 1]:
            ranks[index] = shared
        start = end + 1
    return ranks


def signed_ranks(changes: Sequence[float]) -> tuple[float, float]:
    """W+ and W−: the sums of the ranks of |change| (every participant ranked, ties sharing the
    mean rank) over the rises and over the falls. Zeros take ranks but belong to neither."""
    ranks = average_ranks([abs(c) for c in changes])
    w_plus = float(sum(r for r, c in zip(ranks, changes, strict=True) if c > 0))
    w_minus = float(sum(r for r, c in zip(ranks, changes, strict=True) if c < 0))
    return w_plus, w_minus


def exact_p(changes: Sequence[float]) -> float:
    """The exact two-sided p-value of the signed-rank statistic with Pratt ranks: under the
    null hypothesis each non-zero change is a rise or a fall with probability ½, so W+ is a
    sum of a random subset of the non-zero ranks. Ranks are whole or halves (ties), so twice
    each is a whole number and the distribution is a subset-sum count."""
    ranks = average_ranks([abs(c) for c in changes])
    doubled = [round(2 * r) for r, c in zip(ranks, changes, strict=True) if c != 0]
    w_plus, w_minus = signed_ranks(changes)
    smaller = round(2 * min(w_plus, w_minus))
    distribution = np.zeros(sum(doubled) + 1)
    distribution[0] = 1.0
    for rank in doubled:
        shifted = np.zeros_like(distribution)
        shifted[rank:] = distribution[:-rank]
        distribution = 0.5 * (distribution + shifted)
    return min(1.0, 2.0 * float(distribution[: smaller + 1].sum()))


def paired_test(changes: Sequence[float], higher_is_better: bool = True) -> PairedTest:
    """The statistic of the module docstring over the changes (exit − entry)."""
    n = len(changes)
    if n == 0:
        return PairedTest(0, None, None, 0, 0, 0, 0.0, 0.0, None, None)
    rises = sum(1 for c in changes if c > 0)
    falls = sum(1 for c in changes if c < 0)
    w_plus, w_minus = signed_ranks(changes)
    p_value = effect = None
    if n >= MIN_N:
        effect = (w_plus - w_minus) / (n * (n + 1) / 2)
        if (rises or falls) and n <= EXACT_UP_TO:
            p_value = exact_p(changes)
        elif rises or falls:
            # Imported here: scipy.stats takes half a second to import, which every process
            # that loads the URLs (web workers, management commands) would otherwise pay.
            from scipy import stats

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                found = stats.wilcoxon(changes, zero_method=ZERO_METHOD, method="asymptotic")
            p_value = float(found.pvalue) if not math.isnan(found.pvalue) else None
    return PairedTest(
        n=n,
        mean_change=statistics.fmean(changes),
        median_change=float(statistics.median(changes)),
        improved=rises if higher_is_better else falls,
        worsened=falls if higher_is_better else rises,
        unchanged=n - rises - falls,
        w_plus=w_plus,
        w_minus=w_minus,
        p_value=p_value,
        effect_size=effect,
    )


def effect_label(r: float) -> str:
    size = abs(r)
    if size < 0.1:
        return _("the effect is negligible")
    if size < 0.3:
        return _("the effect is small")
    if size < 0.5:
        return _("the effect is medium")
    return _("the effect is large")


def p_text(p: float) -> str:
    """«p = 0,003», «p < 0,001» in the language's own digits."""
    if p < 0.001:
        return "p < " + number_format(0.001, decimal_pos=3)
    return "p = " + number_format(round(p, 3), decimal_pos=3)


def r_text(r: float) -> str:
    """The effect size as the table and the reading both show it: signed (r < 0, the values
    fell), two decimals, so the text never contradicts the column beside it."""
    return number_format(round(r, 2), decimal_pos=2)


def reading(name: str, test: PairedTest, higher_is_better: bool = True) -> str:
    """The result in plain words, claiming no more than the numbers carry."""
    if not test.enough:
        return _(
            "Too few participants with both measures to draw conclusions: %(n)s, at least "
            "%(min)s are needed."
        ) % {"n": test.n, "min": MIN_N}
    if test.unchanged == test.n:
        return ngettext(
            "%(parameter)s: no change for any of the %(n)s participant.",
            "%(parameter)s: no change for any of the %(n)s participants.",
            test.n,
        ) % {"parameter": name, "n": test.n}
    counts = ngettext(
        "%(parameter)s: improved for %(improved)s of %(n)s participant",
        "%(parameter)s: improved for %(improved)s of %(n)s participants",
        test.n,
    ) % {"parameter": name, "improved": test.improved, "n": test.n}
    counts += _(", worse for %(worsened)s, unchanged for %(unchanged)s") % {
        "worsened": test.worsened,
        "unchanged": test.unchanged,
    }
    assert test.p_value is not None and test.effect_size is not None
    values = {
        "p": p_text(test.p_value),
        "effect": effect_label(test.effect_size),
        "r": r_text(test.effect_size),
    }
    if not test.significant:
        verdict = _("the change is not statistically significant (%(p)s): it may be chance.")
    elif (test.effect_size > 0) == higher_is_better:
        verdict = _("the improvement is statistically significant (%(p)s), %(effect)s (r = %(r)s).")
    else:
        verdict = _("the worsening is statistically significant (%(p)s), %(effect)s (r = %(r)s).")
    return f"{counts}; {verdict % values}"


# --- Results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParameterRef:
    pk: int
    code: str
    name: str
    higher_is_better: bool
    decimals: int
    unit: str


@dataclass(frozen=True)
class ParameterImpact:
    """One parameter over one set of participants: the statistic and its reading."""

    parameter: ParameterRef
    test: PairedTest

    @property
    def reading(self) -> str:
        """In the active language; made when asked, not for every pair of every page."""
        return reading(self.parameter.name, self.test, self.parameter.higher_is_better)

    # The fields a report reads most, straight from here.
    @property
    def n(self) -> int:
        return self.test.n

    @property
    def mean_change(self) -> float | None:
        return self.test.mean_change

    @property
    def median_change(self) -> float | None:
        return self.test.median_change

    @property
    def p_value(self) -> float | None:
        return self.test.p_value

    @property
    def effect_size(self) -> float | None:
        return self.test.effect_size

    @property
    def share_improved(self) -> float | None:
        return self.test.share_improved

    @property
    def p_shown(self) -> str:
        """«0,039», «< 0,001», or «—» when no test was made."""
        if self.test.p_value is None:
            return "—"
        return p_text(self.test.p_value).removeprefix("p = ")

    @property
    def r_shown(self) -> str:
        """The signed r of the reading, or «—» when too few to compute it."""
        if self.test.effect_size is None:
            return "—"
        return r_text(self.test.effect_size)


@dataclass(frozen=True)
class GroupImpact:
    """The parameters over one group: a form, a role model, a strategy, a pair."""

    key: str
    label: str
    participants: int
    parameters: tuple[ParameterImpact, ...]


@dataclass(frozen=True)
class Change(EntryAndExit):
    parameter_id: int
    entry: Decimal | None
    exit: Decimal | None
    higher_is_better: bool = True


@dataclass(frozen=True)
class ParticipantChange:
    person_id: int
    name: str
    pairs: tuple[str, ...]  # labels of the person's pairs of the year
    forms: tuple[str, ...]
    changes: tuple[Change, ...]  # in the order of ImpactResults.parameters


@dataclass(frozen=True)
class ImpactResults:
    programme_id: int
    parameters: tuple[ParameterRef, ...]
    overall: tuple[ParameterImpact, ...]
    participants: tuple[ParticipantChange, ...]
    by_pair: tuple[GroupImpact, ...]
    by_form: tuple[GroupImpact, ...]
    by_role_model: tuple[GroupImpact, ...]
    # One group per matching run (its mode and weights) and one for pairs formed by hand.
    by_strategy: tuple[GroupImpact, ...]
    # The runs' modes merged: «best total score», «stable», «by hand».
    by_mode: tuple[GroupImpact, ...]

    @property
    def is_empty(self) -> bool:
        return not any(p.n for p in self.overall)


# --- Computing -------------------------------------------------------------------------------


def _impacts(
    parameters: Iterable[ParameterRef], changes: dict[int, dict[int, float]], people: set[int]
) -> tuple[ParameterImpact, ...]:
    result = []
    for parameter in parameters:
        found = changes.get(parameter.pk, {})
        test = paired_test(
            [found[person] for person in sorted(people) if person in found],
            parameter.higher_is_better,
        )
        result.append(ParameterImpact(parameter, test))
    return tuple(result)


def _grouped(
    members: dict[str, set[int]],
    labels: dict[str, str],
    parameters: tuple[ParameterRef, ...],
    changes: dict[int, dict[int, float]],
) -> tuple[GroupImpact, ...]:
    return tuple(
        GroupImpact(
            key, labels[key], len(members[key]), _impacts(parameters, changes, members[key])
        )
        for key in sorted(members, key=lambda k: labels[k])
    )


def _mode_label(mode: str) -> str:
    if mode in MatchingMode.values:
        return str(MatchingMode(mode).label)
    if mode == SELFMATCH_MODE:
        return _("Chosen by the mentee")
    return _("Formed by hand")


def impact_results(programme: Programme, pairs: PairIndex | None = None) -> ImpactResults:
    """Stage 2 of the programme's year; see the module docstring for the statistic. People
    whose data are hidden and mentees who left the programme are left out, as in the
    assessment table."""
    left = set(
        Mentee.objects.filter(programme=programme, status=MenteeStatus.LEFT).values_list(
            "person_id", flat=True
        )
    )
    values: dict[tuple[int, int, str], Decimal] = {}
    for person_id, parameter_id, phase, value in Measure.objects.filter(
        programme=programme
    ).values_list("person_id", "parameter_id", "phase", "value"):
        if person_id not in left:
            values[(person_id, parameter_id, phase)] = value
    measured = {person for person, _p, _ph in values}
    names: dict[int, str] = {}
    hidden: set[int] = set()
    for pk, last, first, middle, is_hidden in (
        Person.objects.filter(pk__in=measured)
        .annotate(is_hidden=ExpressionWrapper(hidden_q(), output_field=BooleanField()))
        .order_by("name_key", "pk")
        .values_list("pk", "last_name", "first_name", "middle_name", "is_hidden")
    ):
        if is_hidden:
            hidden.add(pk)
        else:
            names[pk] = " ".join(p for p in (last, first, middle) if p)
    used = {parameter for _person, parameter, _phase in values}
    parameters = tuple(
        ParameterRef(pk, code, name, higher, decimals, unit)
        for pk, code, name, higher, decimals, unit in Parameter.objects.filter(
            pk__in=used
        ).values_list("pk", "code", "name", "higher_is_better", "decimals", "unit")
    )
    # parameter → person → change, for those with both measures and visible data.
    changes: dict[int, dict[int, float]] = defaultdict(dict)
    for (person, parameter, phase), entry in values.items():
        if phase != Phase.ENTRY or person in hidden:
            continue
        exit_value = values.get((person, parameter, Phase.EXIT))
        if exit_value is not None:
            changes[parameter][person] = float(exit_value - entry)

    pairs = pairs if pairs is not None else pair_index(programme)
    people = [pk for pk in names]  # in the order of their names
    members: dict[str, dict[str, set[int]]] = {
        "pair": defaultdict(set),
        "form": defaultdict(set),
        "role": defaultdict(set),
        "strategy": defaultdict(set),
        "mode": defaultdict(set),
    }
    labels: dict[str, str] = {}
    modes = {mode: _mode_label(mode) for mode in {p.mode for p in pairs.pairs.values()}}
    participants = []
    for person in people:
        mine = pairs.of(person)
        for pair in mine:
            for group, key, label in (
                ("pair", f"pair:{pair.pk}", pair.label),
                ("form", f"form:{pair.form_id}", pair.form_name),
                ("strategy", pair.strategy_key, pair.strategy_label),
                ("mode", f"mode:{pair.mode}", modes[pair.mode]),
            ):
                members[group][key].add(person)
                labels[key] = label
            if pair.role_model_id is not None:
                key = f"role:{pair.role_model_id}"
                members["role"][key].add(person)
                labels[key] = f"{pair.role_model_name} ({pair.form_name})"
        participants.append(
            ParticipantChange(
                person_id=person,
                name=names[person],
                pairs=tuple(p.label for p in mine),
                forms=tuple(dict.fromkeys(p.form_name for p in mine)),
                changes=tuple(
                    Change(
                        p.pk,
                        values.get((person, p.pk, Phase.ENTRY)),
                        values.get((person, p.pk, Phase.EXIT)),
                        p.higher_is_better,
                    )
                    for p in parameters
                ),
            )
        )
    everyone = {person for found in changes.values() for person in found}
    return ImpactResults(
        programme_id=programme.pk,
        parameters=parameters,
        overall=_impacts(parameters, changes, everyone),
        participants=tuple(participants),
        by_pair=_grouped(members["pair"], labels, parameters, changes),
        by_form=_grouped(members["form"], labels, parameters, changes),
        by_role_model=_grouped(members["role"], labels, parameters, changes),
        by_strategy=_grouped(members["strategy"], labels, parameters, changes),
        by_mode=_grouped(members["mode"], labels, parameters, changes),
    )
