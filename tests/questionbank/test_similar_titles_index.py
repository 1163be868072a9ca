"""The similar-title checks (the editor's ``similar_titles`` and the importer's
``similar_titles_of``) find their candidates through the title's trigram index, answer what
comparing every title answered, and leave pg_trgm's threshold as they found it."""

import pytest
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection

from questionbank.importing import SIMILAR_TITLES_SQL, similar_titles_of
from questionbank.models import Question
from questionbank.services import (
    SIMILAR_TITLE_THRESHOLD, question_create, similar_titles, similar_titles_query, trigram_threshold,
)
from tests.conftest import revision_content

INDEX = "qb_question_title_trgm"
PG_TRGM_DEFAULT = "0.3"
# Close to the built-in "Bias-variance decomposition of prediction error".
NEAR = "Bias-variance decomposition of the prediction error"
TITLES = [
    "Bias variance trade-off", NEAR,
    "How does gradient boosting work?", "Precision and recall", "Nothing at all like the bank",
]


def _show_threshold():
    with connection.cursor() as cursor:
        cursor.execute("SHOW pg_trgm.similarity_threshold")
        return cursor.fetchone()[0]


def _every_title_compared(title, threshold, limit=5):
    """The check as it was before the index: the similarity computed for every question."""
    qs = (Question.objects.annotate(similarity=TrigramSimilarity("title", title))
          .filter(similarity__gte=threshold).order_by("-similarity", "pk"))
    return [(q.slug, q.similarity) for q in qs[:limit]]


def _local_setting(name, value):
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


@pytest.mark.django_db
@pytest.mark.parametrize("threshold", [0.2, 0.3, SIMILAR_TITLE_THRESHOLD, 0.7])
def test_the_indexed_check_finds_what_comparing_every_title_found(threshold):
    titles = TITLES + [q.title for q in Question.objects.order_by("pk")[:20]]
    found_any = 0
    for title in titles:
        expected = _every_title_compared(title, threshold)
        assert [(q.slug, q.similarity) for q in similar_titles(title, threshold=threshold)] == expected, title
        found_any += bool(expected)
    assert found_any >= 20  # the bank's own titles find at least themselves


@pytest.mark.django_db
def test_ties_come_oldest_first_and_the_limit_keeps_the_oldest():
    slugs = [f"tie-{n}" for n in range(3)]
    for slug in slugs:
        question_create(slug=slug, area="data", kind="concept", level="mid", roles=["ds"],
                        content=revision_content(title="Tie-break title for the trigram check"))
    found = similar_titles("Tie-break title for the trigram check", limit=2)
    assert [(q.slug, q.similarity) for q in found] == [("tie-0", 1.0), ("tie-1", 1.0)]
    assert similar_titles_of({"a": "Tie-break title for the trigram check", "b": "Precision and recall"},
                             limit=2)["a"] == [{"slug": "tie-0", "title": "Tie-break title for the trigram check",
                                                "similarity": 1.0},
                                               {"slug": "tie-1", "title": "Tie-break title for the trigram check",
                                                "similarity": 1.0}]


@pytest.mark.django_db
def test_the_threshold_is_back_to_its_default_after_either_check():
    assert similar_titles(NEAR)  # inside the test's transaction: a savepoint
    assert _show_threshold() == PG_TRGM_DEFAULT
    similar_titles(NEAR, threshold=0.9)
    assert _show_threshold() == PG_TRGM_DEFAULT
    assert similar_titles_of(dict(enumerate(TITLES)))
    assert _show_threshold() == PG_TRGM_DEFAULT


@pytest.mark.django_db
def test_a_threshold_the_caller_set_is_kept():
    similar_titles(NEAR)
    _local_setting("pg_trgm.similarity_threshold", "0.42")
    similar_titles(NEAR, threshold=0.8)
    similar_titles_of(dict(enumerate(TITLES)))
    assert _show_threshold() == "0.42"


@pytest.mark.django_db(transaction=True)
def test_the_threshold_does_not_leak_to_a_new_connection_outside_a_transaction():
    # A fresh connection has not loaded pg_trgm yet: the setting starts as a placeholder.
    connection.close()
    similar_titles(NEAR, threshold=0.8)
    assert _show_threshold() == PG_TRGM_DEFAULT
    similar_titles_of(dict(enumerate(TITLES)))
    assert _show_threshold() == PG_TRGM_DEFAULT


@pytest.mark.django_db
def test_the_editor_check_can_find_its_candidates_through_the_title_index():
    # 225 questions are too few for the planner to prefer an index; forbidding a sequential
    # scan shows whether the statement can use one at all (the bench shows it does at 100k).
    title = "Bias variance trade-off"
    with trigram_threshold(SIMILAR_TITLE_THRESHOLD):
        _local_setting("enable_seqscan", "off")
        plan = similar_titles_query(title, threshold=SIMILAR_TITLE_THRESHOLD).explain()
        every = (Question.objects.annotate(similarity=TrigramSimilarity("title", title))
                 .filter(similarity__gte=SIMILAR_TITLE_THRESHOLD).explain())
    assert f"Bitmap Index Scan on {INDEX}" in plan
    assert INDEX not in every  # similarity() >= x alone cannot use it


@pytest.mark.django_db
def test_the_importer_check_can_find_its_candidates_through_the_title_index():
    sql = SIMILAR_TITLES_SQL.format(table=connection.ops.quote_name(Question._meta.db_table))
    with trigram_threshold(SIMILAR_TITLE_THRESHOLD), connection.cursor() as cursor:
        _local_setting("enable_seqscan", "off")
        cursor.execute("EXPLAIN " + sql, [TITLES, SIMILAR_TITLE_THRESHOLD, 5])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"Bitmap Index Scan on {INDEX}" in plan
