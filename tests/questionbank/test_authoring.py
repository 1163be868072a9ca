"""Creating, editing, publishing and retiring questions through the forms."""

import pytest

from questionbank.models import Question
from tests.conftest import question_form_data as form_data

pytestmark = pytest.mark.django_db


def test_it_creates_a_draft_question_with_its_rubric(hm_client, hiring_manager):
    response = hm_client.post("/questions/new/", form_data())
    question = Question.objects.get(slug="handling-label-noise-in-training-data")
    assert response.status_code == 302 and response["Location"] == "/questions/handling-label-noise-in-training-data/"
    rev = question.current_revision
    assert question.status == "draft"
    assert rev.created_by == hiring_manager
    assert rev.key_points == ["Audit a sample first", "Robust losses", "Relabel the confusing classes"]
    assert rev.follow_ups == [{"question": "How do you find the noisy labels?", "good_answer": "Confident learning, loss ranking"}]
    assert rev.criteria.count() == 2 and rev.anchors.count() == 4


def test_it_refuses_fewer_than_two_criteria_and_keeps_what_was_typed(hm_client):
    response = hm_client.post("/questions/new/", form_data(**{"criteria-1-text": ""}))
    body = response.content.decode()
    assert response.status_code == 400
    assert "Write at least 2 rubric criteria (you have 1)" in body
    assert "Your labels come from crowd workers" in body  # nothing typed is lost
    assert not Question.objects.filter(slug="handling-label-noise-in-training-data").exists()


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


SQL_TESTS = ('{"language": "sql", "schema": "CREATE TABLE t (n int);", "data": "INSERT INTO t VALUES (1);", '
             '"expected_rows": [[1]], "ordered": true}')


def test_an_sql_question_is_written_with_its_reference_query_and_tests(hm_client):
    data = form_data(kind="sql", reference_solution="SELECT n FROM t;", coding_tests=SQL_TESTS)
    assert hm_client.post("/questions/new/", data).status_code == 302
    rev = Question.objects.get(slug="handling-label-noise-in-training-data").current_revision
    assert rev.reference_solution == "SELECT n FROM t;" and rev.coding_tests["expected_rows"] == [[1]]
    page = hm_client.get("/questions/handling-label-noise-in-training-data/").content.decode()
    assert "CREATE TABLE t (n int);" in page and "SELECT n FROM t;" in page


@pytest.mark.parametrize("fields,field,message", [
    ({"coding_tests": SQL_TESTS}, "reference_solution", "An SQL question needs its reference query."),
    ({"reference_solution": "SELECT 1;", "coding_tests": '{"function": "f", "test_cases": []}'}, "coding_tests",
     'An SQL question\'s tests start {"language": "sql", ...}.'),
    ({"reference_solution": "SELECT 1;", "coding_tests": '{"language": "sql", "expected_rows": [1, 2]}'},
     "coding_tests", '"expected_rows" is a list of rows, each a list of values: [[1, "ana"], [2, "ben"]].'),
    ({"reference_solution": "SELECT 1;", "coding_tests": '{"language": "sql", "ordered": "yes"}'}, "coding_tests",
     '"ordered" is true (rows in order) or false.'),
    ({"reference_solution": "SELECT 1;", "coding_tests": '{"language": "sql", "schema": 5}'}, "coding_tests",
     '"schema" and "data" are SQL text.'),
])
def test_an_sql_questions_parts_are_checked_and_what_was_typed_is_kept(hm_client, fields, field, message):
    response = hm_client.post("/questions/new/", form_data(kind="sql", **fields))
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert "Your labels come from crowd workers" in response.content.decode()


def test_a_coding_question_refuses_an_sql_questions_tests(hm_client):
    response = hm_client.post("/questions/new/", form_data(kind="coding", reference_solution="def f(): pass",
                                                           coding_tests=SQL_TESTS))
    assert response.context["form"].errors["coding_tests"] == [
        "These are an SQL question's tests: choose the kind SQL, or give test cases."]


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
    hm_client.post("/questions/new/", form_data(slug="noise"))
    response = hm_client.post("/questions/noise/edit/", form_data(prompt="A tenth of your labels are wrong. What do you do?", change_note="Shorter"))
    assert response.status_code == 302
    question = Question.objects.get(slug="noise")
    assert question.current_revision.number == 2
    page = hm_client.get("/questions/noise/revisions/1/").content.decode()
    assert "<del>Your labels come from crowd workers and about 10% are wrong. What do you do?</del>" in page or "<del>" in page
    assert "<ins>" in page and "Prompt" in page


def test_editing_without_changes_makes_no_revision(hm_client):
    hm_client.post("/questions/new/", form_data(slug="noise"))
    hm_client.post("/questions/noise/edit/", form_data(slug="noise"))
    assert Question.objects.get(slug="noise").revisions.count() == 1


def test_it_publishes_and_retires(hm_client):
    hm_client.post("/questions/new/", form_data(slug="noise"))
    hm_client.post("/questions/noise/status/", {"status": "published"})
    assert Question.objects.get(slug="noise").status == "published"
    hm_client.post("/questions/noise/status/", {"status": "retired"})
    assert Question.objects.get(slug="noise").status == "retired"


def test_it_refuses_to_publish_a_question_without_a_full_rubric(hm_client):
    from questionbank.services import question_create

    question_create(slug="no-anchors", area="data", kind="concept", level="mid", roles=["ds"],
                    content={"title": "Imported", "prompt": "Why?", "criteria": ["a", "b"], "anchors": ["", "", "", ""]})
    response = hm_client.post("/questions/no-anchors/status/", {"status": "published"}, follow=True)
    assert "cannot be published yet: it needs an anchor for every level 1-4" in response.content.decode()
    assert Question.objects.get(slug="no-anchors").status == "draft"
