"""The list page is never stale: every way of writing questions (services, QuerySet.update()
as imports do, raw SQL) shows on the next view, with the search and the facet counts."""

import re

import pytest
from django.db import connection

from questionbank.models import Question
from questionbank.selectors import search_query
from questionbank.services import question_create, question_set_status, revision_publish
from tests.conftest import revision_content

pytestmark = pytest.mark.django_db


def titles(response):
    return [re.sub(r"</?mark>", "", t) for t in re.findall(r'class="fw-semibold" href="/questions/[^"]+/">(.*?)</a>', response.content.decode())]


def total(response):
    return response.context["page"].paginator.count


def make(slug, title="Quokka husbandry for recommender systems", **extra):
    return question_create(slug=slug, area="data", kind="concept", level="mid", roles=["ds"], status="published",
                           content=revision_content(title=title), **extra)


def test_a_search_shows_a_new_question_an_edit_and_a_retirement_on_the_next_view(hm_client, interviewer, as_user):
    assert total(hm_client.get("/questions/", {"q": "quokka"})) == 0  # typo fallback
    question = make("quokka")
    response = hm_client.get("/questions/", {"q": "quokka"})
    assert response.context["mode"] == "fulltext" and titles(response) == ["Quokka husbandry for recommender systems"]

    revision_publish(question=question, content=revision_content(title="Quokka husbandry, revised"))
    assert titles(hm_client.get("/questions/", {"q": "quokka"})) == ["Quokka husbandry, revised"]

    question_set_status(question=question, status="draft")
    assert titles(hm_client.get("/questions/", {"q": "quokka"})) == ["Quokka husbandry, revised"]
    # Interviewers do not see drafts.
    assert total(as_user(interviewer).get("/questions/", {"q": "quokka"})) == 0


def test_the_facet_counts_of_the_list_follow_updates_made_without_save(hm_client):
    before = hm_client.get("/questions/", {"area": "data"})
    data = total(before)
    question = make("quokka")
    assert total(hm_client.get("/questions/", {"area": "data"})) == data + 1
    Question.objects.filter(pk=question.pk).update(area="evaluation")  # no signal, no updated_at
    after = hm_client.get("/questions/", {"area": "data"})
    assert total(after) == data
    areas = {o["value"]: o["count"] for f in after.context["facets"] if f["name"] == "area" for o in f["options"]}
    assert areas["evaluation"] == Question.objects.filter(area="evaluation").count()


def test_a_search_follows_a_write_made_in_raw_sql(hm_client):
    question = make("quokka")
    def levels():
        response = hm_client.get("/questions/", {"q": "quokka"})
        assert response.context["mode"] == "fulltext"
        return {o["value"]: o["count"] for f in response.context["facets"] if f["name"] == "level" for o in f["options"]}

    assert (levels()["mid"], levels()["senior"]) == (1, 0)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Question._meta.db_table} SET level = 'senior' WHERE id = %s", [question.pk])
    assert (levels()["mid"], levels()["senior"]) == (0, 1)


@pytest.mark.parametrize("page", ["999", "0", "-3"])
def test_a_search_page_out_of_range_shows_the_last_page(hm_client, page):
    for i in range(25):
        make(f"quokka-{i}", title=f"Quokka number {i}")
    response = hm_client.get("/questions/", {"q": "quokka", "page": page})
    assert response.context["page"].number == 2
    assert len(response.context["rows"]) == 5
    first = hm_client.get("/questions/", {"q": "quokka"})
    shown = {q.pk for q, _ in first.context["rows"]} | {q.pk for q, _ in response.context["rows"]}
    assert shown == set(Question.objects.filter(search_vector=search_query("quokka")).values_list("pk", flat=True))


def test_the_list_page_out_of_range_shows_the_last_page(hm_client):
    response = hm_client.get("/questions/", {"page": "100000"})
    page = response.context["page"]
    assert page.number == page.paginator.num_pages > 1
    assert len(response.context["rows"]) == page.paginator.count - (page.number - 1) * 20


def test_facet_links_keep_the_search_and_the_other_filters(hm_client):
    body = hm_client.get("/questions/", {"q": "model evaluation", "level": "mid"}).content.decode()
    assert 'href="?q=model%20evaluation&amp;level=mid&amp;area=evaluation"' in body
    assert 'href="?q=model%20evaluation" aria-current="true">✓ Mid</a>' in body
