"""Which question of a pool a candidate gets: ``pool_pick``, a pure function of plain values
(no ORM), so scheduling (services.interview_schedule) and the simulation (bench/simulate.py)
choose by the same rules. The rules, in order (docs/scoring.md, "Question pools"):

1. never a question the candidate was asked in an earlier interview;
2. under the position's exposure cap (uses in the 90 days before the interview) when any
   option is; when none is, the least used, and the note says so;
3. difficulty balanced: the options whose mean score (known only from MIN_SAMPLE["mean"]
   scores on) is within DIFFICULTY_TOLERANCE of the pool's average known mean; an option
   without enough scores counts as average; when none is within it, the closest;
4. the fewest uses in the 90 days;
5. a stable spread by candidate: ties go round by ``spread`` (the candidate's id), so two
   candidates scheduled one after the other get different questions when they can.
"""

from dataclasses import dataclass
from statistics import fmean

# The uses that count against the cap: the 90 days before the interview.
EXPOSURE_DAYS = 90
# A mean score counts as a question's difficulty from this many scores on: scoring's minimum
# for showing a mean (scoring/stats.py MIN_SAMPLE["mean"]; interviews sits below scoring, so
# the figure is repeated here and tests/interviews/test_pools.py checks they agree).
MIN_DIFFICULTY_SAMPLE = 5
# Mean scores (1 to 4) this close to the pool's average count as the same difficulty: about
# what two raters differ by on one answer, so a smaller gap is noise, not difficulty.
DIFFICULTY_TOLERANCE = 0.25


@dataclass(frozen=True)
class Option:
    """One question of a pool as the choice sees it. ``difficulty`` is its mean score, or None
    when it has fewer scores than the minimum sample (then it counts as the pool's average)."""

    key: int
    title: str = ""
    seen: bool = False
    uses: int = 0
    difficulty: float | None = None


@dataclass(frozen=True)
class Pick:
    option: Option
    note: str


def _plural(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


def pool_pick(*, options, cap=None, spread=0, tolerance=DIFFICULTY_TOLERANCE, who="the candidate"):
    """The option the candidate gets and why, in one short sentence; None when the candidate
    was asked every option already (scheduling refuses then). ``options``: ``Option``s, the
    pool's questions in order; ``cap``: uses per 90 days, None for no cap; ``spread``: any
    integer that differs between candidates (their id); ``who``: the candidate's name, for
    the note."""
    options = list(options)
    fresh = [o for o in options if not o.seen]
    if not fresh:
        return None
    reasons = []
    seen = len(options) - len(fresh)
    if seen:
        reasons.append(f"{who} had {_plural(seen, 'other')} before")

    choices = fresh
    if cap is not None:
        under = [o for o in fresh if o.uses < cap]
        if under:
            choices = under
        else:
            least = min(o.uses for o in fresh)
            choices = [o for o in fresh if o.uses == least]
            reasons.append(f"every question {who} has not had is at the cap of {_plural(cap, 'use')} in {EXPOSURE_DAYS} days, "
                           "so the least used")

    known = [o.difficulty for o in options if o.difficulty is not None]
    if known and len(choices) > 1:
        target = fmean(known)
        gaps = {o.key: abs((target if o.difficulty is None else o.difficulty) - target) for o in choices}
        close = [o for o in choices if gaps[o.key] <= tolerance]
        if not close:
            nearest = min(gaps.values())
            close = [o for o in choices if gaps[o.key] == nearest]
        if len(close) < len(choices):
            reasons.append(f"closest to the pool's mean score of {target:.1f}")
        choices = close

    fewest = min(o.uses for o in choices)
    choices = sorted((o for o in choices if o.uses == fewest), key=lambda o: o.key)
    chosen = choices[spread % len(choices)]

    use_words = "not asked" if chosen.uses == 0 else f"asked in {_plural(chosen.uses, 'interview')}"
    cap_words = f" (cap {cap})" if cap is not None else ""
    reasons.insert(0, f"{use_words} in the last {EXPOSURE_DAYS} days{cap_words}")
    note = f"Chosen from a pool of {len(options)}: " + "; ".join(reasons) + "."
    return Pick(option=chosen, note=note[:300])
