"""Positions, candidates, interview plans and scheduled interviews."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Case, DateTimeField, Exists, ExpressionWrapper, F, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, Concat, Left
from django.urls import reverse
from django.utils import timezone

from notifications.models import WebhookFormat
from questionbank.models import QUESTION_MINUTES, Level, QuestionRevision
from questionbank.models import Status as QuestionStatus
from webhooks.models import EventType

from .events import interview_publish

# Limits, each (lowest, highest) inclusive, stated once: the database constraints below, the
# forms (interviews/forms.py, plan_forms.py), the builder's inputs and load_starter_plans use them.
SLOT_MINUTES = (5, 480)  # a plan's slot and an interview's length
ITEM_MINUTES = QUESTION_MINUTES  # a question of a plan takes what a question of the bank may take
WEIGHT = (Decimal("0.25"), Decimal("10"))  # a question's weight in the score; 1 is normal
# A design round's part (a phase or the round as a whole) pinned to an interview: its share of
# the plan item's weight (interview_questions_for; docs/scoring.md).
PART_WEIGHT = (Decimal("0.01"), Decimal("10"))


def _between(field, limits):
    return Q(**{f"{field}__gte": limits[0]}) & Q(**{f"{field}__lte": limits[1]})


class PhaseName(models.Func):
    """The name of phase ``index`` of a revision's ``phases`` in SQL: phases -> index ->> 'name'."""
    template = "((%(expressions)s) ->> 'name')"
    arg_joiner = " -> "
    output_field = models.CharField()


class PositionStatus(models.TextChoices):
    OPEN = "open", "Open"
    ON_HOLD = "on_hold", "On hold"
    CLOSED = "closed", "Closed"


class Stage(models.TextChoices):
    APPLIED = "applied", "Applied"
    SCREEN = "screen", "Screen"
    INTERVIEWING = "interviewing", "Interviewing"
    OFFER = "offer", "Offer"
    HIRED = "hired", "Hired"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


# When a missing scorecard is escalated (Position.escalation_hours): two days by default, at
# least the one hour before the first reminder, at most a month.
ESCALATION_HOURS_DEFAULT, ESCALATION_HOURS_MIN, ESCALATION_HOURS_MAX = 48, 2, 720
EXPOSURE_CAP_MAX = 1000
# A position's decision rule (docs/scoring.md, "Decision rules fixed in advance"): a minimum
# weighted score on the 1-4 scale, and at least so many scorecards recommending yes.
RULE_SCORE = (Decimal("1.00"), Decimal("4.00"))
RULE_MIN_YES = (1, 20)
# A scorecard's status once submitted, as scoring stores it: interviews sits below scoring and
# reads its table through the reverse relation by name only (tests/test_layers.py).
SUBMITTED = "submitted"


# Whether a position's decision rule has any condition (the constraint below and clean()).
RULE_CONDITIONS = Q(rule_min_score__isnull=False) | Q(rule_no_strong_no=True) | Q(rule_min_yes__isnull=False)


class PositionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """People involved in a position: its hiring manager, its recruiter, and interviewers
        on a panel, not cancelled, for one of its candidates. Admins see all."""
        if user.is_superuser:
            return self
        # EXISTS rather than a join: no duplicate rows, so no DISTINCT.
        on_panel = Interview.objects.filter(candidate__position=OuterRef("pk"), interviewers=user).exclude(
            status=InterviewStatus.CANCELLED
        )
        return self.filter(Q(hiring_manager=user) | Q(recruiter=user) | Q(Exists(on_panel)))


class Position(models.Model):
    """A role being hired for."""

    title = models.CharField(max_length=160)
    team = models.CharField(max_length=120, blank=True)
    level = models.CharField(max_length=8, choices=Level.choices, default=Level.MID)
    hiring_manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="managed_positions")
    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="recruited_positions"
    )
    status = models.CharField(max_length=10, choices=PositionStatus.choices, default=PositionStatus.OPEN)
    # Hours after an interview ends before a missing scorecard is reported to the position's
    # recruiter and hiring manager (scoring/reminders.py).
    escalation_hours = models.PositiveSmallIntegerField(
        default=ESCALATION_HOURS_DEFAULT, db_default=ESCALATION_HOURS_DEFAULT,
        verbose_name="escalate missing scorecards after (hours)",
        validators=[MinValueValidator(ESCALATION_HOURS_MIN, f"At least {ESCALATION_HOURS_MIN} hours (the first reminder goes an hour after the interview)."),
                    MaxValueValidator(ESCALATION_HOURS_MAX, f"At most {ESCALATION_HOURS_MAX} hours (30 days).")],
        help_text=f"After the interview ends. {ESCALATION_HOURS_MIN} to {ESCALATION_HOURS_MAX} hours; "
                  "the panelist is reminded an hour after it ends, then every morning.",
    )
    # A chat channel's incoming webhook for this position's events (besides the global one,
    # PANELIST_WEBHOOK_URL): notifications/webhooks.py.
    webhook_url = models.URLField(max_length=500, blank=True, db_default="", verbose_name="chat webhook URL",
                                  help_text="A Slack or Microsoft Teams incoming webhook: this position's "
                                            "interviews, overdue scorecards, complete debriefs and decisions "
                                            "are posted there.")
    webhook_format = models.CharField(max_length=10, choices=WebhookFormat.choices, default=WebhookFormat.SLACK,
                                      db_default=WebhookFormat.SLACK,
                                      verbose_name="chat service")
    # How often one bank question may be asked in this position's interviews in 90 days, before
    # a question pool prefers another (interviews/pools.py); empty: no cap.
    exposure_cap = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name="exposure cap (uses per 90 days)",
        validators=[MinValueValidator(1, "At least 1 use per 90 days, or leave it empty for no cap."),
                    MaxValueValidator(EXPOSURE_CAP_MAX, f"At most {EXPOSURE_CAP_MAX} uses per 90 days.")],
        help_text="How many interviews (of any position: a leak does not stop at a team) may ask one bank "
                  "question in 90 days before this position's question pools pick another. Empty: no cap.",
    )
    # The decision rule, fixed before anyone sees a score: the debrief shows its verdict before
    # the decision, and a decision against it needs a reason (scoring/rules.py). Locked once a
    # scorecard of the position is submitted (position_decision_rule_set).
    rule_min_score = models.DecimalField(
        max_digits=3, decimal_places=2, null=True, blank=True, verbose_name="minimum weighted score",
        validators=[MinValueValidator(RULE_SCORE[0], "At least 1.00: the lowest score of the 1-4 scale."),
                    MaxValueValidator(RULE_SCORE[1], "At most 4.00: the highest score of the 1-4 scale.")],
        help_text="1.00 to 4.00, two decimals; the weighted score the debrief shows. Empty: no minimum.",
    )
    rule_no_strong_no = models.BooleanField(
        default=False, db_default=False, verbose_name="no interviewer says strong no",
        help_text="One “strong no” on any scorecard means no hire.",
    )
    rule_min_yes = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name="at least this many say yes",
        validators=[MinValueValidator(RULE_MIN_YES[0], "At least 1, or leave it empty."),
                    MaxValueValidator(RULE_MIN_YES[1], f"At most {RULE_MIN_YES[1]} scorecards.")],
        help_text="Scorecards recommending yes or strong yes. Empty: no such condition.",
    )
    decision_rule_set_at = models.DateTimeField(null=True, blank=True)
    decision_rule_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    # Whether shadowing an interview of this position (attending as an observer) or
    # reverse-shadowing one (leading it with a qualified panelist present) qualifies a person
    # for its questions in this position, besides practice (interviews/qualification.py).
    shadowing_qualifies = models.BooleanField(
        default=False, db_default=False, verbose_name="shadowing qualifies",
        help_text="Shadowing or reverse-shadowing an interview of this position qualifies a person for its "
                  "questions here, as practising on sample answers does.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["status", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(escalation_hours__gte=ESCALATION_HOURS_MIN) & Q(escalation_hours__lte=ESCALATION_HOURS_MAX),
                name="position_escalation_hours_range",
                violation_error_message=f"Escalate after {ESCALATION_HOURS_MIN} to {ESCALATION_HOURS_MAX} hours.",
            ),
            models.CheckConstraint(
                condition=Q(exposure_cap__isnull=True) | (Q(exposure_cap__gte=1) & Q(exposure_cap__lte=EXPOSURE_CAP_MAX)),
                name="position_exposure_cap_range",
                violation_error_message=f"An exposure cap is 1 to {EXPOSURE_CAP_MAX} uses per 90 days, or empty.",
            ),
            models.CheckConstraint(
                condition=Q(rule_min_score__isnull=True) | _between("rule_min_score", RULE_SCORE),
                name="position_rule_min_score_range",
                violation_error_message="A minimum weighted score is 1.00 to 4.00, or empty.",
            ),
            models.CheckConstraint(
                condition=Q(rule_min_yes__isnull=True) | _between("rule_min_yes", RULE_MIN_YES),
                name="position_rule_min_yes_range",
                violation_error_message=f"At least {RULE_MIN_YES[0]} to {RULE_MIN_YES[1]} scorecards saying yes, or empty.",
            ),
            # A fixed rule says something, and a rule that says something was fixed by someone
            # at a time: the date is what the debrief and the report call "fixed on".
            models.CheckConstraint(
                condition=(Q(decision_rule_set_at__isnull=True) & ~RULE_CONDITIONS)
                | (Q(decision_rule_set_at__isnull=False) & RULE_CONDITIONS),
                name="position_rule_has_a_condition",
                violation_error_message="A decision rule needs at least one condition.",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.team})" if self.team else self.title

    def get_absolute_url(self):
        return reverse("interviews:position_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.decision_rule_set_at is not None and not self.rule_has_condition:
            raise ValidationError("A decision rule needs at least one condition: a minimum weighted score, "
                                  "no strong no, or a number of yes.")

    @property
    def rule_has_condition(self):
        return self.rule_min_score is not None or self.rule_no_strong_no or self.rule_min_yes is not None

    @property
    def has_decision_rule(self):
        return self.decision_rule_set_at is not None

    def rule_in_words(self):
        """The rule as a hiring manager reads it in one sentence: "Hire when the weighted score
        is at least 2.75 and no interviewer says strong no." """
        if not self.has_decision_rule:
            return "No decision rule is fixed for this position."
        parts = []
        if self.rule_min_score is not None:
            parts.append(f"the weighted score is at least {self.rule_min_score:.2f}")
        if self.rule_min_yes is not None:
            n = self.rule_min_yes
            parts.append(f"at least {n} scorecard{'s' if n != 1 else ''} recommend{'s' if n == 1 else ''} "
                         "yes or strong yes")
        if self.rule_no_strong_no:
            parts.append("no interviewer says strong no")
        joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return f"Hire when {joined}."

    def decision_rule_locked(self):
        """Whether a scorecard of this position has been submitted: from then on somebody has
        seen a score, and a rule changed afterwards could be fitted to a candidate. Any
        submitted scorecard counts, a cancelled interview's too (its scores were read)."""
        return Interview.objects.filter(candidate__position=self, scorecards__status=SUBMITTED).exists()

    def is_run_by(self, user):
        """Its hiring manager, its recruiter, or an admin: those who see every candidate of the
        position and every submitted scorecard of them (the ``visible_to`` rules say so), so
        their reads may leave those filters out."""
        return user.is_superuser or user.pk in (self.hiring_manager_id, self.recruiter_id)


class CandidateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The candidates of positions the user runs, and those the user is on a panel for
        (a cancelled interview grants nothing: not its debrief, PDF or CV). Admins see all."""
        if user.is_superuser:
            return self
        on_panel = Interview.objects.filter(candidate=OuterRef("pk"), interviewers=user).exclude(
            status=InterviewStatus.CANCELLED
        )
        return self.filter(Q(position__hiring_manager=user) | Q(position__recruiter=user) | Q(Exists(on_panel)))


class Candidate(models.Model):
    """A person applying for a position."""

    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="candidates")
    name = models.CharField(max_length=160)
    email = models.EmailField(blank=True)
    stage = models.CharField(max_length=14, choices=Stage.choices, default=Stage.APPLIED)
    source = models.CharField(max_length=120, blank=True, help_text="Referral, job board, agency…")
    notes = models.TextField(blank=True)
    cv_url = models.URLField(blank=True, verbose_name="CV link")
    cv_file = models.FileField(upload_to="cvs/%Y/%m/", blank=True, verbose_name="CV file")
    # The candidate's (or application's) id in the applicant tracking system, set through the
    # API (api/, docs/api.md), which creates or updates a candidate by it; empty for the
    # candidates added on the pages.
    external_id = models.CharField(max_length=100, blank=True, db_default="", verbose_name="ATS id",
                                   help_text="The id of this candidate in the applicant tracking system.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            # The candidate list of a position, filtered by stage.
            models.Index(fields=["position", "stage"], name="iv_candidate_position_stage"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(cv_url="") | Q(cv_file=""), name="iv_candidate_cv_link_or_file",
                violation_error_message="Give either a link to the CV or an uploaded file, not both.",
            ),
            # One candidate per ATS id and position: the API's create-or-update finds it by
            # these two (an ATS applicant for two positions is two candidates here).
            models.UniqueConstraint(
                fields=["position", "external_id"], condition=~Q(external_id=""),
                name="iv_candidate_unique_external_id",
                violation_error_message="This position already has a candidate with that ATS id.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        # iv_candidate_cv_link_or_file in words, with what to do about it.
        if self.cv_url and self.cv_file:
            if self.cv_file._committed:  # the file already stored
                fix = "Clear the link, or tick “Remove” by the current file."
            else:  # a new upload: the page cannot keep it
                fix = "Clear the link to upload the file (choose it again), or keep the link and leave the file out."
            raise ValidationError({"cv_url": f"Give either a link to the CV or an uploaded file, not both. {fix}"})

    def is_visible_to(self, user):
        """``CandidateQuerySet.visible_to`` for this candidate (its position loaded or loadable):
        those who run the position answer without a query (building visible_to's subquery cost
        ~1 ms of the debrief's ~20 ms on the bench data), anyone else through visible_to."""
        if self.position.is_run_by(user):
            return True
        return Candidate.objects.visible_to(user).filter(pk=self.pk).exists()

    def get_absolute_url(self):
        return reverse("interviews:candidate_detail", args=[self.pk])


class Track(models.TextChoices):
    """The interview tracks of the starter loops. Not the bank's question roles
    (questionbank.RoleTrack): an applied scientist's loop draws on the data-scientist, ML-engineer
    and research questions, and the bank has no reinforcement-learning loop."""

    ML_ENGINEER = "mle", "ML engineer"
    DATA_SCIENTIST = "ds", "Data scientist"
    MLOPS = "mlops", "MLOps engineer"
    NLP = "nlp", "NLP / LLM engineer"
    COMPUTER_VISION = "cv", "Computer-vision engineer"
    RESEARCH = "research", "Research scientist"
    APPLIED = "applied", "Applied scientist"


class LoopStage(models.TextChoices):
    """The interviews of a starter loop, in the order a candidate meets them."""

    SCREEN = "screen", "Screen"
    CODING = "coding", "Coding"
    ML_DEPTH = "ml-depth", "ML depth"
    SYSTEM_DESIGN = "system-design", "System design"
    BEHAVIOURAL = "behavioural", "Behavioural"


LOOP_STAGE_ORDER = {value: n for n, value in enumerate(LoopStage.values, 1)}
NO_LOOP = Q(loop_track="", loop_level="", loop_stage="")
IN_LOOP = ~Q(loop_track="") & ~Q(loop_level="") & ~Q(loop_stage="")


class PlanQuerySet(models.QuerySet):
    def templates(self):
        return self.filter(position__isnull=True)

    def active(self):
        """Plans not archived: the ones lists and scheduling offer."""
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)

    def outside_loops(self):
        """Plans that are not one interview of a starter loop: what the plan list, scheduling and
        the API list. A loop's plans have their own page, and a loop is copied to a position
        before use (the copies are outside the loops)."""
        return self.filter(loop_track="")

    def of_loop(self, track, level):
        """The plans of one starter loop, in stage order (none when it is not loaded)."""
        stage_order = Case(*(When(loop_stage=stage, then=Value(n)) for stage, n in LOOP_STAGE_ORDER.items()))
        return self.filter(loop_track=track, loop_level=level).order_by(stage_order)

    def visible_to(self, user):
        """Templates are shared; a position's plan is visible to those who see the position
        (hiring managers included: editing a plan does not open other positions' plans)."""
        if user.is_superuser:
            return self
        return self.filter(Q(position__isnull=True) | Q(position__in=Position.objects.visible_to(user)))

    def editable_by(self, user):
        """Plans a user may change: templates (not the starter ones) and the plans of positions
        they are the hiring manager of; admins every plan but the starter templates. Users
        without the change permission, none. ``InterviewPlan.can_be_edited_by`` is the same rule
        for one plan already loaded."""
        if not user.has_perm("interviews.change_interviewplan"):
            return self.none()
        plans = self.filter(is_starter=False)
        if user.is_superuser:
            return plans
        return plans.filter(Q(position__isnull=True) | Q(position__hiring_manager=user))


class InterviewPlan(models.Model):
    """An ordered set of questions for one interview slot: a reusable template (no position)
    or a plan for a position."""

    name = models.CharField(max_length=160)
    position = models.ForeignKey(Position, null=True, blank=True, on_delete=models.CASCADE, related_name="plans")
    description = models.TextField(blank=True)
    slot_minutes = models.PositiveSmallIntegerField(default=45)
    cloned_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="clones")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Archived plans leave the lists and the scheduling choices; interviews that used one keep
    # their pinned questions, and the plan can be unarchived.
    archived_at = models.DateTimeField(null=True, blank=True)
    # A template loaded from interviews/starter_plans.yaml by load_starter_plans: read-only in the
    # app (the YAML file is its source; the way to adapt one is to clone it).
    is_starter = models.BooleanField(default=False, db_default=False, editable=False)
    # A starter template that is one interview of a starter loop (interviews/starter_loops.yaml):
    # its track, level and stage. Blank, all three, for every other plan (clones included: they
    # keep cloned_from). Fields rather than a StarterLoop model: a loop holds nothing of its own
    # but these two keys, and the page that lists a loop reads its plans in one query.
    loop_track = models.CharField(max_length=12, choices=Track.choices, blank=True, default="", db_default="",
                                  editable=False)
    loop_level = models.CharField(max_length=8, choices=Level.choices, blank=True, default="", db_default="",
                                  editable=False)
    loop_stage = models.CharField(max_length=16, choices=LoopStage.choices, blank=True, default="", db_default="",
                                  editable=False)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=_between("slot_minutes", SLOT_MINUTES), name="iv_plan_slot_range",
                violation_error_message=f"A slot is between {SLOT_MINUTES[0]} and {SLOT_MINUTES[1]} minutes.",
            ),
            models.CheckConstraint(
                condition=Q(is_starter=False) | Q(position__isnull=True), name="iv_plan_starter_is_template",
                violation_error_message="A starter plan is a template: it has no position.",
            ),
            models.CheckConstraint(
                condition=NO_LOOP | IN_LOOP, name="iv_plan_loop_all_or_none",
                violation_error_message="A plan of a starter loop has a track, a level and a stage; other plans none.",
            ),
            models.CheckConstraint(
                condition=Q(loop_track="") | Q(is_starter=True), name="iv_plan_loop_is_starter",
                violation_error_message="Only starter templates belong to a starter loop.",
            ),
            models.UniqueConstraint(
                fields=["loop_track", "loop_level", "loop_stage"], condition=Q(is_starter=True) & IN_LOOP,
                name="iv_plan_loop_stage_unique",
                violation_error_message="This starter loop already has a plan for that stage.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        """The loop constraints in words (validate_constraints checks the stage is unique)."""
        loop = [self.loop_track, self.loop_level, self.loop_stage]
        if any(loop) and not all(loop):
            raise ValidationError("A plan of a starter loop has a track, a level and a stage; other plans none.")
        if any(loop) and not self.is_starter:
            raise ValidationError("Only starter templates belong to a starter loop.")

    def is_visible_to(self, user):
        """``PlanQuerySet.visible_to`` for this plan (its position loaded or loadable): those who
        run the position answer without a query, anyone else through ``Position.visible_to``."""
        if user.is_superuser or self.position_id is None or self.position.is_run_by(user):
            return True
        return Position.objects.visible_to(user).filter(pk=self.position_id).exists()

    def can_be_edited_by(self, user):
        """``PlanQuerySet.editable_by`` for this plan (its position loaded or loadable)."""
        if not user.has_perm("interviews.change_interviewplan") or self.is_starter:
            return False
        return user.is_superuser or self.position_id is None or self.position.hiring_manager_id == user.pk

    @property
    def is_template(self):
        return self.position_id is None

    @property
    def is_archived(self):
        return self.archived_at is not None

    def get_absolute_url(self):
        return reverse("interviews:plan_builder", args=[self.pk])


class PlanSection(models.Model):
    """A part of a plan: warm-up, fundamentals, coding, system design, wrap-up…"""

    plan = models.ForeignKey(InterviewPlan, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=80)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        return self.title


class PlanItem(models.Model):
    """One question of a plan, pinned to a revision, with its minutes, competency and weight."""

    plan = models.ForeignKey(InterviewPlan, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(PlanSection, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=0)
    revision = models.ForeignKey(QuestionRevision, on_delete=models.PROTECT, related_name="plan_items")
    minutes = models.PositiveSmallIntegerField(default=10)
    competency = models.CharField(max_length=80)
    weight = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.00"))
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["plan", "section__order", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=_between("weight", WEIGHT), name="iv_planitem_weight_range",
                violation_error_message=f"Weight must be between {WEIGHT[0]} and {WEIGHT[1]:g}.",
            ),
            models.CheckConstraint(
                condition=_between("minutes", ITEM_MINUTES), name="iv_planitem_minutes_range",
                violation_error_message=f"Minutes must be between {ITEM_MINUTES[0]} and {ITEM_MINUTES[1]}.",
            ),
        ]

    def __str__(self):
        return f"{self.revision.title} ({self.minutes} min)"

    @property
    def is_retired(self):
        return self.revision.question.status == QuestionStatus.RETIRED

    @property
    def is_outdated(self):
        """Its question has a newer revision than the one pinned here."""
        return self.revision.question.current_revision_id != self.revision_id

    @property
    def can_take_newest(self):
        """Whether the builder offers "Update to the newest revision": only while the question
        is published (the service, plan_item_update_revision, enforces it)."""
        return self.is_outdated and self.revision.question.status == QuestionStatus.PUBLISHED


# How many interchangeable questions a pool holds, its item's own question included: two
# make a choice, and past eight the pool is too big for people to check each is comparable.
POOL_SIZE = (2, 8)


class PoolMember(models.Model):
    """Another question of a plan item's pool (the item's own ``revision`` is the first): at
    scheduling the pool resolves to one of them for the candidate (interviews/pools.py). Same
    bank area and level as the item's question (``pool_add`` says so in words); pinned to a
    revision like the item, so "Update to the newest revision" moves them together."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="pool")
    revision = models.ForeignKey(QuestionRevision, on_delete=models.PROTECT, related_name="pool_members")
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["item", "order", "pk"]
        verbose_name, verbose_name_plural = "pool question", "pool questions"
        constraints = [
            models.UniqueConstraint(
                fields=["item", "revision"], name="iv_poolmember_unique_revision",
                violation_error_message="That question is already in this pool.",
            ),
            models.UniqueConstraint(
                fields=["item", "order"], name="iv_poolmember_unique_order",
                violation_error_message="Two questions of a pool cannot share a place.",
            ),
            models.CheckConstraint(
                condition=Q(order__gte=1) & Q(order__lte=POOL_SIZE[1] - 1), name="iv_poolmember_order_range",
                violation_error_message=f"A pool holds at most {POOL_SIZE[1]} questions.",
            ),
        ]

    def __str__(self):
        return f"{self.revision.title} (pool of item {self.item_id})"

    def clean(self):
        # The pool's rule in words, as services.pool_add says it.
        if self.item_id and self.revision_id:
            error = pool_mismatch(self.item.revision.question, self.revision.question)
            if error:
                raise ValidationError({"revision": error})


def pool_mismatch(first, question):
    """Why bank ``question`` cannot be pooled with ``first`` (the item's question), or None:
    a pool's questions are interchangeable, so they share a level and an area."""
    if question.level != first.level:
        return (f"“{question.title}” is {question.get_level_display().lower()} level and “{first.title}” is "
                f"{first.get_level_display().lower()}: a pool's questions are interchangeable, so they share a level.")
    if question.area != first.area:
        return (f"“{question.title}” is about {question.get_area_display()} and “{first.title}” about "
                f"{first.get_area_display()}: a pool's questions probe the same competency, so they share an area.")
    return None


class InterviewStatus(models.TextChoices):
    """What is stored: scheduled, or cancelled by a recruiter. Where a scheduled interview is
    now (upcoming, in progress, held, completed) is its ``InterviewStage``, derived on read."""

    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class InterviewStage(models.TextChoices):
    """Where an interview is, from its status, its time and its panel's scorecards. Never
    stored, so no job has to move it: ``InterviewQuerySet.with_stage`` computes it in SQL."""

    UPCOMING = "upcoming", "Upcoming"
    IN_PROGRESS = "in_progress", "In progress"
    HELD = "held", "Held"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


# A scorecard's status once submitted (scoring.ScorecardStatus.SUBMITTED). Scoring sits above
# interviews, so interviews reads scorecards through the reverse relation name only.
SCORECARD_SUBMITTED = "submitted"


def interview_ends_sql(prefix=""):
    """The end of an interview in SQL: starts_at + duration_minutes minutes."""
    return ExpressionWrapper(
        F(f"{prefix}starts_at") + F(f"{prefix}duration_minutes") * timedelta(minutes=1), output_field=DateTimeField()
    )


def _every_panelist_submitted():
    """True for an interview with a panel whose every member has a submitted scorecard."""
    panel = Interview.interviewers.through.objects
    submitted = Interview.objects.filter(
        pk=OuterRef("interview_id"), scorecards__interviewer_id=OuterRef("user_id"),
        scorecards__status=SCORECARD_SUBMITTED,
    )
    lacking = panel.filter(interview_id=OuterRef("pk")).exclude(Exists(submitted))
    return Q(Exists(panel.filter(interview_id=OuterRef("pk")))) & ~Q(Exists(lacking))


def stage_conditions(now):
    """{stage: condition} over interviews annotated with ``ends``; exactly one holds per row."""
    cancelled = Q(status=InterviewStatus.CANCELLED)
    done = _every_panelist_submitted()
    open_ = ~cancelled & ~done
    return {
        InterviewStage.CANCELLED: cancelled,
        InterviewStage.COMPLETED: ~cancelled & done,
        InterviewStage.UPCOMING: open_ & Q(starts_at__gt=now),
        InterviewStage.IN_PROGRESS: open_ & Q(starts_at__lte=now, ends__gt=now),
        InterviewStage.HELD: open_ & Q(ends__lte=now),
    }


class InterviewQuerySet(models.QuerySet):
    def with_stage(self, now=None):
        """Each interview with ``stage_code`` (an ``InterviewStage`` value) and ``ends``, in the
        same query: cancelled; completed once every panelist's scorecard is submitted;
        otherwise upcoming, in progress or held by the clock."""
        now = now or timezone.now()
        qs = self if "ends" in self.query.annotations else self.annotate(ends=interview_ends_sql())
        # The same rules as stage_conditions, written in CASE order so each is tested once.
        return qs.annotate(
            stage_code=Case(
                When(status=InterviewStatus.CANCELLED, then=Value(InterviewStage.CANCELLED.value)),
                When(_every_panelist_submitted(), then=Value(InterviewStage.COMPLETED.value)),
                When(starts_at__gt=now, then=Value(InterviewStage.UPCOMING.value)),
                When(ends__gt=now, then=Value(InterviewStage.IN_PROGRESS.value)),
                default=Value(InterviewStage.HELD.value),
                output_field=models.CharField(),
            ),
        )

    def in_stage(self, stage, now=None):
        """Interviews in one ``InterviewStage`` now."""
        qs = self if "ends" in self.query.annotations else self.annotate(ends=interview_ends_sql())
        return qs.filter(stage_conditions(now or timezone.now())[InterviewStage(stage)])

    def visible_to(self, user):
        """Interviews the user is on the panel of (cancelled ones too), and every interview of
        the positions the user runs. Admins see all."""
        if user.is_superuser:
            return self
        # EXISTS rather than a join on the panel: one row per interview, so no DISTINCT, and
        # counts annotated over the result stay right.
        on_panel = Interview.interviewers.through.objects.filter(interview_id=OuterRef("pk"), user=user)
        return self.filter(
            Q(Exists(on_panel)) | Q(candidate__position__hiring_manager=user) | Q(candidate__position__recruiter=user)
        )

    def for_interviewer(self, user):
        return self.filter(interviewers=user)


class Interview(models.Model):
    """A scheduled interview of a candidate with a panel of interviewers. Its questions are
    pinned copies of the plan's items (``InterviewQuestion``), so later edits to the plan or
    the bank never change it."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="interviews")
    plan = models.ForeignKey(InterviewPlan, null=True, on_delete=models.SET_NULL, related_name="interviews")
    plan_name = models.CharField(max_length=160)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=45)
    interviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="interviews")
    status = models.CharField(max_length=10, choices=InterviewStatus.choices, default=InterviewStatus.SCHEDULED)
    cancel_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The iCalendar SEQUENCE of the interview's event (interviews/calendar.py): calendar apps
    # take an update of a UID only with a higher sequence, so every reschedule and the cancel
    # bump it, under the interview's row lock.
    sequence = models.PositiveIntegerField(default=0, db_default=0)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            # Dashboards: upcoming and overdue interviews by start time.
            models.Index(fields=["status", "starts_at"], name="iv_interview_status_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_between("duration_minutes", SLOT_MINUTES), name="iv_interview_duration_range",
                violation_error_message=f"An interview lasts {SLOT_MINUTES[0]} to {SLOT_MINUTES[1]} minutes.",
            ),
        ]

    def __str__(self):
        return f"{self.candidate} · {self.plan_name} · {self.starts_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("interviews:interview_detail", args=[self.pk])

    @property
    def ends_at(self):
        return self.starts_at + timezone.timedelta(minutes=self.duration_minutes)

    @property
    def is_cancelled(self):
        return self.status == InterviewStatus.CANCELLED

    @transaction.atomic
    def cancel(self, *, reason):
        """Cancel the interview, keeping the reason (the panel and the candidate's history show
        it). Returns False, changing nothing, when it was already cancelled.

        The row is locked first: a recruiter cancelling while another reschedules
        (``interview_reschedule`` takes the same lock) would otherwise have the reschedule,
        which checked the status before the cancel committed, write a new time and panel onto
        a cancelled interview; and of two cancels at once, the second would overwrite the
        first's reason."""
        status, sequence = (Interview.objects.select_for_update().values_list("status", "sequence")
                            .get(pk=self.pk))
        if status == InterviewStatus.CANCELLED:
            self.status, self.sequence = status, sequence
            return False
        # The locked row's sequence, not this instance's (possibly stale) one: no lost bump.
        self.status, self.cancel_reason, self.sequence = InterviewStatus.CANCELLED, reason[:200], sequence + 1
        self.save(update_fields=["status", "cancel_reason", "sequence"])
        from .invitations import cancellations_send, channel_tell  # they read this module's models

        cancellations_send(interview=self)  # the panel's cancellations, queued with this change
        channel_tell(interview=self, what="cancelled")
        interview_publish(interview=self, type=EventType.INTERVIEW_CANCELLED)
        return True

    @property
    def stage(self):
        """The ``InterviewStage``: from ``with_stage`` when the interview was read with it,
        else one query."""
        code = getattr(self, "stage_code", None)
        if code is None:
            code = Interview.objects.with_stage().filter(pk=self.pk).values_list("stage_code", flat=True).first()
        return InterviewStage(code)


class InterviewQuestion(models.Model):
    """A question as pinned for one interview: a copy of a plan item (revision, minutes,
    competency, weight, required), or an ad-hoc question an interviewer added live (from the
    bank, or free text), which belongs to that interviewer's scorecard only."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    section = models.CharField(max_length=80, blank=True)
    revision = models.ForeignKey(QuestionRevision, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    free_text = models.TextField(blank=True, help_text="The prompt of an ad-hoc question not from the bank.")
    minutes = models.PositiveSmallIntegerField(default=5)
    competency = models.CharField(max_length=80)
    weight = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.00"))
    required = models.BooleanField(default=True)
    # One phase of a design round scored per phase: the index into its revision's ``phases``.
    # A plan item of such a round is pinned as one question per phase, then one with no phase
    # for the round as a whole (``interview_questions_for``); NULL for every other question.
    phase = models.PositiveSmallIntegerField(null=True, blank=True)
    # The interviewer who added this question during the interview; empty for the pinned plan.
    # An interviewer has one scorecard per interview, so these are that scorecard's questions.
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="ad_hoc_questions_added"
    )
    # Why a question pool (PoolMember) resolved to this question for this candidate, in words
    # (interviews/pools.py, pool_pick); empty for a question that was not in a pool.
    pool_note = models.CharField(max_length=300, blank=True, default="", db_default="")

    class Meta:
        ordering = ["interview", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revision__isnull=False) | ~Q(free_text=""), name="iv_question_has_revision_or_text",
                violation_error_message="A question is from the bank or has its own text.",
            ),
            # A part of a design round carries its share of the plan item's weight (as little
            # as 0.25 / 7, rounded to hundredths): PART_WEIGHT below WEIGHT's lowest.
            models.CheckConstraint(
                condition=_between("weight", WEIGHT) | (Q(revision__isnull=False) & _between("weight", PART_WEIGHT)),
                name="iv_question_weight_range",
                violation_error_message=f"Weight must be between {WEIGHT[0]} and {WEIGHT[1]:g}.",
            ),
            models.CheckConstraint(
                condition=Q(phase__isnull=True) | Q(revision__isnull=False), name="iv_question_phase_has_revision",
                violation_error_message="Only a question from the bank has phases.",
            ),
        ]

    def __str__(self):
        return self.title

    # How much of an ad-hoc question's text stands as its title.
    TITLE_CHARS = 80

    # How the part of a design round scored as a whole is named after its title.
    OVERALL = "Overall"

    @property
    def title(self):
        """The pinned revision's title, or an ad-hoc question's text cut to TITLE_CHARS. A part
        of a design round scored per phase adds its phase: "<title> · Data", or "<title> ·
        Overall" for the round as a whole."""
        if not self.revision_id:
            return self.free_text[:self.TITLE_CHARS]
        revision = self.revision
        if self.phase is not None:
            return f"{revision.title} · {revision.phase_name(self.phase)}"
        if revision.phases and self.added_by_id is None:
            return f"{revision.title} · {self.OVERALL}"
        return revision.title

    @property
    def phase_name(self):
        """"Data", "Overall" (a design round's part) or "" (any other question)."""
        if self.phase is not None:
            return self.revision.phase_name(self.phase)
        if self.revision_id and self.added_by_id is None and self.revision.phases:
            return self.OVERALL
        return ""

    @classmethod
    def phase_expression(cls, prefix=""):
        """``phase_name`` in a query ("Data", "Overall" or "")."""
        return Case(
            When(**{f"{prefix}phase__isnull": False},
                 then=PhaseName(f"{prefix}revision__phases", f"{prefix}phase")),
            When(Q(**{f"{prefix}added_by__isnull": True}) & ~Q(**{f"{prefix}revision__phases": []}),
                 then=Value(cls.OVERALL)),
            default=Value(""), output_field=models.CharField(),
        )

    @classmethod
    def title_expression(cls, prefix=""):
        """``title`` in a query, for reads that load no revision (``prefix``: the path to the
        question, e.g. "questions__" from an interview)."""
        title = Coalesce(f"{prefix}revision__title", Left(f"{prefix}free_text", cls.TITLE_CHARS),
                         output_field=models.CharField())
        return Case(
            When(**{f"{prefix}phase__isnull": False},
                 then=Concat(title, Value(" · "), PhaseName(f"{prefix}revision__phases", f"{prefix}phase"))),
            When(Q(**{f"{prefix}added_by__isnull": True}) & ~Q(**{f"{prefix}revision__phases": []}),
                 then=Concat(title, Value(f" · {cls.OVERALL}"))),
            default=title, output_field=models.CharField(),
        )

    @property
    def ad_hoc(self):
        return self.added_by_id is not None


class ShadowKind(models.TextChoices):
    SHADOW = "shadow", "Shadowing (observes)"
    REVERSE = "reverse", "Reverse-shadowing (leads, with a qualified panelist)"


class InterviewShadow(models.Model):
    """A person learning an interview's questions on a real interview: an observer beside the
    panel (shadow), or a panelist who leads it while a qualified colleague watches (reverse).
    Counts towards qualification, where the position says so, once the interview has ended
    and was not cancelled (interviews/qualification.py)."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="shadows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interview_shadows")
    kind = models.CharField(max_length=8, choices=ShadowKind.choices)

    class Meta:
        ordering = ["interview", "kind", "user__first_name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "user"], name="iv_shadow_one_per_person",
                violation_error_message="This person already shadows this interview.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ShadowKind.values), name="iv_shadow_kind_known",
                violation_error_message="A shadow observes or leads (reverse-shadowing).",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()} · {self.interview}"
