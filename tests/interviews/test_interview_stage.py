"""An interview's stage moves on by itself: upcoming, in progress, held once its time has
passed, completed when every panelist's scorecard is submitted; cancelled stays cancelled.
It is derived on read (InterviewQuerySet.with_stage), and every page shows it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interviews import selectors
from interviews.models import Interview, InterviewStage
from scoring.dashboards import home_dashboards
from tests.factories import make_candidate, make_interview, make_scorecard

pytestmark = pytest.mark.django_db


def interview_at(position, plan, panel, minutes_from_now, name=None):
    starts = timezone.now() + timedelta(minutes=minutes_from_now)
    return make_interview(candidate=make_candidate(position=position, name=name), interviewers=panel, plan=plan, starts_at=starts, minutes=60)


def stage_of(interview):
    return Interview.objects.with_stage().get(pk=interview.pk).stage


def test_it_is_upcoming_before_it_starts_in_progress_during_it_and_held_after_it(position, plan, interviewer):
    assert stage_of(interview_at(position, plan, [interviewer], 30)) == InterviewStage.UPCOMING
    assert stage_of(interview_at(position, plan, [interviewer], -30)) == InterviewStage.IN_PROGRESS
    assert stage_of(interview_at(position, plan, [interviewer], -61)) == InterviewStage.HELD


def test_it_is_completed_only_when_every_panelist_has_submitted(position, plan, interviewer, interviewer2):
    interview = interview_at(position, plan, [interviewer, interviewer2], -24 * 60)
    make_scorecard(interview=interview, interviewer=interviewer, submit=True)
    assert stage_of(interview) == InterviewStage.HELD
    draft = make_scorecard(interview=interview, interviewer=interviewer2, submit=False)
    assert stage_of(interview) == InterviewStage.HELD  # a draft is not in yet
    draft.delete()
    make_scorecard(interview=interview, interviewer=interviewer2, submit=True)
    assert stage_of(interview) == InterviewStage.COMPLETED


def test_another_interviews_scorecards_do_not_complete_it(position, plan, interviewer):
    interview = interview_at(position, plan, [interviewer], -120)
    make_scorecard(interview=interview_at(position, plan, [interviewer], -300), interviewer=interviewer, submit=True)
    assert stage_of(interview) == InterviewStage.HELD


def test_cancelled_stays_cancelled_whatever_the_clock_and_the_scorecards(position, plan, interviewer):
    interview = interview_at(position, plan, [interviewer], -120)
    make_scorecard(interview=interview, interviewer=interviewer, submit=True)
    interview.status = "cancelled"
    interview.save()
    assert stage_of(interview) == InterviewStage.CANCELLED


def test_the_stage_of_an_interview_read_without_it_costs_one_query(position, plan, interviewer, django_assert_num_queries):
    interview = Interview.objects.get(pk=interview_at(position, plan, [interviewer], -120).pk)
    with django_assert_num_queries(1):
        assert interview.stage == InterviewStage.HELD


def test_exactly_one_stage_filter_holds_for_each_interview(position, plan, interviewer, interviewer2):
    made = {
        "upcoming": interview_at(position, plan, [interviewer], 90),
        "in_progress": interview_at(position, plan, [interviewer], -10),
        "held": interview_at(position, plan, [interviewer, interviewer2], -200),
        "completed": interview_at(position, plan, [interviewer], -400),
        "cancelled": interview_at(position, plan, [interviewer], 30),
    }
    make_scorecard(interview=made["held"], interviewer=interviewer, submit=True)
    make_scorecard(interview=made["completed"], interviewer=interviewer, submit=True)
    Interview.objects.filter(pk=made["cancelled"].pk).update(status="cancelled")
    for stage in InterviewStage:
        assert list(Interview.objects.in_stage(stage)) == [made[stage.value]], stage
        assert stage_of(made[stage.value]) == stage


def test_the_interview_page_the_candidate_page_and_the_interviewers_home_show_it(
        as_user, recruiter, position, plan, interviewer):
    held = interview_at(position, plan, [interviewer], -24 * 60, name="Chloé Martin")
    running = interview_at(position, plan, [interviewer], -5, name="Jane Tester")
    make_scorecard(interview=running, interviewer=interviewer, submit=True)
    client = as_user(recruiter)
    assert '>Held</span>' in client.get(f"/interviews/{held.pk}/").content.decode()
    assert '>Completed</span>' in client.get(f"/interviews/{running.pk}/").content.decode()
    assert '>Held</span>' in client.get(f"/candidates/{held.candidate_id}/").content.decode()
    Interview.objects.filter(pk=running.pk).update(status="scheduled")
    running.scorecards.all().delete()
    home = as_user(interviewer).get("/").content.decode()
    assert '>In progress</span>' in home


def test_the_candidates_interview_history_reads_stages_in_the_same_queries(position, plan, interviewer,
                                                                           django_assert_num_queries):
    candidate = make_candidate(position=position)
    for minutes in (-300, -30, 60):
        make_interview(candidate=candidate, interviewers=[interviewer], plan=plan, starts_at=timezone.now() + timedelta(minutes=minutes))
    # The interviews with their stage and plan, their interviewers, their scorecards.
    with django_assert_num_queries(3):
        stages = [i.stage for i in selectors.candidate_interviews(candidate)]
    assert stages == ["upcoming", "in_progress", "held"]


def test_an_interview_running_across_midnight_stays_on_the_interviewers_home(position, plan, interviewer):
    # Started at 23:30 the day before "now" (00:10), an hour long: in progress, so listed today.
    now = timezone.localtime().replace(hour=0, minute=10, second=0, microsecond=0)
    late = make_interview(candidate=make_candidate(position=position), interviewers=[interviewer], plan=plan,
                          starts_at=now - timedelta(minutes=40), minutes=60)
    dash = home_dashboards(interviewer, now=now)["interviewer_dash"]
    assert [i.pk for i in dash["today"]] == [late.pk]
    assert dash["today"][0].stage == InterviewStage.IN_PROGRESS
