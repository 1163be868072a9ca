"""A year of hiring, simulated twice: with one fixed plan, and with the controls of issue 17.

    python bench/simulate.py [--seed 17] [--candidates 800] [--json]     (make simulate)

Candidates with a known ability are interviewed on five questions by a panel of two; the
same candidates, interviewers and questions go through two settings:

- fixed: one plan, the same five questions in every interview; untrained interviewers; the
  decision from the raw mean score;
- controlled: each of the five questions is a pool of interchangeable ones, resolved per
  interview by the pools' rules under an exposure cap (``choose_question``); qualified
  interviewers (frame-of-reference practice: less leniency spread and noise); the decision
  from scores normalised per interviewer (the comparison page's rule, ``scoring.stats``); and
  the wear signal (``scoring.wear``) run every week, a flagged question taken out of its pool.

On a known day a leak is planted: the question asked most often so far is posted online, and
so is every question asked more than LEAK_EXPOSURE times in the 90 days before; from then on
a share of candidates has read it and answers it better. The figures printed per setting:
decision accuracy (the share of hire / no-hire decisions that match the truth: ability above
the bar), max exposure (the most uses of one question in any 90-day window) and the days from
the leak to its first detection (null: never detected; the fixed setting does not look).

Pure Python (``random`` with a seed, ``math``, and scoring.stats and scoring.wear, which import no Django); the same
seed prints the same output. The model and every assumption: docs/scoring.md, "The simulation".
"""

import argparse
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on sys.path: put the project's root there.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

# The app's own rules, all pure Python (no Django is imported): the pools' choice, the
# statistics and the wear signal.
from interviews.pools import Option, pool_pick
from scoring import stats
from scoring.wear import wear

# --- The model's parameters (docs/scoring.md, "The simulation", says where each comes from) ---
DAYS = 365
CANDIDATES = 800  # interviewed over the year, one interview each, on days drawn uniformly
HIRE_SHARE = 0.30  # the bar: the ability above which 30% of candidates lie
SLOTS = 5  # questions per interview, one per competency
POOL_SIZE = 8  # interchangeable questions per pool (controlled)
INTERVIEWERS, PANEL = 12, 2
DIFFICULTY_SD = 0.5  # question difficulty, on the ability scale
ANSWER_SD = 0.5  # how a candidate's answer to one question strays from their ability (both panelists hear it)
# Interviewers, on the same latent scale: a leniency (their personal offset, drawn once) and
# noise on every score. Qualified interviewers (frame-of-reference practice, market scan §4.3)
# score more accurately; the sizes are our assumption, in the direction the training
# literature reports (Roch et al. 2012: FOR training improves rating accuracy).
UNTRAINED = {"leniency_sd": 0.5, "noise_sd": 0.8}
QUALIFIED = {"leniency_sd": 0.25, "noise_sd": 0.5}
ANCHORS = (-1.0, 0.0, 1.0)  # latent cut points between the 1-4 anchors
EXPOSURE_CAP = 40  # uses per 90 days (controlled)
WINDOW_DAYS = 90
LEAK_DAY = 120
LEAK_EXPOSURE = 60  # a question asked more than this in 90 days has been posted by the leak day
LEAK_REACH = 0.6  # share of later candidates who read a leaked question
LEAK_BOOST = 2.0  # on the latent scale: two anchors up for a reader; about 0.7 points on average
WEAR_EVERY = 7  # days between two runs of the wear signal (controlled)
DIFFICULTY_MIN_USES = stats.MIN_SAMPLE["mean"]  # calibration shows a question's mean from 5 scores


@dataclass
class Question:
    id: int
    slot: int
    difficulty: float
    days: list = field(default_factory=list)  # the day of every use, in order
    panel_means: list = field(default_factory=list)  # (day, the panel's mean score) per use
    leaked_from: int | None = None
    retired_on: int | None = None

    def uses_since(self, day):
        return sum(1 for d in self.days if d > day)


@dataclass(frozen=True)
class World:
    """What both settings share: the people and the questions, drawn once from the seed."""

    abilities: list  # per candidate
    days: list  # the interview day per candidate, sorted
    answers: list  # per candidate, per question id: how their answer strays (drawn when needed)
    panels: list  # per candidate, the interviewers' indices
    leniency_z: list  # per interviewer, a standard normal scaled by the setting
    difficulties: list  # per question id (SLOTS * POOL_SIZE); the fixed plan uses each slot's first
    seed: int


def make_world(seed, candidates):
    rng = random.Random(seed)
    n_questions = SLOTS * POOL_SIZE
    return World(
        abilities=[rng.gauss(0, 1) for _ in range(candidates)],
        days=sorted(rng.randrange(DAYS) for _ in range(candidates)),
        answers=[[rng.gauss(0, ANSWER_SD) for _ in range(n_questions)] for _ in range(candidates)],
        panels=[rng.sample(range(INTERVIEWERS), PANEL) for _ in range(candidates)],
        leniency_z=[rng.gauss(0, 1) for _ in range(INTERVIEWERS)],
        difficulties=[rng.gauss(0, DIFFICULTY_SD) for _ in range(n_questions)],
        seed=seed,
    )


def anchor(latent):
    """The 1-4 score of a latent answer quality: 1 + the number of cut points below it."""
    return 1 + sum(1 for cut in ANCHORS if latent >= cut)


def choose_question(*, options, seen, day, cap, candidate):
    """One question of a pool for one interview, chosen by the app's own rules
    (``interviews.pools.pool_pick``: never one the candidate saw; under the exposure cap when
    any option is, uses counted over the last 90 days; the difficulty closest to the pool's
    average, from the calibration mean once it rests on enough scores; the fewest uses; a
    stable spread by candidate). Here each candidate has one interview, so nothing is seen."""
    picks = [Option(key=q.id, seen=q.id in seen, uses=q.uses_since(day - WINDOW_DAYS),
                    difficulty=stats.mean(m for _, m in q.panel_means) if stats.enough(len(q.panel_means), "mean") else None)
             for q in options]
    pick = pool_pick(options=picks, cap=cap, spread=candidate)
    chosen = pick.option.key if pick else picks[0].key
    return next(q for q in options if q.id == chosen)


def max_exposure(questions):
    """The most uses of one question in any WINDOW_DAYS-day window (two pointers over its days)."""
    best = 0
    for q in questions:
        start = 0
        for end, day in enumerate(q.days):
            while day - q.days[start] >= WINDOW_DAYS:
                start += 1
            best = max(best, end - start + 1)
    return best


def run(world, *, controlled):
    """One setting over the year; returns its figures."""
    rng = random.Random(world.seed * 2 + controlled)  # the noise of the scores, per setting
    people = QUALIFIED if controlled else UNTRAINED
    leniency = [z * people["leniency_sd"] for z in world.leniency_z]
    questions = [Question(id=i, slot=i // POOL_SIZE, difficulty=d) for i, d in enumerate(world.difficulties)]
    pools = [[q for q in questions if q.slot == slot] for slot in range(SLOTS)]
    fixed_plan = [pool[0] for pool in pools]
    by_interviewer = [[] for _ in range(INTERVIEWERS)]  # every score an interviewer gave: the z baseline
    interviews = []  # per candidate: [(interviewer, score)]
    leaked, detected_on, false_alarms = False, None, 0
    next_wear = WEAR_EVERY

    for candidate, day in enumerate(world.days):
        if not leaked and day >= LEAK_DAY:
            leaked = True
            most = max(questions, key=lambda q: (len(q.days), -q.id))
            for q in questions:
                if q is most or q.uses_since(LEAK_DAY - WINDOW_DAYS) > LEAK_EXPOSURE:
                    q.leaked_from = LEAK_DAY
        while controlled and day >= next_wear:
            for q in questions:
                if q.retired_on is None and wear(q.panel_means).flagged:
                    q.retired_on = next_wear
                    if q.leaked_from is not None and detected_on is None:
                        detected_on = next_wear
                    false_alarms += q.leaked_from is None
            next_wear += WEAR_EVERY
        if controlled:
            asked = []
            for pool in pools:
                active = [q for q in pool if q.retired_on is None] or pool  # an emptied pool keeps its options
                asked.append(choose_question(options=active, seen=set(), day=day, cap=EXPOSURE_CAP,
                                             candidate=candidate))
        else:
            asked = fixed_plan
        scores = []
        for q in asked:
            latent = world.abilities[candidate] - q.difficulty + world.answers[candidate][q.id]
            if q.leaked_from is not None and rng.random() < LEAK_REACH:
                latent += LEAK_BOOST
            panel = []
            for r in world.panels[candidate]:
                score = anchor(latent + leniency[r] + rng.gauss(0, people["noise_sd"]))
                panel.append(score)
                scores.append((r, score))
                by_interviewer[r].append(score)
            q.days.append(day)
            q.panel_means.append((day, sum(panel) / len(panel)))
        interviews.append(scores)

    if controlled:  # normalised per interviewer: z against each one's own history (the comparison's rule)
        baseline = [(stats.mean(s), stats.sd(s)) for s in by_interviewer]
        results = []
        for scores in interviews:
            zs = [stats.zscore(s, *baseline[r]) for r, s in scores]
            zs = [z for z in zs if z is not None]
            results.append(stats.mean(zs) if zs else 0.0)
    else:
        results = [stats.mean(s for _, s in scores) for scores in interviews]

    # The bar: the top HIRE_SHARE by truth are the ones to hire; the decisions hire the same
    # share, the top by the setting's score (ties in an order drawn from the seed).
    n = len(world.abilities)
    hires = round(HIRE_SHARE * n)
    truth = set(sorted(range(n), key=lambda c: -world.abilities[c])[:hires])
    tie = random.Random(world.seed + 7)
    order = sorted(range(n), key=lambda c: (-results[c], tie.random()))
    decided = set(order[:hires])
    accuracy = sum(1 for c in range(n) if (c in truth) == (c in decided)) / n if n else None
    return {
        "decision_accuracy": round(accuracy, 3) if accuracy is not None else None,
        "max_exposure": max_exposure(questions),
        "leak_detected_after_days": detected_on - LEAK_DAY if detected_on is not None else None,
    }, {
        "leaked_questions": sum(1 for q in questions if q.leaked_from is not None),
        "false_alarms": false_alarms,
        "questions_asked": sum(1 for q in questions if q.days),
    }


def simulate(*, seed=17, candidates=CANDIDATES):
    """{"fixed": figures, "controlled": figures} and the extras the table shows."""
    world = make_world(seed, candidates)
    fixed, fixed_extra = run(world, controlled=False)
    controlled, controlled_extra = run(world, controlled=True)
    return {"fixed": fixed, "controlled": controlled}, {"fixed": fixed_extra, "controlled": controlled_extra}


def table(figures, extras, *, seed, candidates):
    rows = [
        ("Decision accuracy", "decision_accuracy", lambda v: f"{v:.1%}"),
        ("Max uses of a question in 90 days", "max_exposure", str),
        ("Leak detected after (days)", "leak_detected_after_days", lambda v: "never" if v is None else str(v)),
    ]
    extra_rows = [("Questions leaked", "leaked_questions"), ("Questions flagged but not leaked", "false_alarms"),
                  ("Questions asked", "questions_asked")]
    lines = [f"A year of hiring: {candidates} candidates, seed {seed}, leak planted on day {LEAK_DAY}",
             f"{'':36}{'fixed':>12}{'controlled':>12}"]
    for label, key, fmt in rows:
        lines.append(f"{label:36}" + "".join(f"{fmt(figures[s][key]):>12}" for s in ("fixed", "controlled")))
    for label, key in extra_rows:
        lines.append(f"{label:36}" + "".join(f"{extras[s][key]:>12}" for s in ("fixed", "controlled")))
    lines.append(f"(exposure cap {EXPOSURE_CAP} per 90 days in the controlled setting; "
                 f"{HIRE_SHARE:.0%} of candidates are above the bar)")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=17, help="the random seed (default 17)")
    parser.add_argument("--candidates", type=int, default=CANDIDATES,
                        help=f"candidates interviewed in the year (default {CANDIDATES})")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not 10 <= args.candidates <= 100_000:
        parser.error("--candidates must be between 10 and 100000")
    figures, extras = simulate(seed=args.seed, candidates=args.candidates)
    print(json.dumps(figures) if args.json else table(figures, extras, seed=args.seed, candidates=args.candidates))


if __name__ == "__main__":
    main()
