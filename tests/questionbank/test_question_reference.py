"""The question page shows interviewers preparing what a coding or SQL question needs: the
reference solution and its tests, values written as JSON (and, unlike the live page, the
model answer)."""

import pytest
from django.utils.html import escape

from questionbank.services import question_create
from tests.conftest import revision_content

pytestmark = pytest.mark.django_db

SQL_TESTS = {"language": "sql", "schema": "CREATE TABLE hires (team text, hired_on date);",
             "data": "INSERT INTO hires VALUES ('ml', '2026-01-02'), ('data', NULL);",
             "expected_rows": [["ml", 1], ["data", None]], "ordered": True}


def page(client, slug):
    response = client.get(f"/questions/{slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_coding_question_page_shows_the_reference_solution_and_each_case_as_a_call(as_user, hiring_manager):
    body = page(as_user(hiring_manager), "code-bigrams")
    assert '<h2 class="h5">Reference solution and tests</h2>' in body
    assert "def bigrams(sentences):" in body
    assert "Test cases (9)" in body
    assert escape('bigrams(["I like tea", "Tea is hot"])') in body
    assert escape('[["i", "like"], ["like", "tea"], ["tea", "is"], ["is", "hot"]]') in body
    assert "Contract: input is a list of strings" in body  # the model answer, for preparing


def test_an_sql_question_page_shows_schema_data_reference_query_and_expected_rows(as_user, hiring_manager):
    question_create(slug="sql-hires", area="sql", kind="sql", level="mid", roles=["ds"], status="published",
                    content=revision_content(title="SQL: hires per team", reference_solution="SELECT team, count(*) "
                                             "FROM hires GROUP BY team ORDER BY count(*) DESC, team;",
                                             coding_tests=SQL_TESTS))
    body = page(as_user(hiring_manager), "sql-hires")
    assert '<h2 class="h5">Schema, data and reference query</h2>' in body
    assert "CREATE TABLE hires (team text, hired_on date);" in body
    assert escape("INSERT INTO hires VALUES ('ml', '2026-01-02'), ('data', NULL);") in body
    assert "SELECT team, count(*) FROM hires GROUP BY team ORDER BY count(*) DESC, team;" in body
    assert "Expected rows (2, in this order)" in body
    assert "<tr><td><code>&quot;data&quot;</code></td><td><code>null</code></td></tr>" in body
    assert "Test cases" not in body


def test_a_question_without_a_reference_solution_shows_no_reference_section(as_user, hiring_manager):
    body = page(as_user(hiring_manager), "bias-variance")
    assert "Reference solution" not in body and "Reference query" not in body


@pytest.mark.parametrize("coding_tests", [
    None, [], "text", {"language": "sql", "expected_rows": "not rows"}, {"language": "sql", "expected_rows": [1, [2]]},
    {"test_cases": "not cases"}, {"test_cases": [1, {"args": "x"}]}, {"tolerance": True},
])
def test_odd_stored_tests_are_shown_as_far_as_they_make_sense_never_a_crash(coding_tests):
    """An API or import client may store any JSON object as coding_tests; the pages show what
    fits and skip the rest."""
    from questionbank.reference import reference_block

    block = reference_block("SELECT 1;", coding_tests)
    assert block["code"] == "SELECT 1;"
    assert all(isinstance(row, list) for row in block.get("rows", []))
    assert all(isinstance(case["call"], str) for case in block.get("test_cases", []))
    assert block.get("tolerance") is None
    assert reference_block("", coding_tests) is None
