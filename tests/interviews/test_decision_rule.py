"""A position's decision rule: its form and named constraints, its words, who may fix it, and
its lock once a scorecard is submitted (form, service and a direct POST)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import AuditEvent
from interviews.decision_rules import DecisionRuleLocked, position_decision_rule_set
from interviews.models import Position
from interviews.rule_forms import DecisionRuleForm
from tests.factories import make_candidate, make_interview, make_position, make_scorecard

pytestmark = pytest.mark.django_db


def rule_url(position):
    return reverse("interviews:position_rule", args=[position.pk])


def post_rule(client, position, **fields):
    data = {"rule_min_score": "", "rule_min_yes": ""}
    data.update({k: v for k, v in fields.items() if v is not None})
    return client.post(rule_url(position), data)


@pytest.mark.parametrize("typed,error", [
    ("0.5", "At least 1.00"), ("4.5", "At most 4.00"), ("abc", "Enter a number."), ("2.755", "at most two decimals"),
    ("1e400", "At most 4.00"), ("NaN", "Enter a number."), ("99999999999999999999", "at most two decimals"),
])
def test_it_refuses_a_minimum_score_off_the_scale_or_not_a_number(typed, error):
    form = DecisionRuleForm({"rule_min_score": typed})
    assert not form.is_valid()
    assert any(error in message for message in form.errors["rule_min_score"]), form.errors


@pytest.mark.parametrize("typed", ["0", "21", "-1", "many"])
def test_it_refuses_a_number_of_yes_out_of_range(typed):
    form = DecisionRuleForm({"rule_min_score": "2.5", "rule_min_yes": typed})
    assert not form.is_valid() and "rule_min_yes" in form.errors


def test_it_asks_for_at_least_one_condition():
    form = DecisionRuleForm({"rule_min_score": "", "rule_min_yes": ""})
    assert not form.is_valid()
    assert "Choose at least one condition" in form.non_field_errors()[0]


@pytest.mark.parametrize("typed", ["1", "1.00", "2.75", "4", "4.00"])
def test_it_takes_the_ends_of_the_scale(typed):
    form = DecisionRuleForm({"rule_min_score": typed})
    assert form.is_valid(), form.errors
    assert form.conditions() == {"min_score": Decimal(typed), "no_strong_no": False, "min_yes": None}


@pytest.mark.parametrize("fields,name", [
    ({"rule_min_score": Decimal("0.50"), "decision_rule_set_at": "2026-01-01T00:00Z"}, "position_rule_min_score_range"),
    ({"rule_min_score": Decimal("4.01"), "decision_rule_set_at": "2026-01-01T00:00Z"}, "position_rule_min_score_range"),
    ({"rule_min_yes": 0, "rule_no_strong_no": True, "decision_rule_set_at": "2026-01-01T00:00Z"},
     "position_rule_min_yes_range"),
    ({"rule_no_strong_no": True}, "position_rule_has_a_condition"),  # a condition with no date fixed
    ({"decision_rule_set_at": "2026-01-01T00:00Z"}, "position_rule_has_a_condition"),  # a date with no condition
])
def test_the_database_refuses_what_the_form_refuses(hiring_manager, fields, name):
    position = make_position(hiring_manager=hiring_manager)
    with pytest.raises(IntegrityError, match=name), transaction.atomic():
        Position.objects.filter(pk=position.pk).update(**fields)


def test_clean_says_a_fixed_rule_needs_a_condition(hiring_manager):
    position = make_position(hiring_manager=hiring_manager)
    position.decision_rule_set_at = position.created_at
    with pytest.raises(ValidationError, match="at least one condition"):
        position.clean()


@pytest.mark.parametrize("conditions,words", [
    ({"min_score": Decimal("2.75"), "no_strong_no": True},
     "Hire when the weighted score is at least 2.75 and no interviewer says strong no."),
    ({"min_score": Decimal("3")}, "Hire when the weighted score is at least 3.00."),
    ({"min_yes": 1}, "Hire when at least 1 scorecard recommends yes or strong yes."),
    ({"min_score": Decimal("2.5"), "min_yes": 2, "no_strong_no": True},
     ("Hire when the weighted score is at least 2.50, at least 2 scorecards recommend yes or strong yes "
      "and no interviewer says strong no.")),
])
def test_the_rule_reads_as_one_sentence(position, hiring_manager, conditions, words):
    position_decision_rule_set(position=position, by=hiring_manager, **conditions)
    position.refresh_from_db()
    assert position.rule_in_words() == words


def test_no_rule_says_so(position):
    assert position.rule_in_words() == "No decision rule is fixed for this position."
    assert not position.has_decision_rule


def test_the_hiring_manager_fixes_the_rule_and_it_is_recorded_and_audited(hm_client, position, hiring_manager):
    response = post_rule(hm_client, position, rule_min_score="2.75", rule_no_strong_no="on")
    assert response.status_code == 302 and response["Location"] == position.get_absolute_url()
    position.refresh_from_db()
    assert (position.rule_min_score, position.rule_no_strong_no, position.rule_min_yes) == (Decimal("2.75"), True, None)
    assert position.decision_rule_set_by == hiring_manager and position.decision_rule_set_at is not None
    event = AuditEvent.objects.get(action="position.decision_rule")
    assert event.actor == hiring_manager and event.target == f"position {position.pk}"
    assert event.detail["rule"] == "Hire when the weighted score is at least 2.75 and no interviewer says strong no."
    page = hm_client.get(position.get_absolute_url()).content.decode()
    assert "Hire when the weighted score is at least 2.75" in page


def test_a_refused_rule_keeps_what_was_typed_and_says_why(hm_client, position):
    response = post_rule(hm_client, position, rule_min_score="4.5", rule_min_yes="3")
    assert response.status_code == 400
    body = response.content.decode()
    assert "At most 4.00" in body and 'value="4.5"' in body and 'value="3"' in body
    position.refresh_from_db()
    assert not position.has_decision_rule


def test_the_hiring_manager_may_remove_the_rule_before_the_scores(hm_client, position):
    post_rule(hm_client, position, rule_min_score="3")
    response = hm_client.post(rule_url(position), {"remove": "1", "rule_min_score": "3"})
    assert response.status_code == 302
    position.refresh_from_db()
    assert not position.has_decision_rule and position.rule_min_score is None
    assert AuditEvent.objects.filter(action="position.decision_rule_remove").count() == 1


def test_only_the_hiring_manager_or_an_admin_fixes_it(as_user, position, recruiter, admin_user, interview, interviewer):
    assert post_rule(as_user(recruiter), position, rule_min_score="3").status_code == 403
    assert as_user(recruiter).get(rule_url(position)).status_code == 403
    assert as_user(interviewer).get(rule_url(position)).status_code == 403
    assert post_rule(as_user(admin_user), position, rule_min_score="3").status_code == 302
    position.refresh_from_db()
    assert position.decision_rule_set_by == admin_user


def test_someone_elses_position_is_not_found(hm_client, other_position):
    assert hm_client.get(rule_url(other_position)).status_code == 404
    assert post_rule(hm_client, other_position, rule_min_score="3").status_code == 404
    other_position.refresh_from_db()
    assert not other_position.has_decision_rule


@pytest.mark.parametrize("bad", [2**63, 0])
def test_a_bad_id_is_a_404(hm_client, bad):
    assert hm_client.get(f"/positions/{bad}/rule/").status_code == 404


# --- The lock -----------------------------------------------------------------------------------


@pytest.fixture
def scored(position, interview, interviewer, hiring_manager):
    """The position with a rule and one submitted scorecard: scores have been seen."""
    position_decision_rule_set(position=position, by=hiring_manager, min_score=Decimal("2.75"))
    make_scorecard(interview=interview, interviewer=interviewer, scores=[3, 3, 3])
    return position


def test_a_draft_scorecard_does_not_lock_the_rule(position, interview, interviewer, hiring_manager):
    make_scorecard(interview=interview, interviewer=interviewer, scores=[3], submit=False)
    assert not position.decision_rule_locked()
    position_decision_rule_set(position=position, by=hiring_manager, no_strong_no=True)


def test_the_service_refuses_a_change_once_a_scorecard_is_submitted(scored, hiring_manager):
    assert scored.decision_rule_locked()
    with pytest.raises(DecisionRuleLocked):
        position_decision_rule_set(position=scored, by=hiring_manager, min_score=Decimal("2.00"))
    with pytest.raises(DecisionRuleLocked):  # removing it is a change too
        position_decision_rule_set(position=scored, by=hiring_manager)
    scored.refresh_from_db()
    assert scored.rule_min_score == Decimal("2.75")


def test_the_form_is_disabled_with_a_plain_explanation(hm_client, scored):
    body = hm_client.get(rule_url(scored)).content.decode()
    assert "The rule is locked: a scorecard of this position has been submitted" in body
    assert "<fieldset disabled>" in body and "Fix the rule</button>" not in body


def test_a_direct_post_is_refused_and_changes_nothing(hm_client, scored):
    before = Position.objects.values().get(pk=scored.pk)
    for data in ({"rule_min_score": "1.00"}, {"remove": "1"}):
        response = hm_client.post(rule_url(scored), data)
        assert response.status_code == 400
        assert "The decision rule is locked" in response.content.decode()
    assert Position.objects.values().get(pk=scored.pk) == before
    assert not AuditEvent.objects.filter(action__startswith="position.decision_rule", detail__min_score="1.00").exists()


def test_a_cancelled_interviews_submitted_scorecard_still_locks(position, hiring_manager, interviewer):
    interview = make_interview(candidate=make_candidate(position=position), interviewers=[interviewer])
    make_scorecard(interview=interview, interviewer=interviewer, scores=[2, 2, 2])
    interview.cancel(reason="Withdrew")
    assert position.decision_rule_locked()
