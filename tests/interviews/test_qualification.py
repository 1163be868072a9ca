"""Qualification for a plan (interviews/qualification.py): practice pooled over the plan's
samples, question by question, and shadowing where the position counts it; the scheduling
warnings it feeds, shadows on the scheduling forms, and the dashboard."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.utils import timezone

from accounts.models import AuditEvent
from accounts.roles import Role
from interviews.models import Interview, InterviewShadow, ShadowKind
from interviews.qualification import plan_standings
from interviews.scheduling_checks import confirmation_token, schedule_warnings
from questionbank.models import PracticeScore, Question
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan
from tests.practice_data import make_samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def samples():
    """Five samples of bias-variance and three of precision (two of the plan's three questions)."""
    return {"bias-variance": make_samples(Question.objects.get(slug="bias-variance")),
            "precision": make_samples(Question.objects.get(slug="precision"), references=(2, 3, 4))}


def practise(user, samples, *, off=0):
    for sample in samples:
        PracticeScore.objects.create(user=user, sample=sample, score=min(4, sample.reference_score + off)
                                     if sample.reference_score < 4 else 4 - off)


def standing_of(user, plan):
    return plan_standings(users=[user], plans=[plan])[(user.pk, plan.pk)]


def test_practice_pooled_over_the_plans_samples_qualifies(plan, interviewer, samples):
    practise(interviewer, samples["bias-variance"][:2] + samples["precision"])
    assert standing_of(interviewer, plan).qualified  # 5 samples over two questions, all exact
    assert standing_of(interviewer, plan).label == "Qualified"


def test_fewer_than_five_samples_over_the_plan_are_in_progress(plan, interviewer, interviewer2, samples):
    practise(interviewer, samples["precision"])
    mine = standing_of(interviewer, plan)
    assert not mine.qualified and mine.state == "in_progress" and mine.label == "3 of 5 scored"
    assert standing_of(interviewer2, plan).state == "not_started"


def test_one_sample_two_off_keeps_a_plan_from_qualifying(plan, interviewer, samples):
    first = samples["bias-variance"][0]  # reference 1
    PracticeScore.objects.create(user=interviewer, sample=first, score=3)  # the first attempt counts
    practise(interviewer, samples["bias-variance"] + samples["precision"])  # matching it later does not
    assert not standing_of(interviewer, plan).qualified


@pytest.fixture
def held(position, plan, recruiter, interviewer2):
    """An interview of the position on the plan, ended an hour ago."""
    return make_interview(candidate=make_candidate(position=position), plan=plan, interviewers=[interviewer2],
                          by=recruiter, starts_at=timezone.now() - timedelta(hours=2), minutes=45)


@pytest.mark.parametrize("kind", [ShadowKind.SHADOW, ShadowKind.REVERSE])
def test_shadowing_an_ended_interview_qualifies_where_the_position_says_so(position, plan, held, interviewer, kind):
    InterviewShadow.objects.create(interview=held, user=interviewer, kind=kind)
    assert not standing_of(interviewer, plan).qualified  # the position does not count shadowing
    position.shadowing_qualifies = True
    position.save(update_fields=["shadowing_qualifies"])
    assert standing_of(interviewer, plan).qualified


def test_shadowing_counts_only_once_ended_and_not_cancelled(position, plan, held, interviewer):
    position.shadowing_qualifies = True
    position.save(update_fields=["shadowing_qualifies"])
    InterviewShadow.objects.create(interview=held, user=interviewer, kind=ShadowKind.SHADOW)
    held.cancel(reason="Candidate withdrew")
    assert not standing_of(interviewer, plan).qualified
    Interview.objects.filter(pk=held.pk).update(status="scheduled", starts_at=timezone.now() - timedelta(minutes=10))
    assert not standing_of(interviewer, plan).qualified  # still running
    assert standing_of(interviewer, plan).by_question == 0


def test_shadowing_covers_only_the_questions_that_interview_asked(position, held, interviewer, hiring_manager):
    position.shadowing_qualifies = True
    position.save(update_fields=["shadowing_qualifies"])
    InterviewShadow.objects.create(interview=held, user=interviewer, kind=ShadowKind.SHADOW)
    wider = make_plan(position=position, name="Wider", sections=[("All", ["bias-variance", "precision", "recall"])])
    mine = standing_of(interviewer, wider)
    assert not mine.qualified and mine.by_question == 2 and mine.label == "2 of 3 questions"


# --- Scheduling warnings -----------------------------------------------------------------------


def later(days=3):
    return (timezone.localtime() + timedelta(days=days)).replace(hour=11, minute=0, second=0, microsecond=0)


def schedule_data(candidate, plan, panel, **changes):
    data = {"candidate": candidate.pk, "plan": plan.pk, "starts_at": later().strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "60", "interviewers": [u.pk for u in panel]}
    data.update(changes)
    return data


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_scheduling_an_unqualified_panel_warns_keeps_what_was_typed_and_schedules_once_confirmed(
        as_user, recruiter, position, plan, interviewer, samples):
    client = as_user(recruiter)
    candidate = make_candidate(position=position, name="Noor Haddad")
    data = schedule_data(candidate, plan, [interviewer])
    response = client.post("/interviews/new/", data)
    assert response.status_code == 200 and not Interview.objects.exists()
    page = response.content.decode()
    assert "is not yet qualified for the questions of “Onsite”" in page and "Schedule anyway" in page
    assert 'value="Noor Haddad' not in page and "Noor Haddad" in page  # the candidate stays chosen
    assert f'value="{data["starts_at"]}"' in page
    token = re.search(r'name="confirmed" value="([0-9a-f]+)"', page).group(1)
    response = client.post("/interviews/new/", {**data, "confirmed": token})
    assert response.status_code == 302
    interview = Interview.objects.get()
    assert any("not yet qualified" in m for m in messages_of(response))
    assert list(interview.interviewers.all()) == [interviewer]


def test_a_confirmation_of_other_warnings_does_not_pass(as_user, recruiter, position, plan, interviewer, interviewer2, samples):
    client = as_user(recruiter)
    candidate = make_candidate(position=position)
    token = confirmation_token(schedule_warnings(plan=plan, interviewers=[interviewer], starts_at=later(),
                                                 duration_minutes=60))
    response = client.post("/interviews/new/", schedule_data(candidate, plan, [interviewer2], confirmed=token))
    assert response.status_code == 200 and not Interview.objects.exists()
    for bad in ("x" * 64, "'; DROP", "9" * 500):
        assert client.post("/interviews/new/", schedule_data(candidate, plan, [interviewer2], confirmed=bad)).status_code in (200, 400)
    assert not Interview.objects.exists()


def test_a_qualified_panel_is_scheduled_without_a_warning(as_user, recruiter, position, plan, interviewer, samples):
    practise(interviewer, samples["bias-variance"] + samples["precision"][:1])
    response = as_user(recruiter).post("/interviews/new/", schedule_data(make_candidate(position=position), plan, [interviewer]))
    assert response.status_code == 302
    assert not any("qualified" in m for m in messages_of(response))


def test_rescheduling_onto_an_unqualified_panel_warns_then_saves_when_confirmed(
        as_user, recruiter, position, plan, interviewer, interviewer2, samples):
    practise(interviewer, samples["bias-variance"] + samples["precision"][:1])
    interview = make_interview(candidate=make_candidate(position=position), plan=plan, interviewers=[interviewer],
                               by=recruiter, starts_at=later(5))
    client = as_user(recruiter)
    data = {"starts_at": later(6).strftime("%Y-%m-%dT%H:%M"), "duration_minutes": "60",
            "interviewers": [interviewer.pk, interviewer2.pk]}
    response = client.post(f"/interviews/{interview.pk}/edit/", data)
    assert response.status_code == 200 and "Save anyway" in response.content.decode()
    assert "int2 is not yet qualified" in response.content.decode()
    assert set(interview.interviewers.all()) == {interviewer}
    token = re.search(r'name="confirmed" value="([0-9a-f]+)"', response.content.decode()).group(1)
    assert client.post(f"/interviews/{interview.pk}/edit/", {**data, "confirmed": token}).status_code == 302
    assert set(interview.interviewers.all()) == {interviewer, interviewer2}


# --- Shadows on the forms -----------------------------------------------------------------------


def test_shadows_are_set_on_scheduling_shown_on_the_interview_and_audited(
        as_user, recruiter, position, plan, interviewer, interviewer2, samples):
    practise(interviewer, samples["bias-variance"] + samples["precision"][:1])
    observer = make_user("observer", Role.INTERVIEWER, first_name="Olga", last_name="Observer")
    client = as_user(recruiter)
    data = schedule_data(make_candidate(position=position), plan, [interviewer, interviewer2],
                         shadows=[observer.pk], reverse_shadows=[interviewer2.pk])
    response = client.post("/interviews/new/", data)
    assert response.status_code == 302  # the reverse shadow is not warned about: a qualified panelist is there
    interview = Interview.objects.get()
    assert dict(interview.shadows.values_list("user__username", "kind")) == {"observer": "shadow", "int2": "reverse"}
    page = client.get(f"/interviews/{interview.pk}/").content.decode()
    assert "Olga Observer: observes" in page and "int2: leads (reverse-shadowing)" in page
    assert AuditEvent.objects.filter(action="interview.shadows", detail__interview=interview.pk).exists()
    # Rescheduling keeps them unless changed; emptied, they go.
    practise(interviewer2, samples["bias-variance"] + samples["precision"][:1])  # no longer a reverse shadow, and qualified: no warning
    edit = client.get(f"/interviews/{interview.pk}/edit/").content.decode()
    assert re.search(rf'name="shadows" value="{observer.pk}"[^>]*checked', edit)
    client.post(f"/interviews/{interview.pk}/edit/", {"starts_at": later().strftime("%Y-%m-%dT%H:%M"),
                                                     "duration_minutes": "60", "interviewers": [interviewer.pk, interviewer2.pk]})
    assert not interview.shadows.exists()


@pytest.mark.parametrize("changes,message", [
    ("shadow_on_panel", "is on the panel; a shadow observes beside it"),
    ("reverse_off_panel", "is not on the panel; a reverse shadow leads"),
    ("reverse_alone", "add another interviewer to the panel"),
])
def test_shadows_that_do_not_fit_the_panel_are_refused_in_words(as_user, recruiter, position, plan, interviewer,
                                                               interviewer2, changes, message):
    extra = {"shadow_on_panel": {"shadows": [interviewer.pk]},
             "reverse_off_panel": {"reverse_shadows": [interviewer2.pk]},
             "reverse_alone": {"reverse_shadows": [interviewer.pk]}}[changes]
    response = as_user(recruiter).post("/interviews/new/", schedule_data(make_candidate(position=position), plan,
                                                                         [interviewer], **extra))
    assert response.status_code == 400 and message in response.content.decode()
    assert not Interview.objects.exists() and not InterviewShadow.objects.exists()


# --- The dashboard ------------------------------------------------------------------------------


def test_the_dashboard_shows_who_is_qualified_in_progress_or_not_started(as_user, recruiter, plan, interviewer,
                                                                         interviewer2, samples):
    practise(interviewer, samples["bias-variance"] + samples["precision"][:1])
    practise(interviewer2, samples["precision"][:2])
    make_user("int3", Role.INTERVIEWER)
    page = as_user(recruiter).get("/practice/qualifications/").content.decode()
    assert "Onsite" in page
    rows = {m.group(1): m.group(2) for m in re.finditer(r'<th scope="row">(\w+)</th>\s*<td>\s*<span[^>]*>([^<]+)</span>', page)}
    assert rows == {"int1": "Qualified", "int2": "2 of 5 scored", "int3": "Not started"}


def test_the_dashboard_filters_by_position_and_says_when_a_position_is_unknown(
        as_user, recruiter, position, plan, other_position, interviewer):
    make_plan(position=other_position, name="Hidden plan")
    client = as_user(recruiter)
    page = client.get(f"/practice/qualifications/?position={position.pk}").content.decode()
    assert "Onsite" in page and "Hidden plan" not in page
    for bad in (str(other_position.pk), "x", "9" * 40, "-1"):
        response = client.get(f"/practice/qualifications/?position={bad}")
        assert response.status_code == 200 and "Hidden plan" not in response.content.decode()
        assert "is not one of the open positions you see" in response.content.decode()


def test_interviewers_do_not_see_the_dashboard(as_user, interviewer):
    assert as_user(interviewer).get("/practice/qualifications/").status_code == 403


# Session, user, roles and permissions (one statement), the bell's count; the open positions,
# their plans, the interviewers, the plans' questions and their pools' other questions, their
# samples, the latest practice scores, the shadows.
DASHBOARD_QUERIES = 12


@pytest.mark.parametrize("n", [1, 6])
def test_the_dashboard_reads_a_fixed_number_of_queries(as_user, recruiter, hiring_manager, position, samples,
                                                       django_assert_num_queries, n):
    position.shadowing_qualifies = True
    position.save(update_fields=["shadowing_qualifies"])
    for i in range(n):
        make_plan(position=position, name=f"Plan {i}")
        person = make_user(f"dash{i}", Role.INTERVIEWER)
        practise(person, samples["bias-variance"][: i + 1])
    client = as_user(recruiter)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        assert client.get("/practice/qualifications/").status_code == 200


def test_no_warning_when_no_one_could_qualify_yet(position, plan, interviewer):
    """Fewer than five samples over the plan and no shadowing: nothing to act on, nothing said."""
    make_samples(Question.objects.get(slug="precision"), references=(1, 2, 3, 4))
    assert schedule_warnings(plan=plan, interviewers=[interviewer], starts_at=later(), duration_minutes=60) == []
    position.shadowing_qualifies = True  # now shadowing one of its interviews would qualify
    position.save(update_fields=["shadowing_qualifies"])
    plan.refresh_from_db()
    assert len(schedule_warnings(plan=plan, interviewers=[interviewer], starts_at=later(), duration_minutes=60)) == 1


# --- Demo data ----------------------------------------------------------------------------------


def test_the_demo_shows_one_qualified_one_in_progress_one_not_started_and_a_shadow():
    from django.core.management import call_command

    from interviews.models import InterviewPlan

    for _ in range(2):  # idempotent
        for command in ("seed_demo", "load_starter_plans", "seed_demo_interviews", "seed_demo_scores"):
            call_command(command, verbosity=0)
    plan = InterviewPlan.objects.select_related("position").get(name="Ranking technical screen")
    people = {u.username: u for u in get_user_model().objects.filter(username__in=["ivan", "iris", "omar", "nadia"])}
    standings = plan_standings(users=people.values(), plans=[plan])
    states = {name: standings[(user.pk, plan.pk)].state for name, user in people.items()}
    assert states == {"ivan": "qualified", "iris": "in_progress", "nadia": "not_started", "omar": "qualified"}
    assert standings[(people["omar"].pk, plan.pk)].practice.scored == 0  # by shadowing alone
    assert PracticeScore.objects.filter(user=people["ivan"]).count() == 8
    assert InterviewShadow.objects.filter(user=people["omar"]).count() == 1


def test_turning_shadowing_on_for_a_position_is_audited(as_user, recruiter, hiring_manager, position):
    data = {"title": position.title, "team": position.team, "level": position.level,
            "hiring_manager": hiring_manager.pk, "recruiter": recruiter.pk, "status": "open",
            "escalation_hours": "48", "webhook_format": "slack", "shadowing_qualifies": "on"}
    client = as_user(recruiter)
    assert "Shadowing qualifies" in client.get(f"/positions/{position.pk}/edit/").content.decode()
    assert client.post(f"/positions/{position.pk}/edit/", data).status_code == 302
    position.refresh_from_db()
    assert position.shadowing_qualifies
    assert AuditEvent.objects.filter(action="position.shadowing", actor=recruiter, detail__shadowing_qualifies=True).exists()


def test_a_pool_counts_every_one_of_its_questions(position, plan, interviewer):
    """Any question of a pool may be the one a candidate gets, so practice on each counts."""
    from interviews.models import PoolMember
    from interviews.qualification import plan_questions

    item = plan.items.get(revision__question__slug="precision")
    other = Question.objects.get(slug="recall").current_revision
    PoolMember.objects.create(item=item, revision=other, order=1)
    assert set(plan_questions([plan])[plan.pk]) >= {item.revision.question_id, other.question_id}


def test_practising_one_question_does_not_qualify_for_a_whole_plan(plan, interviewer, samples):
    # Five exact scores on bias-variance once qualified for a plan that also asks precision,
    # whose samples were never opened (found in review).
    practise(interviewer, samples["bias-variance"])
    mine = standing_of(interviewer, plan)
    assert mine.practice.qualified and mine.unpractised == 1
    assert not mine.qualified and mine.label == "1 question not practised yet"
    practise(interviewer, samples["precision"][:1])
    assert standing_of(interviewer, plan).qualified
