"""Scoring a design round phase by phase: the live page shows each phase's focus, criteria and
anchors at the same query count, autosave and the form post take only that phase's criteria,
the debrief and the scorecard name the phase, the round weighs as one item of its plan
weight, and calibration keeps each phase's figures apart."""

import json
import re
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.html import escape

from interviews.models import PlanItem
from scoring import calibration
from scoring.models import QuestionScore, Scorecard
from tests.factories import make_candidate, make_interview, make_plan, make_scorecard
from tests.phased import make_phased_question, phased_content

pytestmark = pytest.mark.django_db
TITLE = "Feed ranking round: a phased test design"


@pytest.fixture
def design_interview(position, hiring_manager, interviewer, interviewer2):
    make_phased_question()
    plan = make_plan(by=hiring_manager, position=position, name="Design onsite",
                     sections=[("Warm-up", ["precision"]), ("Design", ["feed-ranking-phased"])],
                     competencies=["Evaluation", "System design"])
    PlanItem.objects.filter(plan=plan).update(minutes=45, weight=Decimal("1.50"))
    return make_interview(candidate=make_candidate(position=position), interviewers=[interviewer, interviewer2],
                          plan=plan, starts_at=timezone.now() - timezone.timedelta(hours=2))


def sections(body):
    """The live page's question sections by their number (1-based)."""
    parts = re.split(r'<section class="live-question card" id="question-(\d+)"', body)
    return {int(parts[i]): parts[i + 1] for i in range(1, len(parts), 2)}


def rows_of(interview, user):
    return list(QuestionScore.objects.select_related("question__revision")
                .filter(scorecard__interview=interview, scorecard__interviewer=user).order_by("question__order"))


def phase_criteria(revision, phase):
    return list(revision.criteria.filter(phase=phase).values_list("pk", flat=True))


def test_the_live_page_shows_each_phase_with_its_own_rubric(as_user, interviewer, design_interview):
    body = as_user(interviewer).get(f"/interviews/{design_interview.pk}/live/").content.decode()
    by_n = sections(body)
    assert len(by_n) == 8
    content = phased_content()
    data, overall = by_n[3], by_n[8]  # 1: the warm-up, 2-7: the phases, 8: the round as a whole
    assert escape(f"{TITLE} · Data") in data and "Data phase:" in data
    assert escape(content["phases"][1]["focus"]) in data
    assert all(escape(text) in data for text in content["phases"][1]["criteria"])
    assert all(escape(text) in data for text in content["phases"][1]["anchors"].values())
    # Not another phase's rubric, not the round's own, and no key points (the whole round's).
    assert escape(content["phases"][2]["criteria"][0]) not in data
    assert escape(content["criteria"][0]) not in data and 'name="key_points"' not in data
    assert f"{6} min" in data
    assert escape(f"{TITLE} · Overall") in overall and "phase:" not in overall
    assert all(escape(text) in overall for text in content["criteria"])
    assert escape(content["anchors"][4]) in overall and 'name="key_points"' in overall


def test_the_live_page_query_count_stays_the_same_with_phases(as_user, interviewer, design_interview,
                                                               django_assert_num_queries):
    client = as_user(interviewer)
    client.get(f"/interviews/{design_interview.pk}/live/")  # opens the scorecard
    # As tests/scoring/test_live_page.py counts it: the phases' criteria and anchors come with
    # the criteria and anchors queries of every other question.
    with django_assert_num_queries(10):
        assert client.get(f"/interviews/{design_interview.pk}/live/").status_code == 200


def autosave(client, interview, row, **state):
    payload = {"key": uuid.uuid4().hex, "question": row.question_id, "version": row.version,
               "state": {"score": 3, "skipped": False, "skip_reason": "", "criteria": [], "key_points": [],
                         "notes": "", "seconds": 10, **state}}
    return client.post(f"/interviews/{interview.pk}/autosave/", data=json.dumps(payload),
                       content_type="application/json")


def test_autosave_takes_only_the_phases_own_criteria(as_user, interviewer, design_interview):
    client = as_user(interviewer)
    client.get(f"/interviews/{design_interview.pk}/live/")
    rows = rows_of(design_interview, interviewer)
    data, overall = rows[2], rows[7]
    revision = data.question.revision
    for other in (phase_criteria(revision, 2)[0], phase_criteria(revision, None)[0]):
        refused = autosave(client, design_interview, data, criteria=[other])
        assert refused.status_code == 400 and "does not belong to this question's rubric" in refused.json()["message"]
    refused = autosave(client, design_interview, data, key_points=[0])
    assert refused.status_code == 400 and "key point does not belong" in refused.json()["message"]
    assert autosave(client, design_interview, data, criteria=phase_criteria(revision, 1)).status_code == 200
    saved = autosave(client, design_interview, overall, criteria=phase_criteria(revision, None), key_points=[1])
    assert saved.status_code == 200
    assert autosave(client, design_interview, overall, criteria=phase_criteria(revision, 0)[:1]).status_code == 400
    data.refresh_from_db()
    assert data.criteria_met == sorted(phase_criteria(revision, 1)) and data.version == 1


def test_the_form_post_takes_only_the_phases_own_criteria(as_user, interviewer, design_interview):
    client = as_user(interviewer)
    client.get(f"/interviews/{design_interview.pk}/live/")
    row = rows_of(design_interview, interviewer)[4]  # Evaluation
    revision = row.question.revision
    post = {"question": row.question_id, "version": 0, "position": 5, "go": "stay", "notes": "", "score": "3"}
    refused = client.post(f"/interviews/{design_interview.pk}/live/save/",
                          {**post, "criteria": phase_criteria(revision, 4)[:1]}, follow=True)
    assert "a criterion does not belong to this question" in refused.content.decode()
    client.post(f"/interviews/{design_interview.pk}/live/save/", {**post, "criteria": phase_criteria(revision, 3)})
    row.refresh_from_db()
    assert (row.score, row.criteria_met) == (3, sorted(phase_criteria(revision, 3)))


def test_the_debrief_and_the_scorecard_name_each_phase_and_the_round_weighs_as_one_item(
        as_user, hiring_manager, interviewer, interviewer2, design_interview):
    # The warm-up scores 1, every part of the round 3 (2 for the second interviewer's Serving).
    make_scorecard(interview=design_interview, interviewer=interviewer, scores=[1] + [3] * 7)
    make_scorecard(interview=design_interview, interviewer=interviewer2, scores=[1, 3, 3, 3, 3, 2, 3, 3])
    response = as_user(hiring_manager).get(f"/candidates/{design_interview.candidate.pk}/debrief/")
    body = response.content.decode()
    for name in ("Requirements", "Data", "Modelling", "Evaluation", "Serving", "Monitoring", "Overall"):
        assert escape(f"{TITLE} · {name}") in body
    titles = [row.question.title for section in response.context["sections"] for row in section["rows"]]
    assert titles[1:] == [f"{TITLE} · {name}" for name in
                          ("Requirements", "Data", "Modelling", "Evaluation", "Serving", "Monitoring", "Overall")]
    # Both items weigh 1.50: the round's parts share it (3 x 0.22 + 4 x 0.21), so the round
    # counts as one item of 1.50 scoring 3 on the first scorecard and 3 - 0.21 / 1.50 = 2.86 on
    # the second (Serving at 2, weight 0.21): System design (4.50 + 4.29) / 3.00 = 2.93, and
    # overall (1.50 + 4.50 + 1.50 + 4.29) / 6.00 = 1.965.
    assert response.context["per_competency"] == {"Evaluation": 1.0, "System design": pytest.approx(2.93, abs=0.005)}
    assert response.context["overall"] == pytest.approx((3.0 + 9.0 - 0.21) / 6, abs=0.005)
    card = Scorecard.objects.get(interview=design_interview, interviewer=interviewer)
    page = as_user(interviewer).get(f"/interviews/{design_interview.pk}/scorecard/").content.decode()
    assert escape(f"{TITLE} · Monitoring") in page and escape(f"{TITLE} · Overall") in page
    assert card.status == "submitted"


def test_calibration_keeps_each_phases_figures_apart(hiring_manager, interviewer, interviewer2, design_interview):
    make_scorecard(interview=design_interview, interviewer=interviewer, scores=[1, 4, 4, 4, 2, 2, 2, 3])
    make_scorecard(interview=design_interview, interviewer=interviewer2, scores=[2, 4, 4, 4, 1, 2, 2, 3])
    rows = [r for r in calibration.calibration_report(calibration.calibration_refresh().figures)["questions"]
            if r.slug == "feed-ranking-phased"]
    by_title = {r.title: r for r in rows}
    assert set(by_title) == {f"{TITLE} · {name}" for name in
                             ("Overall", "Requirements", "Data", "Modelling", "Evaluation", "Serving", "Monitoring")}
    assert by_title[f"{TITLE} · Data"].mean.value == 4.0 and by_title[f"{TITLE} · Data"].mean.n == 2
    assert by_title[f"{TITLE} · Evaluation"].mean.value == 1.5
    assert by_title[f"{TITLE} · Overall"].mean.value == 3.0
    assert len({r.anchor for r in rows}) == 7


def test_the_rail_keeps_the_phase_of_a_long_title():
    from scoring.views.live import RAIL_TITLE_CHARS, _rail_title

    long = "Designing the ranking of a very large news feed for a social network · Monitoring"
    cut = _rail_title(long, "Monitoring")
    assert cut.endswith("… · Monitoring") and len(cut) == RAIL_TITLE_CHARS
    assert _rail_title("Short · Data", "Data") == "Short · Data"


def test_the_debrief_pdf_names_each_phase(hm_client, interviewer, design_interview, plain_pdf):
    make_scorecard(interview=design_interview, interviewer=interviewer, scores=[2] + [3] * 7)
    response = hm_client.get(f"/candidates/{design_interview.candidate.pk}/debrief/", {"format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = response.content.decode("utf-8", "replace")
    assert "phased test design · Evaluation" in text and "phased test design · Overall" in text


def test_the_debrief_pdf_keeps_the_phase_of_a_long_title(hm_client, interviewer, position, hiring_manager,
                                                        plain_pdf):
    long = "Ranking a very large social news feed with many competing goals and constraints"
    make_phased_question(slug="long-phased", title=long)
    plan = make_plan(by=hiring_manager, position=position, name="Long design",
                     sections=[("Design", ["long-phased"])], competencies=["System design"])
    interview = make_interview(candidate=make_candidate(position=position), interviewers=[interviewer], plan=plan,
                               starts_at=timezone.now() - timezone.timedelta(hours=2))
    make_scorecard(interview=interview, interviewer=interviewer, scores=[3] * 7)
    text = hm_client.get(f"/candidates/{interview.candidate.pk}/debrief/", {"format": "pdf"}).content.decode(
        "utf-8", "replace")
    assert "… · Requirements" in text and "… · Overall" in text
