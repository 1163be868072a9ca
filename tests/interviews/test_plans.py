"""Interview plans: the list, creating, editing and cloning, for every role."""

import re

import pytest

from interviews.models import InterviewPlan, PlanItem
from interviews.services import DEFAULT_SECTIONS
from tests.conftest import make_user
from tests.factories import make_plan, make_position, order_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_manager(db):
    return make_user("hm2", "hiring_manager")


@pytest.fixture
def position_plan(hiring_manager, position):
    return make_plan(by=hiring_manager, position=position, name="Onsite technical")


@pytest.fixture
def template(hiring_manager):
    return make_plan(by=hiring_manager, name="Generic screen")


# --- Access ---------------------------------------------------------------------------------


def page_urls(plan):
    return ["/plans/", "/plans/new/", f"/plans/{plan.pk}/", f"/plans/{plan.pk}/edit/"]


def test_it_sends_anonymous_users_to_login(client, template):
    for url in page_urls(template):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/?next="), url
    response = client.post(f"/plans/{template.pk}/clone/", {"name": "Mine"})
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert InterviewPlan.objects.count() == 1


@pytest.mark.parametrize("role", ["outsider", "interviewer"])
def test_it_refuses_plans_to_users_without_the_view_permission(request, as_user, template, role):
    client = as_user(request.getfixturevalue(role))
    for url in page_urls(template):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/plans/{template.pk}/clone/", {"name": "Mine"}).status_code == 403
    assert InterviewPlan.objects.count() == 1


def test_it_lets_recruiters_read_but_not_create_edit_or_clone(as_user, recruiter, template, position_plan):
    client = as_user(recruiter)
    assert client.get("/plans/").status_code == 200
    assert client.get(f"/plans/{template.pk}/").status_code == 200
    assert client.get(f"/plans/{position_plan.pk}/").status_code == 200
    assert client.get("/plans/new/").status_code == 403
    assert client.get(f"/plans/{template.pk}/edit/").status_code == 403
    assert client.post("/plans/new/", {"name": "X", "slot_minutes": 45}).status_code == 403
    assert client.post(f"/plans/{template.pk}/clone/", {"name": "Mine"}).status_code == 403
    assert InterviewPlan.objects.count() == 2


def test_it_hides_the_plans_of_positions_a_recruiter_is_not_involved_in(as_user, hiring_manager):
    other_recruiter = make_user("rec2", "recruiter")
    hidden = make_plan(by=hiring_manager, position=make_position(hiring_manager=hiring_manager, title="Secret team"), name="Hidden")
    client = as_user(other_recruiter)
    assert client.get(f"/plans/{hidden.pk}/").status_code == 404
    assert "Hidden" not in client.get("/plans/").content.decode()


def test_it_answers_get_on_clone_with_405(hm_client, template):
    assert hm_client.get(f"/plans/{template.pk}/clone/").status_code == 405


def test_it_returns_404_for_an_unknown_plan(hm_client):
    assert hm_client.get("/plans/999999/").status_code == 404
    assert hm_client.get("/plans/999999/edit/").status_code == 404


# --- The list -------------------------------------------------------------------------------


def test_the_list_shows_templates_and_position_plans_with_minutes_and_counts(hm_client, template, position_plan):
    page = hm_client.get("/plans/").content.decode()
    assert "Generic screen" in page and "Onsite technical" in page
    minutes = sum(position_plan.items.values_list("minutes", flat=True))
    assert f"{minutes} / 45 min" in page
    assert "New plan" in page
    assert page.index("Plans for positions") < page.index("Onsite technical") < page.index("Templates")


def test_the_list_flags_a_plan_over_its_slot(hm_client, hiring_manager):
    make_plan(by=hiring_manager, name="Too long", slot=10)
    assert "(over time)" in hm_client.get("/plans/").content.decode()


def test_the_list_offers_no_new_plan_button_to_recruiters(as_user, recruiter):
    assert "New plan" not in as_user(recruiter).get("/plans/").content.decode()


# Session, user, roles and permissions (1, accounts.roles.load_access), the bell's unread count (1), the plans with their position and item
# count and minutes (1).
LIST_QUERIES = 5


@pytest.mark.parametrize("n", [2, 20])
def test_the_list_query_count_does_not_grow_with_plans(hm_client, hiring_manager, django_assert_num_queries, n):
    position = make_position(hiring_manager=hiring_manager)
    for i in range(n):
        make_plan(by=hiring_manager, position=position if i % 2 else None, name=f"Plan {i}")
    with django_assert_num_queries(LIST_QUERIES):
        assert hm_client.get("/plans/").status_code == 200


@pytest.mark.parametrize("n", [2, 20])
def test_the_list_query_count_is_the_same_for_recruiters(as_user, recruiter, hiring_manager,
                                                         django_assert_num_queries, n):
    position = make_position(hiring_manager=hiring_manager, recruiter=recruiter)
    for i in range(n):
        make_plan(by=hiring_manager, position=position, name=f"Plan {i}")
    client = as_user(recruiter)
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get("/plans/").status_code == 200


# --- Creating and editing -------------------------------------------------------------------


def test_it_creates_a_template_with_the_default_sections(hm_client, hiring_manager):
    response = hm_client.post("/plans/new/", {"name": "  Research screen ", "slot_minutes": 60, "description": "x"})
    plan = InterviewPlan.objects.get(name="Research screen")
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/"
    assert plan.is_template and plan.created_by == hiring_manager and plan.slot_minutes == 60
    assert [title for title, _ in order_of(plan)] == DEFAULT_SECTIONS
    assert "Created “Research screen”" in hm_client.get(response["Location"]).content.decode()


def test_it_creates_a_plan_for_the_managers_own_position(hm_client, position):
    hm_client.post("/plans/new/", {"name": "Onsite", "position": position.pk, "slot_minutes": 45})
    assert InterviewPlan.objects.get(name="Onsite").position == position


def test_it_refuses_a_position_of_another_hiring_manager(as_user, other_manager, position):
    response = as_user(other_manager).post("/plans/new/", {"name": "Sneaky", "position": position.pk, "slot_minutes": 45})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not InterviewPlan.objects.filter(name="Sneaky").exists()


def test_it_lists_only_the_managers_open_positions_but_every_one_for_admins(as_user, hiring_manager, other_manager,
                                                                           admin_user):
    make_position(hiring_manager=hiring_manager, title="Mine open")
    make_position(hiring_manager=hiring_manager, title="Mine closed", status="closed")
    make_position(hiring_manager=other_manager, title="Theirs")
    page = as_user(hiring_manager).get("/plans/new/").content.decode()
    assert "Mine open" in page and "Mine closed" not in page and "Theirs" not in page
    page = as_user(admin_user).get("/plans/new/").content.decode()
    assert "Mine open" in page and "Theirs" in page


def test_it_shows_every_error_and_keeps_what_was_typed(hm_client):
    response = hm_client.post("/plans/new/", {"name": "", "slot_minutes": 2, "description": "Keep me"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Give the plan a name." in page
    assert "A slot is between 5 and 480 minutes." in page
    assert "Keep me" in page
    assert InterviewPlan.objects.count() == 0


def test_it_edits_name_slot_and_description(hm_client, position_plan):
    response = hm_client.post(f"/plans/{position_plan.pk}/edit/",
                              {"name": "Onsite v2", "slot_minutes": 60, "description": "Longer"})
    assert response.status_code == 302
    position_plan.refresh_from_db()
    assert (position_plan.name, position_plan.slot_minutes, position_plan.description) == ("Onsite v2", 60, "Longer")


def test_it_does_not_let_another_manager_edit_a_position_plan(as_user, other_manager, position_plan):
    client = as_user(other_manager)
    assert client.get(f"/plans/{position_plan.pk}/edit/").status_code == 404
    assert client.post(f"/plans/{position_plan.pk}/edit/", {"name": "Mine", "slot_minutes": 45}).status_code == 404
    position_plan.refresh_from_db()
    assert position_plan.name == "Onsite technical"


def test_it_refuses_to_edit_a_starter_template(hm_client):
    starter = make_plan(starter=True, name="Starter")
    assert hm_client.get(f"/plans/{starter.pk}/edit/").status_code == 404


# --- Cloning --------------------------------------------------------------------------------


def test_the_clone_form_offers_the_managers_open_positions_and_a_name(hm_client, hiring_manager, template, position):
    make_position(hiring_manager=hiring_manager, title="Closed one", status="closed")
    page = hm_client.get(f"/plans/{template.pk}/").content.decode()
    select = page[page.index('<select name="position"'):page.index("</select>")]
    assert select.startswith('<select name="position" class="form-select" id="id_position">')
    assert re.findall(r'<option value="(\d*)"( selected)?>([^<]*)</option>', select) == [
        ("", " selected", "None: keep it as a template"), (str(position.pk), "", str(position))]
    assert '<label for="id_position" class="form-label">For position</label>' in page
    assert ('<input type="text" name="name" maxlength="160" placeholder="Generic screen — &lt;position&gt;" '
            'class="form-control" aria-describedby="id_name_helptext" id="id_name">') in page
    assert '<div id="id_name_helptext" class="form-text">Leave blank to name it after the plan and the position.</div>' in page


def test_a_refused_clone_form_keeps_what_was_chosen_and_typed(hm_client, template, position):
    response = hm_client.post(f"/plans/{template.pk}/clone/", {"position": position.pk, "name": "x" * 161})
    page = response.content.decode()
    assert response.status_code == 400 and "Please fix the problems marked below." in page
    assert f'<option value="{position.pk}" selected>' in page and '<option value="" selected>' not in page
    assert (f'<input type="text" name="name" value="{"x" * 161}" maxlength="160" placeholder="Generic screen — &lt;position&gt;" '
            'class="form-control is-invalid" aria-invalid="true" aria-describedby="id_name_helptext id_name_error" id="id_name">') in page
    assert re.search(r'<div id="error_1_id_name" class="invalid-feedback"><strong>Ensure this value has at most 160', page)
    assert '<select name="position" class="form-select" id="id_position">' in page


def test_it_clones_a_template_for_the_managers_position(hm_client, hiring_manager, template, position):
    response = hm_client.post(f"/plans/{template.pk}/clone/", {"position": position.pk, "name": ""})
    clone = InterviewPlan.objects.exclude(pk=template.pk).get()
    assert response.status_code == 302 and response["Location"] == f"/plans/{clone.pk}/"
    assert clone.position == position and clone.cloned_from == template and clone.created_by == hiring_manager
    assert clone.name == f"Generic screen — {position.title}"
    assert order_of(clone) == order_of(template)
    assert set(clone.items.values_list("revision_id", flat=True)) == set(template.items.values_list("revision_id", flat=True))


def test_it_clones_as_a_template_with_a_name(hm_client, template):
    hm_client.post(f"/plans/{template.pk}/clone/", {"name": "My screen"})
    clone = InterviewPlan.objects.get(name="My screen")
    assert clone.is_template and clone.cloned_from == template


def test_it_refuses_to_clone_into_another_managers_position(as_user, other_manager, template, position):
    response = as_user(other_manager).post(f"/plans/{template.pk}/clone/", {"position": position.pk, "name": "X"})
    page = response.content.decode()
    assert response.status_code == 400
    assert re.search(r'<div id="error_1_id_position" class="invalid-feedback"><strong>Select a valid choice', page)
    assert ('<select name="position" class="form-select is-invalid" aria-invalid="true" '
            'aria-describedby="id_position_error" id="id_position">') in page
    assert str(position.pk) not in page[page.index('<select name="position"'):page.index("</select>")]
    assert 'name="name" value="X"' in page
    assert InterviewPlan.objects.count() == 1


def test_it_makes_cloning_obvious_on_a_starter_templates_page(hm_client, position):
    starter = make_plan(starter=True, name="Starter")
    page = hm_client.get(f"/plans/{starter.pk}/").content.decode()
    assert "Use this template for one of your positions" in page
    assert position.title in page
    assert f'action="/plans/{starter.pk}/clone/"' in page
    # ...and it is read-only: no item forms, no search box.
    assert "/items/" not in page and 'name="q"' not in page


def test_a_clone_keeps_the_sources_items_when_the_source_changes(hm_client, template):
    hm_client.post(f"/plans/{template.pk}/clone/", {"name": "Copy"})
    clone = InterviewPlan.objects.get(name="Copy")
    template.items.all().delete()
    assert PlanItem.objects.filter(plan=clone).count() == 3
