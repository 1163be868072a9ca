"""The plan builder: reading a plan, searching the bank, adding, editing, moving, dragging,
removing, sections, and the live totals and warnings."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from interviews.models import InterviewPlan, PlanItem, PlanSection
from interviews.services import plan_clone
from questionbank.models import Question
from questionbank.services import question_create, question_set_status, revision_publish
from tests.conftest import make_user, revision_content
from tests.factories import make_plan, order_of, published_slugs

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def other_manager(db):
    return make_user("hm2", "hiring_manager")


def item(plan, slug):
    return plan.items.get(revision__question__slug=slug)


def snapshot(plan):
    return sorted(plan.items.values_list("pk", "section_id", "order", "minutes", "competency", "weight", "required"))


def mutations(plan):
    """(url, data) of every POST-only view of the builder."""
    first = item(plan, "bias-variance")
    section = plan.sections.first()
    return [
        (f"/plans/{plan.pk}/items/add/", {"question": Question.objects.get(slug="auc").pk, "section": section.pk}),
        (f"/plans/{plan.pk}/items/{first.pk}/", {"minutes": 3, "competency": "X", "weight": "2"}),
        (f"/plans/{plan.pk}/items/{first.pk}/move/", {"direction": "down"}),
        (f"/plans/{plan.pk}/items/{first.pk}/delete/", {}),
        (f"/plans/{plan.pk}/sections/add/", {"title": "Extra"}),
    ]


def post_reorder(client, plan, order, **extra):
    return client.post(f"/plans/{plan.pk}/reorder/", json.dumps({"order": order}),
                       content_type="application/json", **extra)


def full_order(plan):
    return [{"section": s.pk, "items": list(s.items.order_by("order", "pk").values_list("pk", flat=True))}
            for s in plan.sections.order_by("order", "pk")]


# --- Access ---------------------------------------------------------------------------------


def test_it_sends_anonymous_posts_to_login_and_changes_nothing(client, plan):
    before, sections = snapshot(plan), plan.sections.count()
    for url, data in mutations(plan) + [(f"/plans/{plan.pk}/reorder/", {})]:
        response = client.post(url, data)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
    assert snapshot(plan) == before and plan.sections.count() == sections


@pytest.mark.parametrize("role", ["outsider", "interviewer", "recruiter"])
def test_it_refuses_changes_to_roles_that_cannot_edit_plans(request, as_user, plan, role):
    client = as_user(request.getfixturevalue(role))
    before = snapshot(plan)
    for url, data in mutations(plan):
        assert client.post(url, data).status_code == 403, url
    assert post_reorder(client, plan, full_order(plan)).status_code == 403
    assert snapshot(plan) == before and plan.sections.count() == 2


def test_it_answers_get_on_every_post_only_view_with_405(hm_client, plan):
    for url, _ in mutations(plan) + [(f"/plans/{plan.pk}/reorder/", {})]:
        assert hm_client.get(url).status_code == 405, url


def test_another_hiring_manager_can_neither_see_nor_change_a_plan_of_a_position_they_are_not_in(
        as_user, other_manager, plan):
    client = as_user(other_manager)
    assert client.get(f"/plans/{plan.pk}/").status_code == 404
    assert "Onsite" not in client.get("/plans/").content.decode()
    assert client.post(f"/plans/{plan.pk}/clone/", {}).status_code == 404
    before = snapshot(plan)
    for url, data in mutations(plan):
        assert client.post(url, data).status_code == 404, url
    assert post_reorder(client, plan, full_order(plan)).status_code == 404
    assert snapshot(plan) == before and plan.sections.count() == 2


def test_it_returns_404_for_an_item_of_another_plan(hm_client, hiring_manager, plan):
    other = make_plan(by=hiring_manager, name="Other")
    foreign = other.items.first()
    before = snapshot(other)
    for suffix, data in [("", {"minutes": 3, "competency": "X", "weight": 1}), ("move/", {"direction": "up"}),
                         ("delete/", {})]:
        assert hm_client.post(f"/plans/{plan.pk}/items/{foreign.pk}/{suffix}", data).status_code == 404
    assert snapshot(other) == before


def test_it_refuses_changes_to_a_starter_template(hm_client):
    starter = make_plan(starter=True, name="Starter")
    before = snapshot(starter)
    for url, data in mutations(starter):
        assert hm_client.post(url, data).status_code == 404, url
    assert snapshot(starter) == before


def test_recruiters_see_the_plan_read_only(as_user, recruiter, plan):
    page = as_user(recruiter).get(f"/plans/{plan.pk}/").content.decode()
    assert "Bias-variance decomposition" in page
    assert "hiring managers edit plans" in page
    assert "<form" not in page.split('id="main"')[1]
    assert "plan-builder.js" not in page


# --- Reading --------------------------------------------------------------------------------


def test_it_shows_sections_in_order_with_their_items(hm_client, plan):
    page = hm_client.get(f"/plans/{plan.pk}/").content.decode()
    assert page.index("Fundamentals") < page.index("Bias-variance") < page.index("Precision:") < page.index("Coding:")
    assert 'href="/questions/bias-variance/"' in page
    assert 'name="minutes"' in page and 'name="competency"' in page and 'name="weight"' in page
    assert "Junior" in page
    assert "plan-builder.js" in page and "vendor/sortablejs/Sortable.min.js" in page


def test_the_move_buttons_are_plain_forms_reachable_without_javascript(hm_client, plan):
    page = hm_client.get(f"/plans/{plan.pk}/").content.decode()
    first = item(plan, "bias-variance")
    assert f'action="/plans/{plan.pk}/items/{first.pk}/move/"' in page
    assert 'name="direction" value="up"' in page and 'name="direction" value="down"' in page
    assert 'tabindex="-1"' not in page


def test_every_rows_forms_post_to_that_items_own_routes(hm_client, plan):
    revision_publish(question=Question.objects.get(slug="precision"), content=revision_content(title="Precision 2"))
    page = hm_client.get(f"/plans/{plan.pk}/").content.decode()
    routes = ["plan_item_update", "plan_item_move", "plan_item_delete"]
    for planned in plan.items.all():
        for route in routes + (["plan_item_update_revision"] if planned.revision.question.slug == "precision" else []):
            assert f'action="{reverse(f"interviews:{route}", args=[plan.pk, planned.pk])}"' in page, (planned, route)
    assert page.count("/revision/") == 1


def test_the_totals_show_minutes_against_the_slot_competencies_levels_and_required(hm_client, plan):
    total = sum(plan.items.values_list("minutes", flat=True))
    page = hm_client.get(f"/plans/{plan.pk}/").content.decode()
    assert f"{total} of 45 min" in page
    assert f'<progress class="plan-progress w-100" max="45" value="{total}"' in page
    assert "ML fundamentals" in page and "Level mix" in page and "Required" in page


def test_it_warns_when_the_plan_runs_over_time(hm_client, plan):
    InterviewPlan.objects.filter(pk=plan.pk).update(slot_minutes=10)
    page = hm_client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Over time" in page and "is-over" in page and "min over the slot" in page


def test_it_warns_about_retired_questions_and_newer_revisions(hm_client, plan):
    question_set_status(question=Question.objects.get(slug="precision"), status="retired")
    revision_publish(question=Question.objects.get(slug="bias-variance"), content=revision_content(title="Bias and variance"))
    page = hm_client.get(f"/plans/{plan.pk}/").content.decode()
    assert "is retired from the bank" in page
    assert "has a newer revision in the bank" in page


def test_it_warns_about_an_expected_competency_with_no_question(hm_client, hiring_manager, position):
    source = make_plan(by=hiring_manager, name="Source")
    source.items.filter(revision__question__slug="code-bigrams").update(competency="Coding")
    clone = plan_clone(plan=source, by=hiring_manager, position=position, name="Copy")
    clone.items.filter(competency="Coding").delete()
    page = hm_client.get(f"/plans/{clone.pk}/").content.decode()
    assert "No question probes “Coding”, which “Source” covers." in page


def test_it_warns_about_an_empty_plan(hm_client, hiring_manager):
    empty = InterviewPlan.objects.create(name="Empty", created_by=hiring_manager)
    PlanSection.objects.create(plan=empty, title="Warm-up", order=1)
    page = hm_client.get(f"/plans/{empty.pk}/").content.decode()
    assert "The plan has no questions yet." in page and "No questions in this section yet." in page


# --- Searching the bank ---------------------------------------------------------------------


def test_it_searches_the_bank_inline_with_an_add_form_per_result(hm_client, plan):
    page = hm_client.get(f"/plans/{plan.pk}/", {"q": "leakage"}).content.decode()
    leakage = Question.objects.get(slug="data-leakage")
    assert "Leakage: offline scores too good to be true" in page
    assert f'name="question" value="{leakage.pk}"' in page
    assert f'action="/plans/{plan.pk}/items/add/"' in page


def test_search_shows_at_most_ten_published_questions_and_marks_those_in_the_plan(hm_client, hiring_manager, plan):
    question_create(slug="draft-precision", area="evaluation", kind="concept", level="mid", roles=["ds"],
                    content=revision_content(title="Precision draft question"))
    page = hm_client.get(f"/plans/{plan.pk}/", {"q": "precision recall"}).content.decode()
    results = page.split('id="plan-search-results"')[1].split("</ol>")[0]
    assert results.count('class="list-group-item px-0"') <= 10
    assert "Precision draft question" not in results
    assert "In this plan" in results


def test_search_offers_a_coding_question_for_the_coding_section(hm_client, plan):
    coding = plan.sections.get(title="Coding")
    page = hm_client.get(f"/plans/{plan.pk}/", {"q": "rotation"}).content.decode()
    assert f'<option value="{coding.pk}" selected>Coding</option>' in page


def test_the_partial_search_returns_only_the_results_fragment(hm_client, plan):
    response = hm_client.get(f"/plans/{plan.pk}/", {"q": "leakage", "partial": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Leakage: offline scores" in html and "<html" not in html and "Totals" not in html


def test_the_partial_search_is_refused_to_read_only_users(as_user, recruiter, plan):
    assert as_user(recruiter).get(f"/plans/{plan.pk}/", {"q": "leakage", "partial": "1"}).status_code == 403


# --- Adding ---------------------------------------------------------------------------------


def test_it_adds_the_current_revision_with_its_areas_competency_and_its_minutes(hm_client, plan):
    question = Question.objects.select_related("current_revision").get(slug="data-leakage")
    section = plan.sections.get(title="Fundamentals")
    response = hm_client.post(f"/plans/{plan.pk}/items/add/",
                              {"question": question.pk, "section": section.pk, "q": "leak"})
    added = item(plan, "data-leakage")
    assert response.status_code == 302
    assert response["Location"] == f"/plans/{plan.pk}/?q=leak#item-{added.pk}"
    assert added.revision_id == question.current_revision_id
    assert added.section == section and added.order == 3
    assert added.competency == "Data" and added.minutes == question.current_revision.minutes
    assert "Added “" in hm_client.get(response["Location"]).content.decode()


def test_it_takes_competency_and_minutes_when_given(hm_client, plan):
    auc = Question.objects.get(slug="auc")
    hm_client.post(f"/plans/{plan.pk}/items/add/", {"question": auc.pk, "section": plan.sections.first().pk,
                                                     "competency": "Evaluation", "minutes": 4})
    added = item(plan, "auc")
    assert (added.competency, added.minutes) == ("Evaluation", 4)


def test_it_refuses_a_question_already_in_the_plan(hm_client, plan):
    bv = Question.objects.get(slug="bias-variance")
    response = hm_client.post(f"/plans/{plan.pk}/items/add/", {"question": bv.pk, "section": plan.sections.first().pk},
                              follow=True)
    assert "is already in this plan" in response.content.decode()
    assert plan.items.count() == 3


def test_it_refuses_a_draft_question_or_a_section_of_another_plan(hm_client, hiring_manager, plan):
    draft = question_create(slug="draft-q", area="data", kind="concept", level="mid", roles=["ds"], content=revision_content())
    other_section = make_plan(by=hiring_manager, name="Other").sections.first()
    auc = Question.objects.get(slug="auc")
    page = hm_client.post(f"/plans/{plan.pk}/items/add/", {"question": draft.pk, "section": plan.sections.first().pk},
                          follow=True).content.decode()
    assert "not published" in page
    page = hm_client.post(f"/plans/{plan.pk}/items/add/", {"question": auc.pk, "section": other_section.pk},
                          follow=True).content.decode()
    assert "Choose a section of this plan" in page
    assert plan.items.count() == 3


# --- Editing an item ------------------------------------------------------------------------


def test_it_saves_minutes_competency_weight_and_required(hm_client, plan):
    bv = item(plan, "bias-variance")
    response = hm_client.post(f"/plans/{plan.pk}/items/{bv.pk}/",
                              {"minutes": 12, "competency": "  Modelling ", "weight": "2.5"})
    bv.refresh_from_db()
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{bv.pk}")
    assert (bv.minutes, bv.competency, bv.weight, bv.required) == (12, "Modelling", Decimal("2.5"), False)


@pytest.mark.parametrize("data, field, message", [
    ({"minutes": 0, "competency": "Data", "weight": "1"}, "minutes", "Minutes must be between 1 and 120."),
    ({"minutes": 121, "competency": "Data", "weight": "1"}, "minutes", "Minutes must be between 1 and 120."),
    ({"minutes": 5, "competency": "Data", "weight": "0.1"}, "weight", "Weight must be between 0.25 and 10."),
    ({"minutes": 5, "competency": "Data", "weight": "11"}, "weight", "Weight must be between 0.25 and 10."),
    ({"minutes": 5, "competency": "   ", "weight": "1"}, "competency", "Name the competency"),
])
def test_it_refuses_invalid_values_and_keeps_what_was_typed(hm_client, plan, data, field, message):
    bv = item(plan, "bias-variance")
    before = snapshot(plan)
    response = hm_client.post(f"/plans/{plan.pk}/items/{bv.pk}/", {**data, "required": "on"})
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page and "Could not save" in page
    assert f'value="{data["minutes"]}"' in page and f'value="{data["weight"]}"' in page
    # The refused field is marked and described by its message; the others are not marked.
    row = page[page.index(f'id="item-{bv.pk}"'):page.index("</li>", page.index(f'id="item-{bv.pk}"'))]
    error_id = f"item-{bv.pk}-{field}_error"
    assert f'aria-invalid="true" aria-describedby="{error_id}" id="item-{bv.pk}-{field}"' in row
    assert row.count("is-invalid") == row.count('aria-invalid="true"') == 1
    assert re.search(rf'id="{error_id}" data-error-for="{field}">[^<]*{re.escape(message)}', row)
    assert 'type="checkbox" name="required" class="form-check-input" id="item-%d-required" checked' % bv.pk in row
    assert page.count("border-danger") == 1 and f'border-danger" id="item-{bv.pk}"' in page
    assert snapshot(plan) == before


def test_it_answers_fetch_with_json_totals_or_field_errors(hm_client, plan):
    bv = item(plan, "bias-variance")
    response = hm_client.post(f"/plans/{plan.pk}/items/{bv.pk}/",
                              {"minutes": 30, "competency": "Data", "weight": "1", "required": "on"}, **JSON)
    data = response.json()
    assert response.status_code == 200 and data["ok"]
    total = sum(plan.items.values_list("minutes", flat=True))
    assert f"{total} of 45 min" in data["summary_html"]
    assert data["section_minutes"][str(bv.section_id)] == 30 + item(plan, "precision").minutes
    response = hm_client.post(f"/plans/{plan.pk}/items/{bv.pk}/", {"minutes": 500, "competency": "", "weight": "1"}, **JSON)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"minutes", "competency"}


# --- Moving ---------------------------------------------------------------------------------


def test_it_moves_an_item_within_its_section(hm_client, plan):
    response = hm_client.post(f"/plans/{plan.pk}/items/{item(plan, 'precision').pk}/move/", {"direction": "up"})
    assert response.status_code == 302
    assert order_of(plan) == [("Fundamentals", ["precision", "bias-variance"]), ("Coding", ["code-bigrams"])]


def test_moving_past_a_section_edge_moves_into_the_neighbouring_section(hm_client, plan):
    hm_client.post(f"/plans/{plan.pk}/items/{item(plan, 'precision').pk}/move/", {"direction": "down"})
    assert order_of(plan) == [("Fundamentals", ["bias-variance"]), ("Coding", ["precision", "code-bigrams"])]
    hm_client.post(f"/plans/{plan.pk}/items/{item(plan, 'precision').pk}/move/", {"direction": "up"})
    hm_client.post(f"/plans/{plan.pk}/items/{item(plan, 'code-bigrams').pk}/move/", {"direction": "up"})
    assert order_of(plan) == [("Fundamentals", ["bias-variance", "precision", "code-bigrams"]), ("Coding", [])]


def test_moving_into_an_empty_section_works(hm_client, plan):
    hm_client.post(f"/plans/{plan.pk}/sections/add/", {"title": "Wrap-up"})
    hm_client.post(f"/plans/{plan.pk}/items/{item(plan, 'code-bigrams').pk}/move/", {"direction": "down"})
    assert order_of(plan)[-1] == ("Wrap-up", ["code-bigrams"])


def test_the_first_item_cannot_move_up(hm_client, plan):
    before = order_of(plan)
    response = hm_client.post(f"/plans/{plan.pk}/items/{item(plan, 'bias-variance').pk}/move/",
                              {"direction": "up"}, follow=True)
    assert "is already first" in response.content.decode()
    assert order_of(plan) == before
    response = hm_client.post(f"/plans/{plan.pk}/items/{item(plan, 'code-bigrams').pk}/move/",
                              {"direction": "down"}, **JSON)
    assert response.status_code == 400 and "already last" in response.json()["error"]


def test_moving_refuses_an_unknown_direction(hm_client, plan):
    before = order_of(plan)
    response = hm_client.post(f"/plans/{plan.pk}/items/{item(plan, 'precision').pk}/move/", {"direction": "left"}, **JSON)
    assert response.status_code == 400
    assert order_of(plan) == before


def test_a_move_by_fetch_says_where_the_item_went(hm_client, plan):
    precision = item(plan, "precision")
    coding = plan.sections.get(title="Coding")
    data = hm_client.post(f"/plans/{plan.pk}/items/{precision.pk}/move/", {"direction": "down"}, **JSON).json()
    assert data["ok"] and data["section"] == coding.pk and data["index"] == 0
    assert "summary_html" in data


# --- Dragging (reorder) ---------------------------------------------------------------------


def test_it_saves_a_dragged_order_across_sections(hm_client, plan):
    fundamentals, coding = plan.sections.order_by("order")
    bv, pr, cb = item(plan, "bias-variance"), item(plan, "precision"), item(plan, "code-bigrams")
    response = post_reorder(hm_client, plan, [{"section": fundamentals.pk, "items": [cb.pk, bv.pk]},
                                              {"section": coding.pk, "items": [pr.pk]}])
    assert response.status_code == 200 and response.json()["ok"]
    assert order_of(plan) == [("Fundamentals", ["code-bigrams", "bias-variance"]), ("Coding", ["precision"])]


@pytest.mark.parametrize("mangle, message", [
    (lambda order, other: [order[0]], "missing item"),
    (lambda order, other: [order[0], {"section": order[1]["section"], "items": order[1]["items"] + [other.pk]}],
     "not in this plan"),
    (lambda order, other: [order[0], {"section": order[1]["section"], "items": order[1]["items"] + order[0]["items"]}],
     "listed twice"),
    (lambda order, other: [order[0], {"section": other.section_id, "items": order[1]["items"]}],
     "not a section of this plan"),
    (lambda order, other: [order[0], {"section": order[0]["section"], "items": order[1]["items"]}],
     "listed twice"),
    (lambda order, other: {"section": 1}, "Send a list"),
    (lambda order, other: [{"section": "x", "items": []}], "whole numbers"),
])
def test_it_refuses_an_order_that_is_not_the_plans_items_exactly_once(hm_client, hiring_manager, plan, mangle, message):
    other = make_plan(by=hiring_manager, name="Other").items.first()
    before = order_of(plan)
    response = post_reorder(hm_client, plan, mangle(full_order(plan), other))
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert order_of(plan) == before


def test_it_refuses_a_body_that_is_not_json(hm_client, plan):
    response = hm_client.post(f"/plans/{plan.pk}/reorder/", "not json", content_type="application/json")
    assert response.status_code == 400 and not response.json()["ok"]


# --- Removing and sections ------------------------------------------------------------------


def test_it_removes_an_item(hm_client, plan):
    pr = item(plan, "precision")
    response = hm_client.post(f"/plans/{plan.pk}/items/{pr.pk}/delete/", follow=True)
    assert "Removed “" in response.content.decode()
    assert not PlanItem.objects.filter(pk=pr.pk).exists()


def test_it_adds_a_section_at_the_end(hm_client, plan):
    response = hm_client.post(f"/plans/{plan.pk}/sections/add/", {"title": " Deep   dive "})
    section = plan.sections.get(title="Deep dive")
    assert response.status_code == 302 and response["Location"].endswith(f"#section-{section.pk}")
    assert [t for t, _ in order_of(plan)] == ["Fundamentals", "Coding", "Deep dive"]


@pytest.mark.parametrize("title, message", [("", "This field is required"), ("coding", "already has a section")])
def test_it_refuses_a_blank_or_duplicate_section_title(hm_client, plan, title, message):
    response = hm_client.post(f"/plans/{plan.pk}/sections/add/", {"title": title})
    page = response.content.decode()
    assert response.status_code == 400 and message in page
    # The typed title is kept in its input, marked and described by the message.
    value = f' value="{title}"' if title else ""
    assert (f'<input type="text" name="title"{value} maxlength="80" placeholder="e.g. Deep dive" id="id_section_title" '
            'class="form-control is-invalid" required aria-invalid="true" aria-describedby="id_title_error">') in page
    assert re.search(rf'<div id="error_1_id_title" class="invalid-feedback"><strong>[^<]*{message}', page)
    assert plan.sections.count() == 2


def test_the_section_form_offers_an_empty_labelled_input(hm_client, plan):
    page = hm_client.get(f"/plans/{plan.pk}/").content.decode()
    assert '<label for="id_section_title" class="form-label requiredField">New section' in page
    assert ('<input type="text" name="title" maxlength="80" placeholder="e.g. Deep dive" id="id_section_title" '
            'class="form-control" required>') in page


# --- Query counts ---------------------------------------------------------------------------

# Session, user, roles and permissions (1, accounts.roles.load_access), the bell's unread count (1), the plan with its position and source
# plan, its sections, their items with revision and question (prefetch), the positions offered
# by the clone form, the competencies used in the position's plans and in templates (the
# competency inputs' datalist).
# Its pools' questions (one query, however many pools).
BUILDER_QUERIES = 10
# ...plus the search: the 10 best full-text matches with their current revision (one query).
BUILDER_SEARCH_QUERIES = 11
# A recruiter: no clone form, no competency inputs (so no datalist).
READ_ONLY_QUERIES = 8


def plan_with(n, hiring_manager, position):
    slugs = published_slugs(n)
    return make_plan(by=hiring_manager, position=position, name=f"Plan {n}",
                     sections=(("Fundamentals", slugs[: n // 2]), ("Coding", slugs[n // 2:])))


@pytest.mark.parametrize("n", [2, 20])
def test_the_builder_query_count_does_not_grow_with_items(hm_client, hiring_manager, position,
                                                          django_assert_num_queries, n):
    built = plan_with(n, hiring_manager, position)
    with django_assert_num_queries(BUILDER_QUERIES):
        assert hm_client.get(f"/plans/{built.pk}/").status_code == 200


@pytest.mark.parametrize("n", [2, 20])
def test_the_builder_query_count_with_a_search_does_not_grow(hm_client, hiring_manager, position,
                                                             django_assert_num_queries, n):
    built = plan_with(n, hiring_manager, position)
    with django_assert_num_queries(BUILDER_SEARCH_QUERIES):
        assert hm_client.get(f"/plans/{built.pk}/", {"q": "model"}).status_code == 200


@pytest.mark.parametrize("n", [2, 20])
def test_the_read_only_builder_query_count_does_not_grow(as_user, recruiter, hiring_manager, position,
                                                         django_assert_num_queries, n):
    built = plan_with(n, hiring_manager, position)
    client = as_user(recruiter)
    with django_assert_num_queries(READ_ONLY_QUERIES):
        assert client.get(f"/plans/{built.pk}/").status_code == 200
