"""Server time of Panelist's main pages on a large data set (``make bench``; docs/performance.md).

    python bench/bench.py [--requests 50] [--warmup 12] [--keep-running] [--pgdata DIR] [--quick]

1. Starts its own embedded PostgreSQL in .pgdata-bench/ (fresh every run; stopped and deleted
   at the end unless --keep-running), migrates and loads the built-in bank and starter plans
   into a template database, and copies it twice.
2. Seeds a small data set into one copy and the large one into the other (bench/seed.py: 100k
   questions, 2k candidates, 10k interviews, 200k scores; SQL and COPY, then VACUUM ANALYZE).
3. On the small data set, counts the queries of each request; on the large one, times each
   request (time.perf_counter around Django's test Client, in process, through the whole
   middleware stack, as a signed-in user of the right role: ``--warmup`` untimed requests,
   then ``--requests`` timed ones) and counts its queries again. Every request is timed with
   application caches off (emptied before it: the budgeted row) and on (``_warm``, for
   information). Every timed request is paired with a request to its baseline (bench/urls.py),
   alternating which goes first, so both see the same machine load; the garbage collector
   runs between pairs only.
4. Prints the table, writes bench/results.json (the rows, bench/report.py) and
   bench/results-meta.json (machine, seed, method), checks the budgets (on the p50 ratio to
   the baseline's p50) and exits non-zero when one is missed.
"""

import argparse
import gc
import json
import os
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, this file's folder comes first on sys.path and "bench" would be this module;
# the project root must come first, so "bench.urls" and "bench.seed" are found.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
from bench.pgserver import fresh_server, remove_server  # noqa: E402 (needs the path above)
from bench.report import evaluate, machine, p95, print_table  # noqa: E402

PGDATA = ROOT / ".pgdata-bench"
RESULTS = ROOT / "bench" / "results.json"
META = ROOT / "bench" / "results-meta.json"  # machine, seed and method
SEARCH_TEXT = "regularization"
# A rarer word (about 1% of the generated questions), to show how search time follows the
# number of matches.
NARROW_TEXT = "imbalanced"
# Requests faster than this get FAST_FACTOR times more timed requests (200 pairs): their
# medians then move by well under the margins of the budgets between two runs.
FAST_MS = 250
FAST_FACTOR = 4

STARTED = time.monotonic()


def log(message):
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


# --- The database ------------------------------------------------------------------------


def admin_sql(server, *statements):
    import psycopg

    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def use_database(name):
    """Point Django's default connection at another database of the bench server."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    connections.close_all()
    settings.DATABASES["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name
    ContentType.objects.clear_cache()


def prepare_template(server):
    """Migrate and load the built-in bank and starter plans once, into bench_template."""
    admin_sql(server, "CREATE DATABASE bench_template")
    os.environ["DATABASE_URL"] = server.get_uri(database="bench_template")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections
    from django.urls import clear_url_caches

    settings.ROOT_URLCONF = "bench.urls"
    # The API's rate limit per token (600/minute) would refuse the bench's timed requests.
    settings.PANELIST_API_RATE = "1000000/minute"
    clear_url_caches()
    call_command("migrate", verbosity=0)
    call_command("load_question_bank", verbosity=0)
    call_command("load_starter_plans", verbosity=0)
    with connection.cursor() as cursor:
        # The baseline write's table (bench/urls.py: baseline_upsert).
        cursor.execute("CREATE TABLE bench_counter (user_id integer PRIMARY KEY, n bigint NOT NULL, "
                       "updated_at timestamptz NOT NULL)")
    connections.close_all()


# --- What the requests need ----------------------------------------------------------------


@dataclass
class Fixtures:
    hm: object
    interviewer: object
    baseline_pk: int
    question_slug: str
    plan_id: int
    position_id: int
    debrief_candidate: int
    live_interview: int
    live_questions: list  # [[interview question id, version]]
    submit_interviews: list
    decided_candidates: list  # candidates with submitted scorecards, for calibration_cold's decisions
    recruiter: object = None
    pool_plan: int = 0  # a plan whose every item is a pool of three (schedule_pool)
    plain_plan: int = 0  # the same plan without pools (schedule_plain: what the pools add)
    pool_minutes: int = 45
    pool_candidates: list = field(default_factory=list)
    pool_panel: list = field(default_factory=list)
    pool_scheduled: list = field(default_factory=lambda: [0])  # how many schedule_pool has posted


def prepare_pool_plan(first_plan, hm, recruiter, n_candidates):
    """A copy of the first plan for a position of its own (exposure cap 50) with every item
    made a pool of three, by the service the builder uses, and ``n_candidates`` candidates to
    schedule on it, one a request (schedule_pool): the resolution reads the pools' history
    among the seeded interviews."""
    from interviews.models import Candidate, PlanItem, PoolMember, Position
    from interviews.services import plan_clone, pool_add
    from questionbank.models import Question

    position = Position.objects.create(title="Bench: pools", hiring_manager=hm, recruiter=recruiter, exposure_cap=50)
    plain = plan_clone(plan=first_plan, by=hm, position=position, name="Bench plan without pools")
    plan = plan_clone(plan=first_plan, by=hm, position=position, name="Bench pool plan")
    for item in PlanItem.objects.filter(plan=plan).select_related("plan", "revision__question"):
        first = item.revision.question
        taken = set(PlanItem.objects.filter(plan=plan).values_list("revision__question_id", flat=True))
        taken |= set(PoolMember.objects.filter(item__plan=plan).values_list("revision__question_id", flat=True))
        mates = (Question.objects.published().filter(level=first.level, area=first.area).exclude(pk__in=taken)
                 .select_related("current_revision").order_by("pk")[:2])
        for mate in mates:
            pool_add(item=item, question=mate, by=hm)
    candidates = Candidate.objects.bulk_create(
        Candidate(position=position, name=f"Pool candidate {n}", email=f"pool{n}@example.com") for n in range(n_candidates)
    )
    # As long as its questions take, so the form asks for no "Schedule anyway".
    minutes = max(plan.slot_minutes, sum(PlanItem.objects.filter(plan=plan).values_list("minutes", flat=True)))
    return plan.pk, plain.pk, minutes, [c.pk for c in candidates]


def time_sweep():
    """The scorecard reminder sweep (scoring/reminders.py, the worker's job every ten minutes),
    read as it would be two hours from now, when the bench's live and submit interviews have
    ended and every interview of the last 30 days with all its scorecards is a ready debrief:
    its median time over three runs, its queries and how much it found. It only reads (nothing
    is sent); not a request, so not budgeted, but its query count must not grow with the data."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from scoring.reminders import debriefs_ready, reminders_due

    later = timezone.now() + timezone.timedelta(hours=2)
    seconds = []
    for _ in range(3):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            due = reminders_due(now=later) + debriefs_ready(now=later)
        seconds.append(time.perf_counter() - started)
    return {"seconds": round(statistics.median(seconds), 3), "queries": len(queries), "due": len(due)}


def prepare_fixtures(ids, n_submit):
    """The signed-in users, and interviews made through the app's own services: one being
    scored live, and ``n_submit`` fully scored drafts, one per timed submit."""
    from django.contrib.auth import get_user_model
    from django.db.models import F
    from django.utils import timezone

    from interviews.models import Candidate, InterviewPlan, PlanItem, Position
    from interviews.services import interview_schedule, plan_clone
    from scoring.models import QuestionScore, Scorecard
    from scoring.services import scorecard_open

    User = get_user_model()
    hm = User.objects.get(username="hm-000")
    interviewer, colleague = User.objects.get(username="int-000"), User.objects.get(username="int-001")
    recruiter = User.objects.get(username="rec-000")
    first_plan = InterviewPlan.objects.get(pk=ids["first_plan"])
    assert first_plan.position_id == ids["comparison_position"]
    question = PlanItem.objects.filter(plan=first_plan).select_related("revision__question").order_by("pk").first()
    # The live and submitted interviews get a position of their own, so the comparison keeps
    # exactly its seeded candidates.
    position = Position.objects.create(title="Bench: live interviews", hiring_manager=hm, recruiter=recruiter)
    plan = plan_clone(plan=first_plan, by=hm, position=position, name="Bench live plan")
    candidates = Candidate.objects.bulk_create(
        Candidate(position=position, name=f"Bench candidate {n}", email=f"bench{n}@example.com") for n in range(n_submit + 1)
    )
    interviews = [
        interview_schedule(candidate=c, plan=plan, starts_at=timezone.now() - timezone.timedelta(minutes=30),
                           duration_minutes=60, interviewers=[interviewer, colleague], by=recruiter)
        for c in candidates
    ]
    cards = [scorecard_open(interview=i, interviewer=interviewer) for i in interviews]
    live, submit = interviews[0], interviews[1:]
    # The drafts to submit are fully scored, as the live page leaves them.
    QuestionScore.objects.filter(scorecard__in=cards[1:]).update(score=3, notes="Scored for the bench.",
                                                                 version=F("version") + 1)
    live_questions = [[q, v] for q, v in QuestionScore.objects.filter(scorecard=cards[0]).order_by("question__order")
                      .values_list("question_id", "version")]
    assert Scorecard.objects.filter(pk__in=[c.pk for c in cards[1:]], status="draft").count() == n_submit
    # One candidate per scheduling request of both rows (cold and warm): a candidate scheduled
    # twice would make a request that reads more than a first interview does.
    pool_plan, plain_plan, pool_minutes, pool_candidates = prepare_pool_plan(first_plan, hm, recruiter, 2 * n_submit)
    return Fixtures(
        recruiter=recruiter, pool_plan=pool_plan, plain_plan=plain_plan, pool_minutes=pool_minutes,
        pool_candidates=pool_candidates,
        pool_panel=[interviewer.pk, colleague.pk],
        hm=hm, interviewer=interviewer, baseline_pk=question.revision.question_id,
        question_slug=question.revision.question.slug, plan_id=first_plan.pk, position_id=ids["comparison_position"],
        debrief_candidate=ids["first_candidate"], live_interview=live.pk, live_questions=live_questions,
        submit_interviews=[i.pk for i in submit],
        decided_candidates=list(
            Candidate.objects.filter(interviews__scorecards__status="submitted")
            .exclude(position_id=ids["comparison_position"]).exclude(pk=ids["first_candidate"])
            .order_by("pk").distinct().values_list("pk", flat=True)
        ),
    )


# --- Requests ------------------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    label: str
    who: str  # "hm" or "interviewer"
    send: object  # (client, n) -> response
    status: int
    baseline: str  # "read" or "upsert"
    check: object = None  # (response body) -> problem or None
    timings: list = field(default_factory=list)
    baseline_timings: list = field(default_factory=list)
    queries: int = None
    baseline_queries: int = None
    warm: bool = False  # caches left on: for information, fewer samples
    few: bool = False  # a slow reference: fewer samples


def scenarios(fx):
    """The measured requests, each twice: with application caches off (emptied before every
    request: the budgeted row) and on (``<name>_warm``, for information). ``n`` numbers the
    requests of a scenario (warm-ups, timed and counted), so each autosave gets its own key."""
    from django.utils import timezone

    def get(url):
        return lambda client, n: client.get(url)

    def autosave(client, n):
        entry = fx.live_questions[n % len(fx.live_questions)]
        body = {"key": f"bench-{uuid.uuid4().hex}", "question": entry[0], "version": entry[1],
                "state": {"score": 1 + n % 4, "skipped": False, "skip_reason": "", "criteria": [], "key_points": [],
                          "notes": f"Autosaved note {n}: explains the trade-off clearly.", "seconds": 30 + n}}
        response = client.post(f"/interviews/{fx.live_interview}/autosave/", json.dumps(body),
                                content_type="application/json")
        if response.status_code == 200:
            entry[1] = response.json()["version"]
        return response

    def submit(client, n):
        # Each submit gets a fresh, fully scored draft of its own.
        return client.post(f"/interviews/{fx.submit_interviews.pop()}/scorecard/submit/",
                           {"recommendation": "yes", "summary": "Clear on fundamentals; would hire."})

    def schedule(plan):
        # Another candidate and a free slot every time (the warm twins' requests included): the
        # form refuses a panel already booked, and pools never repeat a candidate's question.
        def send(client, n):
            k = fx.pool_scheduled[0]
            fx.pool_scheduled[0] += 1
            starts = timezone.localtime(timezone.now()) + timezone.timedelta(days=30, hours=2 * k)
            return client.post("/interviews/new/", {
                "candidate": fx.pool_candidates[k % len(fx.pool_candidates)], "plan": plan,
                "starts_at": starts.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": fx.pool_minutes,
                "interviewers": fx.pool_panel,
            })

        return send

    def after_a_decision(send):
        def send_after(client, n):
            from scoring.models import Decision

            candidates = fx.decided_candidates
            Decision.objects.create(candidate_id=candidates[n * 37 % len(candidates)], decision=("hire", "no_hire")[n % 2],
                                    rationale="Bench: a new decision before the view.", by=fx.hm)
            return send(client, n)

        return send_after

    def has(text, times=1):
        return lambda body: None if body.count(text) >= times else f"expected {times}x {text!r}"

    # The REST API's list endpoints (docs/api.md), with a token of the hiring manager: each
    # reads the token, the roles and one page of 50 rows (plus one query per prefetched
    # relation), whatever the data size; they meet the page budget.
    from api.services import token_create

    _, secret = token_create(user=fx.hm, name="bench", scope="read")

    def api_get(url):
        return lambda client, n: client.get(url, HTTP_AUTHORIZATION=f"Bearer {secret}")

    api_lists = [
        Scenario(f"api_{name}", f"API: {label}", "hm", api_get(url), 200, "read", has('"results"'))
        for name, label, url in [
            ("positions", "positions", "/api/v1/positions/"),
            ("candidates", "candidates of the 200-candidate position",
             f"/api/v1/candidates/?position={fx.position_id}"),
            ("plans", "plans", "/api/v1/plans/"),
            ("questions", "questions", "/api/v1/questions/"),
            ("interviews", "interviews of the 200-candidate position",
             f"/api/v1/interviews/?position={fx.position_id}"),
            ("scorecards", "submitted scorecards", "/api/v1/scorecards/"),
            ("decisions", "decisions", "/api/v1/decisions/"),
        ]
    ]

    measured = [
        Scenario("search", f"bank search ?q={SEARCH_TEXT}", "hm", get(f"/questions/?q={SEARCH_TEXT}"), 200, "read",
                 has("<mark>")),
        Scenario("search_narrow", f"bank search ?q={NARROW_TEXT}", "hm", get(f"/questions/?q={NARROW_TEXT}"), 200,
                 "read", has("<mark>")),
        Scenario("bank_list", "bank list, no search", "hm", get("/questions/"), 200, "read"),
        Scenario("question_detail", "question detail", "hm", get(f"/questions/{fx.question_slug}/"), 200, "read"),
        Scenario("plan_builder", "plan builder", "hm", get(f"/plans/{fx.plan_id}/"), 200, "read"),
        Scenario("live", "live interview page", "interviewer", get(f"/interviews/{fx.live_interview}/live/"), 200, "read"),
        Scenario("autosave", "autosave (POST JSON)", "interviewer", autosave, 200, "upsert"),
        Scenario("scorecard_submit", "scorecard submit (POST)", "interviewer", submit, 302, "read"),
        Scenario("schedule_pool", "scheduling, every item a pool of 3 (POST)", "recruiter",
                 schedule(fx.pool_plan), 302, "read"),
        Scenario("schedule_plain", "scheduling, the same plan without pools (POST)", "recruiter",
                 schedule(fx.plain_plan), 302, "read"),
        Scenario("debrief", "debrief", "hm", get(f"/candidates/{fx.debrief_candidate}/debrief/"), 200, "read"),
        Scenario("compare", "comparison, 200-candidate position", "hm", get(f"/positions/{fx.position_id}/compare/"), 200,
                 "read", has("/debrief/", 2)),
        Scenario("calibration", "calibration (stored figures), first view after a decision", "hm",
                 after_a_decision(get("/calibration/")),
                 200, "read"),
        *api_lists,
    ]
    twins = []
    for scenario in measured:
        twins.append(replace(scenario, send=_caches_off(scenario.send), timings=[], baseline_timings=[]))
        twins.append(replace(scenario, name=scenario.name + "_warm", label=scenario.label + " (warm)", timings=[],
                             baseline_timings=[], warm=True))
    # The reference for "search at least 20x faster than ILIKE", about 2 s a request: fewer samples.
    twins.append(Scenario("search_ilike", "admin-style ILIKE scan (same words)", "hm",
                          get(f"/bench/ilike/?q={SEARCH_TEXT}"), 200, "read", has('"count"'), few=True))
    return twins


def _caches_off(send):
    """``send`` with every application cache emptied first: what a view costs in a process
    that has cached nothing (today no page caches its data, so this changes nothing)."""

    def send_cold(client, n):
        from django.core.cache import cache

        cache.clear()
        return send(client, n)

    return send_cold


def _expect(scenario, response, what):
    if response.status_code != scenario.status:
        import re
        said = re.findall(r"(?:alert-danger|invalid-feedback|errorlist)[^>]*>\s*(?:<[^>]+>)*([^<]+)", response.content.decode(errors="replace"))
        raise SystemExit(f"{scenario.name}: {what} answered {response.status_code}, expected {scenario.status}"
                         + (f" ({' '.join(said)[:500]})" if said else ""))


def run_scenarios(fx, *, warmup, requests, timed, only=()):
    """Run every scenario: warm-ups, then (when ``timed``) timed requests paired with their
    baseline, then two counted requests (the lower count is kept: the session is re-saved at
    most once a minute, which may fall on either)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients = {"hm": Client(), "interviewer": Client(), "recruiter": Client()}
    clients["hm"].force_login(fx.hm)
    clients["interviewer"].force_login(fx.interviewer)
    clients["recruiter"].force_login(fx.recruiter)
    baselines = {
        "read": lambda client, n: client.get(f"/bench/baseline/read/{fx.baseline_pk}/"),
        "upsert": lambda client, n: client.post("/bench/baseline/upsert/"),
    }
    all_scenarios = [s for s in scenarios(fx) if not only or s.name.removesuffix("_warm") in only]
    for scenario in all_scenarios:
        client, baseline = clients[scenario.who], baselines[scenario.baseline]
        n, warm = 0, []
        for _ in range(warmup):
            started = time.perf_counter()
            _expect(scenario, scenario.send(client, n), "a warm-up request")
            warm.append((time.perf_counter() - started) * 1000)
            baseline(client, n)
            n += 1
        if timed:
            count = requests * FAST_FACTOR if statistics.median(warm) < FAST_MS else requests
            if scenario.warm or scenario.few:
                count = max(10, count // 4)
            # The collector runs between pairs, never inside a timed request: a collection of
            # the whole Django process costs more than a bare page.
            gc.collect()
            gc.disable()
            try:
                for i in range(count):
                    if i % 20 == 19:
                        gc.collect()
                    pair = [("page", scenario.send), ("baseline", baseline)]
                    if i % 2:
                        pair.reverse()
                    for kind, send in pair:
                        started = time.perf_counter()
                        response = send(client, n)
                        elapsed = (time.perf_counter() - started) * 1000
                        if kind == "page":
                            _expect(scenario, response, "a timed request")
                            scenario.timings.append(elapsed)
                        else:
                            scenario.baseline_timings.append(elapsed)
                    n += 1
            finally:
                gc.enable()
        counted = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as ctx:
                response = scenario.send(client, n)
            n += 1
            _expect(scenario, response, "a counted request")
            counted.append(len(ctx.captured_queries))
            if scenario.check:
                problem = scenario.check(response.content.decode())
                if problem:
                    raise SystemExit(f"{scenario.name}: the page is not what was expected ({problem})")
        scenario.queries = min(counted)
        with CaptureQueriesContext(connection) as ctx:
            baseline(client, n)
        scenario.baseline_queries = len(ctx.captured_queries)
        if timed:
            p50, base_p50 = statistics.median(scenario.timings), statistics.median(scenario.baseline_timings)
            log(f"  {scenario.name:<22} p50 {p50:8.1f} ms   p95 {p95(scenario.timings):8.1f} ms   "
                f"baseline p50 {base_p50:6.1f} ms   ratio {p50 / base_p50:6.1f}   {scenario.queries} queries")
    return {s.name: s for s in all_scenarios}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=50,
                        help=f"timed requests per page (default 50; {FAST_FACTOR}x as many for pages under {FAST_MS} ms)")
    # 12: the connection prepares a statement on its fifth run and PostgreSQL settles its plan
    # over the next five (config/database.py), so the timed requests see the steady state a
    # long-lived app connection is in, as the baseline's three statements are.
    parser.add_argument("--warmup", type=int, default=12, help="untimed requests first (default 12)")
    parser.add_argument("--keep-running", action="store_true",
                        help="leave the bench PostgreSQL running, with its data, afterwards (else both are removed)")
    parser.add_argument("--pgdata", type=Path, default=PGDATA, help="the server's data folder (default .pgdata-bench)")
    parser.add_argument("--quick", action="store_true", help="a tenth of the large data set, to try the script out")
    parser.add_argument("--only", default="", help="comma-separated requests to measure (e.g. schedule_pool): "
                        "printed, not written to bench/results.json; budgets checked")
    args = parser.parse_args()
    only = {name for name in args.only.split(",") if name}
    os.chdir(ROOT)

    pgdata = args.pgdata.resolve()
    load_at_start = [round(x, 2) for x in os.getloadavg()]  # other work on the machine skews the figures
    server = fresh_server(pgdata)  # .pgdata-bench/ (about 2 GB), deleted at the end unless --keep-running
    try:
        log(f"PostgreSQL started in {pgdata}; migrating and loading the built-in bank")
        prepare_template(server)
        admin_sql(server, "CREATE DATABASE bench_small TEMPLATE bench_template",
                  "CREATE DATABASE bench TEMPLATE bench_template")
        from bench import seed as seeding

        n_submit = 2 * (args.warmup + args.requests * FAST_FACTOR + 2)  # cold and warm rows
        # Small data set first: the query count of every request, to compare with the large one.
        use_database("bench_small")
        ids, small_counts, _ = seeding.seed(server.get_uri(database="bench_small"), seeding.SMALL, log)
        small = run_scenarios(prepare_fixtures(ids, n_submit=2 * (2 + 2)), warmup=2, requests=0, timed=False, only=only)
        log("Small data set: " + ", ".join(f"{name} {s.queries}" for name, s in small.items()) + " queries")
        small_sweep = time_sweep()

        use_database("bench")
        scale = seeding.QUICK if args.quick else seeding.LARGE
        ids, large_counts, seed_seconds = seeding.seed(server.get_uri(database="bench"), scale, log)
        log(f"Seeded in {seed_seconds:.0f}s: " + ", ".join(f"{k} {v}" for k, v in large_counts.items()))
        fixtures = prepare_fixtures(ids, n_submit=n_submit)
        log(f"Timing {args.requests} requests per page ({args.requests * FAST_FACTOR} for pages under {FAST_MS} ms) "
            f"after {args.warmup} warm-ups, each paired with its baseline")
        results = run_scenarios(fixtures, warmup=args.warmup, requests=args.requests, timed=True, only=only)

        # What the worker does in the background every minute when the data changed (the page
        # itself reads the stored result): not a request, so not budgeted; for information.
        from scoring.calibration import calibration_refresh

        refresh_seconds = []
        for _ in range(3):
            started = time.perf_counter()
            calibration_refresh(force=True)
            refresh_seconds.append(time.perf_counter() - started)
        log(f"  calibration_refresh (the worker's job) median {statistics.median(refresh_seconds):.2f} s")
        sweep = time_sweep()
        sweep["queries_small"] = small_sweep["queries"]
        log(f"  scorecard reminder sweep (the worker's job, every ten minutes): median {sweep['seconds']:.3f} s, "
            f"{sweep['queries']} queries ({sweep['queries_small']} on the small data set), {sweep['due']} due")
        if sweep["queries"] != sweep["queries_small"]:
            failures_extra = [f"reminder sweep: {sweep['queries']} queries on the large data set, "
                              f"{sweep['queries_small']} on the small one"]
        else:
            failures_extra = []

        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server_version = cursor.fetchone()[0]
        info = machine(server_version)
        info["loadavg_at_start"], info["loadavg_at_end"] = load_at_start, [round(x, 2) for x in os.getloadavg()]
        rows, failures = evaluate(results, small)
        failures += failures_extra
        print_table(rows, {s.name: s.label for s in results.values()})
        if only:  # a partial run leaves the recorded results as they are
            raise SystemExit(("BUDGETS MISSED:\n  " + "\n  ".join(failures)) if failures else None)
        RESULTS.write_text(json.dumps(rows, indent=2) + "\n")
        meta = {
            "machine": info,
            "seed": {**large_counts, "seconds": round(seed_seconds), "small_data_set": small_counts},
            "calibration_refresh_seconds": round(statistics.median(refresh_seconds), 3),
            "reminder_sweep": sweep,
            "method": {"timed_requests": args.requests, "fast_factor": FAST_FACTOR, "fast_ms": FAST_MS,
                       "warmup_requests": args.warmup, "search_text": SEARCH_TEXT,
                       "requests": {name: len(s.timings) for name, s in results.items()},
                       "clock": "time.perf_counter around django.test.Client, in process, full middleware stack; "
                                "each request alternated with its baseline; garbage collection between pairs"},
        }
        META.write_text(json.dumps(meta, indent=2) + "\n")
        log(f"Wrote {RESULTS.relative_to(ROOT)} and {META.relative_to(ROOT)}")
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        if not args.keep_running:
            remove_server(pgdata)
    if failures:
        print("\nBUDGETS MISSED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("\nAll budgets met.")


if __name__ == "__main__":
    main()
