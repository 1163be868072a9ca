"""The wear signal: has a question's score drifted upward since it was widely used?

A question that circulates (interview reports, forums, a friend who sat the same loop) gets
easier for the candidates who read about it: their scores rise while the question stays the
same. So we ask of one question's own history, in time order, whether its most recent scores
sit above its earlier ones, by more than noise and by more than a trivial amount.

The test is a change-point scan of one-sided Mann-Whitney U tests: for splits of the history
into "before" and "since" (each side at least MIN_SIDE uses; the "since" side grows from the
most recent MIN_SIDE uses by GRID_RATIO at each step), the rank-sum test that
the scores since the split tend to be higher than before, with the correction for ties and
the normal approximation (with continuity correction). Ranks rather than means because the
scores are a handful of levels on a 1-4 scale, far from normal. Every split is a test, so the
smallest p-value is multiplied by the number of splits tried (Bonferroni: conservative, since
neighbouring splits are nearly the same test, but simple and valid whatever the history). A
split counts only when the mean rose by at least MIN_RISE points, so that a large history
cannot flag a rise nobody would act on. The split kept is the one with the smallest p-value;
its first day is the day the shift starts.

Pure Python, no Django: the exposure page (through ``scoring.calibration``) and the
simulation (``bench/simulate.py``) run this very code. docs/scoring.md, "Exposure and wear".
"""

import math
from dataclasses import dataclass

MIN_SIDE = 20  # scored uses on each side of the split: below that a rank test has little power
ALPHA = 0.002  # after the correction for the splits tried: low, as every question is tested again and again
MIN_RISE = 0.3  # points on the 1-4 scale: the smallest rise worth a look (a third of an anchor)
# The splits tried: the most recent MIN_SIDE uses, then each window a quarter longer than the
# last. Every split tried costs power (the correction multiplies by their number), and next
# to each other they are nearly the same test: a geometric grid keeps a few dozen even on a
# history of thousands of uses, and still places the shift within a quarter of its distance.
GRID_RATIO = 1.25


@dataclass(frozen=True)
class Wear:
    """The verdict on one question's history and the figures it rests on. ``tested`` is
    False when the history is too short to test (fewer than 2 * MIN_SIDE scored uses); the
    other figures then describe the whole history (n) and are None. When tested but not
    flagged, the figures are those of the split that came closest (smallest p-value among
    the splits with a rise of MIN_RISE or more), or None when no split rose that much."""

    flagged: bool
    tested: bool
    n: int
    n_before: int | None = None
    n_after: int | None = None
    mean_before: float | None = None
    mean_after: float | None = None
    p_value: float | None = None  # corrected for the splits tried
    shift_day: object = None  # the day of the first use after the split, as given

    def as_dict(self):
        """A form JSON keeps (days as given: the caller passes strings or numbers)."""
        return {"flagged": self.flagged, "tested": self.tested, "n": self.n, "n_before": self.n_before,
                "n_after": self.n_after, "mean_before": self.mean_before, "mean_after": self.mean_after,
                "p_value": self.p_value, "shift_day": self.shift_day}


def midranks(values):
    """The rank of each value in the whole series (1 = lowest), tied values sharing the mean
    of their ranks, and the ties' sum of (t^3 - t) over each group of t tied values."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    ties = 0
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        shared = (start + end) / 2 + 1  # ranks start+1 .. end+1, averaged
        for k in range(start, end + 1):
            ranks[order[k]] = shared
        t = end - start + 1
        ties += t ** 3 - t
        start = end + 1
    return ranks, ties


def upper_tail(z):
    """P(Z >= z) for a standard normal Z."""
    return 0.5 * math.erfc(z / math.sqrt(2))


def mann_whitney_greater(before, after):
    """One-sided p-value that ``after`` tends to be larger than ``before`` (Mann-Whitney U,
    tie-corrected variance, normal approximation with continuity correction). 1.0 when there
    is no variation at all (every value tied). The oracle for the scan's arithmetic."""
    values = list(before) + list(after)
    n1, n2 = len(before), len(after)
    if not n1 or not n2:
        return 1.0
    ranks, ties = midranks(values)
    u_after = sum(ranks[n1:]) - n2 * (n2 + 1) / 2
    return _p_greater(u_after, n1, n2, ties)


def _p_greater(u_after, n1, n2, ties):
    n = n1 + n2
    variance = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)))
    if variance <= 0:
        return 1.0
    z = (u_after - n1 * n2 / 2 - 0.5) / math.sqrt(variance)
    return upper_tail(z)


def split_points(n):
    """The sizes of the "since" side tried on a history of n uses: MIN_SIDE, then each
    GRID_RATIO times the last (at least one more), while "before" keeps MIN_SIDE uses."""
    sizes, size = [], MIN_SIDE
    while n - size >= MIN_SIDE:
        sizes.append(size)
        size = max(size + 1, math.ceil(size * GRID_RATIO))
    return sizes


def wear(uses):
    """The verdict on one question's scored uses, ``[(day, score), ...]`` in time order
    (score: the mean of the panel's 1-4 scores in one interview; day: anything the caller
    wants back as the shift's start). See the module docstring for the test."""
    uses = list(uses)
    n = len(uses)
    if n < 2 * MIN_SIDE:
        return Wear(flagged=False, tested=False, n=n)
    # Ranks over the whole series serve every split: each split only divides the same pool,
    # so one sort and running sums from the end make the scan linear after the sort.
    scores = [round(float(score), 9) for _, score in uses]  # equal panel means tie exactly
    ranks, ties = midranks(scores)
    total_score = math.fsum(scores)
    sizes = split_points(n)
    best = None
    score_after = rank_after = 0.0
    taken = 0
    for n2 in sizes:
        for i in range(n - n2, n - taken):  # add the uses between the last split and this one
            score_after += scores[i]
            rank_after += ranks[i]
        taken = n2
        n1 = n - n2
        mean_before, mean_after = (total_score - score_after) / n1, score_after / n2
        if mean_after - mean_before < MIN_RISE:
            continue
        p = _p_greater(rank_after - n2 * (n2 + 1) / 2, n1, n2, ties)
        if best is None or p < best[0]:
            best = (p, n1, mean_before, mean_after)
    if best is None:
        return Wear(flagged=False, tested=True, n=n)
    p, k, mean_before, mean_after = best
    p = min(1.0, p * len(sizes))
    return Wear(flagged=p < ALPHA, tested=True, n=n, n_before=k, n_after=n - k, mean_before=mean_before,
                mean_after=mean_after, p_value=p, shift_day=uses[k][0])
