"""Behind a TLS proxy (TRUSTED_PROXY_COUNT=1), sign-in throttling keys on the client's address
from X-Forwarded-For, counted from the right, not on the proxy's address that every request
shares, and a client cannot escape a lockout by writing its own X-Forwarded-For."""

import pytest

from config.network import client_ip

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.5"


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def sign_in(client, password, forwarded_for):
    return client.post("/login/", {"username": "hm", "password": password},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def test_one_clients_failures_do_not_lock_out_another_behind_the_same_proxy(client, behind_one_proxy, hiring_manager):
    for _ in range(5):
        sign_in(client, "wrong-password", "203.0.113.9")

    assert sign_in(client, PASSWORD, "203.0.113.9").status_code == 429
    assert sign_in(client, PASSWORD, "198.51.100.7").status_code == 302


def test_a_client_cannot_escape_its_lockout_by_forging_x_forwarded_for(client, behind_one_proxy, hiring_manager):
    for _ in range(5):
        sign_in(client, "wrong-password", "203.0.113.9")
    # The proxy appends the address it saw; what the client wrote stays on the left.
    assert sign_in(client, PASSWORD, "198.51.100.200, 203.0.113.9").status_code == 429


def test_without_a_trusted_proxy_the_header_is_ignored(client, hiring_manager):
    for _ in range(5):
        sign_in(client, "wrong-password", "203.0.113.9")
    assert sign_in(client, PASSWORD, "198.51.100.7").status_code == 429  # same REMOTE_ADDR: locked


def test_the_client_address_is_counted_from_the_right(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9, 10.0.0.4")
    assert client_ip(request) == "203.0.113.9"
    assert client_ip(rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="10.0.0.4")) == PROXY
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == PROXY


def test_the_audit_log_records_the_clients_address_behind_the_proxy(client, behind_one_proxy, hiring_manager):
    from accounts.models import AuditEvent

    sign_in(client, "wrong-password", "198.51.100.200, 203.0.113.9")
    sign_in(client, PASSWORD, "203.0.113.9")
    events = AuditEvent.objects.filter(action__in=["auth.sign_in_failed", "auth.sign_in"]).order_by("at")
    assert [e.detail["ip"] for e in events] == ["203.0.113.9", "203.0.113.9"]


@pytest.mark.parametrize("forwarded_for, expected", [
    ("203.0.113.9:4711", "203.0.113.9"),
    ("[2001:db8::7]:4711", "2001:db8::7"),
    ("2001:db8::7", "2001:db8::7"),
    ("1.1.1.1, 203.0.113.9:80", "203.0.113.9"),
    ("unknown", PROXY),
    ("garbage", PROXY),
    ("203.0.113.9:port", PROXY),
    ("999.1.1.1", PROXY),
    ("[2001:db8::7", PROXY),
    ("203.0.113.9:4711:1", PROXY),
    ("fe80::1%eth0", PROXY),
])
def test_the_client_address_is_an_ip_address_or_the_proxys(rf, behind_one_proxy, forwarded_for, expected):
    assert client_ip(rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)) == expected


def test_a_failed_sign_in_with_a_forwarded_for_that_is_not_an_address_shows_the_form_again(
        client, behind_one_proxy, hiring_manager):
    from accounts.models import AuditEvent

    response = sign_in(client, "wrong-password", "unknown")
    assert response.status_code == 200
    assert "form" in response.context and response.context["form"].errors
    assert AuditEvent.objects.get(action="auth.sign_in_failed").detail["ip"] == PROXY
