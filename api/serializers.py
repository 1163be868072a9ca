"""What the API returns (read serializers) and the shape of what it takes (input serializers).

Input serializers check only types and shapes; the rules (a panelist already booked, a plan of
another position, a candidate's e-mail taken) are the pages' forms', which the views run on
the checked data, so the API and the pages refuse the same things in the same words."""

from collections import defaultdict

from django.db.models import CharField, F
from django.db.models.functions import Cast
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from interviews.models import (
    Candidate,
    Interview,
    InterviewPlan,
    InterviewQuestion,
    PlanItem,
    PoolMember,
    Position,
    Stage,
)
from questionbank.models import SCORE_LEVELS, Area, Kind, Level, Question, QuestionRevision, RoleTrack
from scoring.models import Decision, DecisionChoice, QuestionScore, Scorecard


# The largest id PostgreSQL's bigint holds: a larger number is refused here, not by the database.
MAX_ID = 2**63 - 1


def id_field(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class Username(serializers.SlugRelatedField):
    """A user by their username (read only)."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="username", read_only=True, **kwargs)


class PositionSerializer(serializers.ModelSerializer):
    hiring_manager = Username()
    recruiter = Username()

    class Meta:
        model = Position
        fields = ["id", "title", "team", "level", "status", "hiring_manager", "recruiter", "created_at"]


class CandidateSerializer(serializers.ModelSerializer):
    has_cv_file = serializers.SerializerMethodField()

    class Meta:
        model = Candidate
        fields = ["id", "external_id", "position", "name", "email", "stage", "source", "notes", "cv_url",
                  "has_cv_file", "created_at"]

    def get_has_cv_file(self, candidate) -> bool:
        return bool(candidate.cv_file)


class CandidateInput(serializers.Serializer):
    """A candidate as the ATS sends it; fields left out keep their current value (a new
    candidate: empty, stage "applied")."""

    name = serializers.CharField(max_length=160, required=False)
    email = serializers.EmailField(required=False, allow_blank=True)
    stage = serializers.ChoiceField(choices=Stage.choices, required=False)
    source = serializers.CharField(max_length=120, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    cv_url = serializers.URLField(max_length=200, required=False, allow_blank=True)


class PoolQuestionSerializer(serializers.Serializer):
    question = serializers.CharField(help_text="The bank question's slug.")
    revision = serializers.IntegerField()
    title = serializers.CharField()


class PlanItemSerializer(serializers.ModelSerializer):
    section = serializers.CharField(source="section.title")
    question = serializers.CharField(source="revision.question.slug")
    revision = serializers.IntegerField(source="revision.number")
    title = serializers.CharField(source="revision.title")
    # Read-only: a pool is built in the plan builder. Empty for a plain item; else the pool's
    # other questions, one of which (or the item's own) each interview is given.
    pool = PoolQuestionSerializer(many=True, read_only=True,
                                  help_text="The other questions of the item's pool, in order; empty when it has none.")

    class Meta:
        model = PlanItem
        fields = ["id", "section", "order", "question", "revision", "title", "minutes", "competency", "weight",
                  "required", "pool"]


def items_by_plan(plan_ids):
    """{plan id: [item, ...]} as PlanItemSerializer writes them, in two queries of plain values
    (the items, then their pools). A page of 50 plans holds 500 items: through the serializer
    they took ~30 ms of the list's 38 ms (make bench, 15x its baseline); as values, ~4 ms."""
    found = defaultdict(list)
    rows = (PlanItem.objects.filter(plan_id__in=plan_ids).order_by("section__order", "order", "pk")
            .values_list("plan_id", "id", "section__title", "order", "revision__question__slug", "revision__number",
                         "revision__title", "minutes", "competency", "weight", "required"))
    pools = defaultdict(list)  # the items' pools, in a second query of values
    for item, slug, number, title in (
        PoolMember.objects.filter(item__plan_id__in=plan_ids).order_by("item_id", "order")
        .values_list("item_id", "revision__question__slug", "revision__number", "revision__title")
    ):
        pools[item].append({"question": slug, "revision": number, "title": title})
    for plan, item, section, order, slug, number, title, minutes, competency, weight, required in rows:
        found[plan].append({
            "id": item, "section": section, "order": order, "question": slug, "revision": number, "title": title,
            "minutes": minutes, "competency": competency, "weight": f"{weight:.2f}", "required": required,
            "pool": pools.get(item, []),
        })
    return found


# ``items`` come from the context's ``items`` (``items_by_plan`` of the page), or are read for
# the one plan. (A comment, not a docstring: the schema would publish it.)
class PlanSerializer(serializers.ModelSerializer):
    items = serializers.SerializerMethodField()
    is_template = serializers.BooleanField()
    is_archived = serializers.BooleanField()

    class Meta:
        model = InterviewPlan
        fields = ["id", "name", "position", "description", "slot_minutes", "is_template", "is_archived", "items",
                  "created_at", "updated_at"]

    @extend_schema_field(PlanItemSerializer(many=True))
    def get_items(self, plan):
        items = self.context.get("items")
        return (items if items is not None else items_by_plan([plan.pk]))[plan.pk]


class QuestionSerializer(serializers.ModelSerializer):
    revision = serializers.IntegerField(source="current_revision.number", allow_null=True, default=None)

    class Meta:
        model = Question
        fields = ["slug", "title", "area", "kind", "level", "roles", "status", "revision", "updated_at"]


class PhaseSerializer(serializers.Serializer):
    """One phase of a design round scored per phase, with its own rubric."""
    name = serializers.CharField()
    minutes = serializers.IntegerField()
    focus = serializers.CharField()
    criteria = serializers.ListField(child=serializers.CharField())
    anchors = serializers.DictField(child=serializers.CharField())


class RevisionSerializer(serializers.ModelSerializer):
    criteria = serializers.SerializerMethodField()
    anchors = serializers.SerializerMethodField()
    phases = serializers.SerializerMethodField()

    class Meta:
        model = QuestionRevision
        fields = ["number", "title", "prompt", "why_we_ask", "model_answer", "key_points", "follow_ups", "minutes",
                  "criteria", "anchors", "phases", "created_at"]

    # A design round's criteria and anchors here score the round as a whole; each phase has its own.
    def get_criteria(self, revision) -> list[str]:
        return [criterion.text for criterion in revision.own_criteria()]

    def get_anchors(self, revision) -> dict[str, str]:
        return {str(anchor.level): anchor.text for anchor in revision.own_anchors()}

    @extend_schema_field(PhaseSerializer(many=True))
    def get_phases(self, revision):
        return [{"name": p["name"], "minutes": p["minutes"], "focus": p["focus"], "criteria": p["criteria"],
                 "anchors": {str(level): text for level, text in enumerate(p["anchors"], 1) if text}}
                for p in revision.phase_rubrics()]


class QuestionDetailSerializer(QuestionSerializer):
    current = RevisionSerializer(source="current_revision", allow_null=True)

    class Meta(QuestionSerializer.Meta):
        fields = [*QuestionSerializer.Meta.fields, "current"]


class FollowUpInput(serializers.Serializer):
    question = serializers.CharField(max_length=2000)
    good_answer = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class QuestionInput(serializers.Serializer):
    """A question's identity and the words of the revision to save, as the question editor
    takes them (its form checks the rules: a unique slug, 2 to 8 distinct criteria, four
    distinct anchors, a reference solution for a coding question)."""

    slug = serializers.CharField(max_length=80, required=False, allow_blank=True,
                                 help_text="New questions only; left out, made from the title.")
    title = serializers.CharField(max_length=200)
    area = serializers.ChoiceField(choices=Area.choices)
    kind = serializers.ChoiceField(choices=Kind.choices)
    level = serializers.ChoiceField(choices=Level.choices)
    roles = serializers.ListField(child=serializers.ChoiceField(choices=RoleTrack.choices), allow_empty=False,
                                  max_length=len(RoleTrack.choices))
    minutes = serializers.IntegerField(min_value=0, max_value=10**6, default=10)
    prompt = serializers.CharField(max_length=20000)
    why_we_ask = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    model_answer = serializers.CharField(max_length=50000, required=False, allow_blank=True, default="")
    key_points = serializers.ListField(child=serializers.CharField(max_length=2000), required=False, default=list,
                                       max_length=50)
    follow_ups = serializers.ListField(child=FollowUpInput(), required=False, default=list, max_length=50)
    criteria = serializers.ListField(child=serializers.CharField(max_length=400), max_length=8)
    anchors = serializers.DictField(child=serializers.CharField(max_length=5000, allow_blank=True),
                                    help_text='{"1": "what a poor answer sounds like", …, "4": "…excellent…"}')
    reference_solution = serializers.CharField(max_length=50000, required=False, allow_blank=True, default="")
    coding_tests = serializers.JSONField(required=False, default=dict)
    change_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    confirm_similar = serializers.BooleanField(default=False,
                                               help_text="Save even though questions with similar titles exist.")

    def validate_anchors(self, anchors):
        levels = {str(level) for level in SCORE_LEVELS}
        if set(anchors) - levels:
            raise serializers.ValidationError("Anchors are keyed by level: \"1\", \"2\", \"3\" and \"4\".")
        return anchors


class InterviewSerializer(serializers.ModelSerializer):
    position = serializers.IntegerField(source="candidate.position_id")
    interviewers = Username(many=True)
    ends_at = serializers.DateTimeField()
    stage = serializers.CharField(source="stage_code")

    class Meta:
        model = Interview
        fields = ["id", "candidate", "position", "plan", "plan_name", "starts_at", "ends_at", "duration_minutes",
                  "interviewers", "status", "stage", "cancel_reason", "created_at"]


# Datetimes as the serializers write them (ISO 8601, UTC as "Z").
WHEN = serializers.DateTimeField()


def panels_by_interview(interview_ids):
    """{interview id: [username, ...]} by name, in one query of values (as the detail lists
    them: api.views.interviews_of)."""
    panels = defaultdict(list)
    for interview, username in (Interview.interviewers.through.objects.filter(interview_id__in=interview_ids)
                                .order_by("user__username").values_list("interview_id", "user__username")):
        panels[interview].append(username)
    return panels


def interview_rows(interviews, stages, panels):
    """A list page's interviews as InterviewSerializer writes them, from their plain attributes
    (``stages``: {id: stage code} of the page; ``panels``: {id: [username, ...]}). Through the serializer 50 interviews took
    ~2.7 ms of the list's ~17 (make bench: 8.9x its baseline, budget 8x); so, ~0.5 ms.
    tests/api/test_resources.py checks a listed row equals the detail, field for field."""
    return [{
        "id": i.pk, "candidate": i.candidate_id, "position": i.candidate.position_id, "plan": i.plan_id,
        "plan_name": i.plan_name, "starts_at": WHEN.to_representation(i.starts_at),
        "ends_at": WHEN.to_representation(i.ends_at), "duration_minutes": i.duration_minutes,
        "interviewers": panels[i.pk], "status": i.status,
        "stage": stages[i.pk], "cancel_reason": i.cancel_reason, "created_at": WHEN.to_representation(i.created_at),
    } for i in interviews]


class ScheduleInput(serializers.Serializer):
    candidate = id_field()
    plan = id_field()
    starts_at = serializers.CharField(help_text="ISO 8601 with its UTC offset: 2026-12-10T14:00:00+01:00")
    duration_minutes = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=10**6,
                                                help_text="Left out: the plan's slot length.")
    interviewers = serializers.ListField(child=serializers.CharField(max_length=150), allow_empty=False,
                                         max_length=50, help_text="Usernames of interviewers.")
    overrun_confirm = serializers.BooleanField(default=False,
                                               help_text="Schedule even when the questions need more minutes.")


class RescheduleInput(ScheduleInput):
    candidate = None
    plan = None
    duration_minutes = serializers.IntegerField(min_value=0, max_value=10**6)


class CancelInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class QuestionScoreSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="question.title")
    competency = serializers.CharField(source="question.competency")
    weight = serializers.DecimalField(source="question.weight", max_digits=4, decimal_places=2)

    class Meta:
        model = QuestionScore
        fields = ["question", "title", "competency", "weight", "score", "skipped", "skip_reason", "criteria_met",
                  "notes"]


def scores_by_card(card_ids, interview_ids):
    """{scorecard id: [score, ...]} of the scorecards, as QuestionScoreSerializer writes them, in
    one query of plain values. A page of 50 scorecards holds 500 scores: through the serializer
    they took ~170 ms of the list's 210 ms (make bench, 83x its baseline); as values, ~6 ms.
    The scores' questions are also picked by the cards' interviews: without that the planner
    reads every interview question of the table to join 500 of them (9 ms on the bench data;
    2.4 ms with it)."""
    found = defaultdict(list)
    rows = (QuestionScore.objects
            .filter(scorecard_id__in=card_ids, question__interview_id__in=interview_ids)
            .order_by("question__order", "pk")
            # The weight as PostgreSQL writes a numeric(4, 2), "1.50": formatting 500 Decimals
            # in Python took ~0.9 ms.
            .values_list("scorecard_id", "question_id", InterviewQuestion.title_expression("question__"),
                         "question__competency", Cast("question__weight", CharField()), "score", "skipped",
                         "skip_reason", "criteria_met", "notes"))
    for card, question, title, competency, weight, score, skipped, reason, criteria, notes in rows:
        found[card].append({
            "question": question, "title": title,
            "competency": competency, "weight": weight, "score": score, "skipped": skipped,
            "skip_reason": reason, "criteria_met": criteria, "notes": notes,
        })
    return found


# One scorecard (a list page is written by ``scorecard_rows``). (A comment, not a docstring:
# the schema would publish it.)
class ScorecardSerializer(serializers.ModelSerializer):
    candidate = serializers.IntegerField(source="interview.candidate_id")
    interviewer = Username()
    scores = serializers.SerializerMethodField()

    @extend_schema_field(QuestionScoreSerializer(many=True))
    def get_scores(self, card):
        return scores_by_card([card.pk], [card.interview_id])[card.pk]

    class Meta:
        model = Scorecard
        fields = ["id", "interview", "candidate", "interviewer", "recommendation", "summary", "submitted_at",
                  "scores"]


def scorecard_rows(cards):
    """A list page's scorecards (``scorecard_values``) as ScorecardSerializer writes them,
    with their scores (``scores_by_card``). Through the serializer 50 cards took ~3.7 ms of the
    list's ~18 (make bench: 9x its baseline, budget 8x); so, ~0.3 ms; read as values rather than
    instances, the page's query takes ~4.5 ms instead of ~5.8. tests/api/test_resources.py
    checks a listed card equals the detail, field for field."""
    scores = scores_by_card([card["pk"] for card in cards], {card["interview_id"] for card in cards})
    return [{
        "id": card["pk"], "interview": card["interview_id"], "candidate": card["candidate"],
        "interviewer": card["interviewer_name"], "recommendation": card["recommendation"],
        "summary": card["summary"], "submitted_at": WHEN.to_representation(card["submitted_at"]),
        "scores": scores[card["pk"]],
    } for card in cards]


def scorecard_values(cards):
    """What a list page reads of each scorecard, as values (no model instances)."""
    return cards.values("pk", "interview_id", "recommendation", "summary", "submitted_at",
                        candidate=F("interview__candidate_id"), interviewer_name=F("interviewer__username"))


class DecisionSerializer(serializers.ModelSerializer):
    by = Username()

    class Meta:
        model = Decision
        # The decision rule's verdict when the decision was made ("" without a rule), its
        # reason and score, and the override reason of a decision against it: read only.
        fields = ["id", "candidate", "decision", "rationale", "by", "at", "rule_verdict", "rule_reason", "rule_score",
                  "override_reason"]
        read_only_fields = ["rule_verdict", "rule_reason", "rule_score", "override_reason"]


class DecisionInput(serializers.Serializer):
    candidate = id_field()
    decision = serializers.ChoiceField(choices=DecisionChoice.choices)
    rationale = serializers.CharField(max_length=5000)
    override_reason = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default="",
        help_text="Required when the decision goes against the position's decision rule.")


class CalibrationSerializer(serializers.Serializer):
    computed_at = serializers.DateTimeField()
    figures = serializers.JSONField(help_text="Per interviewer and per question: docs/scoring.md explains each.")
