"""The starter templates of interviews/starter_plans.yaml and the load_starter_plans command."""

from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from interviews.starter_plans import STARTER_FILE
from interviews.models import InterviewPlan, PlanItem
from interviews.plan_forms import COMPETENCIES
from questionbank.models import Question
from questionbank.services import revision_publish
from tests.conftest import revision_content

pytestmark = pytest.mark.django_db
SPEC = yaml.safe_load(STARTER_FILE.read_text())
REQUIRED_NAMES = {
    "ML engineer technical screen": 45,
    "Data scientist fundamentals": 60,
    "MLOps / production ML": 45,
    "NLP engineer": 60,
    "Computer-vision engineer": 60,
    "New-grad ML screen": 45,
}


def load(path=STARTER_FILE):
    """The templates alone: the loops (tests/interviews/test_starter_loops.py) would add 105."""
    out = StringIO()
    call_command("load_starter_plans", file=str(path), no_loops=True, stdout=out)
    return out.getvalue()


def state():
    """Everything the command could change, by primary key."""
    plans = sorted(InterviewPlan.objects.values_list("pk", "name", "slot_minutes", "description", "updated_at"))
    items = sorted(PlanItem.objects.values_list("pk", "plan_id", "section_id", "order", "revision_id", "minutes",
                                                "competency", "weight", "required"))
    sections = sorted(InterviewPlan.objects.values_list("sections__pk", "sections__title", "sections__order"))
    return plans, sections, items


def starters():
    return InterviewPlan.objects.outside_loops().filter(is_starter=True)


def write_spec(tmp_path, spec):
    path = tmp_path / "plans.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True))
    return path


def test_the_file_has_the_six_required_templates_and_more():
    names = {t["name"]: t["slot_minutes"] for t in SPEC}
    assert len(SPEC) >= 6
    assert {n: names.get(n) for n in REQUIRED_NAMES} == REQUIRED_NAMES


def test_every_template_uses_the_shared_competency_vocabulary():
    used = {item["competency"] for t in SPEC for s in t["sections"] for item in s["items"]}
    assert used <= set(COMPETENCIES)


def test_each_template_exists_after_loading_with_its_sections_and_items():
    output = load()
    assert "created" in output
    for template in SPEC:
        plan = starters().get(name=template["name"])
        assert plan.slot_minutes == template["slot_minutes"] and plan.is_template
        sections = list(plan.sections.order_by("order"))
        assert [s.title for s in sections] == [s["title"] for s in template["sections"]]
        for section, spec in zip(sections, template["sections"]):
            slugs = list(section.items.order_by("order").values_list("revision__question__slug", flat=True))
            assert slugs == [i["slug"] for i in spec["items"]]


def test_every_template_fits_its_slot():
    load()
    for plan in starters():
        total = sum(plan.items.values_list("minutes", flat=True))
        assert 0 < total <= plan.slot_minutes, plan.name


def test_every_item_pins_the_current_revision_of_a_published_question():
    load()
    items = PlanItem.objects.filter(plan__in=starters()).select_related("revision__question")
    assert items.count() == sum(len(s["items"]) for t in SPEC for s in t["sections"])
    for item in items:
        assert item.revision.question.status == "published"
        assert item.revision_id == item.revision.question.current_revision_id


def test_a_rerun_changes_nothing():
    load()
    before = state()
    output = load()
    assert state() == before
    assert f"0 created, 0 updated, {len(SPEC)} unchanged" in output


def test_a_rerun_updates_items_in_place_and_pins_the_new_current_revision():
    load()
    plan = starters().get(name="ML engineer technical screen")
    item = plan.items.get(revision__question__slug="bias-variance")
    item.minutes, item.competency = 30, "Changed by hand"
    item.save()
    question = Question.objects.get(slug="bias-variance")
    new_revision = revision_publish(question=question, content=revision_content(title="Bias and variance, again"))
    count = PlanItem.objects.count()
    output = load()
    item.refresh_from_db()
    assert "2 updated" in output  # bias-variance is in two templates
    assert (item.minutes, item.competency, item.revision_id) == (6, "ML fundamentals", new_revision.pk)
    assert PlanItem.objects.count() == count


def test_a_rerun_removes_items_and_sections_no_longer_in_the_file(tmp_path):
    spec = [dict(t) for t in SPEC[:1]]
    load(write_spec(tmp_path, spec))
    plan = starters().get(name=spec[0]["name"])
    spec[0]["sections"] = spec[0]["sections"][:2]
    load(write_spec(tmp_path, spec))
    assert [s.title for s in plan.sections.order_by("order")] == ["Warm-up", "Fundamentals"]
    assert not plan.items.filter(revision__question__slug="code-string-rotation").exists()


def test_it_leaves_a_hiring_managers_template_of_the_same_name_alone(hiring_manager):
    mine = InterviewPlan.objects.create(name="NLP engineer", created_by=hiring_manager, slot_minutes=30)
    load()
    mine.refresh_from_db()
    assert mine.slot_minutes == 30 and not mine.items.exists()
    assert starters().filter(name="NLP engineer").count() == 1


def test_it_refuses_an_unknown_slug_and_writes_nothing(tmp_path):
    spec = [dict(SPEC[0])]
    spec[0]["sections"] = [{"title": "Warm-up", "items": [{"slug": "no-such-question", "competency": "Data"}]}]
    with pytest.raises(CommandError, match=r"Unknown question slug “no-such-question” \(used in “ML engineer"):
        load(write_spec(tmp_path, spec))
    assert not starters().exists()


def test_it_refuses_a_retired_question(tmp_path):
    from questionbank.services import question_set_status

    question_set_status(question=Question.objects.get(slug="bias-variance"), status="retired")
    with pytest.raises(CommandError, match="“bias-variance” is retired, not published"):
        load()
    assert not starters().exists()


@pytest.mark.parametrize("change, message", [
    ({"competency": "Vibes"}, "competency must be one of"),
    ({"minutes": 0}, "minutes must be a whole number"),
    ({"weight": 20}, "weight must be a number"),
    ({"required": "yes"}, "required must be true or false"),
    ({"colour": "red"}, "unknown keys colour"),
])
def test_it_refuses_a_malformed_item(tmp_path, change, message):
    spec = [dict(SPEC[0])]
    spec[0]["sections"] = [{"title": "Warm-up", "items": [{"slug": "bias-variance", "competency": "Data", **change}]}]
    with pytest.raises(CommandError, match=message):
        load(write_spec(tmp_path, spec))


def test_it_refuses_a_template_longer_than_its_slot(tmp_path):
    spec = [dict(SPEC[0], slot_minutes=10)]
    with pytest.raises(CommandError, match="more than its 10-minute slot"):
        load(write_spec(tmp_path, spec))
    assert not starters().exists()


def test_it_refuses_two_templates_of_the_same_name(tmp_path):
    with pytest.raises(CommandError, match="the name is used twice"):
        load(write_spec(tmp_path, [SPEC[0], SPEC[0]]))


def test_a_loaded_starter_template_opens_read_only_with_the_clone_form(hm_client):
    load()
    plan = starters().get(name="New-grad ML screen")
    page = hm_client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Starter template" in page and "Use this template for one of your positions" in page
    assert "/items/" not in page
