"""Hostile input to the API never gets a 5xx: every route's valid request, varied with the
values of tests/hostile.py (property-based, as tests/test_hostile_input.py does for the
pages), sent with a read-write token of the role that may use the route."""

import math

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts.roles import Role
from api.services import token_create
from tests import hostile
from tests.api.test_api_matrix import api_route_names
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position, make_scorecard
from tests.test_hostile_input import EXAMPLES, rolled_back

pytestmark = pytest.mark.django_db

CLASSIC_VALUES = [hostile.Raw("[" * 3000 + "]" * 3000), "²", 2**70, -1, math.nan, math.inf, [], {"a\n": None},
                  "\ud800", "a\x00b", "x" * 5001, "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00Z"]


def question_body(**extra):
    return {"slug": "hostile-api", "title": "Choosing a loss for label noise", "area": "data", "kind": "coding",
            "level": "mid", "roles": ["mle", "ds"], "minutes": 8, "prompt": "Labels are noisy. What do you do?",
            "why_we_ask": "w", "model_answer": "m", "key_points": ["Audit a sample"],
            "follow_ups": [{"question": "How?", "good_answer": "Loss ranking"}],
            "criteria": ["Measures the noise", "Names a robust loss"],
            "anchors": {"1": "a", "2": "b", "3": "c", "4": "d"}, "reference_solution": "def f(): pass",
            "coding_tests": {"function": "f", "test_cases": []}, "change_note": "n", "confirm_similar": True, **extra}


class World:
    def __init__(self):
        self.rec, self.hm = make_user("h-rec", Role.RECRUITER), make_user("h-hm", Role.HIRING_MANAGER)
        self.int = make_user("h-int", Role.INTERVIEWER)
        self.position = make_position(hiring_manager=self.hm, recruiter=self.rec)
        self.candidate = make_candidate(position=self.position)
        self.plan = make_plan(position=self.position)
        self.interview = make_interview(candidate=self.candidate, plan=self.plan, interviewers=[self.int])
        self.card = make_scorecard(interview=self.interview, interviewer=self.int, scores=[3, 3, 3])
        self.tokens = {who: token_create(user=getattr(self, who), name="h", scope="read-write")[1]
                       for who in ("rec", "hm", "int")}


# route -> (role, path kwargs, {method: valid request: query parameters for GET, a body otherwise})
def exercises(w):
    iv = {"pk": w.interview.pk}
    return {
        "schema": ("rec", {}, {"GET": {"format": "json", "lang": "en"}}),
        "docs": ("rec", {}, {"GET": {"script": "", "lang": "en"}}),
        "position-list": ("rec", {}, {"GET": {"status": "open", "cursor": "abc", "limit": "10"}}),
        "position-detail": ("rec", {"pk": w.position.pk}, {"GET": {}}),
        "candidate-upsert": ("rec", {"position_pk": w.position.pk, "external_id": "gh-1"}, {"PUT": {
            "name": "Ada", "email": "ada@example.com", "stage": "screen", "source": "x", "notes": "n",
            "cv_url": "https://example.com/cv"}}),
        "candidate-list": ("rec", {}, {"GET": {"position": str(w.position.pk), "stage": "screen", "external_id": "gh"}}),
        "candidate-detail": ("rec", {"pk": w.candidate.pk}, {"GET": {}}),
        "plan-list": ("hm", {}, {"GET": {"position": str(w.position.pk), "archived": "true"}}),
        "plan-detail": ("hm", {"pk": w.plan.pk}, {"GET": {}}),
        "question-list": ("hm", {}, {"GET": {"area": "data", "kind": "concept", "level": "mid", "status": "draft",
                                             "role": "mle"}, "POST": question_body()}),
        "question-detail": ("hm", {"slug": "bias-variance"}, {"GET": {}, "PUT": question_body(slug="")}),
        "interview-list": ("rec", {}, {
            "GET": {"candidate": str(w.candidate.pk), "position": str(w.position.pk), "stage": "held",
                    "starts_after": "2026-01-01T00:00:00Z", "starts_before": "2031-01-01T00:00:00+01:00"},
            "POST": {"candidate": w.candidate.pk, "plan": w.plan.pk, "starts_at": "2030-01-07T10:00:00Z",
                     "duration_minutes": 45, "interviewers": ["h-int"], "overrun_confirm": True}}),
        "interview-detail": ("rec", iv, {"GET": {}}),
        "interview-reschedule": ("rec", iv, {"POST": {"starts_at": "2030-01-08T10:00:00Z", "duration_minutes": 60,
                                                       "interviewers": ["h-int"], "overrun_confirm": False}}),
        "interview-cancel": ("rec", iv, {"POST": {"reason": "Candidate withdrew"}}),
        "scorecard-list": ("hm", {}, {"GET": {"candidate": str(w.candidate.pk), "interview": str(w.interview.pk)}}),
        "scorecard-detail": ("hm", {"pk": w.card.pk}, {"GET": {}}),
        "decision-list": ("hm", {}, {"GET": {"candidate": str(w.candidate.pk)},
                                     "POST": {"candidate": w.candidate.pk, "decision": "hold", "rationale": "r"}}),
        "calibration": ("hm", {}, {"GET": {}}),
    }


@pytest.fixture
def world(db):
    return World()


def send(client, w, role, url, method, data):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {w.tokens[role]}"}
    if role == "rec" and "docs" in url:
        client.force_login(w.rec)
    if method == "GET":
        response = client.get(f"{url}?{hostile.query_string(data)}" if data else url, **headers)
    else:
        body = data if isinstance(data, bytes) else hostile.json_body(data)
        response = client.generic(method, url, body, content_type="application/json", **headers)
    assert response.status_code < 500, (method, url, response.status_code)
    return response


def test_every_api_route_is_exercised(world):
    assert set(exercises(world)) == api_route_names()


@pytest.mark.parametrize("name", sorted(api_route_names()))
def test_no_hostile_api_request_gets_a_5xx(client, world, name):
    role, kwargs, requests = exercises(world)[name]
    url = reverse(f"api:v1:{name}", kwargs=kwargs)
    for method, template in requests.items():
        for value in CLASSIC_VALUES:
            data = {key: value for key in template} or {"q": value}
            if method == "GET":
                data = {key: value.text if isinstance(value, hostile.Raw) else str(value) for key in data}
            with rolled_back():
                send(client, world, role, url, method, data)

    @EXAMPLES
    @given(data=st.data())
    def check(data):
        method = data.draw(st.sampled_from(sorted(requests)))
        template = requests[method]
        if method == "GET":
            request = data.draw(hostile.variants(template, hostile.form_values, extra_keys=hostile.short_texts))
        elif data.draw(st.integers(0, 4)) == 0:
            request = data.draw(st.one_of(hostile.raw_json.map(hostile.json_body), hostile.raw_bodies))
        else:
            request = data.draw(hostile.variants(template, hostile.json_anything))
        with rolled_back():
            send(client, world, role, url, method, request)

    check()


@pytest.mark.parametrize("external_id", ["x" * 101, " ", "%20", "a%2Fb", "\u202eevil", "🦜" * 30, "a" * 5000])
def test_odd_ats_ids_in_the_path_are_answered_in_words(client, world, external_id):
    url = f"/api/v1/positions/{world.position.pk}/candidates/{external_id}/"
    response = client.put(url, '{"name": "Ada"}', content_type="application/json",
                          HTTP_AUTHORIZATION=f"Bearer {world.tokens['rec']}")
    assert response.status_code in (200, 201, 400, 404), response.status_code
