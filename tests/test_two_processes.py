"""Two app processes on different ports against one database serve one user's session
alternately: nothing is kept in process memory between requests."""

import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection

from accounts.roles import Role
from scoring.services import scorecard_open
from tests.conftest import PASSWORD, make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position

ROOT = Path(__file__).resolve().parents[1]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url():
    d = connection.settings_dict
    host = d["HOST"] or d["OPTIONS"].get("host") or "localhost"
    if host.startswith("/"):
        return f"postgresql://{d['USER']}:{d['PASSWORD'] or ''}@/{d['NAME']}?host={host}"
    return f"postgresql://{d['USER']}:{d['PASSWORD'] or ''}@{host}:{d['PORT'] or 5432}/{d['NAME']}"


@pytest.fixture
def two_servers(bank):
    env = {**os.environ, "DATABASE_URL": database_url(), "SECRET_KEY": secrets.token_hex(32), "DEBUG": "0",
           "GUNICORN_WORKERS": "1", "GUNICORN_THREADS": "2", "GUNICORN_ACCESSLOG": ""}
    ports, processes = [free_port(), free_port()], []
    for port in ports:
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"], cwd=ROOT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}, stdout=subprocess.DEVNULL,
            stderr=open(ROOT / "test-artifacts" / f"gunicorn-{port}.log", "w"),
        ))
    try:
        for port in ports:
            deadline = time.monotonic() + 60
            while True:
                try:
                    c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                    c.request("GET", "/healthz")
                    if c.getresponse().status == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"gunicorn on port {port} did not start")
                time.sleep(0.3)
        yield ports
    finally:
        for p in processes:
            p.terminate()
        for p in processes:
            p.wait(20)


class Browser:
    """A tiny cookie-keeping HTTP client that can talk to either server."""

    def __init__(self):
        self.cookies = {}

    def request(self, port, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        all_headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location"), response.read().decode()


def test_one_session_is_served_alternately_by_two_processes(two_servers, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    a, b = two_servers
    hm = make_user("hm", Role.HIRING_MANAGER)
    interviewer = make_user("ivan", Role.INTERVIEWER)
    position = make_position(hiring_manager=hm)
    interview = make_interview(candidate=make_candidate(position=position), plan=make_plan(position=position), interviewers=[interviewer])
    card = scorecard_open(interview=interview, interviewer=interviewer)
    question = card.scores.order_by("question__order").first().question_id

    browser = Browser()
    status, _, page = browser.request(a, "GET", "/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, location, _ = browser.request(
        a, "POST", "/login/", urlencode({"username": "ivan", "password": PASSWORD, "csrfmiddlewaretoken": token}),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 302 and location == "/"

    # The session made by process A is honoured by process B, and back again.
    assert browser.request(b, "GET", "/questions/")[0] == 200
    csrf = browser.cookies["csrftoken"]
    for n, port in enumerate([a, b, a, b, a, b]):
        body = json.dumps({"key": f"two-process-{n:04d}", "question": question, "version": n,
                           "state": {"score": 1 + n % 4, "notes": f"via port {port}"}})
        status, _, text = browser.request(port, "POST", f"/interviews/{interview.pk}/autosave/", body,
                                          {"Content-Type": "application/json", "X-CSRFToken": csrf})
        assert status == 200, text
        assert json.loads(text)["version"] == n + 1
    row = card.scores.get(question_id=question)
    assert (row.version, row.notes) == (6, f"via port {b}")

    # Signing out on B ends the session on A too.
    status, page = browser.request(b, "GET", "/")[0], None
    token = browser.cookies["csrftoken"]
    browser.request(b, "POST", "/logout/", urlencode({"csrfmiddlewaretoken": token}),
                    {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": token})
    status, location, _ = browser.request(a, "GET", "/questions/")
    assert status == 302 and location.startswith("/login/")
