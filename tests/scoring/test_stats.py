"""scoring.stats against values worked out by hand (the arithmetic is in the comments), and
its from-sums forms against the definitions on random data.

Pure functions: no database needed."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.stats import (
    MIN_SAMPLE,
    enough,
    icc_2_1,
    icc_2_1_from_sums,
    krippendorff_alpha_interval,
    krippendorff_alpha_interval_from_sums,
    mean,
    median,
    pearson,
    pearson_from_sums,
    sd,
    sd_from_sums,
    share_agree,
    zscore,
    zscores,
)

approx = pytest.approx


# --- mean, sd, median -------------------------------------------------------------------


def test_it_takes_the_mean():
    # (2 + 4 + 6) / 3 = 12 / 3 = 4
    assert mean([2, 4, 6]) == 4
    # (1 + 2) / 2 = 1.5
    assert mean([1, 2]) == 1.5
    assert mean([]) is None


def test_it_takes_the_sample_standard_deviation():
    # [2, 4, 6]: mean 4; squared deviations 4 + 0 + 4 = 8; / (n - 1) = 8 / 2 = 4; sqrt 4 = 2
    assert sd([2, 4, 6]) == approx(2.0)
    # [1, 2, 3, 4, 5]: mean 3; squares 4 + 1 + 0 + 1 + 4 = 10; 10 / 4 = 2.5; sqrt 2.5 = 1.5811
    assert sd([1, 2, 3, 4, 5]) == approx(math.sqrt(2.5))
    # equal values: every deviation 0 -> sd 0 (not None: it is defined, just no spread)
    assert sd([3, 3, 3]) == 0


def test_it_has_no_standard_deviation_below_two_values():
    assert sd([]) is None
    assert sd([7]) is None


def test_it_takes_the_median():
    # odd count: sorted [1, 2, 3] -> middle value 2
    assert median([3, 1, 2]) == 2
    # even count: sorted [1, 2, 3, 4] -> (2 + 3) / 2 = 2.5
    assert median([4, 1, 3, 2]) == 2.5
    assert median([7]) == 7
    assert median([]) is None


# --- z-scores --------------------------------------------------------------------------


def test_it_computes_a_zscore():
    # (7 - 4) / 2 = 1.5 ; (1 - 4) / 2 = -1.5
    assert zscore(7, 4, 2) == 1.5
    assert zscore(1, 4, 2) == -1.5


def test_it_has_no_zscore_without_spread():
    assert zscore(5, 5, 0) is None
    assert zscore(5, 5, None) is None


def test_it_computes_zscores_for_a_mapping():
    # values 2, 4, 6: mean 4, sd 2 (see above) -> z = (2-4)/2 = -1, (4-4)/2 = 0, (6-4)/2 = 1
    assert zscores({"ann": 2, "bob": 4, "cy": 6}) == {"ann": -1.0, "bob": 0.0, "cy": 1.0}


def test_it_gives_none_zscores_when_sd_is_none_or_zero():
    # one value: sd undefined
    assert zscores({"ann": 3}) == {"ann": None}
    # all equal: sd 0
    assert zscores({"ann": 3, "bob": 3}) == {"ann": None, "bob": None}
    assert zscores({}) == {}


# --- Pearson ----------------------------------------------------------------------------


def test_it_computes_pearson_by_hand():
    # xs = 1, 2, 3, 4 (mean 2.5) -> dx = -1.5, -0.5, 0.5, 1.5
    # ys = 2, 1, 4, 3 (mean 2.5) -> dy = -0.5, -1.5, 1.5, 0.5
    # sum dx*dy = 0.75 + 0.75 + 0.75 + 0.75 = 3
    # sum dx^2 = 2.25 + 0.25 + 0.25 + 2.25 = 5 ; sum dy^2 = 5 likewise
    # r = 3 / sqrt(5 * 5) = 3 / 5 = 0.6
    assert pearson([1, 2, 3, 4], [2, 1, 4, 3]) == approx(0.6)
    # perfectly linear, opposite direction
    assert pearson([1, 2, 3], [6, 4, 2]) == approx(-1.0)


def test_it_is_point_biserial_with_a_zero_one_variable():
    # xs = 0, 0, 1, 1 (mean 0.5) -> dx = -0.5, -0.5, 0.5, 0.5 ; sum dx^2 = 4 * 0.25 = 1
    # ys = 1, 2, 3, 6 (mean 3)   -> dy = -2, -1, 0, 3          ; sum dy^2 = 4 + 1 + 0 + 9 = 14
    # sum dx*dy = 1 + 0.5 + 0 + 1.5 = 3
    # r = 3 / sqrt(1 * 14) = 3 / 3.7417 = 0.8018
    assert pearson([0, 0, 1, 1], [1, 2, 3, 6]) == approx(3 / math.sqrt(14))


def test_it_has_no_pearson_on_too_few_pairs_or_no_variance():
    assert pearson([], []) is None
    assert pearson([1, 2], [3, 4]) is None  # 2 pairs < 3
    assert pearson([1, 1, 1], [1, 2, 3]) is None  # no variance in x
    assert pearson([1, 2, 3], [5, 5, 5]) is None  # no variance in y


def test_it_refuses_unpaired_values_for_pearson():
    with pytest.raises(ValueError):
        pearson([1, 2, 3], [1, 2])


# --- ICC(2,1) ---------------------------------------------------------------------------


def test_it_reproduces_shrout_and_fleiss_icc_2_1():
    # Shrout & Fleiss (1979), Table 2: 6 targets x 4 judges; they report ICC(2,1) = .29.
    # Row sums 24, 12, 26, 16, 30, 19 = 127; grand mean G = 127 / 24 = 5.2917
    # Row means 6, 3, 6.5, 4, 7.5, 4.75; column means 46/6, 15/6, 26/6, 40/6
    # SS total = 4055/24 = 168.958 ; SSR = 1349/24 = 56.208 ; SSC = 2339/24 = 97.458
    # SSE = (4055 - 1349 - 2339)/24 = 367/24
    # MSR = SSR/5 = 11.242 ; MSC = SSC/3 = 32.486 ; MSE = SSE/15 = 1.019
    #   (the paper's BMS 11.24, JMS 32.49, EMS 1.02)
    # ICC = (11.242 - 1.019) / (11.242 + 3 * 1.019 + 4 * (32.486 - 1.019) / 6)
    #     exactly, times 360: (4047 - 367) / (4047 + 1101 + 7552) = 3680 / 12700 = 0.28976
    matrix = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    assert round(icc_2_1(matrix), 2) == 0.29
    assert icc_2_1(matrix) == approx(3680 / 12700)


def test_it_computes_icc_2_1_on_a_small_matrix_by_hand():
    # 3 subjects x 2 raters:   rater1 rater2 | row mean
    #   subject 1                 1      2    |  1.5
    #   subject 2                 3      5    |  4
    #   subject 3                 5      5    |  5
    #   column mean               3      4    |  G = 21 / 6 = 3.5
    # SSR = k * sum (row mean - G)^2 = 2 * ((-2)^2 + 0.5^2 + 1.5^2) = 2 * 6.5 = 13
    # SSC = n * sum (col mean - G)^2 = 3 * ((-0.5)^2 + 0.5^2) = 3 * 0.5 = 1.5
    # SS total = sum (x - 3.5)^2 = 6.25 + 2.25 + 0.25 + 2.25 + 2.25 + 2.25 = 15.5
    # SSE = 15.5 - 13 - 1.5 = 1
    # MSR = 13 / (n-1) = 13 / 2 = 6.5
    # MSC = 1.5 / (k-1) = 1.5 / 1 = 1.5
    # MSE = 1 / ((n-1)(k-1)) = 1 / 2 = 0.5
    # ICC = (6.5 - 0.5) / (6.5 + 1 * 0.5 + 2 * (1.5 - 0.5) / 3) = 6 / (7 + 2/3) = 18/23 = 0.7826
    assert icc_2_1([[1, 2], [3, 5], [5, 5]]) == approx(18 / 23)


def test_it_gives_icc_one_for_identical_raters():
    # raters agree exactly: MSC = 0, MSE = 0 -> ICC = MSR / MSR = 1
    assert icc_2_1([[1, 1], [2, 2], [4, 4]]) == approx(1.0)


def test_it_has_no_icc_when_undefined():
    assert icc_2_1([]) is None
    assert icc_2_1([[1, 2, 3]]) is None  # n = 1 subject
    assert icc_2_1([[1], [2], [3]]) is None  # k = 1 rater
    # every cell equal: MSR = MSC = MSE = 0 -> denominator 0
    assert icc_2_1([[3, 3], [3, 3], [3, 3]]) is None


def test_it_refuses_a_ragged_icc_matrix():
    with pytest.raises(ValueError):
        icc_2_1([[1, 2], [3]])


# --- Krippendorff's alpha (interval) ------------------------------------------------------


def test_it_computes_krippendorff_alpha_by_hand():
    # 4 units, up to 3 raters, some ratings missing:
    #   u1 = [1, 2]    (third rater missing)
    #   u2 = [3, 3, 4]
    #   u3 = [2, 4]
    #   u4 = [5]       one rating: not pairable, dropped
    # Pairable values: 1, 2, 3, 3, 4, 2, 4 -> n = 7
    #
    # D_o = (1/n) sum_u 1/(m_u - 1) * sum over ordered pairs i != j in u of (v_i - v_j)^2
    #   u1: (1,2),(2,1) -> 1 + 1 = 2 ; / (2 - 1) = 2
    #   u2: (3,3) twice -> 0 ; each 3 with the 4, both orders -> 4 pairs * 1 = 4 ; / (3 - 1) = 2
    #   u3: (2,4),(4,2) -> 4 + 4 = 8 ; / (2 - 1) = 8
    #   D_o = (2 + 2 + 8) / 7 = 12/7
    #
    # D_e = (1/(n(n-1))) sum over ordered pairs of all 7 values of (v_c - v_k)^2
    #   values sorted 1, 2, 2, 3, 3, 4, 4; unordered pairs:
    #     1 with 2,2: 1 + 1 = 2 ; 1 with 3,3: 4 + 4 = 8 ; 1 with 4,4: 9 + 9 = 18   -> 28
    #     2s with 3s: 4 pairs * 1 = 4 ; 2s with 4s: 4 pairs * 4 = 16             -> 20
    #     3s with 4s: 4 pairs * 1 = 4 ; equal pairs (2,2),(3,3),(4,4): 0           -> 4
    #     unordered total 52 -> ordered total 104
    #   D_e = 104 / (7 * 6) = 104/42 = 52/21
    #
    # alpha = 1 - (12/7) / (52/21) = 1 - (12 * 21) / (7 * 52) = 1 - 36/52 = 1 - 9/13 = 4/13
    #       = 0.3077
    assert krippendorff_alpha_interval([[1, 2], [3, 3, 4], [2, 4], [5]]) == approx(4 / 13)


def test_it_ignores_a_unit_with_one_rating():
    with_single = krippendorff_alpha_interval([[1, 2], [3, 3, 4], [2, 4], [5]])
    without = krippendorff_alpha_interval([[1, 2], [3, 3, 4], [2, 4]])
    assert with_single == without
    # an empty unit is dropped too
    assert krippendorff_alpha_interval([[1, 2], [3, 3, 4], [2, 4], []]) == without


def test_it_reproduces_krippendorffs_published_interval_example():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 observers x 12
    # units with missing data; the published interval alpha is 0.849. Unit 12 has one value.
    a = [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None]
    b = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3]
    c = [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None]
    d = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]
    units = [[v for v in unit if v is not None] for unit in zip(a, b, c, d)]
    assert round(krippendorff_alpha_interval(units), 3) == 0.849


def test_it_gives_alpha_one_for_perfect_agreement():
    # every unit's values agree: D_o = 0, D_e > 0 -> alpha = 1 - 0 = 1
    assert krippendorff_alpha_interval([[1, 1], [3, 3, 3], [4, 4]]) == 1.0


def test_it_has_no_alpha_when_everyone_gave_the_same_value():
    # all values 2: D_e = 0 -> alpha undefined (no variation to agree on), not 1
    assert krippendorff_alpha_interval([[2, 2], [2, 2, 2]]) is None


def test_it_has_no_alpha_without_pairable_values():
    assert krippendorff_alpha_interval([]) is None
    assert krippendorff_alpha_interval([[1], [2], [3]]) is None


# --- agreement, minimum samples ---------------------------------------------------------


def test_it_shares_agreement_between_recommendation_and_decision():
    # 4 pairs, agree on (True, True), (False, False), (True, True); disagree on (True, False)
    # share = 3 / 4 = 0.75
    pairs = [(True, True), (False, False), (True, False), (True, True)]
    assert share_agree(pairs) == 0.75
    assert share_agree([]) is None


def test_it_shares_agreement_with_a_custom_test():
    # "yes"/"strong_yes" recommend hiring; the decision is "hire" or "reject"
    def agree(recommendation, decision):
        return (recommendation in {"yes", "strong_yes"}) == (decision == "hire")

    pairs = [("strong_yes", "hire"), ("no", "hire"), ("strong_no", "reject")]
    # agree, disagree, agree -> 2 / 3
    assert share_agree(pairs, agree=agree) == approx(2 / 3)


def test_it_says_whether_a_sample_is_enough():
    assert MIN_SAMPLE["mean"] == 5
    assert MIN_SAMPLE["correlation"] == 10
    assert MIN_SAMPLE["icc"] == 5 and MIN_SAMPLE["alpha"] == 5
    assert MIN_SAMPLE["leniency"] == 5
    assert enough(5, "mean") and not enough(4, "mean")
    assert enough(10, "correlation") and not enough(9, "correlation")
    assert not enough(None, "icc")
    with pytest.raises(KeyError):
        enough(100, "no-such-figure")


# --- The same figures from sums (calibration stores sums per slice of interviews) ---------

scores_1_to_4 = st.integers(min_value=1, max_value=4).map(float)


@given(st.lists(scores_1_to_4, max_size=30))
def test_it_takes_the_standard_deviation_from_sums(values):
    expected = sd(values)
    got = sd_from_sums(len(values), sum(values), sum(v * v for v in values))
    assert got == (None if expected is None else approx(expected, abs=1e-9))


@given(st.lists(st.tuples(scores_1_to_4, st.sampled_from([0.0, 1.0, 2.5, 3.0])), max_size=30))
def test_it_takes_pearson_from_sums(pairs):
    xs, ys = [x for x, _ in pairs], [y for _, y in pairs]
    sums = (len(pairs), sum(xs), sum(ys), sum(x * y for x, y in pairs), sum(x * x for x in xs), sum(y * y for y in ys))
    expected = pearson(xs, ys)
    assert pearson_from_sums(*sums) == (None if expected is None else approx(expected, abs=1e-9))


@given(st.integers(min_value=2, max_value=4).flatmap(
    lambda k: st.lists(st.lists(scores_1_to_4, min_size=k, max_size=k), min_size=1, max_size=12)))
def test_it_takes_icc_2_1_from_sums(matrix):
    n, k = len(matrix), len(matrix[0])
    cells = [x for row in matrix for x in row]
    got = icc_2_1_from_sums(n, k, sum(cells), sum(x * x for x in cells), sum(sum(row) ** 2 for row in matrix),
                            [sum(row[j] for row in matrix) for j in range(k)])
    expected = icc_2_1(matrix)
    assert got == (None if expected is None else approx(expected, abs=1e-9))


def test_it_refuses_icc_sums_with_a_total_per_rater_missing():
    with pytest.raises(ValueError):
        icc_2_1_from_sums(3, 2, 12.0, 30.0, 50.0, [6.0])


@given(st.lists(st.lists(scores_1_to_4, min_size=1, max_size=4), max_size=12))
def test_it_takes_krippendorff_alpha_from_sums(units):
    pairable = [unit for unit in units if len(unit) > 1]
    values = [v for unit in pairable for v in unit]
    within = sum(2 * len(u) * (sum(v * v for v in u) - sum(u) ** 2 / len(u)) / (len(u) - 1) for u in pairable)
    got = krippendorff_alpha_interval_from_sums(len(values), within, sum(values), sum(v * v for v in values))
    expected = krippendorff_alpha_interval(units)
    assert got == (None if expected is None else approx(expected, abs=1e-9))
