"""Competency names: a question added to a plan defaults to the name the starter templates use
for its area, and the builder suggests the names already in use, so plans of one position are
compared on the same competencies (walkthrough defect 11)."""

import re

import pytest

from interviews.starter_plans import read_starter_plans
from interviews.models import InterviewPlan, PlanItem
from interviews.plan_forms import COMPETENCIES, COMPETENCY_FOR_AREA, default_competency
from questionbank.models import Area, Kind, Question
from tests.factories import make_plan, make_position

pytestmark = pytest.mark.django_db

# Template items that deliberately name another competency than their question's default,
# with the reason. (template, slug) -> why.
DELIBERATE = {
    ("Data scientist fundamentals", "explain-to-stakeholder"):
        "a production-area question asked here for how the candidate explains a model: Communication",
    ("NLP engineer", "stemming-lemmatization"):
        "a domains-area question about preparing text: Data",
    ("NLP engineer", "transfer-learning"):
        "a deep-learning question asked as a modelling choice (fine-tune or train from scratch): Modelling",
    ("Computer-vision engineer", "transfer-learning"):
        "the same modelling choice for images: Modelling",
}


def template_items():
    """(template name, slug, competency) of every item of the starter templates."""
    return [(t["name"], item["slug"], item["competency"])
            for t in read_starter_plans() for s in t["sections"] for item in s["items"]]


def suggestions(page):
    datalist = re.search(r'<datalist id="competency-suggestions">(.*?)</datalist>', page, re.DOTALL)
    assert datalist, "the builder has no competency datalist"
    return re.findall(r'<option value="([^"]*)"', datalist.group(1))


def test_every_area_defaults_to_a_name_of_the_shared_vocabulary():
    assert set(COMPETENCY_FOR_AREA) == set(Area.values)
    assert set(COMPETENCY_FOR_AREA.values()) <= set(COMPETENCIES)


def test_a_system_design_question_defaults_to_system_design_whatever_its_area():
    design = Question(area=Area.CODING_DESIGN, kind=Kind.DESIGN)
    coding = Question(area=Area.CODING_DESIGN, kind=Kind.CODING)
    assert (default_competency(design), default_competency(coding)) == ("System design", "Coding")


def test_the_starter_templates_use_each_questions_default_competency_unless_listed_why():
    questions = {q.slug: q for q in Question.objects.all()}
    differing = {(name, slug) for name, slug, competency in template_items()
                 if competency != default_competency(questions[slug])}
    # Every difference is listed with its reason, and every listed one still differs.
    assert differing == set(DELIBERATE)


def test_adding_a_question_defaults_its_competency_to_the_templates_name_for_its_area(hm_client, hiring_manager):
    plan = make_plan(by=hiring_manager, position=make_position(hiring_manager=hiring_manager))
    section = plan.sections.first()
    for slug in ("data-leakage", "auc", "past-project", "design-restaurant-recs"):
        question = Question.objects.get(slug=slug)
        response = hm_client.post(f"/plans/{plan.pk}/items/add/", {"question": question.pk, "section": section.pk})
        assert response.status_code == 302
    added = dict(plan.items.values_list("revision__question__slug", "competency"))
    assert {slug: added[slug] for slug in ("data-leakage", "auc", "past-project", "design-restaurant-recs")} == {
        "data-leakage": "Data", "auc": "Evaluation", "past-project": "Communication",
        "design-restaurant-recs": "System design",
    }


def test_the_builder_suggests_the_competencies_of_the_positions_plans_and_of_templates(
        hm_client, hiring_manager):
    position = make_position(hiring_manager=hiring_manager)
    plan = make_plan(by=hiring_manager, position=position, name="Onsite")
    sibling = make_plan(by=hiring_manager, position=position, name="Screen")
    PlanItem.objects.filter(plan=sibling, revision__question__slug="precision").update(competency="Ranking metrics")
    template = make_plan(by=hiring_manager, name="Team template")
    PlanItem.objects.filter(plan=template, revision__question__slug="code-bigrams").update(competency="Tidy code")
    elsewhere = make_plan(by=hiring_manager, position=make_position(hiring_manager=hiring_manager, title="Analyst"), name="Other")
    PlanItem.objects.filter(plan=elsewhere).update(competency="Another position's word")
    assert InterviewPlan.objects.get(pk=template.pk).is_template

    offered = suggestions(hm_client.get(f"/plans/{plan.pk}/").content.decode())
    assert {"Ranking metrics", "Tidy code", "ML fundamentals", "System design"} <= set(offered)
    assert "Another position's word" not in offered
    # The area labels are the variants that split the comparison; they are no longer offered.
    assert not {"Fundamentals", "Data and features", "Production and MLOps"} & set(offered)
    assert offered == sorted(set(offered), key=str.lower)
