"""The decision rule's verdict (scoring/rules.py) from the debrief's figures; decisions against
it need an override reason (form, service, API), a hold never does; the report of overrides,
its permissions and its query count."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings as hsettings, strategies as st

from accounts.models import AuditEvent
from accounts.roles import Role
from interviews.decision_rules import position_decision_rule_set
from interviews.models import Position
from scoring.models import Decision, Scorecard, Verdict
from scoring.rules import rule_verdict
from scoring.selectors import debrief
from scoring.services import decision_record
from tests.api.conftest import Api, problem_of
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan, make_scorecard

pytestmark = pytest.mark.django_db


def fix(position, by, **conditions):
    position_decision_rule_set(position=position, by=by, **conditions)
    return Position.objects.get(pk=position.pk)


def verdict_of(candidate, user):
    candidate = type(candidate).objects.select_related("position").get(pk=candidate.pk)
    return rule_verdict(position=candidate.position, candidate_summary=debrief(candidate, user))


def decide(client, candidate, decision, rationale="The evidence", override_reason=None):
    data = {"decision": decision, "rationale": rationale}
    if override_reason is not None:
        data["override_reason"] = override_reason
    return client.post(reverse("scoring:decision", args=[candidate.pk]), data)


# --- The verdict ----------------------------------------------------------------------------


def test_no_rule_no_verdict(interview, hiring_manager, interviewer, interviewer2):
    for person in (interviewer, interviewer2):
        make_scorecard(interview=interview, interviewer=person, scores=[3, 3, 3])
    assert verdict_of(interview.candidate, hiring_manager) is None


def test_not_yet_while_a_scorecard_is_missing(position, interview, hiring_manager, interviewer):
    fix(position, hiring_manager, min_score=Decimal("2.00"))
    assert verdict_of(interview.candidate, hiring_manager).verdict == Verdict.NOT_YET
    make_scorecard(interview=interview, interviewer=interviewer, scores=[4, 4, 4], recommendation="strong_yes")
    verdict = verdict_of(interview.candidate, hiring_manager)
    assert verdict.verdict == Verdict.NOT_YET
    assert verdict.reason == "1 scorecard is still missing; the rule is applied once every panelist has submitted"


def test_a_candidate_without_interviews_is_not_yet(position, hiring_manager):
    fix(position, hiring_manager, no_strong_no=True)
    verdict = verdict_of(make_candidate(position=position), hiring_manager)
    assert (verdict.verdict, verdict.reason) == (Verdict.NOT_YET, "no scorecard has been submitted yet")


def test_one_strong_no_is_no_hire_whatever_the_score(position, interview, hiring_manager, interviewer, interviewer2):
    fix(position, hiring_manager, min_score=Decimal("2.50"), no_strong_no=True)
    make_scorecard(interview=interview, interviewer=interviewer, scores=[4, 4, 4], recommendation="strong_yes")
    make_scorecard(interview=interview, interviewer=interviewer2, scores=[3, 3, 3], recommendation="strong_no")
    verdict = verdict_of(interview.candidate, hiring_manager)
    assert verdict.verdict == Verdict.NO_HIRE
    assert verdict.reason == "1 scorecard says strong no"
    assert (verdict.overall, verdict.strong_no, verdict.yes) == (Decimal("3.50"), 1, 1)


@pytest.mark.parametrize("threshold,expected", [("3.00", Verdict.HIRE), ("3.01", Verdict.NO_HIRE)])
def test_exactly_at_the_threshold_is_hire(position, interview, hiring_manager, interviewer, interviewer2,
                                          threshold, expected):
    fix(position, hiring_manager, min_score=Decimal(threshold))
    make_scorecard(interview=interview, interviewer=interviewer, scores=[3, 2, 4])
    make_scorecard(interview=interview, interviewer=interviewer2, scores=[3, 2, 4])
    verdict = verdict_of(interview.candidate, hiring_manager)
    assert verdict.verdict == expected
    if expected == Verdict.HIRE:
        assert verdict.reason == "the weighted score 3.00 is at least 3.00"
    else:
        assert verdict.reason == "the weighted score 3.00 is below 3.01"


def test_the_threshold_is_compared_with_the_score_the_page_shows(position, interview, hiring_manager, interviewer,
                                                                 interviewer2):
    # 2, 2, 4 average 2.666…, shown as 2.67: a rule of 2.67 is met, as the page reads.
    fix(position, hiring_manager, min_score=Decimal("2.67"))
    for person in (interviewer, interviewer2):
        make_scorecard(interview=interview, interviewer=person, scores=[2, 2, 4])
    assert verdict_of(interview.candidate, hiring_manager).verdict == Verdict.HIRE


def test_the_weights_count_as_in_the_debrief(position, interview, hiring_manager, interviewer, interviewer2):
    fix(position, hiring_manager, min_score=Decimal("2.75"))
    for person in (interviewer, interviewer2):
        make_scorecard(interview=interview, interviewer=person, scores=[2, 2, 4])
    assert verdict_of(interview.candidate, hiring_manager).verdict == Verdict.NO_HIRE  # 2.67, equal weights
    interview.questions.filter(order=interview.questions.order_by("-order").first().order).update(weight=2)
    verdict = verdict_of(interview.candidate, hiring_manager)  # (2 + 2 + 2 * 4) / 4 = 3.00
    assert (verdict.verdict, verdict.overall) == (Verdict.HIRE, Decimal("3.00"))
    assert debrief(interview.candidate, hiring_manager)["overall_text"] == "3.00"


def test_at_least_n_yes(position, interview, hiring_manager, interviewer, interviewer2):
    fix(position, hiring_manager, min_yes=2)
    make_scorecard(interview=interview, interviewer=interviewer, scores=[3, 3, 3], recommendation="strong_yes")
    make_scorecard(interview=interview, interviewer=interviewer2, scores=[3, 3, 3], recommendation="no")
    verdict = verdict_of(interview.candidate, hiring_manager)
    assert verdict.verdict == Verdict.NO_HIRE
    assert verdict.reason == "1 scorecard recommends yes or strong yes (at least 2 needed)"


def test_a_cancelled_interviews_missing_scorecard_does_not_hold_the_verdict(position, interview, hiring_manager,
                                                                            interviewer, interviewer2):
    fix(position, hiring_manager, min_score=Decimal("2.00"))
    for person in (interviewer, interviewer2):
        make_scorecard(interview=interview, interviewer=person, scores=[3, 3, 3])
    other = make_interview(candidate=interview.candidate, interviewers=[interviewer])
    assert verdict_of(interview.candidate, hiring_manager).verdict == Verdict.NOT_YET
    other.cancel(reason="Moved")
    assert verdict_of(interview.candidate, hiring_manager).verdict == Verdict.HIRE


SUMMARY = st.fixed_dictionaries({
    "overall": st.one_of(st.none(), st.floats(min_value=1, max_value=4)),
    "strong_no": st.integers(0, 3), "no": st.integers(0, 3), "yes": st.integers(0, 3), "strong_yes": st.integers(0, 3),
})


@hsettings(max_examples=200, deadline=None)
@given(summary=SUMMARY, threshold=st.decimals(min_value=1, max_value=4, places=2),
       no_strong_no=st.booleans(), min_yes=st.one_of(st.none(), st.integers(1, 20)))
def test_hire_exactly_when_every_condition_holds(summary, threshold, no_strong_no, min_yes):
    position = Position(rule_min_score=threshold, rule_no_strong_no=no_strong_no, rule_min_yes=min_yes,
                        decision_rule_set_at="2026-01-01T00:00Z")
    counts = {k: summary[k] for k in ("strong_no", "no", "yes", "strong_yes")}
    cards = [object()] * sum(counts.values()) or [object()]
    verdict = rule_verdict(position=position, candidate_summary={
        "overall": summary["overall"], "recommendation_counts": counts, "missing": [], "cards": cards})
    shown = None if summary["overall"] is None else Decimal(f"{summary['overall']:.2f}")
    holds = (shown is not None and shown >= threshold
             and not (no_strong_no and counts["strong_no"])
             and (min_yes is None or counts["yes"] + counts["strong_yes"] >= min_yes))
    assert verdict.verdict == (Verdict.HIRE if holds else Verdict.NO_HIRE)
    assert verdict.reason  # always says why
    # A missing scorecard always holds the verdict back, whatever the figures.
    waiting = rule_verdict(position=position, candidate_summary={
        "overall": summary["overall"], "recommendation_counts": counts, "missing": [{}], "cards": cards})
    assert waiting.verdict == Verdict.NOT_YET


# --- Overrides ------------------------------------------------------------------------------


@pytest.fixture
def below(position, interview, hiring_manager, interviewer, interviewer2):
    """A candidate the rule says no hire to: weighted score 2.00 against a minimum of 2.75."""
    fix(position, hiring_manager, min_score=Decimal("2.75"), no_strong_no=True)
    for person in (interviewer, interviewer2):
        make_scorecard(interview=interview, interviewer=person, scores=[2, 2, 2], recommendation="no")
    return interview.candidate


def test_the_debrief_shows_the_rule_and_its_verdict_before_the_decision_form(hm_client, below):
    body = hm_client.get(reverse("scoring:debrief", args=[below.pk])).content.decode()
    verdict = body.index('id="rule-verdict"')
    assert verdict < body.index('action="/candidates/')
    assert "The decision rule says" in body and "No hire" in body[verdict:]
    assert "The weighted score 2.00 is below 2.75." in body
    assert "Hire when the weighted score is at least 2.75 and no interviewer says strong no." in body
    assert 'name="override_reason"' in body


def test_the_verdict_is_for_those_who_run_the_position(as_user, below, recruiter, interviewer):
    assert "rule-verdict" in as_user(recruiter).get(reverse("scoring:debrief", args=[below.pk])).content.decode()
    # An interviewer who has submitted reads the scorecards, not the rule's verdict.
    page = as_user(interviewer).get(reverse("scoring:debrief", args=[below.pk]))
    assert page.status_code == 200 and "rule-verdict" not in page.content.decode()


def test_deciding_against_the_rule_needs_a_reason_and_keeps_what_was_typed(hm_client, below):
    response = decide(hm_client, below, "hire", rationale="Her design round was the best we saw")
    assert response.status_code == 400
    body = response.content.decode()
    assert ("The decision rule says no hire (the weighted score 2.00 is below 2.75). To decide otherwise, "
            "write the override reason.") in body
    assert "Her design round was the best we saw" in body and 'value="hire" id="id_decision_0" required checked' in body
    assert not Decision.objects.exists()
    response = decide(hm_client, below, "hire", rationale="Her design round was the best we saw",
                      override_reason="   ")  # blank is no reason
    assert response.status_code == 400 and not Decision.objects.exists()


def test_an_override_with_its_reason_is_kept_with_the_verdict_of_the_time(hm_client, below, hiring_manager):
    response = decide(hm_client, below, "hire", rationale="Strong design", override_reason="The coding question "
                      "was scored against the wrong revision")
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.decision, decision.rule_verdict, decision.rule_score) == ("hire", "no_hire", Decimal("2.00"))
    assert decision.rule_reason == "the weighted score 2.00 is below 2.75"
    assert decision.rule_text.startswith("Hire when the weighted score is at least 2.75")
    assert decision.override_reason.startswith("The coding question") and decision.is_override
    event = AuditEvent.objects.get(action="decision.record")
    assert event.detail["override"] is True and event.detail["rule_verdict"] == "no_hire"
    body = hm_client.get(reverse("scoring:debrief", args=[below.pk])).content.decode()
    assert "against the rule" in body and "Override reason: The coding question" in body


@pytest.mark.parametrize("decision", ["hold", "no_hire"])
def test_a_hold_or_a_decision_with_the_rule_needs_no_reason(hm_client, below, decision):
    assert decide(hm_client, below, decision, override_reason="typed anyway").status_code == 302
    made = Decision.objects.get()
    assert (made.rule_verdict, made.override_reason, made.is_override) == ("no_hire", "", False)


def test_no_hire_against_a_hire_verdict_is_an_override_too(position, interview, hiring_manager, interviewer,
                                                           interviewer2):
    fix(position, hiring_manager, min_score=Decimal("2.00"))
    for person in (interviewer, interviewer2):
        make_scorecard(interview=interview, interviewer=person, scores=[3, 3, 3])
    with pytest.raises(ValidationError) as refused:
        decision_record(candidate=interview.candidate, decision="no_hire", rationale="Team fit", by=hiring_manager)
    assert "The decision rule says hire" in refused.value.message_dict["override_reason"][0]
    made = decision_record(candidate=interview.candidate, decision="no_hire", rationale="Team fit",
                           by=hiring_manager, override_reason="Reference check failed")
    assert made.is_override and made.rule_verdict == "hire"


def test_while_not_yet_no_decision_is_an_override(position, interview, hiring_manager, interviewer):
    fix(position, hiring_manager, min_score=Decimal("3.50"))
    make_scorecard(interview=interview, interviewer=interviewer, scores=[1, 1, 1])
    made = decision_record(candidate=interview.candidate, decision="hire", rationale="Early", by=hiring_manager)
    assert (made.rule_verdict, made.is_override) == ("not_yet", False)


def test_the_service_refuses_the_verdict_as_it_is_now_not_as_the_page_showed_it(
        hm_client, position, interview, hiring_manager, interviewer, interviewer2):
    fix(position, hiring_manager, min_score=Decimal("2.75"))
    make_scorecard(interview=interview, interviewer=interviewer, scores=[2, 2, 2])
    hm_client.get(reverse("scoring:debrief", args=[interview.candidate.pk]))  # "not yet"
    make_scorecard(interview=interview, interviewer=interviewer2, scores=[2, 2, 2])  # now "no hire"
    response = decide(hm_client, interview.candidate, "hire")
    assert response.status_code == 400 and "write the override reason" in response.content.decode()
    assert not Decision.objects.exists()


def test_a_scorecard_submitted_during_the_request_shows_the_new_verdict_and_its_field(
        monkeypatch, hm_client, position, interview, hiring_manager, interviewer, interviewer2):
    from scoring.views import debrief as view

    fix(position, hiring_manager, min_score=Decimal("2.75"))
    make_scorecard(interview=interview, interviewer=interviewer, scores=[2, 2, 2])
    reads = []

    def read_then_submit(candidate, user):  # the view reads "not yet", then the last scorecard comes in
        data = debrief(candidate, user)
        if not reads:
            make_scorecard(interview=interview, interviewer=interviewer2, scores=[2, 2, 2])
        reads.append(data)
        return data

    monkeypatch.setattr(view, "debrief", read_then_submit)
    response = decide(hm_client, interview.candidate, "hire", rationale="Kept as typed")
    assert response.status_code == 400 and not Decision.objects.exists()
    body = response.content.decode()
    assert 'name="override_reason"' in body and "write the override reason" in body and "Kept as typed" in body
    assert response.context["verdict"].verdict == Verdict.NO_HIRE


def test_the_database_refuses_an_override_without_a_reason(below, hiring_manager):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError, match="scoring_decision_override_has_reason"), transaction.atomic():
        Decision.objects.create(candidate=below, decision="hire", rationale="x", by=hiring_manager,
                                rule_verdict="no_hire")


def test_the_api_asks_for_the_reason_and_reads_it_back(client, below, hiring_manager):
    api = Api(client).as_(hiring_manager)
    payload = {"candidate": below.pk, "decision": "hire", "rationale": "Strong design"}
    errors = problem_of(api.post("/api/v1/decisions/", payload), 400)["errors"]
    assert "write the override reason" in errors["override_reason"][0] and not Decision.objects.exists()
    response = api.post("/api/v1/decisions/", {**payload, "override_reason": "Wrong revision scored"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["rule_verdict"], body["rule_score"], body["override_reason"]) == ("no_hire", "2.00",
                                                                                  "Wrong revision scored")
    listed = api.get("/api/v1/decisions/", {"candidate": below.pk}).json()["results"][0]
    assert listed["rule_reason"] == "the weighted score 2.00 is below 2.75"


def test_the_webhook_says_the_verdict_and_whether_it_was_overridden_not_why(below, hiring_manager):
    from webhooks.models import Event, EventType, Subscription

    Subscription.objects.create(name="ATS", url="https://ats.example.com/hook", events=list(EventType.values))
    decision_record(candidate=below, decision="hire", rationale="Strong design", by=hiring_manager,
                    override_reason="Wrong revision scored")
    (event,) = Event.objects.filter(type="decision.recorded")
    assert (event.payload["decision"]["rule_verdict"], event.payload["decision"]["override"]) == ("no_hire", True)
    assert "Wrong revision" not in str(event.payload)


def test_erasing_the_candidate_erases_the_override_reason(below, hiring_manager, admin_user):
    from scoring.erasure import ERASED, candidate_erase

    decision_record(candidate=below, decision="hire", rationale="Strong design", by=hiring_manager,
                    override_reason="Her reference from Acme was glowing")
    candidate_erase(candidate=below, by=admin_user)
    decision = Decision.objects.get()
    assert (decision.override_reason, decision.rationale, decision.is_override) == (ERASED, ERASED, True)


# --- The report of overrides ----------------------------------------------------------------


def report(position):
    return reverse("scoring:overrides", args=[position.pk])


def overrides_for(position, hiring_manager, panel, n):
    """``n`` candidates of ``position``, each scored below its rule and hired against it."""
    plan = make_plan(position=position)
    for k in range(n):
        candidate = make_candidate(position=position)
        interview = make_interview(candidate=candidate, plan=plan, interviewers=panel)
        for person in panel:
            make_scorecard(interview=interview, interviewer=person, scores=[2, 2, 2], recommendation="no")
        decision_record(candidate=candidate, decision="hire", rationale=f"Rationale {k}", by=hiring_manager,
                        override_reason=f"Reason {k}")


def test_the_report_lists_each_override_with_the_rule_and_who(as_user, below, hiring_manager, position):
    decision_record(candidate=below, decision="hire", rationale="Strong design", by=hiring_manager,
                    override_reason="Wrong revision scored")
    decision_record(candidate=below, decision="hold", rationale="Waiting on references", by=hiring_manager)
    body = as_user(hiring_manager).get(report(position)).content.decode()
    assert "1 of 2 decisions made under the rule (1 candidate) went against its verdict." in body
    row = body[body.index('id="overrides"'):]
    assert below.name in row and "Hire" in row and "No hire" in row and "Wrong revision scored" in row
    assert "The weighted score 2.00 is below 2.75" in row and "Hana" in row
    assert "Waiting on references" not in row


def test_the_report_says_what_to_do_when_empty(as_user, position, hiring_manager):
    body = as_user(hiring_manager).get(report(position)).content.decode()
    assert "This position has no decision rule" in body and "fix a rule" in body
    fix(position, hiring_manager, no_strong_no=True)
    body = as_user(hiring_manager).get(report(position)).content.decode()
    assert "No decision has gone against the rule yet." in body


def test_the_report_is_for_those_who_run_the_position(as_user, position, hiring_manager, recruiter, admin_user,
                                                      interviewer, interview, other_position, outsider):
    assert as_user(hiring_manager).get(report(position)).status_code == 200
    assert as_user(recruiter).get(report(position)).status_code == 200
    assert as_user(admin_user).get(report(position)).status_code == 200
    assert as_user(interviewer).get(report(position)).status_code == 403  # on the panel, but no such role
    assert as_user(outsider).get(report(position)).status_code == 403
    assert as_user(hiring_manager).get(report(other_position)).status_code == 404
    assert as_user(recruiter).get(report(other_position)).status_code == 404
    assert as_user(hiring_manager).get(f"/positions/{2**63}/overrides/").status_code == 404


@pytest.mark.parametrize("page", ["abc", "0", "-1", str(2**70), "9999"])
def test_a_bad_page_number_shows_a_page(as_user, position, hiring_manager, page):
    assert as_user(hiring_manager).get(report(position), {"page": page}).status_code == 200


@pytest.mark.parametrize("n", [1, 4])
def test_the_report_costs_the_same_queries_however_many_overrides(as_user, position, hiring_manager,
                                                                  django_assert_num_queries, n):
    panel = [make_user(f"r{n}-{k}", Role.INTERVIEWER) for k in range(2)]
    fix(position, hiring_manager, min_score=Decimal("2.75"))
    overrides_for(position, hiring_manager, panel, n)
    client = as_user(hiring_manager)
    client.get(report(position))  # the first request after sign-in stamps the session (a write)
    # Session, user, the user's permissions (one statement over groups and own), the position,
    # the counts, the page's count, the page's decisions with their candidates and authors, and
    # for the page header the unread notifications.
    with django_assert_num_queries(8):
        response = client.get(report(position))
    assert response.content.decode().count("Reason ") == n


# --- The demo -------------------------------------------------------------------------------


def test_the_demo_shows_a_rule_fixed_before_its_scores_and_overrides_with_reasons():
    from django.core.management import call_command

    from scoring.demo_rules import TITLE

    for command in ("seed_demo", "load_starter_plans", "seed_demo_interviews", "seed_demo_scores"):
        call_command(command, verbosity=0)
    call_command("seed_demo_scores", verbosity=0)  # idempotent: nothing made twice
    position = Position.objects.get(title=TITLE)
    first_score = Scorecard.objects.filter(interview__candidate__position=position, status="submitted") \
        .order_by("submitted_at").values_list("submitted_at", flat=True).first()
    assert position.decision_rule_set_at < first_score and position.decision_rule_locked()
    decisions = Decision.objects.filter(candidate__position=position)
    overrides = decisions.overrides()
    assert overrides.count() == 2 and all(d.override_reason for d in overrides)
    assert {d.decision for d in overrides} == {"hire", "no_hire"}
    assert decisions.count() == 6 and not decisions.filter(rule_verdict="").exists()
    assert decisions.filter(decision="hold").count() == 1
    assert Position.objects.filter(title=TITLE).count() == 1
