"""Pinning a design round scored per phase: one interview question per phase, in order, then
one for the round as a whole, each with its minutes, its share of the item's weight and the
item's section, competency and required flag; their titles name the phase."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from interviews.models import InterviewQuestion, PlanItem
from interviews.services import part_weights, phase_minutes
from questionbank.bankfiles import DESIGN_PHASES
from tests.factories import make_candidate, make_interview, make_plan
from tests.phased import PHASE_MINUTES, make_phased_question

pytestmark = pytest.mark.django_db
TITLE = "Feed ranking round: a phased test design"


@pytest.fixture
def design_plan(position, hiring_manager):
    make_phased_question()
    plan = make_plan(by=hiring_manager, position=position, name="Design onsite",
                     sections=[("Warm-up", ["precision"]), ("Design", ["feed-ranking-phased"])],
                     competencies=["Evaluation", "System design"])
    PlanItem.objects.filter(plan=plan, revision__question__slug="feed-ranking-phased").update(
        minutes=45, weight=Decimal("1.50"), required=False)
    return plan


def pinned(interview):
    return list(interview.questions.select_related("revision").order_by("order"))


def test_a_phased_round_is_pinned_as_one_question_per_phase_then_the_whole(design_plan, position, interviewer):
    interview = make_interview(candidate=make_candidate(position=position), interviewers=[interviewer],
                               plan=design_plan)
    questions = pinned(interview)
    assert [q.order for q in questions] == list(range(1, 9))
    warm_up, parts = questions[0], questions[1:]
    assert (warm_up.phase, warm_up.title, warm_up.weight) == (None, warm_up.revision.title, Decimal("1.00"))
    assert [q.phase for q in parts] == [0, 1, 2, 3, 4, 5, None]
    assert [q.title for q in parts] == [f"{TITLE} · {name}" for name in DESIGN_PHASES] + [f"{TITLE} · Overall"]
    assert [q.phase_name for q in parts] == [*DESIGN_PHASES, "Overall"]
    # Each phase its minutes; the whole round what is left of the item's 45 (45 - 39).
    assert [q.minutes for q in parts] == [*PHASE_MINUTES, 45 - sum(PHASE_MINUTES)]
    # The item's weight 1.50 shared out in hundredths: the round counts as one item of 1.50.
    assert [q.weight for q in parts] == [Decimal("0.22")] * 3 + [Decimal("0.21")] * 4
    assert sum(q.weight for q in parts) == Decimal("1.50")
    assert {(q.section, q.competency, q.required, q.revision_id) for q in parts} == {
        ("Design", "System design", False, parts[0].revision_id)}


def test_the_whole_round_gets_no_minutes_when_the_phases_take_them_all(design_plan, position, interviewer):
    PlanItem.objects.filter(plan=design_plan, section__title="Design").update(minutes=sum(PHASE_MINUTES),
                                                                             weight=Decimal("0.25"))
    interview = make_interview(candidate=make_candidate(position=position), interviewers=[interviewer],
                               plan=design_plan)
    parts = pinned(interview)[1:]
    assert [q.minutes for q in parts] == [*PHASE_MINUTES, 0]
    # The lowest item weight still splits into parts the database takes.
    assert [q.weight for q in parts] == [Decimal("0.04")] * 4 + [Decimal("0.03")] * 3


def test_a_shorter_item_scales_the_phases_down_to_its_minutes(design_plan, position, interviewer):
    PlanItem.objects.filter(plan=design_plan, section__title="Design").update(minutes=30)
    interview = make_interview(candidate=make_candidate(position=position), interviewers=[interviewer],
                               plan=design_plan)
    parts = pinned(interview)[1:]
    # 5 6 8 7 7 6 (39) x 30/39 = 3.85 4.62 6.15 5.38 5.38 4.62: rounded down 3 4 6 5 5 4 (27),
    # the 3 minutes left to the largest remainders (3.85, then 4.62 twice, the earlier first).
    assert [q.minutes for q in parts] == [4, 5, 6, 5, 5, 5, 0]
    assert sum(q.minutes for q in parts) == 30


@pytest.mark.parametrize("total", [1, 6, 20, 38, 39, 45, 120])
def test_phase_minutes_never_exceed_the_item(total):
    minutes = phase_minutes(list(PHASE_MINUTES), total)
    assert sum(minutes) == min(total, sum(PHASE_MINUTES)) and all(m >= 0 for m in minutes)


@pytest.mark.parametrize("weight, parts", [("1.00", 7), ("0.25", 7), ("10.00", 7), ("2.00", 3), ("0.07", 7)])
def test_part_weights_add_up_to_the_item_weight(weight, parts):
    shares = part_weights(Decimal(weight), parts)
    assert len(shares) == parts and sum(shares) == Decimal(weight)
    assert max(shares) - min(shares) <= Decimal("0.01") and min(shares) > 0


def test_the_titles_in_sql_match_the_titles_in_python(design_plan, position, interviewer):
    interview = make_interview(candidate=make_candidate(position=position), interviewers=[interviewer],
                               plan=design_plan)
    revision = pinned(interview)[1].revision
    last = len(pinned(interview))
    # An interviewer adding the round during the interview gets it as one question, titled plainly.
    InterviewQuestion.objects.create(interview=interview, order=last + 1, revision=revision, competency="Ad hoc",
                                     required=False, added_by=interviewer)
    InterviewQuestion.objects.create(interview=interview, order=last + 2, free_text="Tell me about your week",
                                     competency="Ad hoc", required=False, added_by=interviewer)
    in_sql = dict(interview.questions.values_list("pk", InterviewQuestion.title_expression()))
    in_python = {q.pk: q.title for q in pinned(interview)}
    assert in_sql == in_python
    assert in_python[pinned(interview)[-2].pk] == TITLE


def test_the_database_keeps_phases_to_bank_questions_and_small_weights_to_parts(interview):
    question = interview.questions.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        InterviewQuestion.objects.create(interview=interview, order=99, free_text="Ad hoc", competency="x", phase=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        InterviewQuestion.objects.create(interview=interview, order=99, free_text="Ad hoc", competency="x",
                                         weight=Decimal("0.10"))
    InterviewQuestion.objects.filter(pk=question.pk).update(weight=Decimal("0.10"))  # a bank question's part
    with pytest.raises(IntegrityError), transaction.atomic():
        InterviewQuestion.objects.filter(pk=question.pk).update(weight=Decimal("0.00"))


def test_the_builder_says_a_round_is_scored_per_phase_and_when_its_item_is_short(
        hm_client, design_plan, django_assert_num_queries):
    from tests.interviews.test_plan_builder import BUILDER_QUERIES

    with django_assert_num_queries(BUILDER_QUERIES):  # as for any plan: the phases come with the revisions
        page = hm_client.get(f"/plans/{design_plan.pk}/").content.decode()
    assert "scored in 6 phases and as a whole" in page and "phases taking" not in page
    PlanItem.objects.filter(plan=design_plan, section__title="Design").update(minutes=30)
    page = hm_client.get(f"/plans/{design_plan.pk}/").content.decode()
    assert f"is scored in 6 phases taking {sum(PHASE_MINUTES)} minutes; with 30 here" in page
