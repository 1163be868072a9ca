import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from questionbank.models import Question, QuestionRevision, ScoreAnchor, Status
from questionbank.services import question_create, revision_publish
from tests.conftest import revision_content

pytestmark = pytest.mark.django_db


def make_question(slug="label-noise", **content):
    return question_create(
        slug=slug, area="data", kind="applied", level="mid", roles=["ds"], content=revision_content(**content)
    )


def test_it_creates_a_first_revision_with_rubric():
    question = make_question()
    rev = question.current_revision
    assert rev.number == 1
    assert [c.text for c in rev.criteria.all()] == revision_content()["criteria"]
    assert [a.level for a in rev.anchors.all()] == [1, 2, 3, 4]
    assert question.title == "Handling label noise in training data"
    assert question.status == Status.DRAFT


def test_it_publishes_a_new_revision_on_edit_and_keeps_the_old_one():
    question = make_question()
    first = question.current_revision
    second = revision_publish(question=question, content=revision_content(prompt="A different prompt?"), note="Reworded")
    question.refresh_from_db()
    assert second.number == 2
    assert question.current_revision == second
    first.refresh_from_db()
    assert first.prompt == revision_content()["prompt"]
    assert first.criteria.count() == 2 and first.anchors.count() == 4


def test_it_makes_no_revision_when_nothing_changed():
    question = make_question()
    assert revision_publish(question=question, content=revision_content()) is None
    assert question.revisions.count() == 1


def test_it_makes_a_revision_when_only_an_anchor_changed():
    question = make_question()
    anchors = {**revision_content()["anchors"], 4: "Something else entirely."}
    assert revision_publish(question=question, content=revision_content(anchors=anchors)).number == 2


def test_it_refuses_to_update_a_saved_revision():
    rev = make_question().current_revision
    rev.prompt = "changed"
    with pytest.raises(ValidationError, match="immutable"):
        rev.save()
    assert QuestionRevision.objects.get(pk=rev.pk).prompt == revision_content()["prompt"]


def test_it_enforces_one_anchor_per_level_in_the_database():
    rev = make_question().current_revision
    with pytest.raises(IntegrityError):
        ScoreAnchor.objects.create(revision=rev, level=2, text="again")


def test_it_enforces_levels_one_to_four_in_the_database():
    rev = make_question().current_revision
    with pytest.raises(IntegrityError):
        ScoreAnchor.objects.create(revision=rev, level=5, text="off the scale")


def test_it_refuses_a_published_question_without_a_revision():
    with pytest.raises(IntegrityError):
        Question.objects.create(slug="empty", area="data", kind="concept", level="mid", status=Status.PUBLISHED)


def test_it_updates_the_search_vector_with_the_current_revision():
    question = make_question()
    revision_publish(question=question, content=revision_content(model_answer="Use co-teaching with two networks."))
    assert Question.objects.filter(pk=question.pk, search_vector="co-teaching").exists()
