"""The authorization matrix of the REST API: every route and method, as every role, with a
read-write token of that person (anonymous: no token), against the expected status; routes
that take an object also on someone else's object (another position's), where a role that
may use the route gets 404 and nothing changes. A route without a row fails the first test.

The roles are the page matrix's (tests/test_authorization_matrix.py): anonymous, the
position's hiring manager, an interviewer on the panel before and after submitting, an
interviewer not on the panel, the position's recruiter, and an admin."""

import json

import pytest
from django.urls import URLPattern, URLResolver, reverse

from accounts.roles import Role
from api import urls as api_urls
from api.services import token_create
from scoring.services import scorecard_open
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position, make_scorecard
from tests.test_authorization_matrix import check_headers, database_digest

pytestmark = pytest.mark.django_db

ROLES = ["anon", "hm", "int_before", "int_after", "int_other", "rec", "admin"]
L = "login"  # the docs page is for people signed in: a token alone is sent to sign in

# (route, method) -> statuses in ROLES order, on the position's own objects. Writes send the
# body of BODIES (an empty one: 400 for those allowed; a decision's is valid).
MATRIX = {
    ("schema", "GET"):               [401, 200, 200, 200, 200, 200, 200],
    ("docs", "GET"):                 [L, L, L, L, L, L, L],
    ("position-list", "GET"):        [401, 200, 403, 403, 403, 200, 200],
    ("position-detail", "GET"):      [401, 200, 403, 403, 403, 200, 200],
    ("candidate-upsert", "PUT"):     [401, 403, 403, 403, 403, 400, 400],  # no name for a new ATS id
    ("candidate-list", "GET"):       [401, 200, 403, 403, 403, 200, 200],
    ("candidate-detail", "GET"):     [401, 200, 403, 403, 403, 200, 200],
    ("plan-list", "GET"):            [401, 200, 403, 403, 403, 200, 200],
    ("plan-detail", "GET"):          [401, 200, 403, 403, 403, 200, 200],
    ("question-list", "GET"):        [401, 200, 200, 200, 200, 200, 200],
    ("question-list", "POST"):       [401, 400, 403, 403, 403, 403, 400],  # hiring managers author
    ("question-detail", "GET"):      [401, 200, 200, 200, 200, 200, 200],
    ("question-detail", "PUT"):      [401, 400, 403, 403, 403, 403, 400],
    ("interview-list", "GET"):       [401, 200, 200, 200, 200, 200, 200],  # each sees their own
    ("interview-list", "POST"):      [401, 403, 403, 403, 403, 400, 400],
    ("interview-detail", "GET"):     [401, 200, 200, 200, 404, 200, 200],
    ("interview-reschedule", "POST"): [401, 403, 403, 403, 403, 400, 400],
    ("interview-cancel", "POST"):    [401, 403, 403, 403, 403, 400, 400],  # no reason
    ("scorecard-list", "GET"):       [401, 200, 200, 200, 200, 200, 200],  # each what they may read
    ("scorecard-detail", "GET"):     [401, 200, 404, 200, 404, 200, 200],  # int_after's: before submitting, hidden
    ("decision-list", "GET"):        [401, 200, 200, 200, 200, 200, 200],
    ("decision-list", "POST"):       [401, 201, 403, 403, 403, 403, 201],  # the hiring manager decides
    ("calibration", "GET"):          [401, 200, 403, 403, 403, 403, 200],
}

# The same routes on another position's objects: a role the route refuses keeps its 403.
OTHERS = {
    ("position-detail", "GET"):      [401, 404, 403, 403, 403, 404, 200],
    ("candidate-upsert", "PUT"):     [401, 403, 403, 403, 403, 404, 400],
    ("candidate-detail", "GET"):     [401, 404, 403, 403, 403, 404, 200],
    ("plan-detail", "GET"):          [401, 404, 403, 403, 403, 404, 200],
    ("interview-detail", "GET"):     [401, 404, 404, 404, 404, 404, 200],
    ("interview-reschedule", "POST"): [401, 403, 403, 403, 403, 404, 400],
    ("interview-cancel", "POST"):    [401, 403, 403, 403, 403, 404, 400],
    ("scorecard-detail", "GET"):     [401, 404, 404, 404, 404, 404, 200],
    ("decision-list", "POST"):       [401, 400, 403, 403, 403, 400, 201],  # 400: no candidate you may see
}


def api_route_names():
    def walk(patterns):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns)
            elif isinstance(p, URLPattern):
                yield p.name

    return set(walk(api_urls.v1))


@pytest.fixture
def world(db):
    hm, rec = make_user("a-hm", Role.HIRING_MANAGER), make_user("a-rec", Role.RECRUITER)
    before, after = make_user("a-before", Role.INTERVIEWER), make_user("a-after", Role.INTERVIEWER)
    other_int = make_user("a-other", Role.INTERVIEWER)
    admin = make_user("a-admin", is_staff=True, is_superuser=True)
    position = make_position(hiring_manager=hm, recruiter=rec)
    candidate = make_candidate(position=position)
    plan = make_plan(position=position)
    interview = make_interview(candidate=candidate, plan=plan, interviewers=[before, after])
    scorecard_open(interview=interview, interviewer=before)
    done = make_scorecard(interview=interview, interviewer=after, scores=[3, 3, 3])
    hm2, rec2, int2 = make_user("b-hm", Role.HIRING_MANAGER), make_user("b-rec", Role.RECRUITER), \
        make_user("b-int", Role.INTERVIEWER)
    position2 = make_position(hiring_manager=hm2, recruiter=rec2, title="Other team")
    candidate2 = make_candidate(position=position2)
    plan2 = make_plan(position=position2, name="Other plan")
    interview2 = make_interview(candidate=candidate2, plan=plan2, interviewers=[int2])
    done2 = make_scorecard(interview=interview2, interviewer=int2, scores=[2, 2, 2])
    people = {"anon": None, "hm": hm, "int_before": before, "int_after": after, "int_other": other_int, "rec": rec,
              "admin": admin}
    tokens = {role: token_create(user=user, name="matrix", scope="read-write")[1] for role, user in people.items()
              if user is not None}
    own = {"position": position, "candidate": candidate, "plan": plan, "interview": interview, "scorecard": done}
    other = {"position": position2, "candidate": candidate2, "plan": plan2, "interview": interview2,
             "scorecard": done2}
    return tokens, own, other


def url_for(name, objects):
    kwargs = {
        "position-detail": {"pk": objects["position"].pk},
        "candidate-upsert": {"position_pk": objects["position"].pk, "external_id": "matrix-1"},
        "candidate-detail": {"pk": objects["candidate"].pk},
        "plan-detail": {"pk": objects["plan"].pk},
        "question-detail": {"slug": "bias-variance"},
        "interview-detail": {"pk": objects["interview"].pk},
        "interview-reschedule": {"pk": objects["interview"].pk},
        "interview-cancel": {"pk": objects["interview"].pk},
        "scorecard-detail": {"pk": objects["scorecard"].pk},
    }.get(name, {})
    return reverse(f"api:v1:{name}", kwargs=kwargs)


def body_for(name, objects):
    if name == "decision-list":
        return {"candidate": objects["candidate"].pk, "decision": "hold", "rationale": "Matrix: wait for the onsite."}
    return {}


def run(client, tokens, role, name, method, objects, expected, where):
    url = url_for(name, objects)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[role]}"} if role in tokens else {}
    refused = expected not in (200, 201) and method != "GET"
    before = database_digest() if refused else None
    if method == "GET":
        response = client.get(url, **headers)
    else:
        response = client.generic(method, url, json.dumps(body_for(name, objects)), content_type="application/json",
                                  **headers)
    if expected == L:
        assert response.status_code == 302 and response["Location"].startswith("/login/"), (where, response.status_code)
    else:
        assert response.status_code == expected, (where, response.status_code, response.content[:300])
    if expected == 401:
        assert response["WWW-Authenticate"].startswith("Bearer"), where
    if expected in (401, 403, 404, 400) and name not in ("schema",):
        assert response["Content-Type"] == "application/problem+json", where
    check_headers(response, where)
    if before is not None:
        assert database_digest() == before, f"{where}: a refused request changed the database"


def test_every_api_route_and_method_has_a_row():
    routes = {name for name, _ in MATRIX}
    assert routes == api_route_names(), sorted(api_route_names() ^ routes)


@pytest.mark.parametrize("name, method", sorted(MATRIX))
def test_the_api_answers_each_role_as_expected(client, world, name, method):
    tokens, own, _ = world
    for role, expected in zip(ROLES, MATRIX[name, method], strict=True):
        run(client, tokens, role, name, method, own, expected, f"{method} {name} as {role}")


@pytest.mark.parametrize("name, method", sorted(OTHERS))
def test_someone_elses_object_is_not_found_and_nothing_changes(client, world, name, method):
    tokens, _, other = world
    for role, expected in zip(ROLES, OTHERS[name, method], strict=True):
        run(client, tokens, role, name, method, other, expected, f"{method} {name} on another position's as {role}")


def test_every_method_a_route_does_not_answer_is_405(client, world):
    tokens, own, _ = world
    answered = {}
    for name, method in MATRIX:
        answered.setdefault(name, set()).add(method)
    wrong = {}
    for name, methods in answered.items():
        if name == "docs":
            continue
        for method in {"GET", "POST", "PUT", "PATCH", "DELETE"} - methods:
            response = client.generic(method, url_for(name, own), "{}", content_type="application/json",
                                      HTTP_AUTHORIZATION=f"Bearer {tokens['admin']}")
            if response.status_code != 405:
                wrong[f"{method} {name}"] = response.status_code
    assert wrong == {}


def test_the_docs_page_and_schema_open_for_someone_signed_in(client, world):
    tokens, own, _ = world
    client.force_login(own["position"].hiring_manager)
    page = client.get(reverse("api:v1:docs"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<style" not in html and "<script>" not in html  # the CSP allows no inline script or style
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    script = client.get(reverse("api:v1:docs") + "?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    schema = client.get(reverse("api:v1:schema"), HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/api/v1/candidates/" in schema.content.decode()
    check_headers(page, "docs page")
