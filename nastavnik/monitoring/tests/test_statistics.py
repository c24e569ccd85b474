"""The stage-2 statistic against values worked out by hand: the differences written out, the
signed ranks summed, the p-value counted from the sign permutations (or the normal formula),
the rank-biserial r, the mean and the median."""

from __future__ import annotations

import math

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext

from nastavnik.monitoring import impact
from nastavnik.monitoring.impact import MIN_N, paired_test, reading, signed_ranks


def test_eight_participants_without_ties_or_zeros_use_the_exact_distribution():
    entry = [5, 5, 6, 3, 2, 2, 1, 1]
    exit_ = [6, 7, 3, 7, 7, 8, 8, 9]
    changes = [b - a for a, b in zip(entry, exit_, strict=True)]
    assert changes == [1, 2, -3, 4, 5, 6, 7, 8]
    # |d| are 1…8, all different: rank = |d|. W− = 3 (the one fall), W+ = 36 − 3 = 33.
    assert signed_ranks(changes) == (33.0, 3.0)

    test = paired_test(changes)

    assert test.n == 8
    assert test.mean_change == pytest.approx(30 / 8)  # 3.75
    assert test.median_change == pytest.approx((4 + 5) / 2)  # sorted: −3 1 2 4 | 5 6 7 8
    assert (test.improved, test.worsened, test.unchanged) == (7, 1, 0)
    assert test.share_improved == pytest.approx(7 / 8)
    # Exact null distribution: 2^8 = 256 equally likely sign patterns. W− ≤ 3 for the subsets
    # of {1…8} summing to at most 3: {}, {1}, {2}, {3}, {1, 2} — five. Two-sided: ×2.
    assert test.p_value == pytest.approx(2 * 5 / 256)  # 0.0390625
    # Rank-biserial r = (W+ − W−) / (n(n+1)/2) = 30 / 36.
    assert test.effect_size == pytest.approx(30 / 36)
    assert test.significant


def test_a_participant_who_did_not_change_stays_in_the_ranking_pratt():
    changes = [0, 1, -2, 3, 4, 5, 6, 7]
    # Pratt: |d| ranked with the zero included — 0→1, 1→2, 2→3, … 7→8; the zero's rank then
    # belongs to neither side. W+ = 2+4+5+6+7+8 = 32, W− = 3.
    assert signed_ranks(changes) == (32.0, 3.0)
    test = paired_test(changes)
    assert test.unchanged == 1
    # With a zero, every sign pattern of the 7 non-zero ranks {2…8} (2^7 = 128): W− ≤ 3 for
    # {}, {2}, {3} — three. Two-sided: 6/128.
    assert test.p_value == pytest.approx(6 / 128)  # 0.046875
    # r over every participant, the unchanged one included: (32 − 3) / 36.
    assert test.effect_size == pytest.approx(29 / 36)


def _tied_sixteen():
    # 16 participants on a 1–10 scale: 10 rose by 1, 3 rose by 2, 2 fell by 1, 1 unchanged.
    return [1] * 10 + [2] * 3 + [-1] * 2 + [0]


def test_tied_changes_get_the_exact_distribution_of_their_mean_ranks():
    changes = _tied_sixteen()
    test = paired_test(changes)
    # Ranks of |d| with the zero (Pratt): 0 → 1; the twelve 1s share ranks 2…13 → 7.5;
    # the three 2s share 14…16 → 15. W+ = 10·7.5 + 3·15 = 120, W− = 2·7.5 = 15.
    assert (test.w_plus, test.w_minus) == (120.0, 15.0)
    # Under the null each of the 15 non-zero ranks is a rise or a fall: W− = 7.5a + 15b with
    # a of the twelve 7.5s and b of the three 15s falling. W− ≤ 15 for (a, b) = (0, 0),
    # (1, 0), (2, 0), (0, 1): 1 + 12 + 66 + 3 = 82 of 2^15 patterns. Two-sided: ×2.
    assert test.p_value == pytest.approx(2 * 82 / 2**15)
    assert test.effect_size == pytest.approx((120 - 15) / (16 * 17 / 2))


def test_many_participants_use_the_normal_approximation_with_corrections(monkeypatch):
    monkeypatch.setattr(impact, "EXACT_UP_TO", 10)
    changes = _tied_sixteen()
    test = paired_test(changes)
    w_plus, w_minus = 120.0, 15.0
    n, zeros = 16, 1
    mean = n * (n + 1) / 4 - zeros * (zeros + 1) / 4  # 67.5
    variance = n * (n + 1) * (2 * n + 1) - zeros * (zeros + 1) * (2 * zeros + 1)
    variance -= (12**3 - 12) / 2 + (3**3 - 3) / 2  # the ties
    z = (min(w_plus, w_minus) - mean) / math.sqrt(variance / 24)
    assert test.p_value == pytest.approx(math.erfc(abs(z) / math.sqrt(2)), rel=1e-9)


def test_for_a_lower_is_better_parameter_a_fall_is_an_improvement():
    test = paired_test([-1, -2, -3, -4, -5, -6], higher_is_better=False)
    assert (test.improved, test.worsened) == (6, 0)
    assert test.effect_size == pytest.approx(-1.0)
    # Six falls: only the all-negative and all-positive patterns are as extreme — 2/64.
    assert test.p_value == pytest.approx(2 / 64)


def test_below_the_minimum_nothing_is_claimed():
    changes = [3, 4, 5, 6, 7]
    assert len(changes) < MIN_N
    test = paired_test(changes)
    assert test.mean_change == pytest.approx(5)
    assert test.p_value is None
    assert test.effect_size is None
    with translation.override("en"):
        said = reading("Вовлечённость", test)
        expected = gettext(
            "Too few participants with both measures to draw conclusions: %(n)s, at least "
            "%(min)s are needed."
        ) % {"n": 5, "min": MIN_N}
    assert said == expected
    assert "significant" not in said


def test_nobody_changed_no_test_is_made():
    test = paired_test([0] * 7)
    assert (test.unchanged, test.p_value, test.effect_size) == (7, None, 0.0)
    with translation.override("ru"):
        said = reading("Тревожность", test)
        expected = ngettext(
            "%(parameter)s: no change for any of the %(n)s participant.",
            "%(parameter)s: no change for any of the %(n)s participants.",
            7,
        ) % {"parameter": "Тревожность", "n": 7}
    assert said == expected


def test_the_reading_names_the_counts_and_the_verdict():
    test = paired_test([1, 2, -3, 4, 5, 6, 7, 8])
    with translation.override("en"):
        said = reading("Вовлечённость", test)
        counts = ngettext(
            "%(parameter)s: improved for %(improved)s of %(n)s participant",
            "%(parameter)s: improved for %(improved)s of %(n)s participants",
            8,
        ) % {"parameter": "Вовлечённость", "improved": 7, "n": 8}
    assert said.startswith(counts)
    assert "p = 0.039" in said
    assert "r = 0.83" in said

    not_significant = paired_test([1, -1, 2, -2, 3, -4, 5, 0])
    assert not not_significant.significant
    with translation.override("en"):
        said = reading("Вовлечённость", not_significant)
        verdict = gettext(
            "the change is not statistically significant (%(p)s): it may be chance."
        ) % {"p": f"p = {not_significant.p_value:.3f}"}
    assert said.endswith(verdict)
