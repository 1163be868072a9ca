"""The recruiters' daily digest: at 8:00 in the recruiter's own zone, once a day, the missing
scorecards and the last day's decisions of their positions; nothing when there is nothing to
say; a fixed number of queries."""

from datetime import datetime, timedelta, timezone as dt_timezone

import pytest

from accounts.models import profile_of
from accounts.roles import Role
from mail.models import Message
from notifications.models import Notification
from scoring.digests import digests_due, digests_send
from scoring.models import Decision
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position

pytestmark = pytest.mark.django_db
UTC = dt_timezone.utc
START = datetime(2026, 12, 14, 14, 0, tzinfo=UTC)


@pytest.fixture
def people():
    rita = make_user("rita", Role.RECRUITER, email="rita@example.com", first_name="Rita")
    zone = profile_of(rita)
    zone.time_zone = "Asia/Tokyo"  # 8:00 there is 23:00 UTC the day before
    zone.save()
    return {"rita": rita, "hm": make_user("hm", Role.HIRING_MANAGER, email="hm@example.com"),
            "ivan": make_user("ivan", Role.INTERVIEWER, first_name="Ivan")}


@pytest.fixture
def interview(people):
    position = make_position(hiring_manager=people["hm"], recruiter=people["rita"])
    candidate = make_candidate(position=position, name="Ada Lovelace")
    return make_interview(candidate=candidate, plan=make_plan(position=position, name="Screen"),
                          interviewers=[people["ivan"]], starts_at=START, minutes=60)


def test_at_eight_in_the_recruiters_zone_once_a_day_with_what_is_missing(interview):
    tokyo_eight = datetime(2026, 12, 14, 23, 0, tzinfo=UTC)  # 15 Dec, 08:00 in Tokyo
    assert digests_send(now=tokyo_eight - timedelta(minutes=1)) == []
    (digest,) = digests_send(now=tokyo_eight)
    assert digest.recruiter.username == "rita" and len(digest.missing) == 1
    assert digests_send(now=tokyo_eight + timedelta(hours=5)) == []  # once that day
    assert len(digests_send(now=tokyo_eight + timedelta(days=1))) == 1  # and the next
    message = Message.objects.filter(reason="digest").order_by("pk").first()
    assert message.subject == "Panelist digest, Tue 15 Dec: 1 scorecard missing, 0 decisions"
    assert "Ivan on Ada Lovelace (Screen)" in message.text
    assert Notification.objects.filter(recipient__username="rita", kind="digest").count() == 2


def test_it_lists_the_last_days_decisions_and_says_nothing_when_there_is_nothing(interview, people):
    tokyo_eight = datetime(2026, 12, 14, 23, 0, tzinfo=UTC)
    decision = Decision.objects.create(candidate=interview.candidate, decision="hire", rationale="Strong", by=people["hm"])
    Decision.objects.filter(pk=decision.pk).update(at=tokyo_eight - timedelta(hours=2))  # (at is set on create)
    interview.cancel(reason="The panel changed")  # no missing scorecard any more
    (digest,) = digests_due(now=tokyo_eight)
    assert digest.missing == [] and [d.decision for d in digest.decisions] == ["hire"]
    assert digests_due(now=tokyo_eight + timedelta(days=2)) == []  # the decision is old: nothing to say


@pytest.mark.parametrize("extra", [0, 8])
def test_a_fixed_number_of_queries(interview, people, extra, django_assert_num_queries):
    for n in range(extra):
        position = make_position(hiring_manager=people["hm"], recruiter=people["rita"], title=f"Role {n}")
        make_interview(candidate=make_candidate(position=position, name=f"C {n}", email=f"c{n}@example.com"),
                       plan=make_plan(position=position), interviewers=[people["ivan"]],
                       starts_at=START - timedelta(hours=n + 1), minutes=30)
    with django_assert_num_queries(5):
        digests_due(now=datetime(2026, 12, 14, 23, 0, tzinfo=UTC))
