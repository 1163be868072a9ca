"""The verdict of a position's decision rule on a candidate (docs/scoring.md, "Decision rules
fixed in advance"). It reads the figures the debrief has already computed
(scoring.selectors.debrief: the weighted overall score, the recommendation counts, the
panellists still to submit), so the verdict and the page's numbers cannot disagree."""

from dataclasses import dataclass
from decimal import Decimal

from .models import Verdict, goes_against


@dataclass(frozen=True)
class RuleVerdict:
    """What the rule says about one candidate, why in words, and the numbers it read."""

    verdict: str  # Verdict
    reason: str  # "the weighted score 2.60 is below 2.75"
    rule: str  # the rule in words, as it was when the verdict was given
    overall: Decimal | None  # the weighted score as the debrief shows it (two places)
    strong_no: int
    yes: int

    @property
    def label(self):
        return Verdict(self.verdict).label

    def against(self, decision):
        return goes_against(decision, self.verdict)


def _plural(n, one, many):
    return f"{n} {one if n == 1 else many}"


def rule_verdict(*, position, candidate_summary):
    """The rule's verdict, or None when the position has no rule. ``candidate_summary``: the
    debrief's figures (selectors.debrief) as seen by someone who runs the position, so every
    submitted scorecard counts: "overall", "recommendation_counts", "missing", "cards".

    Not yet while a panellist's scorecard is missing (or none is in); otherwise hire when every
    condition holds, no hire naming each that fails."""
    if not position.has_decision_rule:
        return None
    rule = position.rule_in_words()
    counts = candidate_summary["recommendation_counts"]
    strong_no = counts.get("strong_no", 0)
    yes = counts.get("yes", 0) + counts.get("strong_yes", 0)
    overall = candidate_summary["overall"]
    # The score the page shows, rounded to two places by competency_scores: "exactly at the
    # threshold" is what the hiring manager reads, not a float a hair below it.
    score = Decimal(f"{overall:.2f}") if overall is not None else None

    def verdict(kind, reason):
        return RuleVerdict(kind, reason, rule, score, strong_no, yes)

    missing = len(candidate_summary["missing"])
    if not candidate_summary["cards"]:
        return verdict(Verdict.NOT_YET, "no scorecard has been submitted yet")
    if missing:
        return verdict(Verdict.NOT_YET, f"{_plural(missing, 'scorecard is', 'scorecards are')} still missing; "
                                        "the rule is applied once every panelist has submitted")
    met, failed = [], []
    if position.rule_min_score is not None:
        threshold = position.rule_min_score
        if score is None:
            failed.append("no question was scored, so there is no weighted score")
        elif score >= threshold:
            met.append(f"the weighted score {score:.2f} is at least {threshold:.2f}")
        else:
            failed.append(f"the weighted score {score:.2f} is below {threshold:.2f}")
    if position.rule_min_yes is not None:
        wanted = position.rule_min_yes
        said = f"{_plural(yes, 'scorecard recommends', 'scorecards recommend')} yes or strong yes"
        (met if yes >= wanted else failed).append(f"{said} (at least {wanted} needed)" if yes < wanted else said)
    if position.rule_no_strong_no:
        if strong_no:
            failed.append(f"{_plural(strong_no, 'scorecard says', 'scorecards say')} strong no")
        else:
            met.append("nobody says strong no")
    if failed:
        return verdict(Verdict.NO_HIRE, "; ".join(failed))
    return verdict(Verdict.HIRE, "; ".join(met))


def override_needed(verdict):
    """The error of a decision against the rule without a reason, naming the verdict and why."""
    return (f"The decision rule says {verdict.label.lower()} ({verdict.reason}). To decide otherwise, "
            "write the override reason.")
