"""The qualification rule (questionbank/practice.py): at least 5 samples scored, at least 80%
exactly, every one within 1. Known cases at each boundary, then properties over any scores."""

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questionbank.practice import EXACT_SHARE, MAX_OFF, MIN_SAMPLES, standing

EXACT, ONE_OFF, TWO_OFF = (3, 3), (2, 3), (1, 3)


@pytest.mark.parametrize("pairs,qualified,label", [
    ([], False, "Not started"),
    ([EXACT] * 4, False, "4 of 5 scored"),  # all exact, but fewer than five
    ([EXACT] * 5, True, "Qualified"),
    ([EXACT] * 4 + [ONE_OFF], True, "Qualified"),  # 4 of 5 is exactly 80%
    ([EXACT] * 3 + [ONE_OFF] * 2, False, "3 of 5 exact"),  # 60%
    ([EXACT] * 7 + [ONE_OFF] * 2, False, "7 of 9 exact"),  # 77.8%
    ([EXACT] * 8 + [ONE_OFF] * 2, True, "Qualified"),  # 80% of ten
    ([EXACT] * 9 + [TWO_OFF], False, "1 more than 1 off"),  # 90%, but one two off
    ([(4, 1)] + [EXACT] * 9, False, "1 more than 1 off"),
])
def test_known_cases(pairs, qualified, label):
    result = standing(pairs)
    assert result.qualified is qualified
    assert result.label == label


def test_the_states_follow_the_scores():
    assert standing([]).state == "not_started"
    assert standing([EXACT]).state == "in_progress"
    assert standing([EXACT] * 5).state == "qualified"


def test_the_constants_are_the_issues():
    assert (MIN_SAMPLES, EXACT_SHARE, MAX_OFF) == (5, Fraction(4, 5), 1)


pair = st.tuples(st.integers(1, 4), st.integers(1, 4))
# The test machines share their cores with PostgreSQL and other runs: generating 40 pairs can
# take longer than hypothesis's one-second health check without anything being wrong.
relaxed = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)


@relaxed
@given(st.lists(pair, max_size=40))
def test_qualified_is_exactly_the_rule_written_out(pairs):
    n = len(pairs)
    exact = sum(1 for s, r in pairs if s == r)
    within = all(abs(s - r) <= 1 for s, r in pairs)
    assert standing(pairs).qualified == (n >= 5 and within and exact / n >= 0.8 - 1e-12 if n else False)


@relaxed
@given(st.lists(pair, max_size=40))
def test_order_does_not_matter(pairs):
    assert standing(pairs) == standing(list(reversed(pairs)))


@relaxed
@given(st.lists(pair, min_size=5, max_size=40))
def test_one_score_two_or_more_off_always_disqualifies(pairs):
    assert not standing(pairs + [(1, 3)]).qualified
    assert not standing(pairs + [(4, 1)]).qualified


@relaxed
@given(st.lists(pair, max_size=40))
def test_an_exact_score_added_never_takes_a_qualification_away(pairs):
    if standing(pairs).qualified:
        assert standing(pairs + [(2, 2)]).qualified


@relaxed
@given(st.integers(5, 60), st.data())
def test_the_80_percent_boundary(n, data):
    """With every score within one, n samples qualify exactly when at least ceil(0.8 n) are exact."""
    exact = data.draw(st.integers(0, n))
    pairs = [EXACT] * exact + [ONE_OFF] * (n - exact)
    assert standing(pairs).qualified == (exact * 5 >= n * 4)


@relaxed
@given(st.lists(st.integers(1, 4), min_size=0, max_size=4))
def test_fewer_than_five_never_qualify_even_if_all_exact(scores):
    assert not standing([(s, s) for s in scores]).qualified
