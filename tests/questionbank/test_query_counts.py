"""Query counts of the bank's list and detail pages, which must not grow with the data."""

import pytest

from questionbank.services import question_create, revision_publish
from tests.conftest import revision_content

pytestmark = pytest.mark.django_db


def add_questions(n, prefix):
    for i in range(n):
        q = question_create(
            slug=f"{prefix}-{i}", area="data", kind="applied", level="mid", roles=["ds", "mle"], status="published",
            content=revision_content(title=f"Label noise variant {prefix} {i}", model_answer=f"Noise answer {i}"),
        )
        revision_publish(question=q, content=revision_content(title=f"Label noise variant {prefix} {i}", prompt=f"Again {i}?"))


# Session, user, roles and permissions (1, accounts.roles.load_access: menu and role label in the header), the bell's unread count (1), the
# stored facet counts (one read of FacetCount, which also gives the paginator its total) and
# the page's rows. Nothing is cached: a repeated view costs the same. (It was 12: one query per
# facet and a separate count; on 100k questions each was a pass over every match, see
# docs/performance.md.)
LIST_QUERIES = 6
# Session, user, roles and permissions (1, accounts.roles.load_access), the bell's unread count (1), the ranking and facet counts of the matches (one
# statement), the page's rows with their highlights. (It was 7: "any full-text match?", the
# facet counts and the page's ranking were separate passes.)
SEARCH_QUERIES = 6
# Session, user, roles and permissions (1, accounts.roles.load_access), the bell's unread count (1), question + current revision, its criteria, its
# anchors, the revision history. (The current revision used to be read a second time.)
DETAIL_QUERIES = 8


@pytest.mark.parametrize("extra", [0, 40])
def test_the_list_page_query_count_is_constant(hm_client, django_assert_num_queries, extra):
    add_questions(extra, "list")
    for _ in range(2):  # a repeated view costs the same: nothing is cached
        with django_assert_num_queries(LIST_QUERIES):
            assert hm_client.get("/questions/").status_code == 200


@pytest.mark.parametrize("extra", [0, 40])
def test_the_search_page_query_count_is_constant(hm_client, django_assert_num_queries, extra):
    add_questions(extra, "search")
    for _ in range(2):  # a repeated view costs the same: nothing is cached
        with django_assert_num_queries(SEARCH_QUERIES):
            assert hm_client.get("/questions/", {"q": "noise"}).status_code == 200


@pytest.mark.parametrize("extra_revisions", [0, 15])
def test_the_detail_page_query_count_is_constant(hm_client, django_assert_num_queries, extra_revisions):
    q = question_create(slug="detail", area="data", kind="applied", level="mid", roles=["ds"], status="published",
                        content=revision_content())
    for i in range(extra_revisions):
        revision_publish(question=q, content=revision_content(prompt=f"Version {i}?"))
    with django_assert_num_queries(DETAIL_QUERIES):
        assert hm_client.get("/questions/detail/").status_code == 200
