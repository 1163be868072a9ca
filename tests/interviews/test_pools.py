"""Question pools: the choice (interviews/pools.py, pool_pick), building a pool in the builder
(views/pools.py, services.pool_add/pool_remove), resolving it at scheduling
(services.pool_resolve), and everything that copies or shows a plan knowing pools."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import AuditEvent
from interviews.models import Interview, InterviewPlan, InterviewQuestion, PlanItem, PoolMember
from interviews.pools import DIFFICULTY_TOLERANCE, MIN_DIFFICULTY_SAMPLE, Option, pool_pick
from interviews.services import (
    interview_reschedule,
    interview_schedule,
    plan_clone,
    plan_item_remove,
    plan_item_restore,
    pool_add,
    pool_remove,
    pool_update_revisions,
)
from questionbank.models import Question
from questionbank.services import revision_publish
from scoring import stats
from scoring.calibration import question_difficulty_write
from tests.api.conftest import bearer
from tests.conftest import make_user, revision_content
from tests.factories import make_candidate, make_interview, make_plan, make_position

pytestmark = pytest.mark.django_db


# --- pool_pick, the pure choice ------------------------------------------------------------


def test_it_never_gives_a_question_the_candidate_had():
    pick = pool_pick(options=[Option(1, seen=True), Option(2), Option(3, seen=True)])
    assert pick.option.key == 2
    assert "the candidate had 2 others before" in pick.note


def test_it_gives_nothing_when_the_candidate_had_every_question():
    assert pool_pick(options=[Option(1, seen=True), Option(2, seen=True)]) is None


def test_it_prefers_a_question_under_the_cap_even_if_another_is_used_less_elsewhere():
    # 2 is over the cap of 3; 1 is under it: 1, whatever its difficulty.
    pick = pool_pick(options=[Option(1, uses=2), Option(2, uses=5)], cap=3)
    assert pick.option.key == 1
    assert pick.note.startswith("Chosen from a pool of 2: asked in 2 interviews in the last 90 days (cap 3)")


def test_every_question_at_the_cap_gives_the_least_used_and_says_so():
    pick = pool_pick(options=[Option(1, uses=4), Option(2, uses=3), Option(3, uses=9)], cap=3)
    assert pick.option.key == 2
    assert "at the cap of 3 uses in 90 days, so the least used" in pick.note


def test_difficulty_balances_to_the_pools_mean_an_unknown_one_counting_as_average():
    # Known means 2.0 and 3.0: the pool's average is 2.5; the unknown one counts as 2.5.
    options = [Option(1, difficulty=2.0), Option(2, difficulty=3.0), Option(3)]
    pick = pool_pick(options=options)
    assert pick.option.key == 3
    assert "closest to the pool's mean score of 2.5" in pick.note


def test_difficulty_within_the_tolerance_counts_as_the_same():
    # 2.4 and 2.6 are both within 0.25 of 2.5: then fewest uses decides.
    options = [Option(1, difficulty=2.4, uses=3), Option(2, difficulty=2.6, uses=1)]
    assert pool_pick(options=options).option.key == 2
    assert DIFFICULTY_TOLERANCE == 0.25


def test_difficulty_far_from_the_average_loses_to_a_closer_one():
    # Average of 1.0, 3.0, 3.2 is 2.4: 3.0 (0.6 away) is closest, none within the tolerance.
    options = [Option(1, difficulty=1.0), Option(2, difficulty=3.0, uses=5), Option(3, difficulty=3.2)]
    assert pool_pick(options=options).option.key == 2


def test_ties_are_spread_by_candidate():
    options = [Option(10), Option(20), Option(30)]
    picks = {pool_pick(options=options, spread=n).option.key for n in range(3)}
    assert picks == {10, 20, 30}
    assert pool_pick(options=options, spread=7) == pool_pick(options=options, spread=7)  # stable


def test_the_minimum_sample_is_scorings():
    assert MIN_DIFFICULTY_SAMPLE == stats.MIN_SAMPLE["mean"]


options_strategy = st.lists(
    st.builds(Option, key=st.integers(0, 10_000), seen=st.booleans(), uses=st.integers(0, 50),
              difficulty=st.none() | st.floats(1, 4)),
    min_size=2, max_size=8, unique_by=lambda o: o.key,
)


@settings(max_examples=300, deadline=None)
@given(options=options_strategy, cap=st.none() | st.integers(1, 40), spread=st.integers(0, 10**6))
def test_property_never_a_seen_question_and_never_over_the_cap_when_one_is_under(options, cap, spread):
    pick = pool_pick(options=options, cap=cap, spread=spread)
    fresh = [o for o in options if not o.seen]
    if not fresh:
        assert pick is None
        return
    assert not pick.option.seen
    assert pick.option in options
    if cap is not None and any(o.uses < cap for o in fresh):
        assert pick.option.uses < cap
    if cap is not None and not any(o.uses < cap for o in fresh):
        assert pick.option.uses == min(o.uses for o in fresh)
    assert len(pick.note) <= 300


# --- Building a pool ----------------------------------------------------------------------


def poolable(question, n=3):
    """Published bank questions of ``question``'s level and area, not it."""
    return list(Question.objects.published().filter(level=question.level, area=question.area)
                .exclude(pk=question.pk).select_related("current_revision").order_by("slug")[:n])


def other_level(question):
    return (Question.objects.published().filter(area=question.area).exclude(level=question.level)
            .select_related("current_revision").first())


@pytest.fixture
def pool_plan(position, hiring_manager):
    """The position's plan of one question whose pool holds two more (a pool of 3)."""
    plan = make_plan(position=position, by=hiring_manager, name="Pooled screen", sections=[("Fundamentals", ["bias-variance"])])
    item = plan.items.get()
    for question in poolable(item.revision.question, 2):
        pool_add(item=item, question=question, by=hiring_manager)
    return plan


def test_pool_add_takes_same_level_and_area_and_is_audited(plan, hiring_manager):
    item = plan.items.select_related("revision__question").first()
    question = poolable(item.revision.question, 1)[0]
    member = pool_add(item=item, question=question, by=hiring_manager)
    assert (member.order, member.revision_id) == (1, question.current_revision_id)
    event = AuditEvent.objects.get(action="plan.pool_add")
    assert event.actor == hiring_manager and event.detail["question"] == question.pk and event.detail["pool_size"] == 2


def test_pool_add_refuses_another_level_a_duplicate_a_question_in_the_plan_and_a_full_pool(plan, hiring_manager):
    item = plan.items.select_related("revision__question").order_by("order").first()
    first = item.revision.question
    with pytest.raises(ValidationError, match="share a level"):
        pool_add(item=item, question=other_level(first), by=hiring_manager)
    with pytest.raises(ValidationError, match="already in this pool"):
        pool_add(item=item, question=first, by=hiring_manager)
    other_item = plan.items.exclude(pk=item.pk).select_related("revision__question").first()
    with pytest.raises(ValidationError, match="share"):  # its own level or area differs, or it is in the plan
        pool_add(item=item, question=other_item.revision.question, by=hiring_manager)
    for question in poolable(first, 7):
        pool_add(item=item, question=question, by=hiring_manager)
    assert item.pool.count() == 7
    extra = poolable(first, 9)[-1]
    with pytest.raises(ValidationError, match="at most 8 questions"):
        pool_add(item=item, question=extra, by=hiring_manager)
    assert not AuditEvent.objects.filter(action="plan.pool_add", detail__question=extra.pk).exists()


def test_a_question_pooled_in_one_item_cannot_be_added_to_the_plan_again(pool_plan, hiring_manager, hm_client):
    member = PoolMember.objects.filter(item__plan=pool_plan).select_related("revision").first()
    section = pool_plan.sections.first()
    response = hm_client.post(f"/plans/{pool_plan.pk}/items/add/", {"question": member.revision.question_id,
                                                                     "section": section.pk})
    assert response.status_code == 302
    assert "is already in this plan" in str(list(get_messages(response.wsgi_request))[0])
    assert pool_plan.items.count() == 1


def test_pool_remove_moves_the_later_ones_up(pool_plan, hiring_manager):
    item = pool_plan.items.get()
    first, second = item.pool.order_by("order")
    pool_remove(member=first, by=hiring_manager)
    second.refresh_from_db()
    assert second.order == 1 and item.pool.count() == 1
    assert AuditEvent.objects.filter(action="plan.pool_remove", actor=hiring_manager).exists()


def test_the_model_says_the_level_rule_in_words(plan):
    item = plan.items.select_related("revision__question").first()
    wrong = other_level(item.revision.question)
    with pytest.raises(ValidationError, match="share a level"):
        PoolMember(item=item, revision=wrong.current_revision, order=1).full_clean()


# --- Copying, undo, newest revision, summary, API -----------------------------------------


def test_clone_copies_pools(pool_plan, hiring_manager):
    clone = plan_clone(plan=pool_plan, by=hiring_manager)
    source_pool = list(pool_plan.items.get().pool.order_by("order").values_list("order", "revision_id"))
    clone_item = clone.items.get()
    assert list(clone_item.pool.order_by("order").values_list("order", "revision_id")) == source_pool
    assert len(source_pool) == 2


def test_remove_and_undo_brings_the_pool_back(pool_plan):
    item = PlanItem.objects.select_related("revision", "section").get(plan=pool_plan)
    pool = list(item.pool.order_by("order").values_list("revision_id", flat=True))
    token = plan_item_remove(item=item)
    assert not PoolMember.objects.filter(item__plan=pool_plan).exists()
    restored = plan_item_restore(plan=pool_plan, token=token)
    assert list(restored.pool.order_by("order").values_list("revision_id", flat=True)) == pool


def test_update_to_newest_revision_moves_the_pools_questions(pool_plan, hm_client):
    item = pool_plan.items.get()
    member = item.pool.order_by("order").select_related("revision__question").first()
    revision_publish(question=member.revision.question, content=revision_content(title="A newer wording"))
    page = hm_client.get(f"/plans/{pool_plan.pk}/").content.decode()
    assert "Newer revision in the bank" in page and "Update to the newest revision" in page
    response = hm_client.post(f"/plans/{pool_plan.pk}/items/{item.pk}/revision/")
    assert "1 question of its pool also moved" in str(list(get_messages(response.wsgi_request))[0])
    member.refresh_from_db()
    assert member.revision.title == "A newer wording"
    assert pool_update_revisions(item=item) == 0


def test_the_summary_counts_a_pool_once(pool_plan, hm_client):
    page = hm_client.get(f"/plans/{pool_plan.pk}/").content.decode()
    item = pool_plan.items.get()
    assert "Pool of 3" in page
    assert f"{item.minutes} minutes" in page or str(item.minutes) in page
    response = hm_client.get(f"/plans/{pool_plan.pk}/")
    summary = response.context["summary"]
    assert (summary["item_count"], summary["pool_count"], summary["total_minutes"]) == (1, 1, item.minutes)


def test_the_api_lists_a_pools_questions(pool_plan, client, hiring_manager):
    from api.services import token_create

    headers = bearer(token_create(user=hiring_manager, name="tests", scope="read")[1])
    body = client.get(f"/api/v1/plans/{pool_plan.pk}/", **headers).json()
    members = pool_plan.items.get().pool.order_by("order").select_related("revision__question")
    assert body["items"][0]["pool"] == [
        {"question": m.revision.question.slug, "revision": m.revision.number, "title": m.revision.title}
        for m in members
    ]
    listing = client.get("/api/v1/plans/", **headers).json()
    assert any(item["pool"] for plan in listing["results"] for item in plan["items"])


def test_the_admin_lists_pool_questions(client, admin_user, pool_plan):
    client.force_login(admin_user)
    page = client.get("/admin/interviews/poolmember/").content.decode()
    assert "2 pool questions" in page


# --- Resolving at scheduling --------------------------------------------------------------


def schedule(candidate, plan, *, by, panel, days=1):
    return interview_schedule(candidate=candidate, plan=plan, starts_at=timezone.now() + timedelta(days=days),
                              duration_minutes=45, interviewers=panel, by=by)


def pinned_question(interview):
    return InterviewQuestion.objects.select_related("revision").get(interview=interview, added_by__isnull=True)


def test_two_candidates_one_after_the_other_get_different_questions(pool_plan, position, recruiter, interviewer,
                                                                    interviewer2):
    first = schedule(make_candidate(position=position), pool_plan, by=recruiter, panel=[interviewer, interviewer2])
    second = schedule(make_candidate(position=position), pool_plan, by=recruiter, panel=[interviewer])
    a, b = pinned_question(first), pinned_question(second)
    assert a.revision.question_id != b.revision.question_id
    assert a.pool_note.startswith("Chosen from a pool of 3: not asked in the last 90 days")
    # One pinned question for the panel of two: both score that same row.
    assert first.questions.count() == 1


def test_a_candidate_never_gets_a_question_they_had_and_same_email_counts(pool_plan, position, recruiter,
                                                                          interviewer, hiring_manager):
    candidate = make_candidate(position=position, email="sam@example.com")
    had = {pinned_question(schedule(candidate, pool_plan, by=recruiter, panel=[interviewer], days=d)).revision.question_id
           for d in (1, 2)}
    assert len(had) == 2
    # The same person, applying to another position: the third question, the only one left.
    other = make_position(hiring_manager=hiring_manager, title="Other role")
    again = make_candidate(position=other, email="SAM@example.com")
    third = schedule(again, pool_plan, by=recruiter, panel=[interviewer], days=3)
    assert pinned_question(third).revision.question_id not in had
    assert "the candidate had 2 others before" in pinned_question(third).pool_note


def test_a_candidate_who_had_every_question_is_refused_naming_the_pool(pool_plan, position, recruiter, interviewer):
    candidate = make_candidate(position=position, email="")
    for days in (1, 2, 3):
        schedule(candidate, pool_plan, by=recruiter, panel=[interviewer], days=days)
    before = Interview.objects.count()
    title = pool_plan.items.get().revision.title
    with pytest.raises(ValidationError, match=f"every question of the pool “{title}”"):
        schedule(candidate, pool_plan, by=recruiter, panel=[interviewer], days=4)
    assert Interview.objects.count() == before


def test_a_cancelled_interview_does_not_count(pool_plan, position, recruiter, interviewer):
    candidate = make_candidate(position=position)
    interviews = [schedule(candidate, pool_plan, by=recruiter, panel=[interviewer], days=d) for d in (1, 2, 3)]
    interviews[0].cancel(reason="moved")
    fourth = schedule(candidate, pool_plan, by=recruiter, panel=[interviewer], days=4)
    assert pinned_question(fourth).revision_id == pinned_question(interviews[0]).revision_id


def test_the_exposure_cap_steers_away_from_an_overused_question(pool_plan, position, recruiter, interviewer):
    position.exposure_cap = 1
    position.save()
    questions = [pool_plan.items.get().revision.question_id,
                 *pool_plan.items.get().pool.values_list("revision__question_id", flat=True)]
    # Three interviews in the last 90 days use three questions, one each: all at the cap of 1.
    for _ in questions:
        make_interview(candidate=make_candidate(position=position), plan=pool_plan, interviewers=[interviewer],
                       starts_at=timezone.now() - timedelta(days=10))
    late = schedule(make_candidate(position=position), pool_plan, by=recruiter, panel=[interviewer])
    assert "at the cap of 1 use in 90 days, so the least used" in pinned_question(late).pool_note
    position.exposure_cap = 2
    position.save()
    # Under a cap of 2 now, except the question the interview above took (2 uses): another one.
    next_one = schedule(make_candidate(position=position), pool_plan, by=recruiter, panel=[interviewer], days=2)
    assert pinned_question(next_one).revision.question_id != pinned_question(late).revision.question_id


def test_uses_older_than_90_days_do_not_count(pool_plan, position, recruiter, interviewer):
    old = make_interview(candidate=make_candidate(position=position), plan=pool_plan, interviewers=[interviewer],
                         starts_at=timezone.now() - timedelta(days=120))
    note = pinned_question(schedule(make_candidate(position=position), pool_plan, by=recruiter,
                                    panel=[interviewer])).pool_note
    assert "not asked in the last 90 days" in note
    assert old.questions.count() == 1


def test_difficulty_from_calibration_balances_the_choice(pool_plan, position, recruiter, interviewer):
    item = pool_plan.items.get()
    ids = [item.revision.question_id, *item.pool.order_by("order").values_list("revision__question_id", flat=True)]
    # Hard, easy, average (enough scores); the average one is the pool's mean.
    question_difficulty_write({"figures": [
        {"question_id": ids[0], "phase": None, "n": 8, "mean": 1.5},
        {"question_id": ids[1], "phase": None, "n": 8, "mean": 3.5},
        {"question_id": ids[2], "phase": None, "n": 8, "mean": 2.5},
    ]})
    assert Question.objects.get(pk=ids[2]).difficulty == 2.5
    for days in (1, 2):
        interview = schedule(make_candidate(position=position), pool_plan, by=recruiter, panel=[interviewer], days=days)
        assert pinned_question(interview).revision.question_id == ids[2]
    # Too few scores: not a difficulty; the refresh clears figures no longer computed.
    question_difficulty_write({"figures": [{"question_id": ids[0], "phase": None, "n": 2, "mean": 1.0}]})
    assert Question.objects.get(pk=ids[2]).difficulty is None
    assert Question.objects.get(pk=ids[0]).difficulty_n == 2
    question = Question.objects.get(pk=ids[0])
    assert question.difficulty_n < MIN_DIFFICULTY_SAMPLE  # so pool_resolve reads it as unknown


def test_rescheduling_never_chooses_again(pool_plan, position, recruiter, interviewer):
    interview = schedule(make_candidate(position=position), pool_plan, by=recruiter, panel=[interviewer])
    before = pinned_question(interview)
    PoolMember.objects.filter(item__plan=pool_plan).delete()
    interview_reschedule(interview=interview, starts_at=timezone.now() + timedelta(days=5), duration_minutes=45,
                         interviewers=[interviewer])
    after = pinned_question(interview)
    assert (after.pk, after.revision_id, after.pool_note) == (before.pk, before.revision_id, before.pool_note)


def scheduling_queries(candidate, plan, recruiter, interviewer, days):
    with CaptureQueriesContext(connection) as queries:
        schedule(candidate, plan, by=recruiter, panel=[interviewer], days=days)
    return len(queries)


def test_scheduling_queries_do_not_grow_with_the_pools_history(pool_plan, position, recruiter, interviewer):
    first = scheduling_queries(make_candidate(position=position), pool_plan, recruiter, interviewer, 1)
    for days in range(2, 8):
        schedule(make_candidate(position=position), pool_plan, by=recruiter, panel=[interviewer], days=days)
    assert scheduling_queries(make_candidate(position=position), pool_plan, recruiter, interviewer, 9) == first


def test_scheduling_queries_do_not_grow_with_the_number_of_pools(position, hiring_manager, recruiter, interviewer):
    def plan_with_pools(n):
        slugs = [q.slug for q in Question.objects.published().filter(kind="concept").order_by("slug")]
        chosen, used = [], set()
        for slug in slugs:  # n questions, each with one poolable partner
            question = Question.objects.get(slug=slug)
            partners = [p for p in poolable(question, 8) if p.pk not in used and p.slug not in chosen]
            if question.pk in used or not partners:
                continue
            chosen.append(slug)
            used |= {question.pk, partners[0].pk}
            if len(chosen) == n:
                break
        plan = make_plan(position=position, by=hiring_manager, name=f"{n} pools", sections=[("All", chosen)])
        for item in plan.items.select_related("revision__question"):
            partner = next(p for p in poolable(item.revision.question, 8)
                           if not PoolMember.objects.filter(item__plan=plan, revision__question=p).exists()
                           and not plan.items.filter(revision__question=p).exists())
            pool_add(item=item, question=partner, by=hiring_manager)
        return plan

    one, four = plan_with_pools(1), plan_with_pools(4)
    assert PoolMember.objects.filter(item__plan=four).count() == 4
    assert (scheduling_queries(make_candidate(position=position), one, recruiter, interviewer, 1)
            == scheduling_queries(make_candidate(position=position), four, recruiter, interviewer, 1))


# --- The pages ----------------------------------------------------------------------------


def test_the_schedule_page_names_the_pool_and_keeps_what_was_typed(pool_plan, position, recruiter, interviewer,
                                                                    as_user):
    candidate = make_candidate(position=position, name="Ada Seen")
    for days in (1, 2, 3):
        schedule(candidate, pool_plan, by=recruiter, panel=[interviewer], days=days)
    starts = (timezone.localtime() + timedelta(days=6)).replace(hour=11, minute=15, second=0, microsecond=0)
    data = {"candidate": candidate.pk, "plan": pool_plan.pk, "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "50", "interviewers": [interviewer.pk]}
    before = Interview.objects.count()
    response = as_user(recruiter).post("/interviews/new/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ada Seen was already asked every question of the pool" in page
    assert 'value="50"' in page and starts.strftime("%Y-%m-%dT%H:%M") in page
    assert Interview.objects.count() == before


def test_the_interview_page_explains_the_choice_to_those_who_see_the_plan(pool_plan, position, recruiter,
                                                                           interviewer, as_user):
    interview = schedule(make_candidate(position=position), pool_plan, by=recruiter, panel=[interviewer])
    note = pinned_question(interview).pool_note
    assert note in as_user(recruiter).get(f"/interviews/{interview.pk}/").content.decode().replace("&#x27;", "'")
    page = as_user(interviewer).get(f"/interviews/{interview.pk}/").content.decode()
    assert "Chosen from a pool" not in page  # an interviewer does not see plans


def test_the_builder_offers_add_to_pool_for_same_level_results_only(plan, hm_client):
    item = plan.items.select_related("revision__question").order_by("order").first()
    mate = poolable(item.revision.question, 1)[0]
    page = hm_client.get(f"/plans/{plan.pk}/", {"q": mate.title}).content.decode()
    assert "Add to pool of" in page and f'<option value="{item.pk}">' in page
    stranger = other_level(item.revision.question)
    partial = hm_client.get(f"/plans/{plan.pk}/", {"q": stranger.title, "partial": "1"}).content.decode()
    assert f'name="question" value="{stranger.pk}"' in partial
    # Offered for no item of another level.
    offered = partial.split(f'name="question" value="{stranger.pk}"')[1].split("</li>")[0]
    assert f'<option value="{item.pk}">' not in offered


def test_adding_and_taking_out_in_the_builder(plan, hm_client):
    item = plan.items.select_related("revision__question").order_by("order").first()
    mate = poolable(item.revision.question, 1)[0]
    response = hm_client.post(f"/plans/{plan.pk}/pool/add/", {"item": item.pk, "question": mate.pk, "q": "x"})
    assert response.status_code == 302 and response["Location"].endswith(f"?q=x#item-{item.pk}")
    assert "each interview gets one of its 2 questions" in str(list(get_messages(response.wsgi_request))[0])
    page = hm_client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Pool of 2" in page and "Take out of the pool" in page
    member = item.pool.get()
    response = hm_client.post(f"/plans/{plan.pk}/pool/{member.pk}/remove/")
    assert response.status_code == 302
    assert "is a single question again" in str(list(get_messages(response.wsgi_request))[0])
    assert not item.pool.exists()


@pytest.mark.parametrize("data, expected", [
    ({"item": "abc", "question": "1"}, "Choose a question of this plan to pool with."),
    ({"item": "99999999999999999999", "question": "1"}, "Choose a question of this plan to pool with."),
    ({"question": "1"}, "This field is required."),
    ({"item": "ITEM", "question": "99999999999999999999"}, "That question is not in the bank, or is not published."),
    ({"item": "ITEM", "question": "-1"}, "That question is not in the bank, or is not published."),
    ({"item": "ITEM", "question": "OTHER_LEVEL"}, "share a level"),
    ({"item": "ITEM", "question": "SAME"}, "already in this pool"),
    ({"item": "OTHER_PLAN_ITEM", "question": "MATE"}, "Choose a question of this plan to pool with."),
])
def test_bad_pool_input_says_what_is_wrong_and_changes_nothing(plan, hm_client, hiring_manager, position, data,
                                                                 expected):
    item = plan.items.select_related("revision__question").order_by("order").first()
    other_plan = make_plan(position=position, by=hiring_manager, name="Other")
    values = {"ITEM": item.pk, "OTHER_LEVEL": other_level(item.revision.question).pk,
              "SAME": item.revision.question_id, "MATE": poolable(item.revision.question, 1)[0].pk,
              "OTHER_PLAN_ITEM": other_plan.items.first().pk}
    posted = {key: values.get(value, value) for key, value in data.items()}
    response = hm_client.post(f"/plans/{plan.pk}/pool/add/", posted)
    assert response.status_code == 302
    assert expected in str(list(get_messages(response.wsgi_request))[0])
    assert not PoolMember.objects.exists()


def test_pool_routes_refuse_other_people(pool_plan, as_user, recruiter, interviewer):
    member = PoolMember.objects.filter(item__plan=pool_plan).first()
    item = pool_plan.items.get()
    mate = poolable(item.revision.question, 3)[-1]
    for user in (recruiter, interviewer):
        client = as_user(user)
        assert client.post(f"/plans/{pool_plan.pk}/pool/add/", {"item": item.pk, "question": mate.pk}).status_code == 403
        assert client.post(f"/plans/{pool_plan.pk}/pool/{member.pk}/remove/").status_code == 403
    other_hm = make_user("hm-other", "hiring_manager")
    client = as_user(other_hm)
    assert client.post(f"/plans/{pool_plan.pk}/pool/add/", {"item": item.pk, "question": mate.pk}).status_code == 404
    assert client.post(f"/plans/{pool_plan.pk}/pool/{member.pk}/remove/").status_code == 404
    assert PoolMember.objects.filter(item__plan=pool_plan).count() == 2


def test_removing_a_member_of_another_plan_or_a_bad_id_is_not_found(pool_plan, plan, hm_client):
    member = PoolMember.objects.filter(item__plan=pool_plan).first()
    assert hm_client.post(f"/plans/{plan.pk}/pool/{member.pk}/remove/").status_code == 404
    assert hm_client.post(f"/plans/{plan.pk}/pool/99999999999999999999/remove/").status_code == 404
    assert hm_client.get(f"/plans/{pool_plan.pk}/pool/{member.pk}/remove/").status_code == 405
    assert PoolMember.objects.filter(item__plan=pool_plan).count() == 2


@pytest.mark.parametrize("pools", [1, 3])
def test_the_builder_with_pools_takes_a_fixed_number_of_queries(position, hiring_manager, hm_client,
                                                                 django_assert_num_queries, pools):
    from tests.interviews.test_plan_builder import BUILDER_QUERIES

    slugs = [q.slug for q in Question.objects.published().filter(kind="concept").order_by("slug")[:3]]
    plan = make_plan(position=position, by=hiring_manager, name="Many pools", sections=[("All", slugs)])
    for item in plan.items.select_related("revision__question")[:pools]:
        for mate in poolable(item.revision.question, 8):
            if not (plan.items.filter(revision__question=mate).exists()
                    or PoolMember.objects.filter(item__plan=plan, revision__question=mate).exists()):
                pool_add(item=item, question=mate, by=hiring_manager)
                break
    hm_client.get(f"/plans/{plan.pk}/")  # the session, warmed
    with django_assert_num_queries(BUILDER_QUERIES):
        hm_client.get(f"/plans/{plan.pk}/")


# --- The demo -------------------------------------------------------------------------------


def test_the_demo_shows_a_pool_with_history_and_explanations():
    from django.core.management import call_command

    from interviews.demo_pools import PLAN
    from scoring.models import Scorecard

    for command in ("seed_demo", "load_starter_plans", "seed_demo_interviews", "seed_demo_scores"):
        call_command(command, verbosity=0)
    call_command("seed_demo_scores", verbosity=0)  # idempotent: no second plan, no more interviews
    plan = InterviewPlan.objects.get(name=PLAN)
    assert plan.position.exposure_cap == 3
    assert PoolMember.objects.filter(item__plan=plan).count() == 2
    pinned = list(InterviewQuestion.objects.filter(interview__plan=plan).exclude(pool_note="")
                  .select_related("interview"))
    assert len(pinned) == 10
    assert len({q.revision_id for q in pinned}) == 3  # every question of the pool in use
    assert any("the candidate had 1 other before" in q.pool_note for q in pinned)
    assert any("at the cap of 3" in q.pool_note for q in pinned)
    held = [q.interview for q in pinned if q.interview.starts_at < timezone.now()]
    assert len(held) == 8
    assert Scorecard.objects.filter(interview__in=held, status="submitted").count() == 16


def test_the_api_refuses_a_candidate_who_had_every_question_of_a_pool(pool_plan, position, recruiter, interviewer,
                                                                      client):
    from api.services import token_create

    candidate = make_candidate(position=position)
    for days in (1, 2, 3):
        schedule(candidate, pool_plan, by=recruiter, panel=[interviewer], days=days)
    headers = bearer(token_create(user=recruiter, name="tests", scope="read-write")[1])
    before = Interview.objects.count()
    response = client.post("/api/v1/interviews/", {
        "candidate": candidate.pk, "plan": pool_plan.pk, "starts_at": "2030-01-07T10:00:00+01:00",
        "interviewers": [interviewer.username],
    }, content_type="application/json", **headers)
    assert response.status_code == 400, response.content
    assert "already asked every question of the pool" in response.json()["errors"]["plan"][0]
    assert Interview.objects.count() == before
