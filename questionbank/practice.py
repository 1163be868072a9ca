"""Practice scoring and the qualification rule, stated once.

An interviewer practises by scoring written sample answers against a question's anchors and
then comparing with the reference score its authors agreed on. Only the first score of each
sample counts: once the reference is shown, scoring that sample again is practice, not a
measure of how the person reads answers they have not seen. Qualification asks for enough
samples scored, nearly all exactly and none far off: exact agreement on most answers shows the
anchors are read as intended, and "never more than one off" rules out someone who is right on
average but sometimes misreads an answer badly (docs/scoring.md, *Practice and qualification*).
The plan-level rule and shadowing live in interviews/qualification.py, which uses ``standing``.
"""

from dataclasses import dataclass
from fractions import Fraction

from .models import PracticeScore, SampleAnswer, Status

# The rule's constants, in one place: at least MIN_SAMPLES samples scored, at least
# EXACT_SHARE of them equal to the reference, and every one within MAX_OFF of it.
MIN_SAMPLES = 5
EXACT_SHARE = Fraction(4, 5)  # a fraction, so 4 of 5 is exactly 80% (no float rounding)
MAX_OFF = 1
# The same figures for the pages that state the rule in words.
RULE = {"min_samples": MIN_SAMPLES, "exact_percent": int(EXACT_SHARE * 100), "max_off": MAX_OFF}


class StandingState:
    QUALIFIED = "qualified"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"


@dataclass(frozen=True)
class Standing:
    """How far a person is with a question (or a plan): ``scored`` samples, of which ``exact``
    equal the reference and ``far`` are more than MAX_OFF away."""

    scored: int
    exact: int
    far: int

    @property
    def qualified(self):
        return self.scored >= MIN_SAMPLES and self.far == 0 and self.exact >= EXACT_SHARE * self.scored

    @property
    def state(self):
        if self.qualified:
            return StandingState.QUALIFIED
        return StandingState.IN_PROGRESS if self.scored else StandingState.NOT_STARTED

    @property
    def label(self):
        """In words, for the pages: "Qualified", "3 of 5 scored", "Not started", or, with
        enough scored but the rule not met, what is missing."""
        if self.qualified:
            return "Qualified"
        if not self.scored:
            return "Not started"
        if self.scored < MIN_SAMPLES:
            return f"{self.scored} of {MIN_SAMPLES} scored"
        if self.far:
            return f"{self.far} more than {MAX_OFF} off"
        return f"{self.exact} of {self.scored} exact"


def standing(pairs):
    """The standing from (score, reference) pairs: a person's first score of each sample and
    that sample's reference score."""
    pairs = list(pairs)
    return Standing(
        scored=len(pairs),
        exact=sum(1 for score, reference in pairs if score == reference),
        far=sum(1 for score, reference in pairs if abs(score - reference) > MAX_OFF),
    )


def counted_scores(*, users, samples=None, questions=None):
    """{(user id, sample id): (score, reference)} of each user's first attempt at each sample
    (of ``samples`` or of ``questions``' samples), the one qualification counts, in one query.
    (The first, not the latest: the latest could be typed after the reference was shown, and
    re-scoring until each matches once qualified anyone; found in review.)"""
    qs = PracticeScore.objects.filter(user__in=users)
    if samples is not None:
        qs = qs.filter(sample__in=samples)
    if questions is not None:
        qs = qs.filter(sample__question__in=questions)
    rows = (qs.order_by("user_id", "sample_id", "at", "pk").distinct("user_id", "sample_id")
            .values_list("user_id", "sample_id", "score", "sample__reference_score"))
    return {(user_id, sample_id): (score, reference) for user_id, sample_id, score, reference in rows}


def practice_samples():
    """The samples anyone may practise: those of published questions."""
    return SampleAnswer.objects.filter(question__status=Status.PUBLISHED)


def next_sample(*, user, question):
    """The question's first sample the user has not scored yet (None when all are)."""
    return (practice_samples().filter(question=question).exclude(practice_scores__user=user)
            .order_by("order", "pk").first())


def question_standings(*, user, questions):
    """{question id: Standing} of one user for ``questions``, from their first attempt at
    each sample (``counted_scores``), in one query. Questions they have not practised are left
    out (not started)."""
    rows = (PracticeScore.objects.filter(user=user, sample__question__in=questions)
            .order_by("sample_id", "at", "pk").distinct("sample_id")
            .values_list("sample__question_id", "score", "sample__reference_score"))
    pairs = {}
    for question_id, score, reference in rows:
        pairs.setdefault(question_id, []).append((score, reference))
    return {question_id: standing(found) for question_id, found in pairs.items()}
