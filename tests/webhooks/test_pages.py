"""The webhook pages, for admins: create a subscription (its secret shown once), edit it,
rotate its secret, read its delivery log (constant queries, paginated) and redeliver. Refused
input is named in words with what was typed kept; others get 403 (the matrix has every role)."""

import pytest

from accounts.models import AuditEvent
from tests.conftest import make_user
from webhooks.models import Delivery, DeliveryStatus, EventType, Subscription
from webhooks.services import event_publish

from .conftest import attempt_all, subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(as_user, admin_user):
    return as_user(admin_user)


def form(target, **extra):
    return {"name": "Greenhouse", "url": target, "events": ["scorecard.submitted", "decision.recorded"], "active": "on"} | extra


def test_an_admin_creates_a_subscription_and_sees_its_secret_once(admin_client, admin_user, webhook_receiver):
    response = admin_client.post("/webhooks/new/", form(webhook_receiver.url))
    subscription = Subscription.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/webhooks/{subscription.pk}/"
    assert subscription.events == ["scorecard.submitted", "decision.recorded"] and subscription.created_by == admin_user
    page = admin_client.get(f"/webhooks/{subscription.pk}/").content.decode()
    assert subscription.secret in page and "shown this once" in page
    again = admin_client.get(f"/webhooks/{subscription.pk}/").content.decode()
    assert subscription.secret not in again and subscription.secret_hint in again  # the hint only
    (audited,) = AuditEvent.objects.filter(action="webhooks.create")
    assert audited.actor == admin_user and audited.detail["url"] == webhook_receiver.url
    assert subscription.secret not in str(audited.detail)
    assert "Greenhouse" in admin_client.get("/webhooks/").content.decode()


@pytest.mark.parametrize(("data", "words"), [
    ({"url": "http://10.0.0.8/hook"}, "private, loopback, link-local"),
    ({"url": "http://169.254.169.254/latest/"}, "private, loopback, link-local"),
    ({"url": "the ATS"}, "Enter a valid URL"),
    ({"url": "javascript:alert(1)"}, "Enter a valid URL"),
    ({"events": []}, "Choose at least one event."),
    ({"events": ["interview.scheduled", "everything"]}, "Select a valid choice"),
    ({"name": "x" * 5000}, "Ensure this value has at most 100 characters"),
    ({"url": "https://example.com/" + "a" * 600}, "at most 500 characters"),
], ids=["private", "metadata", "not-a-url", "javascript", "no-events", "unknown-event", "long-name", "long-url"])
def test_a_refused_subscription_is_named_in_words_and_keeps_what_was_typed(settings, admin_client, data, words):
    settings.PANELIST_WEBHOOKS_ALLOW_PRIVATE = []
    response = admin_client.post("/webhooks/new/", form("https://93.184.215.14/hook", **data))
    body = response.content.decode()
    assert response.status_code == 400 and words in body and "nothing has been saved" in body
    if "name" not in data:
        assert 'value="Greenhouse"' in body
    assert not Subscription.objects.exists()


def test_an_admin_edits_a_subscription_and_the_change_is_audited(admin_client, webhook_receiver):
    subscription = subscribe(webhook_receiver.url)
    secret = subscription.secret
    assert admin_client.get(f"/webhooks/{subscription.pk}/edit/").status_code == 200
    response = admin_client.post(f"/webhooks/{subscription.pk}/edit/", form(webhook_receiver.url, name="Lever",
                                                                          events=["candidate.erased"], active=""))
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert (subscription.name, subscription.events, subscription.active, subscription.secret) == (
        "Lever", ["candidate.erased"], False, secret)
    assert AuditEvent.objects.get(action="webhooks.change").detail["active"] is False
    refused = admin_client.post(f"/webhooks/{subscription.pk}/edit/", form("http://10.0.0.1/", name="Renamed"))
    assert refused.status_code == 400 and 'value="Renamed"' in refused.content.decode()


def test_rotating_shows_the_new_secret_once(admin_client, webhook_receiver):
    subscription = subscribe(webhook_receiver.url)
    old = subscription.secret
    response = admin_client.post(f"/webhooks/{subscription.pk}/rotate/")
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.secret != old and subscription.previous_secret == old
    page = admin_client.get(response["Location"]).content.decode()
    assert subscription.secret in page and old not in page and "previous one also signs until" in page


def test_the_delivery_log_shows_codes_and_errors_and_redelivers(admin_client, webhook_receiver):
    subscription = subscribe(webhook_receiver.url)
    event_publish(type=EventType.SCORECARD_SUBMITTED, payload={"scorecard": {"id": 1}})
    attempt_all()
    webhook_receiver.status = 502
    event_publish(type=EventType.DECISION_RECORDED, payload={"decision": {"id": 1}})
    attempt_all()
    page = admin_client.get(f"/webhooks/{subscription.pk}/").content.decode()
    assert ">200<" in page and ">502<" in page and "HTTP 502" in page and "Pending" in page and "Delivered" in page
    delivered = Delivery.objects.get(status=DeliveryStatus.DELIVERED)
    pending = Delivery.objects.get(status=DeliveryStatus.PENDING)
    assert page.count(">Redeliver</button>") == 1  # the pending one is being tried already
    webhook_receiver.status = 200
    response = admin_client.post(f"/webhooks/{subscription.pk}/deliveries/{delivered.pk}/redeliver/", follow=True)
    assert "will be sent again now" in response.content.decode()
    response = admin_client.post(f"/webhooks/{subscription.pk}/deliveries/{pending.pk}/redeliver/", follow=True)
    assert "is still being tried" in response.content.decode()
    attempt_all()
    assert [r["headers"]["webhook-id"] for r in webhook_receiver.requests].count(delivered.event.webhook_id) == 2


def test_a_delivery_of_another_subscription_is_not_found(admin_client, webhook_receiver):
    mine, other = subscribe(webhook_receiver.url), subscribe(webhook_receiver.url, name="Other")
    event_publish(type=EventType.SCORECARD_SUBMITTED, payload={})
    attempt_all()
    theirs = other.deliveries.get()
    assert admin_client.post(f"/webhooks/{mine.pk}/deliveries/{theirs.pk}/redeliver/").status_code == 404
    assert admin_client.get("/webhooks/999999/").status_code == 404
    assert admin_client.get("/webhooks/999999999999999999999/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.attempts == 1 and theirs.status == DeliveryStatus.DELIVERED


def test_nobody_but_an_admin_sees_the_pages(as_user, webhook_receiver):
    subscription = subscribe(webhook_receiver.url)
    staff = make_user("staffer", is_staff=True)  # the Django admin's staff, not a superuser
    client = as_user(staff)
    for url in ("/webhooks/", "/webhooks/new/", f"/webhooks/{subscription.pk}/", f"/webhooks/{subscription.pk}/edit/"):
        response = client.get(url)
        assert response.status_code == 403 and subscription.secret not in response.content.decode()
    assert client.post(f"/webhooks/{subscription.pk}/rotate/").status_code == 403


@pytest.mark.parametrize("n", [3, 60])
def test_the_log_takes_the_same_queries_however_many_deliveries(admin_client, webhook_receiver, django_assert_num_queries, n):
    subscription = subscribe(webhook_receiver.url)
    for _ in range(n):
        event_publish(type=EventType.SCORECARD_SUBMITTED, payload={"scorecard": {"id": 1}})
    admin_client.get("/webhooks/")  # the session is loaded once before
    # The session, the user, the subscription with its creator, the log's count, its page with
    # each delivery's event; the navigation bar's roles and unread notifications.
    with django_assert_num_queries(7):
        response = admin_client.get(f"/webhooks/{subscription.pk}/")
    assert response.content.decode().count("scorecard.submitted") >= min(n, 50)
    page_two = admin_client.get(f"/webhooks/{subscription.pk}/?page=2").content.decode()
    assert ("Page 2 of 2" in page_two) == (n > 50)
    assert admin_client.get(f"/webhooks/{subscription.pk}/?page=nonsense").status_code == 200


def test_the_list_takes_the_same_queries_however_many_subscriptions(admin_client, webhook_receiver, django_assert_num_queries):
    for n in range(5):
        subscribe(webhook_receiver.url, name=f"ATS {n}")
    admin_client.get("/webhooks/")
    # The session, the user, the subscriptions; the navigation bar's roles and unread notifications.
    with django_assert_num_queries(5):
        assert admin_client.get("/webhooks/").status_code == 200


def test_an_empty_post_names_what_is_missing(admin_client):
    response = admin_client.post("/webhooks/new/", {})
    body = response.content.decode()
    assert response.status_code == 400 and "This field is required." in body and "Choose at least one event." in body
