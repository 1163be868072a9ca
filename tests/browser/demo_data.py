"""The demo data of `make run` (seed_demo, load_starter_plans, seed_demo_interviews,
seed_demo_scores), built in the test database, and signed-in browser pages for its people.

The accessibility and dark-mode tests look at pages as a user of the demo would see them:
positions with nine scored candidates, plans from the starter templates, a debrief with a
decision, calibration with flagged interviewers.
"""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from interviews.models import Interview, InterviewPlan, Position
from questionbank.models import Question
from scoring.models import Scorecard


@pytest.fixture
def demo(bank):
    for command in ("seed_demo", "load_starter_plans", "seed_demo_interviews", "seed_demo_scores"):
        call_command(command, verbosity=0, stdout=None)
    users = {u.username: u for u in get_user_model().objects.all()}
    position = Position.objects.get(title="Senior ML Engineer, Ranking")
    submitted = Scorecard.objects.filter(status="submitted").select_related("interview__candidate")
    # One of Ivan's submitted scorecards, on a candidate with a decision if there is one: he
    # may then open its interview, scorecard and debrief, and the debrief shows a decision.
    card = (
        submitted.filter(interviewer=users["ivan"], interview__candidate__decisions__isnull=False).order_by("pk").first()
        or submitted.filter(interviewer=users["ivan"]).order_by("pk").first()
    )
    upcoming = Interview.objects.filter(candidate__email="daniel.kim@example.com").first()
    return SimpleNamespace(
        users=users,
        position=position,
        plan=InterviewPlan.objects.filter(position=position).order_by("pk").first(),
        template=InterviewPlan.objects.filter(position__isnull=True).order_by("pk").first(),
        candidate=card.interview.candidate,
        scorecard=card,
        interview=card.interview,
        upcoming=upcoming,
        question=Question.objects.get(slug="regularization"),
    )


def sign_in(context, live_server, user):
    """Give the browser context a signed-in session of ``user`` (as Django's test client
    makes one), without going through the sign-in form for every role."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
