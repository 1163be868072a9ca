"""Scorecards: one per interviewer per interview, with a score per question."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from interviews.models import InterviewQuestion

from .events import scorecard_submitted_publish


class Recommendation(models.TextChoices):
    """The 4-point overall recommendation: no neutral option, so every interviewer leans."""

    STRONG_NO = "strong_no", "Strong no"
    NO = "no", "No"
    YES = "yes", "Yes"
    STRONG_YES = "strong_yes", "Strong yes"


RECOMMENDATION_POINTS = {"strong_no": 1, "no": 2, "yes": 3, "strong_yes": 4}
# The words of the 1-4 anchored scale, as the live page labels its anchors.
SCORE_LABELS = {1: "Poor", 2: "Weak", 3: "Good", 4: "Excellent"}


def score_in_words(score):
    """4 -> "4 (Excellent)"; None -> "no score"."""
    if score is None:
        return "no score"
    return f"{score} ({SCORE_LABELS[score]})" if score in SCORE_LABELS else str(score)


class ScoreError(ValueError):
    """A score write that is not allowed; the message says why, for a 400 response."""


class Submitted(Exception):
    """The scorecard is submitted, so it is read-only."""


class InterviewCancelled(ScoreError):
    """The interview was cancelled: nothing of it is scored (no scorecard opened, saved,
    submitted or amended)."""

    def __init__(self):
        super().__init__("this interview was cancelled, so it is not scored")


class ScorecardIncomplete(Exception):
    """A submit refused because required questions are neither scored nor skipped with a
    reason; ``missing`` lists them (InterviewQuestion, in order)."""

    def __init__(self, missing):
        self.missing = missing
        super().__init__(f"{len(missing)} required question(s) still to score or skip")


# Scorecard.clean's words, also the messages of the constraint they mirror.
NO_RECOMMENDATION = "Choose a recommendation: there is no neutral option."
NO_SUMMARY = "Write a summary: the debrief reads it first."


class ScorecardStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class ScorecardQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Independent scoring, enforced here so every page gets it:

        - your own scorecards, draft or submitted;
        - other people's *submitted* scorecards, if you are the position's hiring manager or
          recruiter, or an interviewer of that candidate who has submitted your own scorecard
          for every interview of the candidate you are on (cancelled interviews grant nothing:
          a panel seat on one alone does not make you a peer);
        - drafts are private to their author (admins reach them only through
          ``admin_override``, which is logged).
        """
        if not user.is_authenticated:
            return self.none()
        from interviews.models import Interview

        own = Q(interviewer=user)
        managed = Q(interview__candidate__position__hiring_manager=user) | Q(interview__candidate__position__recruiter=user)
        # Candidates this user interviewed and has finished scoring: on some panel of theirs,
        # and no interview of theirs for that candidate lacks their submitted scorecard.
        my_submitted = Scorecard.objects.filter(
            interview_id=OuterRef("pk"), interviewer=user, status=ScorecardStatus.SUBMITTED
        )
        unfinished = (
            Interview.objects.filter(candidate_id=OuterRef("interview__candidate_id"), interviewers=user)
            .exclude(status="cancelled")
            .exclude(Exists(my_submitted))
        )
        on_panel = Interview.objects.filter(
            candidate_id=OuterRef("interview__candidate_id"), interviewers=user
        ).exclude(status="cancelled")
        peer = Q(Exists(on_panel)) & ~Q(Exists(unfinished))
        if user.is_superuser:
            return self.filter(own | Q(status=ScorecardStatus.SUBMITTED))
        return self.filter(own | (Q(status=ScorecardStatus.SUBMITTED) & (managed | peer)))

    def submitted(self):
        return self.filter(status=ScorecardStatus.SUBMITTED)


class Scorecard(models.Model):
    """One interviewer's assessment of one interview. Drafts are private to their author;
    a submitted scorecard is read-only and changes only through an audited amendment."""

    interview = models.ForeignKey("interviews.Interview", on_delete=models.CASCADE, related_name="scorecards")
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scorecards")
    status = models.CharField(max_length=10, choices=ScorecardStatus.choices, default=ScorecardStatus.DRAFT)
    recommendation = models.CharField(max_length=10, choices=Recommendation.choices, blank=True)
    summary = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScorecardQuerySet.as_manager()

    class Meta:
        ordering = ["interview", "interviewer"]
        permissions = [
            ("view_calibration", "Can see calibration analytics of questions and interviewers"),
            ("compare_candidates", "Can compare the candidates of a position"),
            ("view_exposure", "Can see how often bank questions are used and whether their scores wear"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "interviewer"], name="scoring_one_scorecard_per_interviewer",
                violation_error_message="This interviewer already has a scorecard for this interview.",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (~Q(recommendation="") & ~Q(summary="") & Q(submitted_at__isnull=False)),
                name="scoring_submitted_has_recommendation_summary",
                violation_error_message="A submitted scorecard has a recommendation, a summary and the time it was "
                                        "submitted.",
            ),
        ]
        indexes = [
            # Dashboards: an interviewer's drafts; missing scorecards across interviews.
            models.Index(fields=["interviewer", "status"], name="scoring_card_owner_status"),
        ]

    def __str__(self):
        return f"{self.interviewer} · {self.interview}"

    def get_absolute_url(self):
        return reverse("scoring:scorecard", args=[self.interview_id])

    @property
    def is_submitted(self):
        return self.status == ScorecardStatus.SUBMITTED

    @property
    def ad_hoc_questions(self):
        """The questions this card's interviewer added during the interview."""
        return InterviewQuestion.objects.filter(interview_id=self.interview_id, added_by_id=self.interviewer_id)

    def clean(self):
        """The rule of scoring_submitted_has_recommendation_summary, in words: a submitted
        scorecard has a recommendation and a summary (one of spaces is none)."""
        if self.status != ScorecardStatus.SUBMITTED:
            return
        errors = {}
        if not self.recommendation:
            errors["recommendation"] = NO_RECOMMENDATION
        if not self.summary.strip():
            errors["summary"] = NO_SUMMARY
        if errors:
            raise ValidationError(errors)

    @transaction.atomic
    def submit(self, *, recommendation, summary, by):
        """Submit this draft: it becomes read-only, with the recommendation and summary.

        Raises ValidationError (no recommendation or summary: Scorecard.clean),
        ScorecardIncomplete (required questions neither scored nor skipped with a reason),
        Submitted (already submitted), InterviewCancelled, or ScoreError when ``by`` is not
        its interviewer; then nothing changes. A scorecard is submitted with a score row per
        question, so open it (services.scorecard_open) before submitting it."""
        if by.pk != self.interviewer_id:
            raise ScoreError("only its interviewer submits a scorecard")
        # Two requests can race a submit: the same submit sent twice (two tabs, a double click),
        # and an autosave arriving while it runs. The scorecard's lock makes the second submit
        # wait and then find it submitted. Bumping every score row's version (the UPDATE locks
        # the rows, after any autosave already writing one has committed) makes an autosave
        # based on an older version fail its version check instead of changing a submitted
        # scorecard (docs/autosave.md). Scorecard, then rows: the order amendments lock in.
        card = Scorecard.objects.select_for_update(of=("self",)).select_related("interview").get(pk=self.pk)
        if card.interview.is_cancelled:
            raise InterviewCancelled()
        if card.is_submitted:
            raise Submitted()
        card.status, card.recommendation, card.summary = ScorecardStatus.SUBMITTED, recommendation, summary.strip()
        card.submitted_at = timezone.now()
        card.clean()
        card.scores.update(version=F("version") + 1)
        open_required = (
            card.interview.questions.filter(Q(added_by__isnull=True) | Q(added_by_id=card.interviewer_id), required=True)
            .exclude(Exists(card.scores.filter(QuestionScore.answered_q(), question=OuterRef("pk"))))
        )
        # Their ids first (usually none); the questions with their titles only to say which.
        if missing := list(open_required.values_list("pk", flat=True)):
            questions = InterviewQuestion.objects.filter(pk__in=missing).select_related("revision").order_by("order", "pk")
            raise ScorecardIncomplete(list(questions))  # rolls back the versions bumped above
        card.save(update_fields=["status", "recommendation", "summary", "submitted_at", "updated_at"])
        for field in ("status", "recommendation", "summary", "submitted_at", "updated_at"):
            setattr(self, field, getattr(card, field))
        scorecard_submitted_publish(scorecard=card)  # in this transaction: told only if it commits


class QuestionScore(models.Model):
    """The score of one pinned question on one scorecard: 1-4, or skipped with a reason.

    ``version`` grows by one with every saved change; autosave writes carry the version they
    were based on, and a write based on an older version is refused (optimistic concurrency)."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="scores")
    question = models.ForeignKey("interviews.InterviewQuestion", on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    skipped = models.BooleanField(default=False)
    skip_reason = models.CharField(max_length=300, blank=True)
    # Ids of the revision's RubricCriterion rows the answer met (checked on write).
    criteria_met = ArrayField(models.BigIntegerField(), default=list, blank=True)
    # Indexes into the revision's key_points list that the candidate stated.
    key_points_hit = ArrayField(models.PositiveSmallIntegerField(), default=list, blank=True)
    notes = models.TextField(blank=True)
    seconds_spent = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["scorecard", "question__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "question"], name="scoring_one_score_per_question",
                violation_error_message="This question already has a score on this scorecard.",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=1) & Q(score__lte=4)), name="scoring_score_1_to_4",
                violation_error_message="A score is 1, 2, 3 or 4 (or empty).",
            ),
            models.CheckConstraint(
                condition=Q(skipped=False) | (Q(score__isnull=True) & ~Q(skip_reason="")),
                name="scoring_skip_has_reason_and_no_score",
                violation_error_message="A skipped question has a reason and no score.",
            ),
        ]

    def __str__(self):
        return f"{self.question}: {self.score if self.score else ('skipped' if self.skipped else '—')}"

    def clean(self):
        """The rule of scoring_skip_has_reason_and_no_score, in words (a reason of spaces is none)."""
        if self.skipped and self.score is not None:
            raise ValidationError({"score": "A skipped question cannot also have a score."})
        if self.skipped and not self.skip_reason.strip():
            raise ValidationError({"skip_reason": "Say why the question was skipped."})

    @property
    def is_answered(self):
        """Scored, or skipped with a reason: what a required question needs before submitting."""
        return self.score is not None or (self.skipped and bool(self.skip_reason.strip()))

    @staticmethod
    def answered_q():
        """``is_answered`` as a filter, for queries (a reason holds a character other than a space)."""
        return Q(score__isnull=False) | Q(skipped=True, skip_reason__regex=r"\S")


class AutosaveReceipt(models.Model):
    """The idempotency key of every applied autosave, so a retried request applies once."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    question_score = models.ForeignKey(QuestionScore, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "key"], name="scoring_autosave_key_once",
                violation_error_message="This change was already saved (its idempotency key was used).",
            ),
        ]


class Amendment(models.Model):
    """A change to a submitted scorecard: who, when, what (old and new values) and why."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="amendments")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()
    field = models.CharField(max_length=80)
    old_value = models.JSONField(null=True)
    new_value = models.JSONField(null=True)

    class Meta:
        ordering = ["scorecard", "at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="scoring_amendment_has_reason",
                                   violation_error_message="Say why you are amending a submitted scorecard."),
        ]

    @property
    def question_id(self):
        """The question of a "score:<id>" or "notes:<id>" change; None for the scorecard's own fields."""
        _, _, pk = self.field.partition(":")
        return int(pk) if pk.isdigit() else None

    @property
    def kind(self):
        """"score", "notes", "recommendation" or "summary"."""
        return self.field.partition(":")[0]

    def change_in_words(self):
        """Old -> new as people read them: "4 (Excellent) → 3 (Good)", "Strong yes → Yes"."""
        old, new = self.old_value, self.new_value
        if self.kind == "score":
            return f"{score_in_words(old)} → {score_in_words(new)}"
        if self.kind == "recommendation":
            labels = dict(Recommendation.choices)
            return f"{labels.get(old, old or 'none')} → {labels.get(new, new or 'none')}"
        return f"“{old or ''}” → “{new or ''}”"

    def in_words(self, question_title=""):
        """The whole change: "score on ‘What AUC measures’: 4 (Excellent) → 3 (Good)",
        "recommendation: Strong yes → Yes"; never the stored "score:62"."""
        if self.question_id is not None:
            return f"{self.kind} on ‘{question_title}’: {self.change_in_words()}"
        return f"{self.kind}: {self.change_in_words()}"


class DecisionChoice(models.TextChoices):
    HIRE = "hire", "Hire"
    NO_HIRE = "no_hire", "No hire"
    HOLD = "hold", "Hold"


class Verdict(models.TextChoices):
    """A position's decision rule on a candidate (scoring/rules.py)."""

    HIRE = "hire", "Hire"
    NO_HIRE = "no_hire", "No hire"
    NOT_YET = "not_yet", "Not yet"


# A decision goes against the rule when it is the opposite of a final verdict. A hold is not,
# nor is any decision while the verdict is still "not yet".
AGAINST = {(DecisionChoice.HIRE, Verdict.NO_HIRE), (DecisionChoice.NO_HIRE, Verdict.HIRE)}
OVERRIDE_Q = (Q(decision=DecisionChoice.HIRE, rule_verdict=Verdict.NO_HIRE)
              | Q(decision=DecisionChoice.NO_HIRE, rule_verdict=Verdict.HIRE))
OVERRIDE_NEEDS_REASON = "The decision goes against the position's decision rule: say why (the override reason)."


def goes_against(decision, verdict):
    return (decision, verdict) in AGAINST


class DecisionQuerySet(models.QuerySet):
    def overrides(self):
        """Decisions against the rule's verdict at the time (the report of overrides)."""
        return self.filter(OVERRIDE_Q)


class Decision(models.Model):
    """A hiring manager's decision on a candidate. Append-only: changing a decision adds a
    row, so the history (who, when, what, why) is kept; the latest row is the decision.
    With the position's decision rule, its verdict when the decision was made is kept beside
    it, and a decision against that verdict carries its override reason."""

    candidate = models.ForeignKey("interviews.Candidate", on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=8, choices=DecisionChoice.choices)
    rationale = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    # Empty when the position had no rule. The rule and the reason in words, as they read then:
    # the rule cannot change after the first scorecard, but the report must not depend on it.
    rule_verdict = models.CharField(max_length=8, choices=Verdict.choices, blank=True, db_default="", default="")
    rule_text = models.TextField(blank=True, db_default="", default="")
    rule_reason = models.TextField(blank=True, db_default="", default="")
    rule_score = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    override_reason = models.TextField(blank=True, db_default="", default="")

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["candidate", "-at", "-pk"]
        get_latest_by = "at"
        indexes = [
            # The latest decision per candidate (comparison and calibration pages).
            models.Index(fields=["candidate", "-at"], name="scoring_decision_latest"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(rationale=""), name="scoring_decision_has_rationale",
                                   violation_error_message="Give the rationale of the decision."),
            models.CheckConstraint(condition=~OVERRIDE_Q | ~Q(override_reason=""),
                                   name="scoring_decision_override_has_reason",
                                   violation_error_message=OVERRIDE_NEEDS_REASON),
        ]

    def __str__(self):
        return f"{self.candidate}: {self.get_decision_display()}"

    @property
    def is_override(self):
        return goes_against(self.decision, self.rule_verdict)

    def clean(self):
        if self.is_override and not self.override_reason.strip():
            raise ValidationError({"override_reason": OVERRIDE_NEEDS_REASON})




class CalibrationSnapshot(models.Model):
    """The calibration page's figures as last computed from every submitted scorecard
    (``scoring.calibration.calibration_refresh``, about a second on 200,000 scores), with the
    fingerprint of the data they were computed from. One row: the worker replaces it within a
    minute of a change, so the page reads figures instead of computing them (docs/performance.md)."""

    ONLY = 1

    generation = models.TextField()
    computed_at = models.DateTimeField()
    seconds = models.FloatField(help_text="How long computing the figures took.")
    figures = models.JSONField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="scoring_calibration_one_snapshot",
                                   violation_error_message="There is one calibration snapshot."),
        ]

    def __str__(self):
        return f"Calibration figures of {self.computed_at:%Y-%m-%d %H:%M}"
