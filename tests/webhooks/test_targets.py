"""Where webhooks may go: private, loopback, link-local, multicast and reserved addresses are
refused when a subscription is saved and again when a delivery is sent (the address checked is
the address connected to), unless PANELIST_WEBHOOKS_ALLOW_PRIVATE allows their network."""

import socket

import pytest

from webhooks.models import Delivery, EventType
from webhooks.services import event_publish
from config.outbound import TargetRefused, resolve_target

from .conftest import attempt_all, subscribe

pytestmark = pytest.mark.django_db

REFUSED = [
    "http://10.1.2.3/hook",                 # private
    "https://192.168.0.10/hook",
    "http://169.254.169.254/latest/meta-data/",  # link-local: a cloud's metadata service
    "http://127.0.0.1:8000/hook",           # loopback
    "http://[::1]:8000/hook",
    "http://[::ffff:127.0.0.1]/hook",       # loopback written as IPv6
    "http://[fe80::1]/hook",
    "http://[fd00::5]/hook",                # unique local
    "http://224.0.0.1/hook",                # multicast
    "http://0.0.0.0/hook",                  # unspecified
    "http://240.0.0.1/hook",                # reserved
    "http://100.64.0.1/hook",               # carrier-grade NAT
    "http://localhost/hook",                # a name that resolves to 127.0.0.1
]


@pytest.fixture
def nothing_allowed(settings):
    settings.PANELIST_WEBHOOKS_ALLOW_PRIVATE = []


@pytest.mark.parametrize("url", REFUSED)
def test_it_refuses_addresses_that_are_not_public(nothing_allowed, url):
    with pytest.raises(TargetRefused, match="private, loopback, link-local, multicast or reserved"):
        resolve_target(url)


def test_an_allowed_network_is_allowed_and_nothing_else(settings):
    settings.PANELIST_WEBHOOKS_ALLOW_PRIVATE = ["127.0.0.0/8"]
    resolve_target("http://127.0.0.1:8000/hook")
    for url in ("http://[::1]:8000/hook", "http://10.1.2.3/hook", "http://169.254.169.254/"):
        with pytest.raises(TargetRefused):
            resolve_target(url)


def test_a_public_address_is_accepted_over_https_only(nothing_allowed):
    resolve_target("https://93.184.215.14/hook")
    with pytest.raises(TargetRefused, match="Use https://"):
        resolve_target("http://93.184.215.14/hook")
    for url, words in (("ftp://93.184.215.14/", "Use an https:// URL"), ("https://user:pw@93.184.215.14/", "no user name"),
                       ("https://[::1/", "not valid"), ("https://93.184.215.14:99999/", "not valid")):
        with pytest.raises(TargetRefused, match=words):
            resolve_target(url)


def test_a_name_with_one_private_address_among_public_ones_is_refused(nothing_allowed, monkeypatch):
    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in ("93.184.215.14", "10.0.0.7")]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(TargetRefused, match="10.0.0.7"):
        resolve_target("https://ats.example.com/hook")


def test_a_name_that_cannot_be_resolved_is_refused_in_words(nothing_allowed):
    with pytest.raises(TargetRefused, match="cannot be found"):
        resolve_target("https://no-such-host.invalid/hook")


def test_a_delivery_to_a_target_refused_since_is_not_sent(webhook_receiver, settings):
    subscribe(webhook_receiver.url)  # allowed when it was saved
    event_publish(type=EventType.SCORECARD_SUBMITTED, payload={"scorecard": {"id": 1}})
    settings.PANELIST_WEBHOOKS_ALLOW_PRIVATE = []
    attempt_all()
    delivery = Delivery.objects.get()
    assert delivery.last_error.startswith("Refused: 127.0.0.1 is a private, loopback") and delivery.status == "pending"
    assert webhook_receiver.requests == []


def test_it_connects_to_the_address_it_checked_whatever_the_name_resolves_to_next(webhook_receiver, monkeypatch):
    """DNS rebinding: the name answers an allowed address to the check, then another one; the
    delivery goes to the checked address, with the name in the Host header."""
    port = int(webhook_receiver.url.split(":")[2].split("/")[0])
    answers = iter(["127.0.0.1", "10.9.9.9", "10.9.9.9"])
    real = socket.getaddrinfo

    def rebinding(host, *args, **kwargs):
        if host == "ats.example.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    subscribe(f"http://ats.example.test:{port}/hook")
    event_publish(type=EventType.SCORECARD_SUBMITTED, payload={"scorecard": {"id": 1}})
    attempt_all()
    (request,) = webhook_receiver.requests
    assert request["headers"]["host"] == f"ats.example.test:{port}"
    assert Delivery.objects.get().status == "delivered"


def test_start_up_names_a_malformed_allowed_network():
    from tests.test_settings import run_check

    result = run_check(PANELIST_WEBHOOKS_ALLOW_PRIVATE="10.20.0.0/16,the office")
    assert result.returncode != 0
    assert "PANELIST_WEBHOOKS_ALLOW_PRIVATE: 'the office' is not a network" in result.stderr
    assert run_check(PANELIST_WEBHOOKS_ALLOW_PRIVATE="10.20.0.0/16, fd00::/8").returncode == 0
