"""Fixtures shared by the dashboard, interview-list and interview-stage tests (a test module
that needs another position or plan defines its own, which takes precedence)."""

import pytest

from interviews.roles import Role
from tests.conftest import make_user
from tests.factories import make_plan, make_position


@pytest.fixture
def position(hiring_manager, recruiter):
    return make_position(hiring_manager=hiring_manager, recruiter=recruiter, title="Senior ML Engineer, Ranking")


@pytest.fixture
def plan(position):
    return make_plan(position=position, name="Ranking onsite")


@pytest.fixture
def other_position(db):
    return make_position(hiring_manager=make_user("hm2", Role.HIRING_MANAGER), recruiter=make_user("rec2", Role.RECRUITER), title="Hidden Role")
