"""What the bank's pages say: counts in good English, one message when nothing matches, the
title (not the slug) in breadcrumbs, the suggested time not read as "ago", and a label on
every rubric input of the question form."""

import re

import pytest

from questionbank.services import question_create
from tests.conftest import revision_content

pytestmark = pytest.mark.django_db


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def test_it_says_one_question_matches_in_the_singular(hm_client):
    question_create(slug="zebra", area="data", kind="concept", level="mid", roles=["ds"], status="published",
                    content=revision_content(title="Zebrafish imaging pipelines"))
    body = text_of(hm_client.get("/questions/", {"q": "zebrafish"}))
    assert "1 question matches “zebrafish”, best first." in body


def test_it_says_several_questions_match_in_the_plural(hm_client):
    body = text_of(hm_client.get("/questions/", {"q": "regularization"}))
    assert re.search(r"\b\d+ questions match “regularization”, best first\.", body)


def test_it_says_once_that_nothing_matches_a_search(hm_client):
    body = text_of(hm_client.get("/questions/", {"q": "qqqxxzzkk"}))
    assert "No question matches “qqqxxzzkk”, not even by a similar title. Try fewer words or clear a filter." in body
    assert "Showing 0 questions" not in body
    assert "No exact matches" not in body
    assert body.count("match") == 1


def test_it_shortens_a_very_long_search_term_in_the_summary(hm_client):
    term = "a" * 300
    response = hm_client.get("/questions/", {"q": term})
    summary = re.search(r'class="[^"]*search-summary[^"]*"[^>]*>(.*?)</(p|div)>', response.content.decode(), re.S).group(1)
    assert "a" * 81 not in summary
    assert "a" * 79 + "…" in summary
    assert 'class="search-term"' in summary


def test_the_question_page_breadcrumb_names_the_title_not_the_slug(hm_client):
    body = hm_client.get("/questions/regularization/").content.decode()
    crumb = re.search(r'<li class="breadcrumb-item active" aria-current="page">(.*?)</li>', body).group(1)
    assert crumb == "L1 and L2 regularization (lasso and ridge)"


def test_the_revision_page_breadcrumb_names_the_title_not_the_slug(hm_client):
    body = hm_client.get("/questions/regularization/revisions/1/").content.decode()
    assert '<a href="/questions/regularization/">L1 and L2 regularization (lasso and ridge)</a>' in body
    assert '<a href="/questions/regularization/">regularization</a>' not in body


def test_the_suggested_time_does_not_read_like_a_time_ago(hm_client):
    body = text_of(hm_client.get("/questions/regularization/"))
    assert re.search(r"Revision 1 · suggested time in an interview: \d+ minutes", body)
    assert "about" not in re.search(r"Revision 1 ·[^<]*", body).group(0)


def test_every_rubric_input_of_the_question_form_has_a_label(hm_client):
    body = hm_client.get("/questions/new/").content.decode()
    for n in range(8):
        assert re.search(rf'<label\s+for="id_criteria-{n}-text"[^>]*>\s*Criterion {n + 1}\s*</label>', body), n
    for level, name in ((1, "Poor"), (2, "Weak"), (3, "Good"), (4, "Excellent")):
        assert re.search(rf'<label\s+for="id_anchor_{level}"[^>]*>\s*{level} · {name}: what an? {name.lower()} answer sounds like', body)
