"""Shared cast and helpers. Tests run on real PostgreSQL (the embedded server unless
DATABASE_URL is set); the built-in question bank is loaded once per test database."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.forms.models import model_to_dict

from accounts.roles import Role, assign_role
from tests.factories import SECTIONS, make_candidate, make_interview, make_plan, make_position

PASSWORD = "a-long-test-password-1"


def without_factory_samples():
    """The factory plan's questions (bias-variance ships five sample answers) lose their samples:
    with five, scheduling a panel on that plan warns that no one has practised it, and the many
    tests about scheduling itself would each confirm it. The qualification tests make their own
    samples (tests/interviews/test_qualification.py); the bank's are checked from its files."""
    from questionbank.models import SampleAnswer

    SampleAnswer.objects.filter(question__slug__in=[slug for _, slugs in SECTIONS for slug in slugs]).delete()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_question_bank", verbosity=0)
        without_factory_samples()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Creating the cast with the production hasher costs a second per test; tests that are
    about hashing set PASSWORD_HASHERS themselves."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Pages cache what they compute under data versions; each test starts with none of
    another test's entries."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def bank(transactional_db):
    """For tests on a transactional database (browser tests, tests with other processes): it
    is emptied after each such test, so they load the bank and the role groups here."""
    call_command("load_question_bank", verbosity=0)
    without_factory_samples()
    from accounts.roles import ensure_role_groups

    ensure_role_groups()


@pytest.fixture
def empty_queue(transactional_db):
    """For tests whose jobs other connections see (a worker, the schedulers): the queue's
    tables are Procrastinate's, unmanaged by Django, so the flush after a transactional test
    leaves them; they are emptied here instead."""
    yield
    from django.db import connection
    from procrastinate.contrib.django import models

    tables = [m._meta.db_table for m in (models.ProcrastinateJob, models.ProcrastinateEvent,
                                         models.ProcrastinatePeriodicDefer, models.ProcrastinateWorker)]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


def assert_not_found_and_unchanged(client, url, data, obj):
    """GET and POST on ``url``, a page of someone else's ``obj``, both answer 404, and the
    object in the database is as it was."""
    before = model_to_dict(obj)
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    obj.refresh_from_db()
    assert model_to_dict(obj) == before


def make_user(username, role=None, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if role:
        assign_role(user, role)
    return user


@pytest.fixture
def hiring_manager(db):
    return make_user("hm", Role.HIRING_MANAGER, first_name="Hana")


@pytest.fixture
def interviewer(db):
    return make_user("int1", Role.INTERVIEWER)


@pytest.fixture
def interviewer2(db):
    return make_user("int2", Role.INTERVIEWER)


@pytest.fixture
def recruiter(db):
    return make_user("rec", Role.RECRUITER)


@pytest.fixture
def outsider(db):
    """Signed in, but holds no role at all."""
    return make_user("outsider")


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("boss", "boss@example.com", PASSWORD)


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def hm_client(as_user, hiring_manager):
    return as_user(hiring_manager)


# --- The cast's shared objects (a test module that needs a different one defines its own) ---


@pytest.fixture
def position(hiring_manager, recruiter):
    """A position the hiring manager runs with the recruiter."""
    return make_position(hiring_manager=hiring_manager, recruiter=recruiter, title="Senior ML Engineer, Ranking")


@pytest.fixture
def other_position(db):
    """Someone else's position: another hiring manager and another recruiter."""
    return make_position(hiring_manager=make_user("hm2", Role.HIRING_MANAGER),
                         recruiter=make_user("rec2", Role.RECRUITER), title="Hidden Role")


@pytest.fixture
def plan(hiring_manager, position):
    """The position's plan, made by its hiring manager: Fundamentals (bias-variance,
    precision) and Coding (code-bigrams)."""
    return make_plan(by=hiring_manager, position=position, name="Onsite")


@pytest.fixture
def interview(position, recruiter, interviewer, interviewer2):
    """A candidate of the position in an interview that started ten minutes ago, with both
    interviewers on the panel, on a screen plan of its own (the same three questions)."""
    return make_interview(candidate=make_candidate(position=position), plan=make_plan(position=position),
                          interviewers=[interviewer, interviewer2], by=recruiter)


def revision_content(**overrides):
    """Valid content for a question revision, to be overridden per test."""
    content = {
        "title": "Handling label noise in training data",
        "prompt": "Your labels come from crowd workers and about 10% are wrong. What do you do?",
        "why_we_ask": "Shows whether the candidate checks data before models. Catches people who only tune.",
        "model_answer": "Estimate the noise rate on an audited sample, then use robust losses or relabel.",
        "key_points": ["Audit a sample first", "Robust losses", "Relabel the confusing classes"],
        "follow_ups": [{"question": "How do you find the noisy labels?", "good_answer": "Confident learning, loss ranking"}],
        "minutes": 8,
        "criteria": ["Measures the noise rate on an audited sample", "Names a noise-robust loss and its cost"],
        "anchors": {
            1: "Ignores the noise or says more epochs will fix it.",
            2: "Says to clean the data but not how.",
            3: "Audits a sample, picks a robust loss or relabelling, names the cost.",
            4: "Adds class-dependent noise, evaluation on a clean test set, and when noise is signal.",
        },
    }
    content.update(overrides)
    return content


def question_form_data(content=None, **fields):
    """The question form's POST data for ``content`` (``revision_content``'s by default): a
    new draft's identity, one line per key point and follow-up, an anchor per level and the
    eight criterion forms. ``fields`` overrides any form field by its name."""
    content = content or revision_content()
    data = {
        "title": content["title"], "slug": "", "area": "data", "kind": "concept", "level": "mid", "roles": ["ds", "mle"],
        "minutes": str(content["minutes"]), "prompt": content["prompt"], "why_we_ask": content["why_we_ask"],
        "model_answer": content["model_answer"], "key_points": "\n".join(content["key_points"]),
        "follow_ups": "\n".join(f"{f['question']} || {f['good_answer']}" for f in content["follow_ups"]),
        **{f"anchor_{level}": text for level, text in content["anchors"].items()},
        "reference_solution": "", "coding_tests": "", "change_note": "",
        "criteria-TOTAL_FORMS": "8", "criteria-INITIAL_FORMS": "0", "criteria-MIN_NUM_FORMS": "8", "criteria-MAX_NUM_FORMS": "8",
        **{f"criteria-{i}-text": "" for i in range(8)},
        **{f"criteria-{i}-text": text for i, text in enumerate(content["criteria"])},
    }
    data.update(fields)
    return data


def run_async(coroutine):
    """Run ``coroutine`` to its end in a thread of its own, with its own event loop: in the
    test process an earlier test (Playwright's sync API) may have left an event loop running
    in the main thread, where asyncio.run() refuses to start another."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a loopback port, and the settings that send mail to it."""
    from tests.smtp import SMTPServer

    server = SMTPServer()
    server.start()
    settings.MAIL_DELIVERY = "smtp"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    yield server
    server.stop()


@pytest.fixture
def webhook_receiver():
    """A real HTTP server on loopback that records what is posted to it (tests/webhook_receiver.py)."""
    from tests.webhook_receiver import Receiver

    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium, one for the session (tests/browser/conftest.py: launch_browser)."""
    from tests.browser.conftest import launch_browser

    yield from launch_browser()
