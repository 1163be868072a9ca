"""Property-based tests (hypothesis) of the autosave endpoint with random and hostile input
(tests/hostile.py: lone surrogates, NUL, keys with a line break, nesting past the parser's
limit, NaN, huge numbers): never a 500, never part of a change written."""

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from scoring.models import AutosaveReceipt, QuestionScore
from tests import hostile

pytestmark = pytest.mark.django_db

json_values = hostile.json_anything
states = st.fixed_dictionaries({}, optional={
    "score": json_values | st.integers(min_value=-2, max_value=6),
    "skipped": json_values, "skip_reason": json_values, "criteria": json_values, "key_points": json_values,
    "notes": json_values | st.text(max_size=50), "seconds": json_values,
})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.one_of(hostile.texts, st.just("k" * 20), st.just("k" * 64 + "\n")), version=json_values | st.integers(0, 3),
       state=states | json_values, question_offset=st.integers(-1, 3), raw=st.booleans())
def test_autosave_never_fails_with_a_500_and_never_writes_part_of_a_change(live_client, interview, interviewer, key, version,
                                                                           state, question_offset, raw):
    rows = list(QuestionScore.objects.filter(scorecard__interviewer=interviewer).order_by("question__order"))
    target = rows[0].question_id + question_offset
    before = {r.pk: (r.score, r.skipped, r.skip_reason, r.criteria_met, r.key_points_hit, r.notes, r.seconds_spent, r.version)
              for r in QuestionScore.objects.filter(scorecard__interviewer=interviewer)}
    receipts = AutosaveReceipt.objects.count()
    body = hostile.json_body({"key": key, "question": target, "version": version, "state": state} if not raw else state)
    response = live_client.post(f"/interviews/{interview.pk}/autosave/", data=body, content_type="application/json")
    assert response.status_code in (200, 400, 404, 409, 413), response.content
    event(f"status {response.status_code}")
    after = {r.pk: (r.score, r.skipped, r.skip_reason, r.criteria_met, r.key_points_hit, r.notes, r.seconds_spent, r.version)
             for r in QuestionScore.objects.filter(scorecard__interviewer=interviewer)}
    if response.status_code == 200 and not response.json().get("replayed"):
        changed = [pk for pk in before if before[pk] != after[pk]]
        assert len(changed) == 1 and after[changed[0]][-1] == before[changed[0]][-1] + 1
        assert AutosaveReceipt.objects.count() == receipts + 1
    else:
        assert after == before
        assert AutosaveReceipt.objects.count() == receipts
