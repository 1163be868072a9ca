"""The calibration's sentences (scoring/readings.py) at their boundaries, and leniency's
interval (scoring/stats.py: Student's t, the clustered mean interval) on known data and as
properties."""

import math
import statistics

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from scoring import readings, stats

# --- Amounts in words ---------------------------------------------------------------------

@pytest.mark.parametrize("amount, words", [
    (0, ""), (0.124, ""), (0.125, "about a quarter of a point"), (0.374, "about a quarter of a point"),
    (0.375, "about half a point"), (0.5, "about half a point"), (0.624, "about half a point"),
    (0.625, "about three quarters of a point"), (0.874, "about three quarters of a point"),
    (0.875, "about one point"), (1.0, "about one point"), (1.249, "about one point"),
    (1.25, "about one and a half points"), (1.75, "about two points"), (2.25, "about two and a half points"),
    (2.75, "about three points"), (3.0, "about three points"), (-1.0, "about one point"),
])
def test_amounts_are_rounded_to_the_words_people_use(amount, words):
    assert readings.points_in_words(amount) == words


@given(st.floats(min_value=0, max_value=3, allow_nan=False), st.floats(min_value=0, max_value=3, allow_nan=False))
def test_a_larger_amount_never_reads_smaller(a, b):
    order = [""] + [words for _, words in readings.AMOUNT_WORDS]
    low, high = sorted((a, b))
    assert order.index(readings.points_in_words(low)) <= order.index(readings.points_in_words(high))


@given(st.floats(min_value=-3, max_value=3, allow_nan=False))
def test_the_words_do_not_depend_on_the_sign(amount):
    assert readings.points_in_words(amount) == readings.points_in_words(-amount)


# --- Leniency -------------------------------------------------------------------------------

def test_the_brief_s_example_reads_as_written():
    assert readings.leniency_sentence(name="Omar", value=1.0, questions=40, interviews=12, low=0.6, high=1.4) == (
        "Omar scores about one point higher than the people they interview with (12 shared interviews; "
        "95% interval 0.6 to 1.4).")


@pytest.mark.parametrize("low, high, reads", [
    (-0.2, 1.4, "about the same as"),  # covers 0
    (0.0, 1.4, "about the same as"),  # touches 0: cannot be told from none
    (-1.4, 0.0, "about the same as"),
    (0.01, 1.4, "about half a point higher than"),
    (-1.4, -0.01, "about half a point lower than"),
])
def test_an_interval_covering_zero_reads_about_the_same(low, high, reads):
    value = 0.5 if low >= 0 or high > 0 else -0.5
    sentence = readings.leniency_sentence(name="Omar", value=value, questions=20, interviews=6, low=low, high=high)
    assert f"Omar scores {reads} the people they interview with" in sentence


def test_a_tiny_but_clear_difference_reads_slightly():
    sentence = readings.leniency_sentence(name="Iris", value=-0.1, questions=300, interviews=90, low=-0.15, high=-0.05)
    assert sentence.startswith("Iris scores slightly lower than the people they interview with (90 shared interviews;")
    assert "95% interval −0.1 to −0.1" in sentence  # rounded as people read it, with a real minus


@pytest.mark.parametrize("value, reads", [(0.12, "about the same as"), (0.13, "about a quarter of a point higher than"),
                                          (-0.9, "about one point lower than")])
def test_without_an_interval_the_amount_alone_decides(value, reads):
    sentence = readings.leniency_sentence(name="Nadia", value=value, questions=6, interviews=2)
    assert sentence == (f"Nadia scores {reads} the people they interview with "
                        "(6 shared questions in 2 interviews; too few interviews for an interval).")


def test_it_speaks_to_the_interviewer_on_their_own_page():
    assert readings.leniency_sentence(name="Ivan", value=0.5, questions=1, interviews=1, you=True) == (
        "You score about half a point higher than the people you interview with "
        "(1 shared question in 1 interview; too few interviews for an interval).")


@given(st.floats(min_value=-3, max_value=3, allow_nan=False), st.floats(min_value=0, max_value=2, allow_nan=False))
def test_an_interval_around_the_value_reads_the_same_way_mirrored(value, half):
    low, high = value - half, value + half
    right = readings.leniency_sentence(name="A", value=value, questions=9, interviews=9, low=low, high=high)
    left = readings.leniency_sentence(name="A", value=-value, questions=9, interviews=9, low=-high, high=-low)
    assert ("about the same" in right) == ("about the same" in left) == (low <= 0 <= high)
    if not low <= 0 <= high:
        assert right.split(" than ")[0].replace("higher", "lower") == left.split(" than ")[0].replace("higher", "lower")
        assert ("higher" in right) == ("lower" in left) == (value > 0)


@given(st.floats(min_value=-3, max_value=3, allow_nan=False))
def test_a_sentence_always_says_a_direction_or_the_same(value):
    sentence = readings.leniency_sentence(name="A", value=value, questions=9, interviews=3)
    assert sum(word in sentence for word in ("higher", "lower", "about the same")) == 1


def test_an_interval_end_near_zero_keeps_a_second_decimal():
    sentence = readings.leniency_sentence(name="Ivan", value=-0.26, questions=60, interviews=23, low=-0.48, high=-0.04)
    assert sentence.endswith("(23 shared interviews; 95% interval −0.5 to −0.04).")
    assert "interval 0.0 to 0.6" in readings.leniency_sentence(name="A", value=0.3, questions=9, interviews=9, low=0,
                                                                  high=0.6)


def test_numbers_never_read_minus_zero():
    assert readings.number(-0.04) == "0.0" and readings.number(-0.06) == "−0.1"
    assert readings.signed(-0.001) == "+0.00" and readings.signed(-1.25) == "−1.25"


def test_tendencies_in_a_few_words():
    assert readings.tendency_words(0.05) == "about the same"
    assert readings.tendency_words(-0.6) == "about half a point lower"


# --- Questions ------------------------------------------------------------------------------

@pytest.mark.parametrize("mean, flag, start", [
    (3.8, "Too easy", "Nearly every candidate scores high on it (mean 3.8 of 4 over 12 scores): it may be too easy"),
    (3.0, None, "Candidates mostly do well on it"), (2.99, None, "Candidates score across the scale on it"),
    (2.0, None, "Candidates score across the scale on it"), (1.99, None, "Candidates mostly find it hard"),
    (1.2, "Too hard", "Nearly every candidate scores low on it"),
])
def test_difficulty_reads_at_its_boundaries(mean, flag, start):
    assert readings.difficulty_sentence(mean=mean, n=12, flag=flag).startswith(start)


@pytest.mark.parametrize("value, weak, start", [
    (0.4, False, "Candidates who do well on it tend to do well on the rest of the interview (r = 0.40 over 20 scorecards)"),
    (0.39, False, "Candidates who do well on it somewhat tend to"),
    (0.1, True, "It barely tracks how the rest of the interview went"),
    (-0.3, True, "It runs against the rest of the interview (r = −0.30"),
])
def test_discrimination_reads_at_its_boundaries(value, weak, start):
    assert readings.discrimination_sentence(value=value, n=20, weak=weak).startswith(start)


@pytest.mark.parametrize("value, low, start", [
    (0.8, False, "Interviewers agree closely on its scores (α = 0.80 over 7 interviews)"),
    (0.79, False, "Interviewers mostly agree"), (0.667, False, "Interviewers mostly agree"),
    (0.66, False, "Interviewers agree only moderately"), (0.3, True, "Interviewers often disagree on its scores"),
])
def test_agreement_reads_at_its_boundaries(value, low, start):
    assert readings.agreement_sentence(value=value, n=7, low=low).startswith(start)


def test_icc_is_named_as_such():
    assert "(ICC = 0.90 over 5 interviews)" in readings.agreement_sentence(value=0.9, n=5, kind="icc")


# --- Student's t and the interval ------------------------------------------------------------

@pytest.mark.parametrize("df, t", [(1, 12.7062), (2, 4.3027), (4, 2.7764), (10, 2.2281), (30, 2.0423), (120, 1.9799)])
def test_t_quantiles_match_the_table(df, t):
    assert stats.t_quantile(0.975, df) == pytest.approx(t, abs=1e-4)


def test_t_is_symmetric_and_tends_to_the_normal():
    assert stats.t_quantile(0.025, 7) == pytest.approx(-stats.t_quantile(0.975, 7))
    assert stats.t_quantile(0.975, 100_000) == pytest.approx(statistics.NormalDist().inv_cdf(0.975), abs=1e-4)
    assert stats.t_cdf(0, 3) == pytest.approx(0.5)
    with pytest.raises(ValueError):
        stats.t_quantile(1, 3)


@given(st.floats(min_value=0.51, max_value=0.999), st.integers(min_value=1, max_value=200))
def test_t_quantile_inverts_the_distribution_function(p, df):
    assert stats.t_cdf(stats.t_quantile(p, df), df) == pytest.approx(p, abs=1e-9)


@given(st.integers(min_value=1, max_value=60))
def test_fewer_degrees_of_freedom_give_wider_intervals(df):
    assert stats.t_quantile(0.975, df) > stats.t_quantile(0.975, df + 1) > statistics.NormalDist().inv_cdf(0.975)


def test_equal_interviews_give_the_t_interval_on_their_means():
    groups = [[1, 1, 1], [0, 0, 0], [2, 2, 2], [1, 1, 1], [1, 1, 1]]
    centre, low, high = stats.clustered_mean_interval(groups)
    means = [statistics.mean(g) for g in groups]
    half = stats.t_quantile(0.975, 4) * statistics.stdev(means) / math.sqrt(5)
    assert (centre, low, high) == (pytest.approx(1.0), pytest.approx(1 - half), pytest.approx(1 + half))
    assert (low, high) == (pytest.approx(0.1220, abs=1e-4), pytest.approx(1.8780, abs=1e-4))


def test_an_interval_needs_two_interviews():
    assert stats.clustered_mean_interval([[1, 2, 3]]) == (2.0, None, None)
    assert stats.clustered_mean_interval([]) is None
    assert stats.clustered_mean_interval_from_sums(1, 3, 6, 36, 18, 9) is None


def test_the_same_differences_everywhere_give_no_width():
    assert stats.clustered_mean_interval([[0.5, 0.5], [0.5], [0.5, 0.5, 0.5]]) == (
        pytest.approx(0.5), pytest.approx(0.5), pytest.approx(0.5))


groups_strategy = st.lists(st.lists(st.sampled_from([-3, -2.5, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5, 3]),
                                    min_size=1, max_size=7), min_size=2, max_size=25)


@given(groups_strategy)
@example([[-3, -3, -3, -3, -3, -0.5], [-3, -3, -3, -3, -3, -0.5]])  # identical groups: rounding noise read as width
def test_the_sums_postgresql_computes_give_the_same_interval(groups):
    centre, low, high = stats.clustered_mean_interval(groups)
    sums = [sum(g) for g in groups]
    sizes = [len(g) for g in groups]
    from_sums = stats.clustered_mean_interval_from_sums(
        len(groups), sum(sizes), sum(sums), sum(g * g for g in sums), sum(g * m for g, m in zip(sums, sizes)),
        sum(m * m for m in sizes))
    assert from_sums == (pytest.approx(low, abs=1e-9), pytest.approx(high, abs=1e-9))
    assert low <= centre <= high
