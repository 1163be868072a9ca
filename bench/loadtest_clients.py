"""The load test's clients (bench/loadtest.py; docs/capacity.md): interviewers who autosave as
the live page's script does, hiring managers and recruiters who read pages, and the phase that
runs them for a while and adds up their requests. Plain threads and http.client, to loopback."""

import http.client
import json
import random
import secrets
import threading
import time

from bench import loadtest_report as report

HOST = "127.0.0.1"
# Pauses, in seconds, between one action of a client and its next.
HUMAN_AUTOSAVE_PAUSE = (2.0, 5.0)  # an interviewer typing notes, scoring, moving on
READER_PAUSE = (5.0, 15.0)  # a recruiter or hiring manager reading a page
BUSY_AUTOSAVE_PAUSE = (0.05, 0.4)  # the fault run: far busier than a person
INTERVIEWER_SHARE = 0.8  # four clients in five are interviewers, the rest readers
READER_PAGES = (("debrief", 5), ("compare", 2), ("search", 3))  # relative weights
SEARCH_WORDS = ["regularization", "overfitting", "gradient descent", "precision recall", "embedding",
                "cross validation", "imbalanced", "feature leakage", "attention", "bias variance"]
IDLE_RECONNECT = 4.0  # gunicorn closes an idle keep-alive connection after 5 s (config/gunicorn.py)


class Connection:
    """One client's keep-alive connection, as a browser holds it: reopened when idle longer than
    gunicorn keeps it, and a request that fails on a reused connection before any answer is sent
    again once on a fresh one (browsers do the same; autosave's idempotency key makes it safe)."""

    def __init__(self, port):
        self.port, self.conn, self.used_at = port, None, 0.0
        self.reconnects = 0

    def request(self, method, url, body, headers):
        for attempt in (1, 2):
            reused = self.conn is not None and time.monotonic() - self.used_at < IDLE_RECONNECT
            if not reused:
                self.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
            try:
                self.conn.request(method, url, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                self.used_at = time.monotonic()
                return response.status, data
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if not reused or attempt == 2:
                    raise
                self.reconnects += 1
            except (OSError, http.client.HTTPException):
                self.close()
                raise

    def close(self):
        if self.conn is not None:
            self.conn.close()
        self.conn = None


class Interviewer:
    """One interviewer of a live interview: makes changes and sends them as static/js/live.js
    does. Its state (versions, acknowledged changes) lasts across the phases of a run."""

    def __init__(self, n, port, session_key, interview_id, user_id, questions):
        csrf = secrets.token_hex(16)
        self.n, self.interview_id, self.user_id, self.questions = n, interview_id, user_id, questions
        self.headers = {"Content-Type": "application/json", "X-CSRFToken": csrf, "Host": HOST,
                        "Cookie": f"sessionid={session_key}; csrftoken={csrf}"}
        self.http = Connection(port)
        self.versions = {q: 0 for q in questions}
        self.queue = []
        self.acked = {q: [] for q in questions}  # acknowledged states, in order, per question
        self.bare_acked = 0
        self.sent = self.retries = self.replays = self.out_of_order = self.conflicts = self.refused = 0
        self.rng = random.Random(n)
        self.seq = 0
        self.samples = []  # (request type, started at, ms, ok)

    def change(self, target):
        self.seq += 1
        question = self.rng.choice(self.questions)
        state = {"score": self.rng.randint(1, 4), "skipped": False, "skip_reason": "", "criteria": [], "key_points": [],
                 "notes": f"client {self.n} change {self.seq}", "seconds": self.seq}
        self.queue.append({"key": secrets.token_hex(12), "question": question, "state": state, "target": target})

    def flush_one(self):
        op = self.queue[0]
        bare = op["target"] == "bare"
        if not bare:
            op.setdefault("base", self.versions[op["question"]])
        body = json.dumps({"key": op["key"], "question": op["question"], "version": op.get("base", 0),
                           "state": op["state"]})
        url = f"/bench/interviews/{self.interview_id}/autosave/" if bare else f"/interviews/{self.interview_id}/autosave/"
        self.sent += 1
        started = time.monotonic()
        try:
            status, data = self.http.request("POST", url, body, self.headers)
        except (OSError, http.client.HTTPException):
            status, data = None, b""
        ms = (time.monotonic() - started) * 1000
        kind = "bare" if bare else "autosave"
        if status is None or status >= 500 or not data.startswith(b"{"):
            self.samples.append((kind, started, ms, False))
            self.retries += 1
            time.sleep(0.2)
            return
        self.samples.append((kind, started, ms, status == 200))
        answer = json.loads(data)
        if status == 200 and bare:
            self.bare_acked += 1
        elif status == 200:
            version = answer["version"]
            if answer.get("replayed"):
                self.replays += 1
            if version != op["base"] + 1:
                self.out_of_order += 1
            self.versions[op["question"]] = version
            self.acked[op["question"]].append(op["state"])
        elif status == 409:
            self.conflicts += 1  # cannot happen with one writer per scorecard
        else:
            self.refused += 1
        self.queue.pop(0)

    def run(self, target, pause, stop_at, drain_until):
        """Change and send until ``stop_at`` (a change every ``pause`` seconds, or back to back
        when ``pause`` is None), then drain the queue until ``drain_until``."""
        # Clients join at random points of their cycle, as in a steady stream, not all at once.
        next_change = time.monotonic() + (self.rng.uniform(0, pause[1]) if pause else 0)
        while time.monotonic() < stop_at:
            if time.monotonic() >= next_change:
                self.change(target)
                next_change = time.monotonic() + (self.rng.uniform(*pause) if pause else 0)
            if self.queue:
                self.flush_one()
            else:
                time.sleep(max(0.0, min(next_change, stop_at) - time.monotonic()))
        while self.queue and time.monotonic() < drain_until:
            self.flush_one()


class Reader:
    """A hiring manager or recruiter: opens a debrief, the comparison or a bank search, reads it
    for 5-15 s, opens the next."""

    def __init__(self, n, port, session_key, compared, candidates):
        self.rng = random.Random(10_000 + n)
        self.headers = {"Host": HOST, "Cookie": f"sessionid={session_key}"}
        self.http = Connection(port)
        self.compared, self.candidates = compared, candidates
        self.samples = []

    def url(self, kind):
        if kind == "debrief":
            return f"/candidates/{self.rng.choice(self.candidates)}/debrief/"
        if kind == "compare":
            return f"/positions/{self.compared}/compare/"
        return "/questions/?q=" + self.rng.choice(SEARCH_WORDS).replace(" ", "+")

    def open(self, kind):
        started = time.monotonic()
        try:
            status, _ = self.http.request("GET", self.url(kind), None, self.headers)
        except (OSError, http.client.HTTPException):
            status = None
        self.samples.append((kind, started, (time.monotonic() - started) * 1000, status == 200))
        return status

    def run(self, stop_at):
        time.sleep(max(0.0, min(self.rng.uniform(0, READER_PAUSE[1]), stop_at - time.monotonic())))
        kinds, weights = zip(*READER_PAGES)
        while time.monotonic() < stop_at:
            self.open(self.rng.choices(kinds, weights)[0])
            time.sleep(max(0.0, min(self.rng.uniform(*READER_PAUSE), stop_at - time.monotonic())))


def split(clients):
    """(interviewers, readers) of a client count: four in five interviewers, an even number."""
    interviewers = 2 * round(clients * INTERVIEWER_SHARE / 2)
    return interviewers, clients - interviewers


def run_phase(name, interviewers, readers, target, pause, seconds, warmup):
    """Run ``interviewers`` (sending to ``target``: "app" or "bare") and ``readers`` for ``seconds``;
    the figures count the requests started after ``warmup`` seconds and before the end."""
    for client in interviewers + readers:
        client.samples = []
    started = time.monotonic()
    stop_at, drain_until = started + seconds, started + seconds + 60
    threads = [threading.Thread(target=c.run, args=(target, pause, stop_at, drain_until), daemon=True)
               for c in interviewers]
    threads += [threading.Thread(target=r.run, args=(stop_at,), daemon=True) for r in readers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    window_start = started + warmup
    samples = [(kind, ms, ok) for c in interviewers + readers for kind, at, ms, ok in c.samples
               if window_start <= at < stop_at]
    return {"name": name, "clients": len(interviewers) + len(readers), "interviewers": len(interviewers),
            "readers": len(readers), "target": target, "seconds": seconds, "warmup_seconds": warmup,
            "requests": report.summarize(samples, seconds - warmup)}


