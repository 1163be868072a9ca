"""Self-service password reset (accounts/password_reset.py): the same answer whether or not the
address has an account, the mail written by a job in the person's time zone, links that expire
and die on use, and requests throttled per address and per client address."""

import re
from urllib.parse import urlencode
from datetime import datetime, timezone as dt_timezone

import pytest
from django.test import Client
from procrastinate.contrib.django.models import ProcrastinateJob

from accounts.models import AuditEvent, profile_of
from accounts.tasks import password_reset_mail_job
from mail.models import Message
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db
RESET = "/password/reset/"
NEW_PASSWORD = "a-brand-new-password-4"


@pytest.fixture
def ada(db):
    user = make_user("ada", email="ada@example.com", first_name="Ada")
    profile = profile_of(user)
    profile.time_zone = "Asia/Tokyo"
    profile.save()
    return user


def run_reset_jobs():
    """What the worker does with the queued reset jobs (the job function, run here)."""
    jobs = ProcrastinateJob.objects.filter(task_name="accounts.tasks.password_reset_mail_job")
    for job in jobs:
        password_reset_mail_job(**job.args)
    jobs.delete()


def post_form(client, path, data, **extra):
    """A form posted as browsers post it (not multipart: an anonymous multipart request is sent
    to sign in first, config.middleware.RequestBodyLimitMiddleware)."""
    return client.post(path, urlencode(data), content_type="application/x-www-form-urlencoded", **extra)


def ask(client, email, ip="192.0.2.1"):
    return post_form(client, RESET, {"email": email}, REMOTE_ADDR=ip)


def link_in(message):
    return re.search(r"/password/reset/[^/\s]+/[^/\s]+/", message.text).group(0)


def test_the_sign_in_page_links_to_it(client):
    assert f'href="{RESET}"' in client.get("/login/").content.decode()


def test_it_mails_a_link_in_the_persons_time_zone_that_sets_the_password_once(client, ada, settings):
    response = ask(client, "ADA@example.com")
    assert response.status_code == 302 and response["Location"] == "/password/reset/sent/"
    assert "If an account uses the address" in client.get(response["Location"]).content.decode()
    assert not Message.objects.exists()  # the job writes it
    run_reset_jobs()
    message = Message.objects.get(recipient=ada, reason="password_reset")
    assert message.subject == "Reset your Panelist password" and "Asia/Tokyo" in message.text
    assert link_in(message) in message.html

    visitor = Client()
    response = visitor.get(link_in(message))
    assert response.status_code == 302  # Django hides the token from the address bar
    form_url = response["Location"]
    assert "Choose a new password" in visitor.get(form_url).content.decode()
    response = post_form(visitor, form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/login/"
    ada.refresh_from_db()
    assert ada.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="auth.password_reset", actor=ada).exists()

    # Dies on use.
    again = Client().get(link_in(message), follow=True)
    assert "This reset link does not work" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, ada):
    known, unknown = ask(client, "ada@example.com"), ask(Client(), "nobody@example.com", ip="192.0.2.2")
    assert known.status_code == unknown.status_code == 302 and known["Location"] == unknown["Location"]
    run_reset_jobs()
    assert list(Message.objects.values_list("to", flat=True)) == ["ada@example.com"]
    # The audit log keeps a digest of the typed address, never the address.
    assert "nobody" not in str(list(AuditEvent.objects.values_list("detail", flat=True)))


def test_an_expired_link_is_refused(client, ada, settings):
    ask(client, "ada@example.com")
    run_reset_jobs()
    settings.PASSWORD_RESET_TIMEOUT = -1
    response = Client().get(link_in(Message.objects.get()), follow=True)
    assert "This reset link does not work" in response.content.decode()
    ada.refresh_from_db()
    assert ada.check_password(PASSWORD)


def test_it_throttles_requests_per_address(client, ada, settings):
    settings.PASSWORD_RESET_MAX_PER_ADDRESS = 2
    assert ask(client, "ada@example.com", ip="192.0.2.1").status_code == 302
    assert ask(client, "ada@example.com", ip="192.0.2.2").status_code == 302
    response = ask(client, "Ada@Example.com", ip="192.0.2.3")
    assert response.status_code == 429 and "Several reset links were asked" in response.content.decode()
    assert 'value="Ada@Example.com"' in response.content.decode()  # what was typed stays
    # An address without an account is throttled the same way (nothing to learn from it).
    ask(client, "ghost@example.com"), ask(client, "ghost@example.com", ip="192.0.2.9")
    assert ask(client, "ghost@example.com", ip="192.0.2.10").status_code == 429
    run_reset_jobs()
    assert Message.objects.count() == 2
    assert AuditEvent.objects.filter(action="auth.password_reset_throttled").count() == 2


def test_it_throttles_requests_per_client_address(client, ada, settings):
    settings.PASSWORD_RESET_MAX_PER_IP = 3
    for i in range(3):
        assert ask(client, f"someone{i}@example.com").status_code == 302
    response = ask(client, "ada@example.com")
    assert response.status_code == 429 and "from your network" in response.content.decode()
    assert ask(client, "ada@example.com", ip="198.51.100.7").status_code == 302


def test_it_names_a_missing_or_malformed_address(client):
    assert "Enter your e-mail address" in post_form(client, RESET, {}).content.decode()
    response = post_form(client, RESET, {"email": "not an address"})
    assert response.status_code == 400 and "Enter a whole e-mail address" in response.content.decode()


def test_an_invited_person_without_a_password_gets_no_reset_mail(client, db):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("grace@example.com", email="grace@example.com")  # unusable password
    ask(client, "grace@example.com")
    run_reset_jobs()
    assert not Message.objects.exists()


def test_the_job_writes_the_time_of_the_request(ada):
    requested = datetime(2026, 12, 5, 6, 0, tzinfo=dt_timezone.utc)
    password_reset_mail_job(email="ada@example.com", requested_at=requested.isoformat())
    assert "15:00" in Message.objects.get().text  # 06:00 UTC in Tokyo
