"""Personal access tokens: stored hashed, shown once, scoped, expiring, revocable; the
bearer authentication that reads them; the tokens page; the command; the rate limit."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from api.models import ApiToken
from api.services import TokenRefused, token_create, token_revoke
from tests.api.conftest import bearer, problem_of
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

POSITIONS = "/api/v1/positions/"


def test_it_stores_only_the_digest_and_shows_the_secret_once(recruiter):
    token, secret = token_create(user=recruiter, name="ATS sync", scope="read", days=30, by=recruiter)
    assert secret.startswith("pnl_") and len(secret) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert stored.shown == secret[:10]
    assert timedelta(days=29, hours=23) < stored.expires_at - stored.created_at <= timedelta(days=30)
    event = AuditEvent.objects.get(action="api.token_create")
    assert event.actor == recruiter and event.detail["scope"] == "read" and secret not in str(event.detail)


@pytest.mark.parametrize("kwargs, words", [
    ({"name": "  "}, "Give the token a name"),
    ({"scope": "admin"}, "The scope is read or read-write"),
    ({"days": 0}, "1 to 366 days"),
    ({"days": 367}, "1 to 366 days"),
])
def test_it_refuses_a_token_it_cannot_make_in_words(recruiter, kwargs, words):
    with pytest.raises(TokenRefused, match=words):
        token_create(user=recruiter, **{"name": "x", "scope": "read", **kwargs})
    assert not ApiToken.objects.exists()


def test_the_database_refuses_an_expiry_beyond_a_year_and_clean_says_it(recruiter):
    token, _ = token_create(user=recruiter, name="x", scope="read")
    token.expires_at = token.created_at + timedelta(days=400)
    with pytest.raises(Exception, match="within 366 days"):
        token.clean()
    with pytest.raises(IntegrityError, match="api_token_expiry_within_a_year"), transaction.atomic():
        token.save(update_fields=["expires_at"])


def test_a_request_without_a_token_is_401_with_the_bearer_challenge(client):
    response = client.get(POSITIONS)
    body = problem_of(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="Panelist API"'
    assert body["detail"] == "Send a personal access token as “Authorization: Bearer <token>”; make one at /account/tokens/."


def test_a_session_alone_does_not_open_the_api(client, recruiter):
    client.force_login(recruiter)
    problem_of(client.get(POSITIONS), 401)


@pytest.mark.parametrize("header, words", [
    ("Bearer pnl_not-a-real-token", "not known"),
    ("Bearer ghp_somebody-elses", "not a Panelist token"),
    ("Bearer", "Authorization: Bearer <token>"),
    ("Bearer two parts", "Authorization: Bearer <token>"),
])
def test_a_bad_token_is_401_saying_what_is_wrong(client, recruiter, header, words):
    response = client.get(POSITIONS, HTTP_AUTHORIZATION=header)
    assert words in problem_of(response, 401)["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_expired_and_deactivated_tokens_are_401(client, recruiter):
    revoked, revoked_secret = token_create(user=recruiter, name="a", scope="read")
    expired, expired_secret = token_create(user=recruiter, name="b", scope="read", days=1)
    assert client.get(POSITIONS, **bearer(revoked_secret)).status_code == 200
    assert token_revoke(token=revoked, by=recruiter) is True
    assert token_revoke(token=revoked, by=recruiter) is False  # once
    assert "revoked" in problem_of(client.get(POSITIONS, **bearer(revoked_secret)), 401)["detail"]
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1),
                                                 created_at=timezone.now() - timedelta(days=1))
    assert "expired" in problem_of(client.get(POSITIONS, **bearer(expired_secret)), 401)["detail"]
    _, live_secret = token_create(user=recruiter, name="c", scope="read")
    recruiter.is_active = False
    recruiter.save(update_fields=["is_active"])
    assert "deactivated" in problem_of(client.get(POSITIONS, **bearer(live_secret)), 401)["detail"]
    assert AuditEvent.objects.filter(action="api.token_revoke").count() == 1


def test_a_read_token_may_not_write(client, recruiter, position):
    _, secret = token_create(user=recruiter, name="r", scope="read")
    response = client.put(f"/api/v1/positions/{position.pk}/candidates/ats-1/", '{"name": "Ada"}',
                          content_type="application/json", **bearer(secret))
    assert "only read" in problem_of(response, 403)["detail"]
    assert not position.candidates.exists()


def test_the_last_use_is_written_at_most_once_a_minute(client, recruiter):
    token, secret = token_create(user=recruiter, name="r", scope="read")

    def updates():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(POSITIONS, **bearer(secret)).status_code == 200
        return [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "api_apitoken"')]

    assert len(updates()) == 1
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    assert updates() == []  # a second later: nothing written
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    assert len(updates()) == 1


def test_the_rate_limit_is_per_token(client, recruiter, settings):
    settings.PANELIST_API_RATE = "3/minute"
    _, first = token_create(user=recruiter, name="a", scope="read")
    _, second = token_create(user=recruiter, name="b", scope="read")
    for _ in range(3):
        assert client.get(POSITIONS, **bearer(first)).status_code == 200
    response = client.get(POSITIONS, **bearer(first))
    body = problem_of(response, 429)
    assert int(response["Retry-After"]) > 0 and body["retry_after"] > 0
    assert client.get(POSITIONS, **bearer(second)).status_code == 200


# --- The tokens page -------------------------------------------------------------------------


def test_the_settings_page_links_to_the_tokens_page(as_user, recruiter):
    response = as_user(recruiter).get(reverse("account_settings"))
    assert reverse("api:tokens") in response.content.decode()


def test_the_page_makes_a_token_shows_it_once_and_it_works(as_user, recruiter):
    client = as_user(recruiter)
    response = client.post(reverse("api:token_create"), {"name": "Greenhouse sync", "scope": "read-write",
                                                         "expires_in": "90"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=recruiter)
    page = response.content.decode()
    secret = page.split('id="new-token" type="text" value="')[1].split('"')[0]
    assert secret.startswith(token.shown) and "Copy it now" in page
    assert response["Cache-Control"] == "private, no-store"
    assert token.scope == "read-write" and token.expires_at is not None
    listed = client.get(reverse("api:tokens")).content.decode()
    assert "Greenhouse sync" in listed and secret not in listed and token.shown in listed
    client.logout()
    assert client.get(POSITIONS, **bearer(secret)).status_code == 200
    assert AuditEvent.objects.get(action="api.token_create").detail["via"] == "page"


def test_a_refused_token_form_keeps_what_was_typed_and_says_why(as_user, recruiter):
    response = as_user(recruiter).post(reverse("api:token_create"), {"name": " ", "scope": "everything",
                                                                     "expires_in": "999"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the token a name" in page and "Select a valid choice" in page and "no token was made" in page
    assert not ApiToken.objects.exists()


def test_each_person_sees_and_revokes_only_their_own_tokens(as_user, recruiter, hiring_manager):
    mine, _ = token_create(user=recruiter, name="Mine", scope="read")
    theirs, _ = token_create(user=hiring_manager, name="Theirs", scope="read")
    client = as_user(recruiter)
    page = client.get(reverse("api:tokens")).content.decode()
    assert "Mine" in page and "Theirs" not in page
    assert client.post(reverse("api:token_revoke", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    response = client.post(reverse("api:token_revoke", args=[mine.pk]), follow=True)
    assert "revoked" in response.content.decode()
    mine.refresh_from_db()
    assert mine.revoked_at is not None
    assert "Revoked" in client.get(reverse("api:tokens")).content.decode()


def test_the_tokens_page_reads_a_fixed_number_of_queries(as_user, recruiter, django_assert_num_queries):
    client = as_user(recruiter)
    token_create(user=recruiter, name="first", scope="read")
    client.get(reverse("api:tokens"))  # the session's first read and write
    # Session, user, roles and permissions (the navbar), notifications' unread count, the tokens.
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("api:tokens"))
    for n in range(6):
        token_create(user=recruiter, name=f"more {n}", scope="read", days=30)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(reverse("api:tokens")).content.decode().count("<tr>") == 8


# --- manage.py create_api_token -------------------------------------------------------------


def test_the_command_prints_a_working_token(client, recruiter):
    out = StringIO()
    call_command("create_api_token", "rec", "--scope", "read-write", "--days", "30", "--name", "Nightly", stdout=out)
    secret = out.getvalue().strip()
    token = ApiToken.objects.get(user=recruiter)
    assert secret.startswith(token.shown) and token.name == "Nightly" and token.scope == "read-write"
    assert token.expires_at is not None
    assert client.get(POSITIONS, **bearer(secret)).status_code == 200
    assert AuditEvent.objects.get(action="api.token_create").detail["via"] == "command"


def test_the_command_refuses_in_words(db):
    make_user("idle", is_active=False)
    with pytest.raises(CommandError, match="no user 'nobody'"):
        call_command("create_api_token", "nobody", stdout=StringIO())
    with pytest.raises(CommandError, match="1 to 366 days"):
        make_user("someone")
        call_command("create_api_token", "someone", "--days", "999", stdout=StringIO())
    with pytest.raises(CommandError, match="deactivated"):
        call_command("create_api_token", "idle", stdout=StringIO())
    assert not ApiToken.objects.exists()
