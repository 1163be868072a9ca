"""scoring.wear: the rank test against values worked out by hand, and the scan's promises as
properties (no flag below the minimum sample, none on a flat or falling history, a planted
jump found at its day). Pure functions: no database needed."""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import wear as wear_module
from scoring.wear import (
    ALPHA,
    MIN_RISE,
    MIN_SIDE,
    mann_whitney_greater,
    midranks,
    split_points,
    upper_tail,
    wear,
)

approx = pytest.approx
levels = st.sampled_from([1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0])  # panel means of two 1-4 scores


def test_midranks_share_the_mean_rank_of_ties():
    # values 2, 1, 2, 3: sorted 1 (rank 1), 2, 2 (ranks 2 and 3, so 2.5 each), 3 (rank 4);
    # one group of two ties: 2^3 - 2 = 6
    assert midranks([2, 1, 2, 3]) == ([2.5, 1.0, 2.5, 4.0], 6)


def test_the_rank_test_without_ties():
    # after's ranks 4 + 5 + 6 = 15, U = 15 - 3*4/2 = 9; mean n1 n2 / 2 = 4.5;
    # variance 3*3/12 * 7 = 5.25; z = (9 - 4.5 - 0.5) / sqrt(5.25) = 1.7457; P(Z >= z) = 0.0404
    assert mann_whitney_greater([1, 2, 3], [4, 5, 6]) == approx(0.04043, abs=1e-5)


def test_the_rank_test_with_ties():
    # values 1 1 2 | 2 3 3: midranks 1.5 1.5 3.5 | 3.5 5.5 5.5; after's sum 14.5, U = 8.5;
    # ties 2 groups of 2 and one of 2: 3 * (8 - 2) = 18; variance 0.75 * (7 - 18/30) = 4.8;
    # z = (8.5 - 4.5 - 0.5) / sqrt(4.8) = 1.5975; P(Z >= z) = 0.0551
    assert mann_whitney_greater([1, 1, 2], [2, 3, 3]) == approx(0.05507, abs=1e-5)


def test_the_rank_test_says_1_when_everything_ties():
    assert mann_whitney_greater([2, 2, 2], [2, 2]) == 1.0


def test_the_normal_tail():
    assert upper_tail(0) == 0.5
    assert upper_tail(1.959964) == approx(0.025, abs=1e-6)


def test_it_does_not_test_a_short_history():
    result = wear([(day, 4.0 if day > 10 else 1.0) for day in range(2 * MIN_SIDE - 1)])
    assert (result.flagged, result.tested, result.n, result.p_value) == (False, False, 2 * MIN_SIDE - 1, None)


def test_the_splits_tried_grow_by_a_quarter_from_the_most_recent_uses():
    # since-sides of 20, 25, 32 (31.25 up), 40, 50, 63 (62.5 up); each leaves 20 before
    assert split_points(2 * MIN_SIDE - 1) == []
    assert split_points(40) == [20]
    assert split_points(83) == [20, 25, 32, 40, 50, 63]


def test_it_finds_a_clear_jump_and_its_day():
    # 40 uses alternating 3 and 2 (mean 2.5), then 40 alternating 4 and 3 (mean 3.5): the
    # split with 40 since (a point of the grid) is the jump.
    uses = [(day, 2.0 + (day + 1) % 2) for day in range(40)] + [(day, 4.0 - day % 2) for day in range(40, 80)]
    result = wear(uses)
    assert result.flagged and result.tested
    assert (result.n_before, result.n_after, result.shift_day) == (40, 40, 40)
    assert (result.mean_before, result.mean_after) == (approx(2.5), approx(3.5))
    assert result.p_value < 1e-6


def test_the_p_value_is_the_best_splits_times_the_splits_tried():
    uses = [(day, 2.0 + (day + 1) % 2) for day in range(40)] + [(day, 4.0 - day % 2) for day in range(40, 80)]
    before, after = [s for _, s in uses[:40]], [s for _, s in uses[40:]]
    splits = len(split_points(80))  # 20, 25, 32, 40, 50: five
    assert splits == 5
    assert wear(uses).p_value == approx(min(1.0, mann_whitney_greater(before, after) * splits))


def test_a_rise_below_the_minimum_effect_is_not_flagged_however_many_uses():
    # 2,000 uses each side: a rise of 0.2 points is certain but too small to act on.
    rng = random.Random(1)
    low = [(d, rng.choice([2.0, 3.0]) - 0.1) for d in range(2000)]
    high = [(d, s + 0.2) for d, s in ((d, rng.choice([2.0, 3.0]) - 0.1) for d in range(2000, 4000))]
    result = wear(low + high)
    assert result.tested and not result.flagged
    assert MIN_RISE > 0.2


def test_it_returns_json_friendly_figures():
    uses = [(f"2026-01-{d % 28 + 1:02d}", 2.0) for d in range(40)] + [(f"2026-03-{d:02d}", 4.0) for d in range(1, 26)]
    figures = wear(uses).as_dict()
    assert figures["flagged"] is True and figures["shift_day"] == "2026-03-01"
    assert set(figures) == {"flagged", "tested", "n", "n_before", "n_after", "mean_before", "mean_after", "p_value",
                            "shift_day"}


@given(st.lists(levels, max_size=2 * MIN_SIDE - 1))
def test_no_flag_below_the_minimum_sample(scores):
    assert not wear(enumerate(scores)).flagged


@given(levels, st.integers(min_value=0, max_value=300))
def test_a_constant_history_never_flags(score, n):
    result = wear([(d, score) for d in range(n)])
    assert not result.flagged


@settings(max_examples=50)
@given(st.integers(min_value=MIN_SIDE, max_value=80), st.integers(min_value=MIN_SIDE, max_value=80),
       st.integers(min_value=0, max_value=2**32))
def test_a_big_planted_jump_is_found_near_its_day(before, after, seed):
    rng = random.Random(seed)  # honest noise: hypothesis's own randoms shrink towards a pathological series
    # Scores around 2 (1, 2 or 3), then around 3.5 (3 or 4): a rise of about 1.5 points.
    uses = [(d, float(rng.choice([1, 2, 2, 3]))) for d in range(before)]
    uses += [(d, float(rng.choice([3, 4]))) for d in range(before, before + after)]
    result = wear(uses)
    assert result.flagged and result.p_value < ALPHA
    # placed at a split of the grid near the jump: within a quarter of the since-side, and noise
    assert abs(result.shift_day - before) <= max(10, (after * 0.25) + 5)


@settings(max_examples=50)
@given(st.integers(min_value=MIN_SIDE, max_value=80), st.integers(min_value=MIN_SIDE, max_value=80),
       st.integers(min_value=0, max_value=2**32))
def test_a_shift_down_is_not_a_leak(before, after, seed):
    rng = random.Random(seed)  # random noise around each level (an ordered run of 3s then 4s would be a rise)
    uses = [(d, float(rng.choice([3, 4]))) for d in range(before)]
    uses += [(d, float(rng.choice([1, 2, 2, 3]))) for d in range(before, before + after)]
    assert not wear(uses).flagged


@settings(max_examples=30)
@given(st.lists(levels, min_size=2 * MIN_SIDE, max_size=120))
def test_the_scan_matches_the_rank_test_at_its_split(scores):
    # Whatever split the scan keeps, its p-value is the plain test's at that split, corrected.
    result = wear(enumerate(scores))
    if result.p_value is None:
        return
    k = result.n_before
    plain = mann_whitney_greater([round(s, 9) for s in scores[:k]], scores[k:])
    assert result.n_after in split_points(len(scores))
    assert result.p_value == approx(min(1.0, plain * len(split_points(len(scores)))))
    assert result.mean_after - result.mean_before >= MIN_RISE - 1e-9
    assert math.isclose(result.mean_before, sum(scores[:k]) / k)


def test_the_constants_are_stated():
    assert wear_module.GRID_RATIO == 1.25
    assert (wear_module.MIN_SIDE, wear_module.ALPHA, wear_module.MIN_RISE) == (20, 0.002, 0.3)
