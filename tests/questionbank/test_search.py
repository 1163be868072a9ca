"""Search on /questions/: full-text ranking, highlighting, the typo fallback and facets.
The built-in bank is loaded, so these run against the real 86 questions."""

import re

import pytest
from django.db.models import Q

from questionbank.models import Question
from questionbank.selectors import search_query
from questionbank.services import question_create
from tests.conftest import revision_content

pytestmark = pytest.mark.django_db


def result_titles(response):
    return [re.sub(r"</?mark>", "", t) for t in re.findall(r'class="fw-semibold" href="/questions/[^"]+/">(.*?)</a>', response.content.decode())]


def test_it_lists_the_regularisation_question_first_for_regularization(hm_client):
    response = hm_client.get("/questions/", {"q": "regularization"})
    assert response.status_code == 200
    assert result_titles(response)[0] == "L1 and L2 regularization (lasso and ridge)"


def test_it_finds_the_british_spelling_too(hm_client):
    response = hm_client.get("/questions/", {"q": "regularisation"})
    assert "L1 and L2 regularization (lasso and ridge)" in result_titles(response)


def test_it_folds_ise_and_ize_spellings(hm_client):
    american = set(result_titles(hm_client.get("/questions/", {"q": "regularization"})))
    british = set(result_titles(hm_client.get("/questions/", {"q": "regularisation"})))
    assert american == british
    assert any(t.startswith("Dropout") for t in american)  # its text says "regularisation"


def test_it_keeps_websearch_syntax(hm_client):
    titles = result_titles(hm_client.get("/questions/", {"q": '"decision threshold" -roc'}))
    assert titles and not any("ROC" in t for t in titles)


def test_it_highlights_matches(hm_client):
    body = hm_client.get("/questions/", {"q": "regularization"}).content.decode()
    assert "L1 and L2 <mark>regularization</mark> (lasso and ridge)" in body


def test_it_escapes_question_text_inside_highlights(hm_client, hiring_manager):
    question_create(
        slug="xss", area="data", kind="concept", level="mid", roles=["ds"], status="published",
        content=revision_content(title="Overfitting <script>alert(1)</script> trick"),
    )
    body = hm_client.get("/questions/", {"q": "trick"}).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_it_falls_back_to_similar_titles_for_a_typo(hm_client):
    response = hm_client.get("/questions/", {"q": "regulariztion"})
    body = response.content.decode()
    assert "No exact matches" in body
    assert result_titles(response)[0] == "L1 and L2 regularization (lasso and ridge)"


def test_it_ranks_title_matches_above_body_mentions(hm_client):
    titles = result_titles(hm_client.get("/questions/", {"q": "dropout"}))
    assert titles[0].startswith("Dropout")
    assert len(titles) > 1  # other questions mention dropout in their answers


def test_it_ranks_on_the_title_prompt_and_key_points_and_finds_with_the_model_answer_too(hm_client):
    # Ranking reads the title, prompt and key points (Question.rank_vector); the model answer
    # only finds the question, however often it says the word.
    def add(slug, title, **content):
        question_create(slug=slug, area="data", kind="applied", level="mid", roles=["ds"], status="published",
                        content=revision_content(title=title, **content))

    prompt = "How would you count quokka sightings from camera traps?"
    add("answer-only", "Alpha question", model_answer="Quokka quokka quokka: say quokka until the quokka count is high.")
    add("prompt-and-answer", "Delta question", prompt=prompt, model_answer="Quokka, quokka and quokka again.")
    add("in-prompt", "Beta question", prompt=prompt)
    add("in-key-point", "Gamma question", key_points=["Estimates the quokka population first", "Robust losses"])
    titles = result_titles(hm_client.get("/questions/", {"q": "quokka"}))
    # The same prompt ranks the same whatever the answer says: ties go by title.
    assert titles.index("Beta question") < titles.index("Delta question")
    assert titles[-1] == "Alpha question" and len(titles) == 4
    only_in_answer = Question.objects.get(slug="answer-only")
    assert "'quokka'" in only_in_answer.search_vector and "'quokka'" not in only_in_answer.rank_vector


def test_it_counts_every_facet_with_the_other_filters_and_the_search_applied(hm_client):
    # The counts come from one GROUP BY of the matches summed in Python (selectors.sum_groups); each must
    # equal a direct count with every other active filter, the search and the visibility rule.
    params = {"q": "model", "area": "evaluation", "level": "mid", "role": "ds"}
    response = hm_client.get("/questions/", params)
    match = Question.objects.filter(search_vector=search_query("model"))
    filters = {"area": Q(area="evaluation"), "level": Q(level="mid"), "role": Q(roles__contains=["ds"])}
    facets = {f["name"]: {o["value"]: o["count"] for o in f["options"]} for f in response.context["facets"]}
    for name, values in facets.items():
        others = match
        for other, condition in filters.items():
            if other != name:
                others = others.filter(condition)
        for value, count in values.items():
            expected = others.filter(roles__contains=[value]) if name == "role" else others.filter(**{name: value})
            assert count == expected.count(), (name, value)
    every = match.filter(*filters.values())
    assert response.context["page"].paginator.count == every.count() > 0


def test_it_filters_by_facets_and_counts_each_value(hm_client):
    response = hm_client.get("/questions/", {"area": "evaluation"})
    titles = result_titles(response)
    expected = Question.objects.filter(area="evaluation").count()
    assert response.context["page"].paginator.count == expected
    kinds = {o["value"]: o["count"] for f in response.context["facets"] if f["name"] == "kind" for o in f["options"]}
    assert kinds["concept"] == Question.objects.filter(area="evaluation", kind="concept").count()
    # Area counts ignore the area filter itself, so the other areas still show their size.
    areas = {o["value"]: o["count"] for f in response.context["facets"] if f["name"] == "area" for o in f["options"]}
    assert areas["algorithms"] == Question.objects.filter(area="algorithms").count()
    assert all(t for t in titles)


def test_it_filters_by_role_track(hm_client):
    response = hm_client.get("/questions/", {"role": "rl"})
    slugs = {q.slug for q, _ in response.context["rows"]}
    assert {"on-vs-off-policy", "deep-q-learning"} <= slugs
    assert "stemming-lemmatization" not in slugs


def test_it_ignores_unknown_filter_values(hm_client):
    response = hm_client.get("/questions/", {"area": "astrology", "page": "999"})
    assert response.status_code == 200
    assert response.context["filters"] == {}


def test_it_paginates(hm_client):
    first = hm_client.get("/questions/")
    second = hm_client.get("/questions/", {"page": 2})
    assert len(first.context["rows"]) == 20
    assert {q.pk for q, _ in first.context["rows"]}.isdisjoint({q.pk for q, _ in second.context["rows"]})
