"""The rules of plans and interviews that live on the models and in interviews/services.py:
who may edit a plan, moving and reordering items, new plans and sections, cancelling and
rescheduling, and the limits the database constraints state in words."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.forms import modelform_factory

from interviews import services
from interviews.models import ITEM_MINUTES, SLOT_MINUTES, WEIGHT, Candidate, InterviewPlan, PlanItem
from interviews.plan_forms import PlanEditForm, PlanItemForm
from accounts.roles import Role
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position, order_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def position(hiring_manager, recruiter):
    return make_position(hiring_manager=hiring_manager, recruiter=recruiter)


# --- Who may edit a plan ------------------------------------------------------------------------


def test_editable_by_and_can_be_edited_by_say_the_same_for_every_user_and_plan(
        hiring_manager, interviewer, recruiter, outsider, admin_user, position):
    other_manager = make_user("hm-other", Role.HIRING_MANAGER)
    plans = {
        "own position": make_plan(position=position),
        "other's position": make_plan(position=make_position(hiring_manager=other_manager, title="Elsewhere")),
        "template": make_plan(),
        "starter": make_plan(starter=True, name="Starter"),
    }
    expected = {
        hiring_manager: {"own position", "template"},
        other_manager: {"other's position", "template"},
        admin_user: {"own position", "other's position", "template"},
        interviewer: set(), recruiter: set(), outsider: set(),
    }
    for user, editable in expected.items():
        assert {name for name, plan in plans.items() if plan.can_be_edited_by(user)} == editable, user
        listed = set(InterviewPlan.objects.editable_by(user).values_list("pk", flat=True))
        assert {name for name, plan in plans.items() if plan.pk in listed} == editable, user


def test_visible_to_and_is_visible_to_say_the_same_for_every_user_and_plan(
        hiring_manager, interviewer, interviewer2, recruiter, outsider, admin_user, position):
    other_manager = make_user("hm-other", Role.HIRING_MANAGER)
    elsewhere = make_position(hiring_manager=other_manager, title="Elsewhere")
    plans = {
        "own position": make_plan(position=position),
        "other's position": make_plan(position=elsewhere),
        "template": make_plan(),
        "starter": make_plan(starter=True, name="Starter"),
    }
    # interviewer sits on a panel of the other manager's position; interviewer2's only
    # interview there is cancelled, which grants nothing.
    make_interview(candidate=make_candidate(position=elsewhere), interviewers=[interviewer])
    make_interview(candidate=make_candidate(position=elsewhere), interviewers=[interviewer2]).cancel(reason="Withdrew")
    everything = set(plans)
    expected = {
        hiring_manager: {"own position", "template", "starter"},
        recruiter: {"own position", "template", "starter"},
        other_manager: {"other's position", "template", "starter"},
        interviewer: {"other's position", "template", "starter"},
        interviewer2: {"template", "starter"},
        outsider: {"template", "starter"},
        admin_user: everything,
    }
    for user, visible in expected.items():
        assert {name for name, plan in plans.items() if plan.is_visible_to(user)} == visible, user
        listed = set(InterviewPlan.objects.visible_to(user).values_list("pk", flat=True))
        assert {name for name, plan in plans.items() if plan.pk in listed} == visible, user


def test_the_migration_marks_todays_starter_templates_and_nothing_else(hiring_manager, position):
    starter = make_plan(name="Loaded from the YAML file")  # no position, no creator
    mine = InterviewPlan.objects.create(name="A template of my own", created_by=hiring_manager)
    for_position = make_plan(position=position)
    migration = importlib.import_module("interviews.migrations.0005_starter_flag_and_limits")
    migration.mark_starter_templates(apps, None)
    assert set(InterviewPlan.objects.filter(is_starter=True)) == {starter}
    assert not InterviewPlan.objects.get(pk=mine.pk).is_starter
    assert not InterviewPlan.objects.get(pk=for_position.pk).is_starter


def test_a_starter_plan_is_a_template(position):
    with pytest.raises(IntegrityError, match="iv_plan_starter_is_template"), transaction.atomic():
        InterviewPlan.objects.create(name="Starter", position=position, is_starter=True)


# --- New plans and sections -------------------------------------------------------------------


def test_plan_create_makes_the_default_sections(hiring_manager, position):
    plan = services.plan_create(name="Onsite", by=hiring_manager, position=position, slot_minutes=60)
    assert (plan.created_by, plan.position, plan.slot_minutes, plan.is_starter) == (hiring_manager, position, 60, False)
    assert list(plan.sections.values_list("title", "order")) == [
        (title, n) for n, title in enumerate(services.DEFAULT_SECTIONS, 1)
    ]


def test_plan_add_section_puts_it_last(hiring_manager):
    plan = services.plan_create(name="Onsite", by=hiring_manager)
    plan.sections.filter(title="Coding").update(order=40)
    section = services.plan_add_section(plan=plan, title="Deep dive")
    assert section.order == 41 and plan.sections.order_by("order").last() == section


# --- Moving and reordering items --------------------------------------------------------------


@pytest.fixture
def two_sections():
    # Fundamentals: bias-variance, precision; Coding: code-bigrams
    return make_plan()


def item(plan, slug):
    return plan.items.get(revision__question__slug=slug)


def test_plan_move_item_swaps_within_a_section_and_crosses_into_the_next(two_sections):
    plan = two_sections
    coding = plan.sections.get(title="Coding")
    assert services.plan_move_item(plan=plan, item=item(plan, "bias-variance"), direction="down") == (
        plan.sections.get(title="Fundamentals").pk, 1)
    assert order_of(plan) == [("Fundamentals", ["precision", "bias-variance"]), ("Coding", ["code-bigrams"])]
    assert services.plan_move_item(plan=plan, item=item(plan, "bias-variance"), direction="down") == (coding.pk, 0)
    assert order_of(plan) == [("Fundamentals", ["precision"]), ("Coding", ["bias-variance", "code-bigrams"])]
    services.plan_move_item(plan=plan, item=item(plan, "bias-variance"), direction="up")
    assert order_of(plan) == [("Fundamentals", ["precision", "bias-variance"]), ("Coding", ["code-bigrams"])]


def test_plan_move_item_changes_nothing_at_the_ends_of_the_plan(two_sections):
    plan = two_sections
    before = order_of(plan)
    assert services.plan_move_item(plan=plan, item=item(plan, "bias-variance"), direction="up") is None
    assert services.plan_move_item(plan=plan, item=item(plan, "code-bigrams"), direction="down") is None
    assert order_of(plan) == before
    with pytest.raises(ValueError):
        services.plan_move_item(plan=plan, item=item(plan, "precision"), direction="sideways")


def test_plan_reorder_writes_the_new_order_and_empties_sections_left_out(two_sections):
    plan = two_sections
    coding = plan.sections.get(title="Coding")
    ids = [item(plan, slug).pk for slug in ("code-bigrams", "precision", "bias-variance")]
    services.plan_reorder(plan=plan, order=[(coding.pk, ids)])
    assert order_of(plan) == [("Fundamentals", []), ("Coding", ["code-bigrams", "precision", "bias-variance"])]
    assert list(coding.items.order_by("order").values_list("order", flat=True)) == [1, 2, 3]


# --- Cancelling and rescheduling --------------------------------------------------------------


@pytest.fixture
def interview(position, interviewer, recruiter):
    return make_interview(candidate=make_candidate(position=position), plan=make_plan(position=position),
                          interviewers=[interviewer], by=recruiter)


def test_cancel_keeps_the_first_reason_and_says_when_it_was_already_cancelled(interview):
    assert not interview.is_cancelled
    assert interview.cancel(reason="Candidate withdrew") is True
    assert interview.is_cancelled
    stale = type(interview).objects.get(pk=interview.pk)
    stale.status = "scheduled"  # as read by a request that started before the cancel
    assert stale.cancel(reason="Double booked") is False
    interview.refresh_from_db()
    assert (interview.status, interview.cancel_reason) == ("cancelled", "Candidate withdrew")


def test_a_cancelled_interview_is_not_rescheduled_even_by_a_request_that_read_it_before(interview, interviewer2):
    stale = type(interview).objects.get(pk=interview.pk)
    interview.cancel(reason="Candidate withdrew")
    with pytest.raises(ValidationError, match="cancelled, so it cannot be rescheduled"):
        services.interview_reschedule(interview=stale, starts_at=stale.starts_at, duration_minutes=90,
                                      interviewers=[interviewer2])
    interview.refresh_from_db()
    assert interview.duration_minutes == 45 and list(interview.interviewers.all()) != [interviewer2]


def test_the_interview_page_of_a_cancelled_interview_offers_no_reschedule(as_user, recruiter, interview):
    client = as_user(recruiter)
    assert "Reschedule</a>" in client.get(interview.get_absolute_url()).content.decode()
    interview.cancel(reason="Candidate withdrew")
    page = client.get(interview.get_absolute_url()).content.decode()
    assert "Reschedule</a>" not in page and "Candidate withdrew" in page


# --- Limits, stated once and in words ---------------------------------------------------------


def test_the_database_refuses_a_weight_under_a_quarter_as_the_forms_do(two_sections):
    row = two_sections.items.first()
    with pytest.raises(IntegrityError, match="iv_planitem_weight_range"), transaction.atomic():
        PlanItem.objects.filter(pk=row.pk).update(weight=Decimal("0.1"))
    form = PlanItemForm({"minutes": 5, "competency": "Data", "weight": "0.1", "required": "on"}, instance=row)
    assert form.errors["weight"] == [f"Weight must be between {WEIGHT[0]} and {WEIGHT[1]:g}."]


def test_a_model_form_without_its_own_checks_shows_the_constraints_words(two_sections):
    row = two_sections.items.first()
    BareItemForm = modelform_factory(PlanItem, fields=["minutes", "competency", "weight", "required"])
    form = BareItemForm({"minutes": ITEM_MINUTES[1] + 1, "competency": "Data", "weight": "0.1"}, instance=row)
    errors = " ".join(form.non_field_errors())
    assert "Weight must be between 0.25 and 10." in errors
    assert f"Minutes must be between {ITEM_MINUTES[0]} and {ITEM_MINUTES[1]}." in errors
    assert "is violated" not in errors
    BarePlanForm = modelform_factory(InterviewPlan, fields=["name", "slot_minutes"])
    form = BarePlanForm({"name": "Long", "slot_minutes": SLOT_MINUTES[1] + 1})
    assert form.non_field_errors() == [f"A slot is between {SLOT_MINUTES[0]} and {SLOT_MINUTES[1]} minutes."]


def test_the_plan_form_and_its_input_take_the_slot_limits_from_the_model():
    form = PlanEditForm({"name": "Long", "slot_minutes": SLOT_MINUTES[1] + 1})
    assert form.errors["slot_minutes"] == [f"A slot is between {SLOT_MINUTES[0]} and {SLOT_MINUTES[1]} minutes."]
    attrs = form.fields["slot_minutes"].widget.attrs
    assert (attrs["min"], attrs["max"]) == SLOT_MINUTES


def test_a_candidate_has_a_cv_link_or_a_file_not_both(position):
    candidate = Candidate(position=position, name="Ada", cv_url="https://example.com/cv",
                          cv_file=SimpleUploadedFile("cv.pdf", b"%PDF-1.4"))
    with pytest.raises(ValidationError) as refused:
        candidate.full_clean()
    assert refused.value.message_dict["cv_url"][0].startswith("Give either a link to the CV or an uploaded file, not both.")
    stored = make_candidate(position=position)
    with pytest.raises(IntegrityError, match="iv_candidate_cv_link_or_file"), transaction.atomic():
        Candidate.objects.filter(pk=stored.pk).update(cv_url="https://example.com/cv", cv_file="cvs/cv.pdf")
