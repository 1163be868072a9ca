"""The API's resources: the pages' visibility rules (independent scoring included), the
pages' rules for writes in the same words, problem details, cursors, flat query counts."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from interviews.models import Candidate, Interview, InterviewStatus
from questionbank.models import Question
from scoring.models import Decision
from tests.api.conftest import problem_of
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position, make_scorecard
from accounts.roles import Role
from api.serializers import QuestionScoreSerializer

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content[:500]
    return [row["id"] for row in response.json()["results"]]


# --- Candidates: create or update by the ATS id ------------------------------------------------


def test_a_candidate_is_created_then_updated_by_its_ats_id(api, recruiter, position):
    url = f"/api/v1/positions/{position.pk}/candidates/gh-1001/"
    api.as_(recruiter)
    created = api.put(url, {"name": "Ada Lovelace", "email": "ADA@example.com", "source": "Greenhouse"})
    assert created.status_code == 201
    body = created.json()
    assert body["external_id"] == "gh-1001" and body["email"] == "ada@example.com" and body["stage"] == "applied"
    again = api.put(url, {"name": "Ada Lovelace", "email": "ADA@example.com", "source": "Greenhouse"})
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    moved = api.put(url, {"stage": "screen"})
    assert moved.status_code == 200
    candidate = Candidate.objects.get(position=position, external_id="gh-1001")
    assert (candidate.stage, candidate.name, candidate.source) == ("screen", "Ada Lovelace", "Greenhouse")
    assert Candidate.objects.filter(external_id="gh-1001").count() == 1
    listed = api.get("/api/v1/candidates/", {"external_id": "gh-1001"}).json()["results"]
    assert [c["id"] for c in listed] == [candidate.pk]


def test_the_same_ats_id_in_two_positions_is_two_candidates(api, recruiter, position, hiring_manager):
    second = make_position(hiring_manager=hiring_manager, recruiter=recruiter, title="Second")
    api.as_(recruiter)
    assert api.put(f"/api/v1/positions/{position.pk}/candidates/x-1/", {"name": "A"}).status_code == 201
    assert api.put(f"/api/v1/positions/{second.pk}/candidates/x-1/", {"name": "A"}).status_code == 201
    assert Candidate.objects.filter(external_id="x-1").count() == 2


def test_the_candidate_forms_rules_refuse_in_the_same_words(api, recruiter, position):
    make_candidate(position=position, name="Taken", email="taken@example.com")
    api.as_(recruiter)
    url = f"/api/v1/positions/{position.pk}/candidates/gh-2/"
    body = problem_of(api.put(url, {"name": "B", "email": "taken@example.com"}), 400)
    assert body["errors"]["email"] == [f"taken@example.com is already a candidate for {position.title}."]
    assert "name" in problem_of(api.put(url, {"email": "new@example.com"}), 400)["errors"]
    assert "stage" in problem_of(api.put(url, {"name": "B", "stage": "famous"}), 400)["errors"]
    assert "external_id" in problem_of(api.put(f"/api/v1/positions/{position.pk}/candidates/{'x' * 101}/",
                                                {"name": "B"}), 400)["errors"]
    assert not Candidate.objects.filter(name="B").exists()


def test_only_recruiters_of_a_visible_position_push_candidates(api, recruiter, hiring_manager, interviewer,
                                                                position, other_position):
    url = f"/api/v1/positions/{position.pk}/candidates/gh-3/"
    problem_of(api.as_(hiring_manager).put(url, {"name": "C"}), 403)
    problem_of(api.as_(interviewer).put(url, {"name": "C"}), 403)
    problem_of(api.as_(recruiter).put(f"/api/v1/positions/{other_position.pk}/candidates/gh-3/", {"name": "C"}), 404)
    assert not Candidate.objects.filter(external_id="gh-3").exists()


# --- Interviews: schedule, reschedule, cancel --------------------------------------------------


def test_scheduling_pins_the_plan_and_invites_the_panel(api, recruiter, position, plan, interviewer, interviewer2):
    candidate = make_candidate(position=position)
    api.as_(recruiter)
    response = api.post("/api/v1/interviews/", {
        "candidate": candidate.pk, "plan": plan.pk, "starts_at": "2030-01-07T10:00:00+01:00",
        "interviewers": ["int1", "int2"],
    })
    assert response.status_code == 201, response.content
    body = response.json()
    interview = Interview.objects.get(pk=body["id"])
    assert interview.starts_at == datetime(2030, 1, 7, 9, 0, tzinfo=UTC)
    assert body["duration_minutes"] == plan.slot_minutes and body["stage"] == "upcoming"
    assert sorted(body["interviewers"]) == ["int1", "int2"]
    assert interview.questions.count() == plan.items.count()
    assert interviewer.notifications.filter(kind="invitation").exists()


def test_scheduling_refuses_what_the_page_refuses(api, recruiter, position, plan, interview, other_position):
    candidate = make_candidate(position=position)
    api.as_(recruiter)
    base = {"candidate": candidate.pk, "plan": plan.pk, "interviewers": ["int1"]}
    busy = problem_of(api.post("/api/v1/interviews/", {**base, "starts_at": interview.starts_at.isoformat()}), 400)
    assert "is already on" in busy["errors"]["interviewers"][0]
    naive = problem_of(api.post("/api/v1/interviews/", {**base, "starts_at": "2030-01-07T10:00"}), 400)
    assert "UTC offset" in naive["errors"]["starts_at"][0]
    nobody = problem_of(api.post("/api/v1/interviews/", {**base, "starts_at": "2030-01-07T10:00Z",
                                                         "interviewers": ["ghost"]}), 400)
    assert "ghost" in nobody["errors"]["interviewers"][0]
    hidden = make_candidate(position=other_position)
    assert "candidate" in problem_of(api.post("/api/v1/interviews/", {**base, "candidate": hidden.pk,
                                                                     "starts_at": "2030-01-07T10:00Z"}), 400)["errors"]
    short = problem_of(api.post("/api/v1/interviews/", {**base, "starts_at": "2030-01-07T10:00Z",
                                                        "duration_minutes": 5}), 400)
    assert "Schedule anyway" in short["errors"]["duration_minutes"][0]
    assert api.post("/api/v1/interviews/", {**base, "starts_at": "2030-01-07T10:00Z", "duration_minutes": 5,
                                            "overrun_confirm": True}).status_code == 201
    assert Interview.objects.filter(candidate=candidate).count() == 1


def test_reschedule_and_cancel(api, recruiter, interview):
    api.as_(recruiter)
    url = f"/api/v1/interviews/{interview.pk}/"
    moved = api.post(url + "reschedule/", {"starts_at": "2030-02-01T15:00:00Z", "duration_minutes": 60,
                                           "interviewers": ["int1", "int2"]})
    assert moved.status_code == 200, moved.content
    assert moved.json()["starts_at"] == "2030-02-01T15:00:00Z" and moved.json()["duration_minutes"] == 60
    assert "reason" in problem_of(api.post(url + "cancel/", {"reason": "  "}), 400)["errors"]
    cancelled = api.post(url + "cancel/", {"reason": "Candidate withdrew"})
    assert cancelled.json()["status"] == "cancelled" and cancelled.json()["cancel_reason"] == "Candidate withdrew"
    again = api.post(url + "cancel/", {"reason": "Another reason"})
    assert again.status_code == 200 and again.json()["cancel_reason"] == "Candidate withdrew"
    refused = problem_of(api.post(url + "reschedule/", {"starts_at": "2030-03-01T15:00:00Z", "duration_minutes": 60,
                                                        "interviewers": ["int1"]}), 409)
    assert "cancelled" in refused["detail"]
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.CANCELLED and interview.starts_at.month == 2


def test_interviews_are_listed_as_the_interview_list_shows_them(api, recruiter, interviewer, interview,
                                                                other_position):
    hidden = make_interview(candidate=make_candidate(position=other_position),
                            interviewers=[make_user("elsewhere", Role.INTERVIEWER)])
    assert ids(api.as_(recruiter).get("/api/v1/interviews/")) == [interview.pk]
    assert ids(api.as_(interviewer).get("/api/v1/interviews/", {"stage": "in_progress"})) == [interview.pk]
    assert ids(api.get("/api/v1/interviews/", {"stage": "upcoming"})) == []
    problem_of(api.get(f"/api/v1/interviews/{hidden.pk}/"), 404)
    assert "starts_after" in problem_of(api.get("/api/v1/interviews/", {"starts_after": "tomorrow"}), 400)["errors"]


# --- Scorecards and decisions: independent scoring ------------------------------------------


def test_scorecards_follow_independent_scoring(api, hiring_manager, interviewer, interviewer2, interview):
    theirs = make_scorecard(interview=interview, interviewer=interviewer2, scores=[3, 2, 4])
    mine = make_scorecard(interview=interview, interviewer=interviewer, scores=[2, 2, 2], submit=False)
    api.as_(interviewer)
    assert ids(api.get("/api/v1/scorecards/")) == []  # my draft is no one's to read; theirs not before mine
    problem_of(api.get(f"/api/v1/scorecards/{theirs.pk}/"), 404)
    mine.submit(recommendation="no", summary="Weak on evaluation.", by=interviewer)
    assert sorted(ids(api.get("/api/v1/scorecards/"))) == sorted([theirs.pk, mine.pk])
    card = api.get(f"/api/v1/scorecards/{theirs.pk}/").json()
    assert card["interviewer"] == "int2" and [s["score"] for s in card["scores"]] == [3, 2, 4]
    # The list reads its scores as plain values in one query: the same scores, field for field.
    (listed,) = [c for c in api.get("/api/v1/scorecards/").json()["results"] if c["id"] == theirs.pk]
    assert listed == card
    assert card["scores"][0]["title"] and card["candidate"] == interview.candidate_id
    # Written as the schema's decimal string (QuestionScoreSerializer), whoever writes the row.
    weights = [str(q.weight.quantize(Decimal("0.01"))) for q in interview.questions.order_by("order")]
    assert [score["weight"] for score in card["scores"]] == weights
    assert QuestionScoreSerializer(theirs.scores.select_related("question__revision").first()).data["weight"] \
        == card["scores"][0]["weight"]
    assert sorted(ids(api.as_(hiring_manager).get("/api/v1/scorecards/", {"candidate": interview.candidate_id}))) \
        == sorted([theirs.pk, mine.pk])


def test_a_cancelled_interviews_scorecards_are_not_read(api, hiring_manager, interviewer2, interview):
    make_scorecard(interview=interview, interviewer=interviewer2, scores=[3, 3, 3])
    interview.cancel(reason="Rescheduled as a new interview")
    assert ids(api.as_(hiring_manager).get("/api/v1/scorecards/")) == []


def test_decisions_are_recorded_by_the_hiring_manager_and_hidden_until_you_have_scored(
        api, hiring_manager, recruiter, interviewer, interviewer2, interview):
    candidate = interview.candidate
    payload = {"candidate": candidate.pk, "decision": "hire", "rationale": "Strong across the panel."}
    assert "hiring manager" in problem_of(api.as_(recruiter).post("/api/v1/decisions/", payload), 403)["detail"]
    assert "rationale" in problem_of(api.as_(hiring_manager).post("/api/v1/decisions/",
                                                                  {**payload, "rationale": " "}), 400)["errors"]
    response = api.post("/api/v1/decisions/", payload)
    assert response.status_code == 201 and response.json()["by"] == "hm"
    candidate.refresh_from_db()
    assert candidate.stage == "offer"
    decision = Decision.objects.get()
    assert ids(api.as_(recruiter).get("/api/v1/decisions/")) == [decision.pk]
    api.as_(interviewer)
    assert ids(api.get("/api/v1/decisions/")) == []
    make_scorecard(interview=interview, interviewer=interviewer, scores=[3, 3, 3])
    assert ids(api.get("/api/v1/decisions/", {"candidate": candidate.pk})) == [decision.pk]
    assert ids(api.as_(interviewer2).get("/api/v1/decisions/")) == []  # not scored yet


# --- Reads: positions, plans, questions, calibration ------------------------------------------


def test_positions_candidates_and_plans_are_those_the_pages_show(api, recruiter, hiring_manager, interviewer,
                                                                position, plan, other_position):
    hidden_plan = make_plan(position=other_position, name="Hidden")
    template = make_plan(name="Template")
    mine = make_candidate(position=position)
    make_candidate(position=other_position)
    api.as_(recruiter)
    assert ids(api.get("/api/v1/positions/")) == [position.pk]
    assert ids(api.get("/api/v1/candidates/")) == [mine.pk]
    assert sorted(ids(api.get("/api/v1/plans/"))) == sorted([plan.pk, template.pk])
    problem_of(api.get(f"/api/v1/plans/{hidden_plan.pk}/"), 404)
    items = api.get(f"/api/v1/plans/{plan.pk}/").json()["items"]
    assert [i["question"] for i in items] == ["bias-variance", "precision", "code-bigrams"]
    # The list reads its items as plain values in one query: the same items, field for field.
    (listed,) = [p for p in api.get("/api/v1/plans/").json()["results"] if p["id"] == plan.pk]
    assert listed["items"] == items and items[0]["weight"] == "1.00" and items[0]["title"]
    problem_of(api.as_(interviewer).get("/api/v1/candidates/"), 403)  # as the candidate list page


def test_the_plan_list_leaves_out_the_starter_loops_as_the_page_does(api, hiring_manager, position):
    from interviews.models import InterviewPlan
    from interviews.services import loop_clone

    template = make_plan(name="Template")
    for stage in ("screen", "coding", "ml-depth", "system-design", "behavioural"):
        loop_plan = make_plan(name=f"Loop {stage}", starter=True)
        InterviewPlan.objects.filter(pk=loop_plan.pk).update(loop_track="cv", loop_level="mid", loop_stage=stage)
    copies = loop_clone(track="cv", level="mid", position=position, by=hiring_manager)
    api.as_(hiring_manager)
    assert sorted(ids(api.get("/api/v1/plans/", {"limit": 100}))) == sorted([template.pk, *(c.pk for c in copies)])
    assert sorted(ids(api.get("/api/v1/plans/", {"position": position.pk}))) == sorted(c.pk for c in copies)
    # A loop's plan stays readable by its id, as its page on the site is.
    assert api.get(f"/api/v1/plans/{loop_plan.pk}/").json()["name"] == "Loop behavioural"


def test_questions_hide_drafts_from_interviewers_and_carry_the_rubric(api, hiring_manager, interviewer):
    draft = Question.objects.published().first()
    Question.objects.filter(pk=draft.pk).update(status="draft")
    interviewer_slugs = {q["slug"] for q in api.as_(interviewer).get("/api/v1/questions/", {"limit": 200}).json()["results"]}
    assert draft.slug not in interviewer_slugs
    problem_of(api.get(f"/api/v1/questions/{draft.slug}/"), 404)
    detail = api.as_(hiring_manager).get("/api/v1/questions/bias-variance/").json()
    assert detail["current"]["criteria"] and set(detail["current"]["anchors"]) == {"1", "2", "3", "4"}
    assert "area" in problem_of(api.get("/api/v1/questions/", {"area": "astrology"}), 400)["errors"]


def test_calibration_is_for_those_the_page_is_for(api, hiring_manager, recruiter):
    body = api.as_(hiring_manager).get("/api/v1/calibration/").json()
    assert {"computed_at", "figures"} <= set(body) and "cards" in body["figures"]
    problem_of(api.as_(recruiter).get("/api/v1/calibration/"), 403)


# --- Pagination, errors -------------------------------------------------------------------------


def test_the_cursor_walks_every_row_once(api, recruiter, position):
    made = [make_candidate(position=position).pk for _ in range(7)]
    api.as_(recruiter)
    seen, url = [], "/api/v1/candidates/?limit=3"
    while url:
        body = api.get(url).json()
        seen += [row["id"] for row in body["results"]]
        make_candidate(position=position)  # rows added while paging do not shift the pages
        url = body["next"]
    assert seen[:7] == made and len(seen) == len(set(seen))
    assert "cursor" in problem_of(api.get("/api/v1/candidates/", {"cursor": "nonsense"}), 404)["detail"].lower()


def test_one_positions_interviews_page_by_id_and_read_as_the_detail(api, recruiter, hiring_manager, position,
                                                                    interviewer, interviewer2):
    """The position filter sorts its rows (api.pagination.sorted_by_id) rather than walking
    the id index: the pages still run in id order, each row once, field for field the detail."""
    second = make_position(hiring_manager=hiring_manager, recruiter=recruiter, title="Another of hers")
    elsewhere = [make_interview(candidate=make_candidate(position=second), interviewers=[interviewer]).pk
                 for _ in range(2)]
    made = [make_interview(candidate=make_candidate(position=position), interviewers=[interviewer2, interviewer]).pk
            for _ in range(5)]
    api.as_(recruiter)
    seen, url = [], f"/api/v1/interviews/?position={position.pk}&limit=2"
    while url:
        body = api.get(url).json()
        seen += body["results"]
        make_interview(candidate=make_candidate(position=position), interviewers=[interviewer])
        url = body["next"]
    ids_seen = [row["id"] for row in seen]
    assert ids_seen[:5] == sorted(made) and ids_seen == sorted(set(ids_seen))
    assert not set(ids_seen) & set(elsewhere) and set(elsewhere) <= set(ids(api.get("/api/v1/interviews/")))
    assert seen[0] == api.get(f"/api/v1/interviews/{made[0]}/").json()
    assert seen[0]["interviewers"] == sorted([interviewer.username, interviewer2.username])  # by name, both ways


def test_bad_bodies_are_problems_not_crashes(api, recruiter, position):
    api.as_(recruiter)
    url = f"/api/v1/positions/{position.pk}/candidates/gh-9/"
    response = api.client.put(url, "{not json", content_type="application/json", **api.headers)
    assert "JSON parse error" in problem_of(response, 400)["detail"]
    assert "cannot be stored" in problem_of(api.put(url, {"name": "Nul\x00l"}), 400)["detail"]
    assert "cannot be stored" in problem_of(api.client.put(url, '{"name": "\\ud800"}', content_type="application/json",
                                                           **api.headers), 400)["detail"]
    response = api.client.put(url, "name=x", content_type="application/x-www-form-urlencoded", **api.headers)
    problem_of(response, 415)
    problem_of(api.put(url, ["a list"]), 400)
    assert "position" in problem_of(api.get("/api/v1/candidates/", {"position": "9" * 30}), 400)["errors"]
    problem_of(api.get(f"/api/v1/candidates/{2**63}/"), 404)
    problem_of(api.client.delete("/api/v1/candidates/", **api.headers), 405)
    assert not Candidate.objects.filter(external_id="gh-9").exists()


# --- Query counts: flat in the number of rows ------------------------------------------------


LISTS = ["/api/v1/positions/", "/api/v1/candidates/", "/api/v1/plans/", "/api/v1/questions/", "/api/v1/interviews/",
         "/api/v1/scorecards/", "/api/v1/decisions/"]


def grow(hiring_manager, recruiter, interviewers, n):
    """``n`` more positions, each with a candidate, a plan, an interview with two submitted
    scorecards and a decision."""
    for i in range(n):
        position = make_position(hiring_manager=hiring_manager, recruiter=recruiter, title=f"Grown {i}")
        interview = make_interview(candidate=make_candidate(position=position), plan=make_plan(position=position),
                                   interviewers=interviewers, starts_at=timezone.now() - timedelta(days=10 + i))
        for person in interviewers:
            make_scorecard(interview=interview, interviewer=person, scores=[3, 2, 4])
        Decision.objects.create(candidate=interview.candidate, decision="hold", rationale="r", by=hiring_manager)


@pytest.mark.parametrize("url", LISTS)
def test_list_endpoints_read_a_fixed_number_of_queries(api, hiring_manager, recruiter, interviewer, interviewer2, url):
    # Queries: the token with its user; the user's roles and permissions; the page of rows;
    # one per prefetched relation (plan items, panel, scores). The token's last use is written
    # by the first request only (then at most once a minute).
    people = [interviewer, interviewer2]
    grow(hiring_manager, recruiter, people, 1)
    api.as_(hiring_manager)
    api.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = api.get(url, {"limit": 200})
        assert response.status_code == 200
        return len(queries.captured_queries), len(response.json()["results"])

    few, rows_before = count()
    grow(hiring_manager, recruiter, people, 4)
    many, rows_after = count()
    assert many == few <= 5, (url, few, many)
    assert rows_after > rows_before or url == "/api/v1/questions/"


# --- Question writes: the question editor's rules ------------------------------------------


def question_body(**extra):
    return {"title": "Handling label noise in training data", "area": "data", "kind": "concept", "level": "mid",
            "roles": ["ds", "mle"], "minutes": 8,
            "prompt": "Your labels come from crowd workers and about 10% are wrong. What do you do?",
            "why_we_ask": "Checks data before models.", "model_answer": "Audit a sample, then a robust loss.",
            "key_points": ["Audit a sample first", "Robust losses"],
            "follow_ups": [{"question": "How do you find the noisy labels?", "good_answer": "Loss ranking"}],
            "criteria": ["Measures the noise rate", "Names a noise-robust loss"],
            "anchors": {"1": "Ignores it.", "2": "Says clean it.", "3": "Audits and picks a loss.", "4": "And more."},
            **extra}


def test_a_hiring_manager_creates_a_draft_and_revises_it(api, hiring_manager, interviewer):
    api.as_(hiring_manager)
    created = api.post("/api/v1/questions/", question_body())
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["slug"] == "handling-label-noise-in-training-data" and body["status"] == "draft"
    assert body["current"]["criteria"] == ["Measures the noise rate", "Names a noise-robust loss"]
    assert body["current"]["follow_ups"] == [{"question": "How do you find the noisy labels?",
                                              "good_answer": "Loss ranking"}]
    url = f"/api/v1/questions/{body['slug']}/"
    revised = api.put(url, question_body(prompt="Labels are 10% wrong. What do you do first?", change_note="Shorter"))
    assert revised.status_code == 200 and revised.json()["revision"] == 2
    assert api.put(url, question_body(prompt="Labels are 10% wrong. What do you do first?")).json()["revision"] == 2
    question = Question.objects.get(slug=body["slug"])
    assert question.revisions.count() == 2 and question.current_revision.change_note == "Shorter"
    problem_of(api.as_(interviewer).put(url, question_body()), 403)
    problem_of(api.post("/api/v1/questions/", question_body()), 403)


def test_question_writes_refuse_what_the_editor_refuses(api, hiring_manager):
    api.as_(hiring_manager)
    taken = problem_of(api.post("/api/v1/questions/", question_body(slug="bias-variance")), 400)
    assert "taken by another question" in taken["errors"]["slug"][0]
    one = problem_of(api.post("/api/v1/questions/", question_body(criteria=["Only one"])), 400)
    assert "at least 2 rubric criteria" in one["errors"]["criteria"][0]
    same = problem_of(api.post("/api/v1/questions/", question_body(anchors={"1": "x", "2": "x", "3": "y", "4": "z"})), 400)
    assert "own anchor" in same["errors"]["non_field_errors"][0]
    coding = problem_of(api.post("/api/v1/questions/", question_body(kind="coding")), 400)
    assert "reference solution" in coding["errors"]["reference_solution"][0]
    similar = problem_of(api.post("/api/v1/questions/", question_body(title="Bias-variance decomposition of the prediction error")), 400)
    assert "similar titles" in similar["errors"]["title"][0]
    assert not Question.objects.filter(slug="handling-label-noise-in-training-data").exists()


def test_a_published_question_keeps_its_full_rubric(api, hiring_manager):
    question = Question.objects.published().get(slug="bias-variance")
    revisions = question.revisions.count()
    api.as_(hiring_manager)
    detail = api.get("/api/v1/questions/bias-variance/").json()["current"]
    body = {"title": detail["title"], "area": question.area, "kind": question.kind, "level": question.level,
            "roles": question.roles, "minutes": detail["minutes"], "prompt": detail["prompt"],
            "criteria": detail["criteria"], "anchors": {**detail["anchors"], "4": ""}}
    refused = problem_of(api.put("/api/v1/questions/bias-variance/", body), 400)
    assert refused["errors"] == {"anchors": ["Level 4: This field is required."]}
    assert question.revisions.count() == revisions
