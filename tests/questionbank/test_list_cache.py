"""The list page's cache (selectors.list_page): keyed by the bank's version, which a database
trigger moves with every write to the question table, so no change is ever missed."""

import re

import pytest
from django.db import connection, transaction

from questionbank.models import BankChange, Question
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


def test_every_kind_of_write_moves_the_version_and_reads_do_not():
    seen = [BankChange.version()]

    def moved():
        seen.append(BankChange.version())
        return seen[-1] != seen[-2] and seen[-1] not in seen[:-1]

    question = make("quokka")
    assert moved()
    Question.objects.filter(pk=question.pk).update(level="senior")  # as imports do
    assert moved()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE questionbank_question SET kind = 'applied' WHERE id = %s", [question.pk])
    assert moved()
    list(Question.objects.all()[:5])
    assert BankChange.version() == seen[-1]
    draft = Question.objects.create(slug="no-revision-yet", area="data", kind="concept", level="mid")
    assert moved()
    draft.delete()
    assert moved()


def test_a_rolled_back_write_never_gives_its_version_to_other_data():
    make("before")
    before = BankChange.version()
    with pytest.raises(RuntimeError), transaction.atomic():
        make("rolled-back")
        rolled_back = BankChange.version()
        raise RuntimeError
    assert BankChange.version() == before
    make("after")
    assert BankChange.version() not in (before, rolled_back)


def test_a_cached_search_shows_a_new_question_an_edit_and_a_retirement(hm_client, interviewer, as_user):
    assert total(hm_client.get("/questions/", {"q": "quokka"})) == 0  # typo fallback, cached
    question = make("quokka")
    response = hm_client.get("/questions/", {"q": "quokka"})
    assert response.context["mode"] == "fulltext" and titles(response) == ["Quokka husbandry for recommender systems"]

    revision_publish(question=question, content=revision_content(title="Quokka husbandry, revised"))
    assert titles(hm_client.get("/questions/", {"q": "quokka"})) == ["Quokka husbandry, revised"]

    question_set_status(question=question, status="draft")
    assert titles(hm_client.get("/questions/", {"q": "quokka"})) == ["Quokka husbandry, revised"]
    # Interviewers do not see drafts: the visibility rule is part of the key.
    assert total(as_user(interviewer).get("/questions/", {"q": "quokka"})) == 0


def test_the_cached_facet_counts_of_the_list_follow_updates_made_without_save(hm_client):
    before = hm_client.get("/questions/", {"area": "data"})
    data = total(before)
    question = make("quokka")
    assert total(hm_client.get("/questions/", {"area": "data"})) == data + 1
    Question.objects.filter(pk=question.pk).update(area="evaluation")  # no signal, no updated_at
    after = hm_client.get("/questions/", {"area": "data"})
    assert total(after) == data
    areas = {o["value"]: o["count"] for f in after.context["facets"] if f["name"] == "area" for o in f["options"]}
    assert areas["evaluation"] == Question.objects.filter(area="evaluation").count()


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
