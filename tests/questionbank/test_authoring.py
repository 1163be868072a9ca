"""Creating, editing, publishing and retiring questions through the forms."""

import pytest

from questionbank.models import Question

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "title": "Calibrating a classifier's probabilities",
        "slug": "",
        "area": "evaluation",
        "kind": "concept",
        "level": "mid",
        "roles": ["ds", "mle"],
        "minutes": "8",
        "prompt": "Your fraud model says 0.9 but only half of those are fraud. What is wrong and how do you fix it?",
        "why_we_ask": "Separates ranking quality from probability quality.",
        "model_answer": "The model is miscalibrated; fit Platt scaling or isotonic regression on held-out data.",
        "key_points": "Reliability diagram\nPlatt scaling or isotonic regression\nFit on held-out data",
        "follow_ups": "How do you measure calibration? || Expected calibration error, Brier score",
        "anchor_1": "Confuses calibration with accuracy.",
        "anchor_2": "Names calibration but no method.",
        "anchor_3": "Reliability diagram plus Platt or isotonic on held-out data.",
        "anchor_4": "Adds when isotonic overfits, drift of calibration, and cost-based thresholds.",
        "reference_solution": "",
        "coding_tests": "",
        "change_note": "",
        "criteria-TOTAL_FORMS": "8",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "8",
        "criteria-MAX_NUM_FORMS": "8",
    }
    for i in range(8):
        data[f"criteria-{i}-text"] = ""
    data["criteria-0-text"] = "Draws or describes a reliability diagram"
    data["criteria-1-text"] = "Fits the calibrator on data the model was not trained on"
    data.update(overrides)
    return data


def test_it_creates_a_draft_question_with_its_rubric(hm_client, hiring_manager):
    response = hm_client.post("/questions/new/", form_data())
    question = Question.objects.get(slug="calibrating-a-classifiers-probabilities")
    assert response.status_code == 302 and response["Location"] == "/questions/calibrating-a-classifiers-probabilities/"
    rev = question.current_revision
    assert question.status == "draft"
    assert rev.created_by == hiring_manager
    assert rev.key_points == ["Reliability diagram", "Platt scaling or isotonic regression", "Fit on held-out data"]
    assert rev.follow_ups == [{"question": "How do you measure calibration?", "good_answer": "Expected calibration error, Brier score"}]
    assert rev.criteria.count() == 2 and rev.anchors.count() == 4


def test_it_refuses_fewer_than_two_criteria_and_keeps_what_was_typed(hm_client):
    response = hm_client.post("/questions/new/", form_data(**{"criteria-1-text": ""}))
    body = response.content.decode()
    assert response.status_code == 400
    assert "Write at least 2 rubric criteria (you have 1)" in body
    assert "Your fraud model says 0.9" in body  # nothing typed is lost
    assert not Question.objects.filter(slug="calibrating-a-classifiers-probabilities").exists()


def test_it_refuses_a_missing_anchor(hm_client):
    response = hm_client.post("/questions/new/", form_data(anchor_3=""))
    assert response.status_code == 400
    assert response.context["form"].errors["anchor_3"] == ["This field is required."]


def test_it_refuses_a_blank_prompt(hm_client):
    response = hm_client.post("/questions/new/", form_data(prompt="   "))
    assert response.status_code == 400
    assert "prompt" in response.context["form"].errors


def test_it_refuses_two_identical_anchors(hm_client):
    response = hm_client.post("/questions/new/", form_data(anchor_2="Same.", anchor_3="same."))
    assert "Each level needs its own anchor" in response.content.decode()


def test_it_refuses_malformed_test_case_json_naming_the_line(hm_client):
    response = hm_client.post("/questions/new/", form_data(kind="coding", reference_solution="def f(): pass", coding_tests='{\n"function": }'))
    assert "Test cases are not valid JSON (line 2" in response.content.decode()


def test_it_warns_about_a_similar_title_and_saves_on_confirmation(hm_client):
    data = form_data(title="Bias-variance decomposition of the prediction error", slug="bv-again")
    first = hm_client.post("/questions/new/", data)
    body = first.content.decode()
    assert "A similar question already exists" in body
    assert "Bias-variance decomposition of prediction error" in body
    assert not Question.objects.filter(slug="bv-again").exists()
    second = hm_client.post("/questions/new/", {**data, "confirm_similar": "on"})
    assert second.status_code == 302
    assert Question.objects.filter(slug="bv-again").exists()


def test_editing_publishes_a_new_revision_and_the_old_one_shows_a_diff(hm_client):
    hm_client.post("/questions/new/", form_data(slug="calib"))
    response = hm_client.post("/questions/calib/edit/", form_data(prompt="Probabilities from your model are off. Fix them?", change_note="Shorter"))
    assert response.status_code == 302
    question = Question.objects.get(slug="calib")
    assert question.current_revision.number == 2
    page = hm_client.get("/questions/calib/revisions/1/").content.decode()
    assert "<del>Your fraud model says 0.9 but only half of those are fraud. What is wrong and how do you fix it?</del>" in page or "<del>" in page
    assert "<ins>" in page and "Prompt" in page


def test_editing_without_changes_makes_no_revision(hm_client):
    hm_client.post("/questions/new/", form_data(slug="calib"))
    hm_client.post("/questions/calib/edit/", form_data(slug="calib"))
    assert Question.objects.get(slug="calib").revisions.count() == 1


def test_it_publishes_and_retires(hm_client):
    hm_client.post("/questions/new/", form_data(slug="calib"))
    hm_client.post("/questions/calib/status/", {"status": "published"})
    assert Question.objects.get(slug="calib").status == "published"
    hm_client.post("/questions/calib/status/", {"status": "retired"})
    assert Question.objects.get(slug="calib").status == "retired"


def test_it_refuses_to_publish_a_question_without_a_full_rubric(hm_client):
    from questionbank.services import question_create

    question_create(slug="no-anchors", area="data", kind="concept", level="mid", roles=["ds"],
                    content={"title": "Imported", "prompt": "Why?", "criteria": ["a", "b"], "anchors": ["", "", "", ""]})
    response = hm_client.post("/questions/no-anchors/status/", {"status": "published"}, follow=True)
    assert "cannot be published yet: it needs an anchor for every level 1-4" in response.content.decode()
    assert Question.objects.get(slug="no-anchors").status == "draft"
