"""``visible_to`` on positions, candidates and interviews returns one row per object, so a
count annotated over it, or the queryset's own count, is right without wrapping it in
``filter(pk__in=...)``."""

import pytest
from django.db.models import Count

from interviews.models import Candidate, Interview, Position
from tests.factories import make_candidate, make_interview, make_plan, make_position

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel_of_two(hiring_manager, recruiter, interviewer, interviewer2):
    """One position with two candidates, each interviewed twice by the same two people."""
    position = make_position(hiring_manager=hiring_manager, recruiter=recruiter)
    plan = make_plan(position=position)
    for name in ("Ada", "Grace"):
        candidate = make_candidate(position=position, name=name, email=f"{name.lower()}@example.com")
        for _ in range(2):
            make_interview(candidate=candidate, plan=plan, interviewers=[interviewer, interviewer2])
    return position


@pytest.mark.parametrize("who", ["hiring_manager", "recruiter", "interviewer", "admin_user"])
def test_it_counts_each_interview_once_with_its_whole_panel(request, panel_of_two, who):
    user = request.getfixturevalue(who)
    visible = Interview.objects.visible_to(user)
    assert visible.count() == 4
    assert [row.panel_size for row in visible.annotate(panel_size=Count("interviewers"))] == [2, 2, 2, 2]


@pytest.mark.parametrize("who", ["hiring_manager", "recruiter", "interviewer", "admin_user"])
def test_it_counts_each_candidates_interviews_once(request, panel_of_two, who):
    user = request.getfixturevalue(who)
    visible = Candidate.objects.visible_to(user)
    assert visible.count() == 2
    assert sorted(visible.annotate(n=Count("interviews")).values_list("name", "n")) == [("Ada", 2), ("Grace", 2)]


@pytest.mark.parametrize("who", ["hiring_manager", "recruiter", "interviewer", "admin_user"])
def test_it_counts_each_positions_candidates_once(request, panel_of_two, who):
    user = request.getfixturevalue(who)
    visible = Position.objects.visible_to(user)
    assert visible.count() == 1
    assert list(visible.annotate(n=Count("candidates")).values_list("n", flat=True)) == [2]


def test_an_outsider_sees_none_of_it(panel_of_two, outsider):
    assert not Interview.objects.visible_to(outsider).exists()
    assert not Candidate.objects.visible_to(outsider).exists()
    assert not Position.objects.visible_to(outsider).exists()


def test_a_candidates_is_visible_to_says_what_visible_to_says_for_every_user(
        hiring_manager, recruiter, interviewer, interviewer2, outsider, admin_user):
    from accounts.roles import Role
    from tests.conftest import make_user

    other_manager = make_user("hm-other", Role.HIRING_MANAGER)
    mine = make_position(hiring_manager=hiring_manager, recruiter=recruiter)
    elsewhere = make_position(hiring_manager=other_manager, title="Elsewhere")
    candidates = {
        "own": make_candidate(position=mine, name="Own"),
        "panel elsewhere": make_candidate(position=elsewhere, name="Panel"),
        "cancelled elsewhere": make_candidate(position=elsewhere, name="Cancelled"),
        "untouched elsewhere": make_candidate(position=elsewhere, name="Untouched"),
    }
    # interviewer sits on a panel elsewhere; interviewer2's only interview there is cancelled,
    # which grants nothing.
    make_interview(candidate=candidates["panel elsewhere"], interviewers=[interviewer])
    make_interview(candidate=candidates["cancelled elsewhere"], interviewers=[interviewer2]).cancel(reason="Withdrew")
    expected = {
        hiring_manager: {"own"},
        recruiter: {"own"},
        other_manager: {"panel elsewhere", "cancelled elsewhere", "untouched elsewhere"},
        interviewer: {"panel elsewhere"},
        interviewer2: set(),
        outsider: set(),
        admin_user: set(candidates),
    }
    for user, visible in expected.items():
        assert {name for name, c in candidates.items() if c.is_visible_to(user)} == visible, user
        listed = set(Candidate.objects.visible_to(user).values_list("pk", flat=True))
        assert {name for name, c in candidates.items() if c.pk in listed} == visible, user
