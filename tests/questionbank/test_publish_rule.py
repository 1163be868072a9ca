"""One publish rule (at least 2 rubric criteria and an anchor for every level) on every way a
question can become published: the publish button, the services, JSON and CSV imports, the
built-in bank loader and the Django admin (security probe finding 12)."""

import json

import pytest
from django.core.exceptions import ValidationError

from questionbank import loading
from questionbank.bankfiles import check_bank
from questionbank.models import Question, rubric_problems
from questionbank.exporting import JSON_FORMAT, export_json
from questionbank.importing import apply_import, build_preview
from questionbank.services import (
    QuestionNotPublishable, question_create, question_set_status, question_update, revision_publish,
)
from tests.conftest import revision_content

pytestmark = pytest.mark.django_db
DEFAULTS = {"area": "data", "kind": "concept", "level": "mid", "roles": ["ds"]}
NO_ANCHORS = {1: "", 2: "", 3: "", 4: ""}


def draft(slug="half-done", **content):
    return question_create(slug=slug, area="data", kind="concept", level="mid", roles=["ds"],
                           content=revision_content(**content))


def import_all(name, text):
    preview = build_preview(name=name, text=text, defaults=DEFAULTS)
    apply_import(preview, include={i["index"] for i in preview["items"]})
    return preview


def test_the_rule_names_every_missing_part():
    assert rubric_problems(criteria=["One"], anchors=["a", "b", "", "d"]) == [
        "it needs at least 2 rubric criteria", "it needs an anchor for every level 1-4",
    ]
    assert rubric_problems(criteria=["One", "  "], anchors=["a", "b", "c", "d"]) == ["it needs at least 2 rubric criteria"]
    assert rubric_problems(criteria=["One", "Two"], anchors=["a", "b", "c", "d"]) == []


def test_the_publish_button_refuses_a_question_with_one_criterion(hm_client):
    draft(criteria=["Only one criterion"])
    response = hm_client.post("/questions/half-done/status/", {"status": "published"}, follow=True)
    assert "This question cannot be published yet: it needs at least 2 rubric criteria." in response.content.decode()
    assert Question.objects.get(slug="half-done").status == "draft"


def test_the_publish_button_publishes_a_question_with_a_full_rubric(hm_client):
    draft()
    response = hm_client.post("/questions/half-done/status/", {"status": "published"}, follow=True)
    assert "is now published" in response.content.decode()
    assert Question.objects.get(slug="half-done").status == "published"


def test_the_services_refuse_to_publish_without_a_full_rubric():
    with pytest.raises(QuestionNotPublishable, match="it needs an anchor for every level 1-4") as refused:
        question_create(slug="straight-to-published", area="data", kind="concept", level="mid", roles=["ds"],
                        status="published", content=revision_content(anchors=NO_ANCHORS))
    assert refused.value.problems == ["it needs an anchor for every level 1-4"]
    assert not Question.objects.filter(slug="straight-to-published").exists()
    question = draft(anchors=NO_ANCHORS)
    with pytest.raises(QuestionNotPublishable):
        question_set_status(question=question, status="published")
    question_set_status(question=question, status="retired")  # retiring needs no rubric
    published = Question.objects.get(slug="bias-variance")
    with pytest.raises(QuestionNotPublishable, match="at least 2 rubric criteria"):
        revision_publish(question=published, content={**published.current_revision.text_fields(), "criteria": []})
    assert published.revisions.count() == 1


def test_the_refusal_is_a_validation_error_so_forms_show_its_words():
    assert issubclass(QuestionNotPublishable, ValidationError)
    assert QuestionNotPublishable(["it needs at least 2 rubric criteria"]).messages == [
        "This question cannot be published yet: it needs at least 2 rubric criteria."
    ]


def test_question_update_changes_the_identity_in_place_and_the_words_as_a_new_revision(hiring_manager):
    question = Question.objects.select_related("current_revision").get(slug="bias-variance")
    content = question.current_revision.text_fields()
    revision, identity_changed = question_update(
        question=question, area=question.area, kind=question.kind, level="senior", roles=question.roles,
        content=content, by=hiring_manager, note="",
    )
    assert (revision, identity_changed) == (None, True)
    assert Question.objects.get(pk=question.pk).level == "senior"
    revision, identity_changed = question_update(
        question=question, area=question.area, kind=question.kind, level="senior", roles=question.roles,
        content={**content, "title": "Bias, variance and the error"}, by=hiring_manager, note="Clearer title",
    )
    assert identity_changed is False and revision.number == 2 and revision.created_by == hiring_manager
    assert Question.objects.get(pk=question.pk).title == "Bias, variance and the error"


def test_question_update_of_a_published_question_without_a_rubric_saves_nothing():
    question = Question.objects.select_related("current_revision").get(slug="bias-variance")
    with pytest.raises(QuestionNotPublishable, match="it needs an anchor for every level 1-4"):
        question_update(question=question, area="data", kind=question.kind, level=question.level, roles=question.roles,
                        content={**question.current_revision.text_fields(), "anchors": ["", "", "", ""]})
    question = Question.objects.get(slug="bias-variance")
    assert question.area != "data" and question.revisions.count() == 1 and question.status == "published"


def test_an_import_whose_preview_was_tampered_to_published_still_creates_a_draft():
    """The bug the review found (a CSV row marked published with no rubric became a published
    question with 0 criteria) was fixed in the preview and in apply_import; here the preview's
    downgrade is undone, as a forged session could, and the write still keeps to the rule."""
    text = "slug,status,title,prompt\nno-rubric,published,A bare question,Why?\n"
    preview = build_preview(name="q.csv", text=text, defaults=DEFAULTS)
    preview["items"][0]["status"] = "published"
    apply_import(preview, include={0})
    question = Question.objects.get(slug="no-rubric")
    assert question.status == "draft"
    assert question.current_revision.criteria.count() == 0


def test_a_json_import_marked_published_without_a_rubric_arrives_as_a_draft_with_a_warning():
    text = json.dumps({"format": JSON_FORMAT, "version": 1, "questions": [{
        "slug": "published-no-rubric", "area": "data", "kind": "concept", "level": "mid", "roles": ["ds"],
        "status": "published", "current_revision": 1,
        "revisions": [{"number": 1, "title": "A question without a rubric at all", "prompt": "Why?", "criteria": [],
                       "anchors": {}, "minutes": 5}],
    }]})
    preview = import_all("q.json", text)
    item = preview["items"][0]
    assert item["status"] == "draft"
    assert ("marked published, but it needs at least 2 rubric criteria; it needs an anchor for every level 1-4: "
            "imported as a draft") in item["warnings"]
    assert Question.objects.get(slug="published-no-rubric").status == "draft"


def test_a_json_export_of_published_questions_still_imports_them_published():
    before = json.loads(export_json())
    item = next(q for q in before["questions"] if q["slug"] == "pca")
    Question.objects.filter(slug="pca").update(status="draft", current_revision=None)
    Question.objects.filter(slug="pca").delete()
    preview = import_all("bank.json", json.dumps({**before, "questions": [item]}))
    assert preview["items"][0]["warnings"] == []
    assert Question.objects.get(slug="pca").status == "published"


def test_a_csv_import_marked_published_without_anchors_arrives_as_a_draft_with_a_warning(hm_client):
    text = ("slug,status,title,prompt,criteria\n"
            'formula-probe,published,A question with criteria but no anchors,Why?,"First\nSecond"\n')
    preview = import_all("q.csv", text)
    assert preview["items"][0]["status"] == "draft"
    assert "marked published, but it needs an anchor for every level 1-4: imported as a draft" in preview["items"][0]["warnings"]
    assert Question.objects.get(slug="formula-probe").status == "draft"


def test_the_import_preview_page_says_so(hm_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("q.csv", b"slug,status,title,prompt\nno-rubric,published,A bare question,Why?\n")
    response = hm_client.post("/questions/import/", {"file": upload, **DEFAULTS})
    body = response.content.decode()
    assert "imported as a draft" in body and "<code>no-rubric</code> · draft" in body


def test_a_csv_update_that_drops_the_anchors_of_a_published_question_makes_it_a_draft():
    text = "slug,status,title,prompt\nbias-variance,published,Bias and variance,Decompose the error.\n"
    preview = build_preview(name="q.csv", text=text, defaults=DEFAULTS)
    item = preview["items"][0]
    assert item["action"] == "update"
    assert any("the published question becomes a draft" in w for w in item["warnings"])
    apply_import(preview, include={0})
    question = Question.objects.get(slug="bias-variance")
    assert question.status == "draft" and question.title == "Bias and variance"


def test_the_loader_refuses_to_publish_a_question_without_a_rubric(monkeypatch):
    questions, _ = check_bank()
    bare = {**questions[0], "slug": "bare-bank-question", "title": "A bank question without anchors",
            "anchors": {1: "Only one level", 2: "", 3: "", 4: ""}}
    monkeypatch.setattr(loading, "check_bank", lambda bank_dir, **options: ([bare], []))
    with pytest.raises(loading.BankFileError, match="bare-bank-question: .*it needs an anchor for every level 1-4"):
        loading.load_bank()
    assert not Question.objects.filter(slug="bare-bank-question").exists()


def test_the_admin_cannot_publish_a_question_without_a_rubric(client, admin_user):
    question = draft(anchors=NO_ANCHORS)
    client.force_login(admin_user)
    url = f"/admin/questionbank/question/{question.pk}/change/"
    form = {"slug": "half-done", "area": "data", "kind": "concept", "level": "mid", "roles": "ds", "status": "published"}
    response = client.post(url, form)
    assert response.status_code == 200
    assert "This question cannot be published yet: it needs an anchor for every level 1-4." in response.content.decode()
    assert Question.objects.get(pk=question.pk).status == "draft"
    response = client.post(url, {**form, "status": "retired"})
    assert response.status_code == 302
    assert Question.objects.get(pk=question.pk).status == "retired"
