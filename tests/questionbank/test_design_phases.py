"""Design rounds scored per phase in the question bank: the revision's phases with their own
criteria and anchors, the publish rule per phase, the anchor constraint per phase, the bank
files, the revision diff, export and import, the question page, the editor and the API."""

import json
import shutil

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from questionbank import bankfiles
from questionbank.diffing import revision_diff
from questionbank.exporting import export_csv, export_json
from questionbank.importing import ImportRefused, apply_import, build_preview
from questionbank.loading import load_bank
from questionbank.models import Question, RubricCriterion, ScoreAnchor
from questionbank.services import QuestionNotPublishable, question_create, question_update
from tests.conftest import question_form_data
from tests.phased import PHASE_MINUTES, make_phased_question, phase, phased_content

pytestmark = pytest.mark.django_db
IDENTITY = {"area": "system-design", "kind": "design", "level": "senior", "roles": ["mle"]}


def test_a_phased_revision_keeps_each_phase_with_its_own_criteria_and_anchors():
    question = make_phased_question()
    revision = question.current_revision
    assert [p["name"] for p in revision.phases] == list(bankfiles.DESIGN_PHASES)
    assert [p["minutes"] for p in revision.phases] == list(PHASE_MINUTES)
    assert [c.text for c in revision.own_criteria()] == phased_content()["criteria"]
    assert [a.level for a in revision.own_anchors()] == [1, 2, 3, 4]
    data = revision.phase_rubrics()[1]
    assert (data["name"], data["minutes"]) == ("Data", 6)
    assert data["criteria"] == ["States one data decision for the feed", "Explains what the data decision costs"]
    assert data["anchors"][0] == "Says nothing concrete about data."
    # Positions run on through the revision: the question's own criteria, then each phase's.
    rows = list(RubricCriterion.objects.filter(revision=revision).order_by("position").values_list("phase", "position"))
    assert rows[:3] == [(None, 1), (None, 2), (0, 3)] and rows[-1] == (5, 14)
    assert ScoreAnchor.objects.filter(revision=revision).count() == 4 * 7
    assert revision.publish_problems() == []


def test_the_publish_rule_holds_for_every_phase():
    content = phased_content()
    content["phases"][1]["anchors"][3] = ""
    content["phases"][4]["criteria"] = ["Only one serving criterion"]
    with pytest.raises(QuestionNotPublishable) as refused:
        question_create(slug="half-phased", content=content, status="published", **IDENTITY)
    assert refused.value.problems == ["the Data phase: it needs an anchor for every level 1-4",
                                      "the Serving phase: it needs at least 2 rubric criteria"]
    assert not Question.objects.filter(slug="half-phased").exists()
    # As a draft it is kept, and the publish button says which phase is missing what.
    question = question_create(slug="half-phased", content=content, **IDENTITY)
    assert question.publish_problems() == refused.value.problems


def test_the_publish_button_names_the_phase(hm_client):
    content = phased_content()
    content["phases"][5]["criteria"] = ["Only one"]
    question_create(slug="half-phased", content=content, **IDENTITY)
    response = hm_client.post("/questions/half-phased/status/", {"status": "published"}, follow=True)
    assert "the Monitoring phase: it needs at least 2 rubric criteria" in response.content.decode()
    assert Question.objects.get(slug="half-phased").status == "draft"


def test_one_anchor_per_level_for_the_question_and_for_each_phase():
    revision = make_phased_question().current_revision
    # Level 2 exists for the whole round and for every phase: a second one of either is refused.
    for phase_index in (None, 3):
        with pytest.raises(IntegrityError), transaction.atomic():
            ScoreAnchor.objects.create(revision=revision, phase=phase_index, level=2, text="Again")
    duplicate = ScoreAnchor(revision=revision, phase=3, level=2, text="Again")
    with pytest.raises(ValidationError, match="already has an anchor for that level"):
        duplicate.full_clean()
    # clean() refuses a phase the revision does not have.
    for model in (ScoreAnchor(revision=revision, phase=6, level=1, text="x"),
                  RubricCriterion(revision=revision, phase=6, position=99, text="x")):
        with pytest.raises(ValidationError, match="no phase at that index"):
            model.full_clean()


def test_a_phased_bank_file_loads_with_its_phases(tmp_path):
    bank = tmp_path / "bank"
    shutil.copytree(bankfiles.BANK_DIR, bank)
    path = bank / "system-design" / "design-restaurant-recs.yaml"
    data = yaml.safe_load(path.read_text())
    minutes = [data["minutes"] // 6] * 5
    minutes.append(data["minutes"] - sum(minutes))
    data["phases"] = [phase(name, m) for name, m in zip(bankfiles.DESIGN_PHASES, minutes)]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    assert [p for p in bankfiles.check_bank(bank)[1] if "design-restaurant-recs" in p] == []
    assert load_bank(bank)["revised"] == 1
    revision = Question.objects.get(slug="design-restaurant-recs").current_revision
    assert [p["name"] for p in revision.phase_rubrics()] == list(bankfiles.DESIGN_PHASES)
    assert revision.phase_rubrics()[2]["criteria"] == phase("Modelling", 1)["criteria"]
    assert revision.phase_rubrics()[5]["anchors"][3] == phase("Monitoring", 1)["anchors"][4]
    assert load_bank(bank)["revised"] == 0  # reloading the same phases changes nothing


def test_the_revision_diff_shows_a_changed_phase_line_by_line():
    question = make_phased_question()
    first = question.current_revision
    content = phased_content()
    content["phases"][2]["criteria"][1] = "Explains why a two-tower model fits the latency budget"
    question_update(question=question, content=content, note="Sharper", **IDENTITY)
    changes = {c["field"]: c for c in revision_diff(first, question.current_revision)}
    assert list(changes) == ["phases"]
    changed = [(line["op"], line["text"]) for line in changes["phases"]["lines"] if line["op"] != "same"]
    assert changed == [("removed", "Modelling · criterion: Explains what the modelling decision costs"),
                       ("added", "Modelling · criterion: Explains why a two-tower model fits the latency budget")]


def test_export_and_import_round_trip_the_phases():
    make_phased_question()
    exported = json.loads(export_json())
    item = next(q for q in exported["questions"] if q["slug"] == "feed-ranking-phased")
    phases = item["revisions"][-1]["phases"]
    assert [p["name"] for p in phases] == list(bankfiles.DESIGN_PHASES)
    assert phases[0]["anchors"]["4"] == phase("Requirements", 1)["anchors"][4]
    assert item["revisions"][-1]["criteria"] == phased_content()["criteria"]  # the round's own, phases apart
    Question.objects.filter(slug="feed-ranking-phased").update(slug="feed-ranking-was")
    text = json.dumps({**exported, "questions": [item]})
    preview = build_preview(name="bank.json", text=text, defaults={})
    assert apply_import(preview, include={0}) == {"created": 1, "updated": 0, "unchanged": 0}
    imported = Question.objects.get(slug="feed-ranking-phased")
    original = Question.objects.get(slug="feed-ranking-was")
    assert imported.status == "published"
    assert imported.current_revision.text_fields() == original.current_revision.text_fields()
    # Importing the same file again finds nothing changed.
    assert build_preview(name="bank.json", text=text, defaults={})["items"][0]["action"] == "unchanged"


def test_a_csv_import_keeps_the_phases_it_does_not_carry():
    question = make_phased_question()
    text = export_csv()
    preview = build_preview(name="bank.csv", text=text, defaults={})
    item = next(i for i in preview["items"] if i["slug"] == "feed-ranking-phased")
    assert item["action"] == "unchanged"
    edited = text.replace("Design the ranking of a news feed", "Design the ranking of a video feed")
    preview = build_preview(name="bank.csv", text=edited, defaults={})
    item = next(i for i in preview["items"] if i["slug"] == "feed-ranking-phased")
    apply_import(preview, include={item["index"]})
    question.refresh_from_db()
    assert question.current_revision.prompt.startswith("Design the ranking of a video feed")
    assert len(question.current_revision.phases) == 6 and question.current_revision.publish_problems() == []


@pytest.mark.parametrize("phases, message", [
    ("six", "phases must be a list"),
    ([{"minutes": 5}], "phase 1 needs a name"),
    ([{"name": "Data", "minutes": "five"}], "phase Data: minutes must be a whole number"),
    ([{"name": "Data", "minutes": 5, "criteria": [7]}], "phase Data: criteria must be a list of texts"),
    ([{"name": "Data", "minutes": 5, "anchors": {"9": "x"}}], "phase Data: anchors must map the levels"),
    ([{"name": "Data", "minutes": 5}] * 13, "a question has at most 12"),
])
def test_an_import_refuses_malformed_phases(phases, message):
    make_phased_question()
    exported = json.loads(export_json())
    item = next(q for q in exported["questions"] if q["slug"] == "feed-ranking-phased")
    item["revisions"][-1]["phases"] = phases
    with pytest.raises(ImportRefused, match=message):
        build_preview(name="bank.json", text=json.dumps({**exported, "questions": [item]}), defaults={})


def test_the_question_page_shows_the_phases_in_order(hm_client):
    make_phased_question()
    page = hm_client.get("/questions/feed-ranking-phased/").content.decode()
    names = [page.index(f"{n}. {name}") for n, name in enumerate(bankfiles.DESIGN_PHASES, 1)]
    assert names == sorted(names)
    for text in ("Steer to evaluation: what the candidate decides about evaluation for the feed.",
                 "Explains what the serving decision costs", "Says nothing concrete about monitoring.",
                 "Rubric: the round as a whole", "States the trade-off they chose across phases and why"):
        assert text in page


def test_the_question_page_reads_no_more_for_a_phased_question(hm_client, django_assert_num_queries):
    """The phases come with the rubric's two queries (criteria, anchors), whatever their number."""
    make_phased_question()
    plain = question_create(slug="plain-one", content=phased_content(title="A plain design question", phases=[]),
                            **IDENTITY)
    hm_client.get(plain.get_absolute_url())  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as plain_queries:
        hm_client.get(plain.get_absolute_url())
    with django_assert_num_queries(len(plain_queries)):
        hm_client.get("/questions/feed-ranking-phased/")


def phase_post(content=None):
    """The editor's phase inputs for ``content``'s phases (phased_content's by default)."""
    content = content or phased_content()
    return {f"phase-{n}-{key}": value for n, phase in enumerate(content["phases"]) for key, value in {
        "minutes": str(phase["minutes"]), "focus": phase["focus"], "criteria": "\n".join(phase["criteria"]),
        **{f"anchor_{level}": text for level, text in phase["anchors"].items()}}.items()}


def editor_post(content, **fields):
    return question_form_data(content, **{"slug": "feed-ranking-phased", **IDENTITY, "roles": "mle", **fields})


def test_the_editor_keeps_the_phases_when_a_post_has_none(hm_client):
    question = make_phased_question()
    content = phased_content(prompt="Design the ranking of a news feed for a large social app.")
    response = hm_client.post("/questions/feed-ranking-phased/edit/", editor_post(content))
    assert response.status_code == 302, response.content.decode()[:3000]
    question.refresh_from_db()
    revision = question.current_revision
    assert revision.number == 2 and revision.prompt.endswith("large social app.")
    assert revision.text_fields()["phases"] == question.revisions.get(number=1).text_fields()["phases"]


def test_the_editor_edits_a_phase(hm_client):
    question = make_phased_question()
    page = hm_client.get("/questions/feed-ranking-phased/edit/").content.decode()
    assert 'name="phase-5-criteria"' in page and "Explains what the monitoring decision costs" in page
    assert "6. Monitoring" in page
    content = phased_content()
    content["phases"][4]["criteria"].append("Names the latency budget per request in milliseconds")
    content["phases"][4]["focus"] = "Steer to the serving path and its latency budget."
    response = hm_client.post("/questions/feed-ranking-phased/edit/", editor_post(content) | phase_post(content))
    assert response.status_code == 302, response.content.decode()[:3000]
    question.refresh_from_db()
    serving = question.current_revision.phase_rubrics()[4]
    assert question.current_revision.number == 2
    assert serving["criteria"][-1] == "Names the latency budget per request in milliseconds"
    assert serving["focus"] == "Steer to the serving path and its latency budget."
    assert question.current_revision.phase_rubrics()[3] == question.revisions.get(number=1).phase_rubrics()[3]


def test_the_editor_refuses_a_broken_phase_and_keeps_what_was_typed(hm_client):
    question = make_phased_question()
    content = phased_content()
    content["phases"][1]["criteria"] = ["Only one data criterion typed here"]
    content["phases"][2]["anchors"][3] = content["phases"][2]["anchors"][4]
    response = hm_client.post("/questions/feed-ranking-phased/edit/", editor_post(content) | phase_post(content))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Write 2 to 4 criteria for this phase, one a line (you have 1)." in page
    assert "Each level of the Modelling phase needs its own anchor" in page
    assert "Only one data criterion typed here" in page and "nothing has been saved yet" in page
    content = phased_content()
    content["phases"][0]["minutes"] += 5
    response = hm_client.post("/questions/feed-ranking-phased/edit/", editor_post(content) | phase_post(content))
    assert response.status_code == 400
    assert "The phases take 44 minutes and the question 39: make them add up." in response.content.decode()
    assert question.revisions.count() == 1


def test_the_editor_shows_no_phases_for_another_question(hm_client):
    make_phased_question()
    assert "phase-0-minutes" not in hm_client.get("/questions/bias-variance/edit/").content.decode()



def test_only_a_design_question_has_phases():
    with pytest.raises(ValidationError, match="Only a system design question is scored per phase"):
        question_create(slug="phased-concept", content=phased_content(), **IDENTITY | {"kind": "concept"})
    assert not Question.objects.filter(slug="phased-concept").exists()
    # A design round made another kind in the editor loses its phases in the new revision.
    question = make_phased_question()
    without = {k: v for k, v in phased_content().items() if k != "phases"}
    revision, _ = question_update(question=question, content=without, **IDENTITY | {"kind": "applied"})
    assert revision.phases == [] and revision.phase_rubrics() == [] and revision.publish_problems() == []
    assert not revision.criteria.filter(phase__isnull=False).exists()


def test_an_import_refuses_phases_on_another_kind():
    make_phased_question()
    exported = json.loads(export_json())
    item = next(q for q in exported["questions"] if q["slug"] == "feed-ranking-phased")
    item["kind"] = "applied"
    with pytest.raises(ImportRefused, match="phases: only a system design question is scored per phase"):
        build_preview(name="bank.json", text=json.dumps({**exported, "questions": [item]}), defaults={})


def test_the_editor_drops_the_phases_when_the_kind_changes(hm_client):
    question = make_phased_question()
    content = phased_content()
    response = hm_client.post("/questions/feed-ranking-phased/edit/",
                              editor_post(content, kind="applied") | phase_post(content))
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.kind == "applied" and question.current_revision.phases == []
