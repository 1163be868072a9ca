"""Keeping plans tidy: taking a question's newest revision, undoing a removal, archiving and
unarchiving, sensible names for clones of clones, and which plans a hiring manager sees."""

from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.utils import timezone

from interviews import selectors
from interviews.models import InterviewPlan, PlanItem
from interviews.services import UNDO_SALT, plan_archive, plan_clone, plan_item_remove
from questionbank.models import Question, Status
from questionbank.services import question_set_status, revision_publish
from tests.conftest import make_user, revision_content
from tests.factories import make_candidate, make_interview, make_plan, make_position, order_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_manager(db):
    return make_user("hm2", "hiring_manager")


def item(plan, slug):
    return plan.items.select_related("revision").get(revision__question__slug=slug)


def newer_revision(slug):
    question = Question.objects.get(slug=slug)
    revision_publish(question=question, content=revision_content(title="Bias and variance, revised"))
    question.refresh_from_db()
    return question.current_revision


# --- (a) Update to the newest revision ------------------------------------------------------


def test_it_updates_an_item_to_the_newest_revision_keeping_its_settings(hm_client, plan):
    bv = item(plan, "bias-variance")
    PlanItem.objects.filter(pk=bv.pk).update(minutes=17, competency="Modelling", weight=Decimal("2.5"), required=False)
    newest = newer_revision("bias-variance")
    page = hm_client.get(f"/plans/{plan.pk}/").content.decode()
    assert f'action="/plans/{plan.pk}/items/{bv.pk}/revision/"' in page
    assert page.count("Update to the newest revision") == 1  # only the outdated item offers it
    response = hm_client.post(f"/plans/{plan.pk}/items/{bv.pk}/revision/", follow=True)
    bv.refresh_from_db()
    assert bv.revision == newest
    assert (bv.minutes, bv.competency, bv.weight, bv.required, bv.order) == (17, "Modelling", Decimal("2.5"), False, 1)
    html = response.content.decode()
    assert f"now uses revision {newest.number} (was {newest.number - 1})" in html
    assert "Update to the newest revision" not in html and "has a newer revision in the bank" not in html


def test_updating_an_item_already_on_the_newest_revision_changes_nothing(hm_client, plan):
    bv = item(plan, "bias-variance")
    response = hm_client.post(f"/plans/{plan.pk}/items/{bv.pk}/revision/", follow=True)
    assert "already uses the newest revision" in response.content.decode()
    assert item(plan, "bias-variance").revision_id == bv.revision_id


def test_an_interview_scheduled_before_the_update_keeps_its_revision(hm_client, plan, interviewer):
    interview = make_interview(candidate=make_candidate(position=plan.position), interviewers=[interviewer], plan=plan)
    pinned = interview.questions.get(revision__question__slug="bias-variance").revision_id
    newer_revision("bias-variance")
    hm_client.post(f"/plans/{plan.pk}/items/{item(plan, 'bias-variance').pk}/revision/")
    assert interview.questions.get(revision__question__slug="bias-variance").revision_id == pinned


def test_only_someone_who_may_edit_the_plan_can_update_an_item(as_user, recruiter, other_manager, plan):
    bv = item(plan, "bias-variance")
    newer_revision("bias-variance")
    assert as_user(recruiter).post(f"/plans/{plan.pk}/items/{bv.pk}/revision/").status_code == 403
    assert as_user(other_manager).post(f"/plans/{plan.pk}/items/{bv.pk}/revision/").status_code == 404
    assert item(plan, "bias-variance").revision_id == bv.revision_id


# --- (c) Undo a removal ---------------------------------------------------------------------------


def remove(client, plan, slug):
    response = client.post(f"/plans/{plan.pk}/items/{item(plan, slug).pk}/delete/")
    assert response.status_code == 302
    return parse_qs(urlsplit(response["Location"]).query)["removed"][0], response["Location"]


def test_removing_offers_undo_which_puts_the_item_back_at_its_place_with_its_settings(hm_client, plan):
    bv = item(plan, "bias-variance")
    PlanItem.objects.filter(pk=bv.pk).update(minutes=13, competency="Modelling", weight=Decimal("3"), required=False)
    token, location = remove(hm_client, plan, "bias-variance")
    assert order_of(plan)[0] == ("Fundamentals", ["precision"])
    page = hm_client.get(location).content.decode()
    assert "Removed “" in page and "from Fundamentals" in page
    assert f'action="/plans/{plan.pk}/items/restore/"' in page and f'value="{token}"' in page
    response = hm_client.post(f"/plans/{plan.pk}/items/restore/", {"token": token}, follow=True)
    assert "Put “" in response.content.decode()
    assert order_of(plan) == [("Fundamentals", ["bias-variance", "precision"]), ("Coding", ["code-bigrams"])]
    back = item(plan, "bias-variance")
    assert (back.minutes, back.competency, back.weight, back.required) == (13, "Modelling", Decimal("3"), False)
    assert back.revision_id == bv.revision_id


def test_undo_twice_does_not_add_the_question_twice(hm_client, plan):
    token, _ = remove(hm_client, plan, "precision")
    hm_client.post(f"/plans/{plan.pk}/items/restore/", {"token": token})
    response = hm_client.post(f"/plans/{plan.pk}/items/restore/", {"token": token}, follow=True)
    assert "is already in this plan again" in response.content.decode()
    assert plan.items.filter(revision__question__slug="precision").count() == 1


@pytest.mark.parametrize("mangle", ["tampered", "other plan", "expired", "empty"])
def test_undo_refuses_a_token_that_is_not_this_plans_fresh_one(hm_client, hiring_manager, plan, mangle):
    token, _ = remove(hm_client, plan, "precision")
    if mangle == "tampered":
        token = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    elif mangle == "other plan":
        other = make_plan(by=hiring_manager, name="Other", sections=(("Fundamentals", ("auc",)),))
        token = plan_item_remove(item=other.items.get())
    elif mangle == "expired":
        data = signing.loads(token, salt=UNDO_SALT)
        signer = signing.TimestampSigner(salt=UNDO_SALT)
        old = timezone.now() - timedelta(hours=2)
        signer.timestamp = lambda: signing.b62_encode(int(old.timestamp()))
        token = signer.sign_object(data, compress=True)
    else:
        token = ""
    page = hm_client.get(f"/plans/{plan.pk}/?removed={token}").content.decode()
    assert "plan-undo" not in page
    response = hm_client.post(f"/plans/{plan.pk}/items/restore/", {"token": token}, follow=True)
    assert response.status_code == 200
    assert "That undo has expired or is not for this plan" in response.content.decode()
    assert not plan.items.filter(revision__question__slug="precision").exists()


def test_only_someone_who_may_edit_the_plan_can_undo(as_user, recruiter, other_manager, hm_client, plan):
    token, _ = remove(hm_client, plan, "precision")
    assert as_user(recruiter).post(f"/plans/{plan.pk}/items/restore/", {"token": token}).status_code == 403
    assert as_user(other_manager).post(f"/plans/{plan.pk}/items/restore/", {"token": token}).status_code == 404
    assert not plan.items.filter(revision__question__slug="precision").exists()


# --- (b) Archive ----------------------------------------------------------------------------------


def test_archiving_hides_a_plan_from_the_list_scheduling_and_the_dashboard_until_unarchived(
        as_user, hiring_manager, recruiter, plan, interviewer):
    interview = make_interview(candidate=make_candidate(position=plan.position), interviewers=[interviewer], plan=plan)
    hm_client = as_user(hiring_manager)
    response = hm_client.post(f"/plans/{plan.pk}/archive/", follow=True)
    assert "Archived “Onsite”" in response.content.decode()
    plan.refresh_from_db()
    assert plan.is_archived
    listing = hm_client.get("/plans/")
    assert plan not in listing.context["position_plans"] and "Archived plans (1)" in listing.content.decode()
    assert [p.pk for p in hm_client.get("/plans/?archived=1").context["position_plans"]] == [plan.pk]
    assert plan not in as_user(recruiter).get("/interviews/new/").context["form"].fields["plan"].queryset
    assert selectors.managed_positions(plan.position.hiring_manager)[0].plan_count == 0
    # Interviews that used it still work, and its builder still opens, saying it is archived.
    assert as_user(recruiter).get(f"/interviews/{interview.pk}/").status_code == 200
    assert as_user(interviewer).get(f"/interviews/{interview.pk}/live/").status_code == 200
    hm_client = as_user(hiring_manager)
    assert "Unarchive" in hm_client.get(f"/plans/{plan.pk}/").content.decode()

    hm_client.post(f"/plans/{plan.pk}/unarchive/")
    plan.refresh_from_db()
    assert not plan.is_archived
    assert plan in hm_client.get("/plans/").context["position_plans"]
    assert "Archived plans" not in hm_client.get("/plans/").content.decode()
    assert plan in as_user(recruiter).get("/interviews/new/").context["form"].fields["plan"].queryset


def test_scheduling_refuses_an_archived_plan(as_user, recruiter, plan, interviewer):
    candidate = make_candidate(position=plan.position)
    plan_archive(plan=plan)
    starts = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = as_user(recruiter).post("/interviews/new/", {
        "candidate": candidate.pk, "plan": plan.pk, "starts_at": starts, "duration_minutes": 60,
        "interviewers": [interviewer.pk]})
    assert response.status_code == 400 and response.context["form"].errors["plan"]


def test_only_someone_who_may_edit_the_plan_can_archive_it(as_user, recruiter, other_manager, plan):
    assert as_user(recruiter).post(f"/plans/{plan.pk}/archive/").status_code == 403
    assert as_user(other_manager).post(f"/plans/{plan.pk}/archive/").status_code == 404
    starter = make_plan(starter=True, name="Starter")
    assert as_user(plan.position.hiring_manager).post(f"/plans/{starter.pk}/archive/").status_code == 404
    assert InterviewPlan.objects.archived().count() == 0


# --- (d) Names of clones ----------------------------------------------------------------------------


def clone_via_page(client, source, position=None):
    client.post(f"/plans/{source.pk}/clone/", {"position": position.pk if position else "", "name": ""})
    return InterviewPlan.objects.filter(cloned_from=source).latest("pk")


def test_a_clone_of_a_clone_is_named_after_the_original_without_stacking(hm_client, hiring_manager, position):
    other = make_position(hiring_manager=hiring_manager, title="Research Scientist")
    starter = make_plan(starter=True, name="ML screen")
    first = clone_via_page(hm_client, starter, position)
    assert first.name == "ML screen — Senior ML Engineer, Ranking"
    assert clone_via_page(hm_client, first, other).name == "ML screen — Research Scientist"
    assert clone_via_page(hm_client, first, None).name == "ML screen (copy)"
    template_copy = InterviewPlan.objects.get(name="ML screen (copy)")
    assert clone_via_page(hm_client, template_copy, None).name == "ML screen (copy) (2)"


def test_a_second_clone_for_the_same_position_is_numbered(hm_client, position):
    starter = make_plan(starter=True, name="ML screen")
    first = clone_via_page(hm_client, starter, position)
    again = clone_via_page(hm_client, first, position)
    assert again.name == "ML screen — Senior ML Engineer, Ranking (2)"
    assert clone_via_page(hm_client, again, position).name == "ML screen — Senior ML Engineer, Ranking (3)"


def test_a_name_given_for_a_clone_is_kept_and_a_hand_named_plan_is_not_trimmed(hm_client, hiring_manager, position):
    mine = make_plan(by=hiring_manager, name="Deep dive (copy)")
    hm_client.post(f"/plans/{mine.pk}/clone/", {"position": position.pk, "name": "  My   own name "})
    assert InterviewPlan.objects.filter(cloned_from=mine).get().name == "My own name"
    assert plan_clone(plan=mine, by=hiring_manager, position=position).name == "Deep dive (copy) — Senior ML Engineer, Ranking"


def test_the_clone_form_suggests_the_original_name(hm_client, hiring_manager, position):
    first = plan_clone(plan=make_plan(starter=True, name="ML screen"), by=hiring_manager, position=position)
    assert 'placeholder="ML screen — &lt;position&gt;"' in hm_client.get(f"/plans/{first.pk}/").content.decode()


# --- Which plans a hiring manager sees (security probe finding 13) ----------------------------------


def test_a_hiring_manager_sees_templates_and_plans_of_positions_they_can_see(as_user, hiring_manager, other_manager,
                                                                             plan, interviewer):
    theirs = make_plan(by=other_manager, position=make_position(hiring_manager=other_manager, title="Stealth Project"),
                       name="Stealth plan")
    template = make_plan(by=other_manager, name="Shared screen")
    client = as_user(hiring_manager)
    listing = client.get("/plans/")
    assert plan in listing.context["position_plans"] and template in listing.context["templates"]
    assert "Stealth" not in listing.content.decode()
    assert client.get(f"/plans/{theirs.pk}/").status_code == 404
    assert client.post(f"/plans/{theirs.pk}/clone/", {"name": "Mine now"}).status_code == 404
    assert not InterviewPlan.objects.filter(name="Mine now").exists()
    # On a panel of that position, the manager sees the position, and so its plans.
    make_interview(candidate=make_candidate(position=theirs.position), interviewers=[hiring_manager], plan=theirs)
    assert client.get(f"/plans/{theirs.pk}/").status_code == 200


# --- Only published questions go into plans, by update or by undo -----------------------------


def draft_revision_without_rubric(slug):
    """The author takes the question back to draft and saves words with no rubric or anchors."""
    question = Question.objects.get(slug=slug)
    question_set_status(question=question, status=Status.DRAFT)
    revision_publish(question=question, content=revision_content(title="Bias and variance, half written",
                                                                 criteria=[], anchors={}))
    question.refresh_from_db()
    return question.current_revision


def test_an_item_whose_question_went_back_to_draft_is_not_offered_nor_moved_to_its_newest_revision(hm_client, plan):
    bv = item(plan, "bias-variance")
    draft = draft_revision_without_rubric("bias-variance")
    assert not draft.criteria.exists()
    page = hm_client.get(f"/plans/{plan.pk}/").content.decode()
    assert f'action="/plans/{plan.pk}/items/{bv.pk}/revision/"' not in page
    assert "Update to the newest revision" not in page
    assert "but the question is a draft again; the plan can take it once it is published" in page
    response = hm_client.post(f"/plans/{plan.pk}/items/{bv.pk}/revision/", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "is not published in the bank" in html and f"keeps revision {bv.revision.number}" in html
    assert item(plan, "bias-variance").revision_id == bv.revision_id


def test_a_retired_question_is_not_moved_to_its_newest_revision_either(hm_client, plan):
    bv = item(plan, "bias-variance")
    question = newer_revision("bias-variance").question
    question_set_status(question=question, status=Status.RETIRED)
    response = hm_client.post(f"/plans/{plan.pk}/items/{bv.pk}/revision/", follow=True)
    assert "is not published in the bank" in response.content.decode()
    assert item(plan, "bias-variance").revision_id == bv.revision_id


@pytest.mark.parametrize("status", [Status.DRAFT, Status.RETIRED])
def test_undo_refuses_to_put_back_a_question_that_is_no_longer_published(hm_client, plan, status):
    token, _ = remove(hm_client, plan, "precision")
    question_set_status(question=Question.objects.get(slug="precision"), status=status)
    response = hm_client.post(f"/plans/{plan.pk}/items/restore/", {"token": token}, follow=True)
    assert response.status_code == 200
    assert "is no longer published in the bank, so it cannot go back in the plan" in response.content.decode()
    assert not plan.items.filter(revision__question__slug="precision").exists()
