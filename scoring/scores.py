"""Score arithmetic (docs/scoring.md states each formula with a worked example).

- A question score is 1-4; skipped and unscored questions are left out.
- A competency score is the weight-averaged score of that competency's scored questions:
  sum(w_i * s_i) / sum(w_i).
- The overall score is the weight-averaged competency score, each competency weighted by
  the total weight of its scored questions (so the overall equals the weight-average of all
  scored questions).
"""

from collections import defaultdict
from decimal import Decimal


def competency_scores(rows):
    """rows: iterable of (competency, weight, score). Returns ({competency: score}, overall),
    scores as floats rounded to 2 places; a competency with no scored question is absent and
    the overall is None when nothing was scored."""
    totals = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for competency, weight, score in rows:
        if score is None:
            continue
        weight = Decimal(weight)
        totals[competency][0] += weight * score
        totals[competency][1] += weight
    per = {c: float(round(s / w, 2)) for c, (s, w) in totals.items() if w}
    weight_sum = sum(w for _, w in totals.values())
    overall = float(round(sum(s for s, _ in totals.values()) / weight_sum, 2)) if weight_sum else None
    return dict(sorted(per.items())), overall
