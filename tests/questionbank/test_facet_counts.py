"""The stored facet counts (FacetCount, kept by triggers on the question table, migration
0008) always equal a GROUP BY over the questions, whatever writes them: saves, bulk
update(), deletes, bulk_create, COPY, raw SQL, rolled-back transactions and TRUNCATE."""

import itertools

import pytest
from django.db import connection, transaction
from django.db.models import Count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questionbank.models import FacetCount, Question
from questionbank.services import question_create, question_set_status
from tests.conftest import revision_content

pytestmark = pytest.mark.django_db
KEY = ("area", "kind", "level", "status", "roles")

# Few values per column, so that random writes land on the same combinations often.
facets = st.fixed_dictionaries({
    "area": st.sampled_from(["data", "evaluation"]),
    "kind": st.sampled_from(["concept", "coding"]),
    "level": st.sampled_from(["mid", "senior"]),
    "roles": st.lists(st.sampled_from(["ds", "mle", "rl"]), unique=True, max_size=2),
})
statuses = st.sampled_from(["draft", "published", "retired"])
some = st.integers(min_value=0, max_value=10**6)  # picks one of the questions written here
write = st.one_of(
    st.tuples(st.just("create"), facets, statuses),
    st.tuples(st.just("bulk_create"), st.lists(st.tuples(facets, statuses), max_size=5)),
    st.tuples(st.just("copy"), st.lists(st.tuples(facets, statuses), max_size=5)),
    st.tuples(st.just("save"), some, facets),
    st.tuples(st.just("status"), some, statuses),
    st.tuples(st.just("bulk_update"), st.sampled_from(["data", "evaluation"]), facets.map(lambda f: {"level": f["level"], "roles": f["roles"]})),
    st.tuples(st.just("raw_update"), st.sampled_from(["concept", "coding"]), st.sampled_from(["draft", "retired"])),
    st.tuples(st.just("delete"), some),
    st.tuples(st.just("bulk_delete"), st.sampled_from(["mid", "senior"])),
)
writes = st.lists(st.one_of(write, st.tuples(st.just("rolled_back"), st.lists(write, min_size=1, max_size=4))), max_size=12)


class RolledBack(Exception):
    pass


def stored():
    return {tuple(r[k] if k != "roles" else tuple(r[k]) for k in KEY): r["n"] for r in FacetCount.objects.values(*KEY, "n")}


def counted():
    return {
        tuple(r[k] if k != "roles" else tuple(r[k]) for k in KEY): r["n"]
        for r in Question.objects.order_by().values(*KEY).annotate(n=Count("*"))
    }


def apply(op, *, revision, slugs):
    kind, *args = op
    # Questions written here (never the built-in bank's, whose revisions would stop a delete).
    mine = Question.objects.filter(slug__startswith="fc-").order_by("pk")

    def new(values, status):
        # A published or retired question needs a current revision (a database constraint).
        return Question(slug=f"fc-{next(slugs)}", status=status, title="Facet count",
                        current_revision=None if status == "draft" else revision, **values)

    def pick(index):
        pks = list(mine.values_list("pk", flat=True))
        return Question.objects.get(pk=pks[index % len(pks)]) if pks else None

    if kind == "create":
        new(*args).save()
    elif kind == "bulk_create":
        Question.objects.bulk_create([new(values, status) for values, status in args[0]])
    elif kind == "copy":
        table = Question._meta.db_table
        with connection.cursor() as cursor, cursor.copy(
            f"COPY {table} (slug, area, kind, level, roles, status, title, current_revision_id, created_at, updated_at)"
            " FROM STDIN"
        ) as copy:
            for values, status in args[0]:
                q = new(values, status)
                copy.write_row((q.slug, q.area, q.kind, q.level, q.roles, q.status, q.title, q.current_revision_id,
                                "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"))
    elif kind == "save":
        question = pick(args[0])
        if question:
            for name, value in args[1].items():
                setattr(question, name, value)
            question.save(update_fields=[*args[1], "updated_at"])
    elif kind == "status":
        question = pick(args[0])
        if question and (args[1] == "draft" or question.current_revision_id):
            question.status = args[1]
            question.save(update_fields=["status"])
    elif kind == "bulk_update":
        mine.filter(area=args[0]).update(**args[1])
    elif kind == "raw_update":
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Question._meta.db_table} SET status = %s"
                " WHERE slug LIKE 'fc-%%' AND kind = %s AND (current_revision_id IS NOT NULL OR %s = 'draft')",
                [args[1], args[0], args[1]],
            )
    elif kind == "delete":
        question = pick(args[0])
        if question:
            question.delete()
    elif kind == "bulk_delete":
        mine.filter(level=args[0]).delete()
    elif kind == "rolled_back":
        try:
            with transaction.atomic():
                for inner in args[0]:
                    apply(inner, revision=revision, slugs=slugs)
                raise RolledBack
        except RolledBack:
            pass


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes)
def test_the_stored_counts_equal_a_group_by_after_any_writes(db, ops):
    revision = Question.objects.exclude(current_revision=None).first().current_revision
    slugs = itertools.count()
    try:
        with transaction.atomic():  # each example starts from the same bank
            assert stored() == counted()
            for op in ops:
                apply(op, revision=revision, slugs=slugs)
                assert stored() == counted(), op
            assert FacetCount.objects.filter(n__lte=0).count() == 0
            raise RolledBack
    except RolledBack:
        pass


def test_the_counts_follow_the_services(db):
    key = ("data", "coding", "senior", "draft", ("rl",))
    before = stored()
    question = question_create(slug="fc-service", area="data", kind="coding", level="senior", roles=["rl"],
                               content=revision_content())
    assert stored()[key] == before.get(key, 0) + 1
    question_set_status(question=question, status="published")
    assert stored().get(key, 0) == before.get(key, 0)
    assert stored() == counted()


def test_a_truncate_empties_the_counts(db):
    assert stored() == counted() != {}
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Question._meta.db_table} CASCADE")
    assert stored() == {} == counted()


def test_the_counts_cannot_be_written_from_python(db):
    row = FacetCount.objects.first()
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        row.delete()


def test_the_list_page_counts_drafts_only_for_those_who_may_see_them(hm_client, as_user, interviewer):
    question_create(slug="fc-draft", area="data", kind="coding", level="senior", roles=["rl"], content=revision_content())
    drafts = Question.objects.filter(status="draft").count()
    assert drafts > 0
    everyone = hm_client.get("/questions/")
    not_drafts = as_user(interviewer).get("/questions/")
    assert everyone.context["page"].paginator.count == Question.objects.count()
    assert not_drafts.context["page"].paginator.count == Question.objects.count() - drafts

    def statuses(response):
        return {o["value"]: o["count"] for f in response.context["facets"] if f["name"] == "status" for o in f["options"]}

    assert statuses(everyone)["draft"] == drafts
    assert statuses(not_drafts)["draft"] == 0
    assert statuses(not_drafts)["published"] == Question.objects.filter(status="published").count()
