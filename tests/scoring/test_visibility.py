"""Independent scoring from every role: nobody sees another interviewer's scorecard before
submitting their own; drafts are private; managers see submitted scorecards only."""

import pytest
from django.utils import timezone

from accounts.roles import Role
from scoring.models import Scorecard
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position

pytestmark = pytest.mark.django_db


def submit(card):
    Scorecard.objects.filter(pk=card.pk).update(status="submitted", recommendation="yes", summary="ok", submitted_at=timezone.now())


@pytest.fixture
def panel(hiring_manager, recruiter, interviewer, interviewer2):
    position = make_position(hiring_manager=hiring_manager, recruiter=recruiter)
    candidate = make_candidate(position=position)
    interview = make_interview(candidate=candidate, plan=make_plan(position=position), interviewers=[interviewer, interviewer2])
    mine = Scorecard.objects.create(interview=interview, interviewer=interviewer)
    theirs = Scorecard.objects.create(interview=interview, interviewer=interviewer2)
    return {"interview": interview, "mine": mine, "theirs": theirs, "candidate": candidate, "position": position}


def visible(user):
    return set(Scorecard.objects.visible_to(user).values_list("pk", flat=True))


def test_an_interviewer_sees_only_their_own_until_they_submit(panel, interviewer):
    submit(panel["theirs"])
    assert visible(interviewer) == {panel["mine"].pk}
    submit(panel["mine"])
    assert visible(interviewer) == {panel["mine"].pk, panel["theirs"].pk}


def test_a_colleagues_draft_stays_private_even_after_i_submit(panel, interviewer):
    submit(panel["mine"])
    assert visible(interviewer) == {panel["mine"].pk}


def test_an_interviewer_with_a_second_unfinished_interview_of_the_candidate_still_sees_nothing(panel, interviewer, interviewer2):
    submit(panel["mine"]), submit(panel["theirs"])
    make_interview(candidate=panel["candidate"], plan=make_plan(position=panel["position"], name="Onsite"), interviewers=[interviewer])
    assert visible(interviewer) == {panel["mine"].pk}


def test_managers_see_submitted_scorecards_only(panel, hiring_manager, recruiter):
    assert visible(hiring_manager) == set() and visible(recruiter) == set()
    submit(panel["theirs"])
    assert visible(hiring_manager) == {panel["theirs"].pk} == visible(recruiter)


def test_people_outside_the_position_see_nothing(panel, outsider):
    submit(panel["mine"]), submit(panel["theirs"])
    other_hm = make_user("other-hm", Role.HIRING_MANAGER)
    other_interviewer = make_user("other-int", Role.INTERVIEWER)
    for user in (outsider, other_hm, other_interviewer):
        assert visible(user) == set()


def test_admins_see_submitted_scorecards_but_not_drafts_without_an_override(panel, admin_user):
    submit(panel["theirs"])
    assert visible(admin_user) == {panel["theirs"].pk}


def test_anonymous_sees_nothing(panel):
    from django.contrib.auth.models import AnonymousUser

    submit(panel["mine"])
    assert not Scorecard.objects.visible_to(AnonymousUser()).exists()
