"""Coding and SQL questions run: every reference solution passes its hidden tests and every
wrong one is rejected (Python in a child process with a time limit, SQL against the test
PostgreSQL), and the runners themselves catch what they must."""

import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from questionbank import bankcheck, bankfiles, bankrun, banksql
from questionbank.banksql import rows_differ, run_sql_question
from tests.questionbank.bank_fixtures import (
    CODING,
    SQL_ORDERED,
    SQL_UNORDERED,
    coding_question,
    sql_question,
    write_bank,
)

BANK = [bankfiles.read_question_file(p) for p in bankfiles.question_files()]
CODING_QUESTIONS = [q for q in BANK if q.get("kind") == "coding"]
SQL_QUESTIONS = [q for q in BANK if q.get("kind") == "sql"]


def test_the_bank_has_its_runnable_questions():
    """The issue's minimums: 15 ML coding questions and 10 SQL ones (besides the general puzzles)."""
    assert len([q for q in CODING_QUESTIONS if q["area"] == "ml-coding"]) >= 15
    assert len(SQL_QUESTIONS) >= 10


@pytest.mark.parametrize("data", CODING_QUESTIONS, ids=lambda q: q["slug"])
def test_a_coding_question_passes_its_reference_and_rejects_each_wrong_solution(data):
    coding = data["coding"]
    assert len(coding["test_cases"]) >= bankfiles.MIN_TEST_CASES
    assert coding.get("wrong_solutions"), "needs at least one wrong solution the tests reject"
    results = bankrun.run_solutions(coding, [coding["reference_solution"]] + [w["code"] for w in coding["wrong_solutions"]])
    assert results[0] == []
    for wrong, failures in zip(coding["wrong_solutions"], results[1:]):
        # It runs, and fails a case by a wrong value or an exception of its own logic.
        assert bankrun.wrong_solution_problem(failures) is None, (wrong["mistake"], failures)


@pytest.mark.django_db
@pytest.mark.parametrize("data", SQL_QUESTIONS, ids=lambda q: q["slug"])
def test_an_sql_question_returns_its_rows_and_rejects_each_wrong_query(data):
    with connection.cursor() as cursor:
        assert run_sql_question(cursor, data["sql"]) == []


# The coding runner.

def test_the_runner_passes_a_right_solution_and_names_each_failing_case():
    wrong = "def running_max(values):\n    return sorted(values)\n"
    right, failures = bankrun.run_solutions(CODING, [CODING["reference_solution"], wrong])
    assert right == []
    assert failures == ["case 'falling': expected [3, 3, 3], got [1, 2, 3]",
                        "case 'negatives': expected [-5, -5, -1], got [-7, -5, -1]"]


def test_an_endless_loop_is_a_reported_failure_within_the_time_limit():
    loop = "def running_max(values):\n    while True:\n        pass\n"
    started = time.monotonic()
    [failures] = bankrun.run_solutions(CODING, [loop], seconds=1)
    assert failures == ["took more than 1 s (an endless loop?)"]
    assert time.monotonic() - started < 5


def test_a_loop_stuck_in_one_c_call_is_killed_and_reported():
    """The CPU limit stops a loop inside one C call (the alarm cannot interrupt it); a child
    that sleeps with the alarm ignored uses no CPU and is killed at the wall-clock limit."""
    stuck = "def running_max(values):\n    return sum(range(10**15))\n"
    started = time.monotonic()
    [failures] = bankrun.run_solutions(CODING, [stuck], seconds=1)
    assert failures == ["used more than 3 s of CPU (killed)"]
    assert time.monotonic() - started < 5
    asleep = ("import signal, time\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
              "def running_max(values):\n    return time.sleep(30)\n")
    started = time.monotonic()
    [failures] = bankrun.run_solutions(CODING, [asleep], seconds=1)
    assert failures == [f"did not finish within {1 + bankrun.CHILD_SLACK_SECONDS} s (killed)"]
    assert time.monotonic() - started < 1 + bankrun.CHILD_SLACK_SECONDS + 2


def test_crashes_exits_prints_and_missing_functions_are_failures_not_crashes_of_the_check():
    codes = [
        "def running_max(values):\n    return values[10]\n",
        "import sys\nsys.exit(3)\n",
        "def running_max(values):\n    print('debugging')\n    return list(values)\n",
        "def other(values):\n    return values\n",
        "def running_max(values:\n",
    ]
    raised, exited, printed, missing, syntax = bankrun.run_solutions(CODING, codes)
    assert raised[0] == "case 'empty' raised IndexError('list index out of range')"
    assert exited == ["does not run: SystemExit(3)"]
    assert printed == ["case 'falling': expected [3, 3, 3], got [3, 2, 1]",
                       "case 'negatives': expected [-5, -5, -1], got [-5, -7, -1]"]
    assert missing == ["defines no function 'running_max'"]
    assert syntax[0].startswith("does not run: SyntaxError(")


def test_a_solution_that_ends_the_child_fails_every_solution_of_the_question():
    """One child per question: a solution that kills it (os._exit) leaves no results, so each
    solution is reported, never passed."""
    results = bankrun.run_solutions(CODING, [CODING["reference_solution"], "import os\nos._exit(0)\n"])
    assert results == [["crashed the runner: exit status 0"]] * 2


def test_the_child_runs_isolated_from_the_project(monkeypatch):
    """python -I -S, no inherited environment, a temporary working directory: the standard
    library only (no site-packages: yaml and django are installed in the project's venv)."""
    code = (
        "import os, sys\n"
        "def running_max(values):\n"
        "    try:\n"
        "        import yaml\n"
        "        site = True\n"
        "    except ImportError:\n"
        "        site = False\n"
        "    return [sys.flags.isolated, sys.flags.no_site, site, sorted(os.environ), os.getcwd()]\n"
    )
    monkeypatch.setenv("SECRET_KEY", "not for the child")
    coding = {**CODING, "test_cases": [{"name": "flags", "args": [[0]], "expected": None}]}
    [[failure]] = bankrun.run_solutions(coding, [code])
    got = eval(failure.split(", got ", 1)[1])  # the runner writes the value's repr
    assert got[:4] == [1, 1, False, ["LC_ALL", "PATH"]]
    assert Path(got[4]).name.startswith("bank-run-") and not Path(got[4]).exists()


def _processes_with(token):
    """Live (not zombie) processes whose command line holds ``token``."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if token in cmdline and state != "Z":
            found.append(proc.name)
    return found


@pytest.mark.parametrize("waits", [False, True], ids=["returns", "waits-for-it"])
def test_a_process_a_solution_starts_is_killed_with_its_group_and_holds_nothing_up(waits):
    """A solution that starts a sleeping process (which would inherit a pipe) neither holds the
    check up nor outlives it: the child's process group is killed when the child ends."""
    token = f"bank-grandchild-{uuid.uuid4().hex}"
    code = (
        "import subprocess, sys\n"
        "def running_max(values):\n"
        f"    child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)', {token!r}])\n"
        + ("    child.wait()\n" if waits else "")
        + "    return values\n"
    )
    started = time.monotonic()
    right, wrong = bankrun.run_solutions(CODING, [CODING["reference_solution"], code], seconds=1)
    elapsed = time.monotonic() - started
    assert right == []
    assert wrong == (["took more than 1 s (an endless loop?)"] if waits
                     else ["case 'falling': expected [3, 3, 3], got [3, 2, 1]",
                           "case 'negatives': expected [-5, -5, -1], got [-5, -7, -1]"])
    assert elapsed < (3 if waits else 2)
    time.sleep(0.2)
    assert _processes_with(token) == []


def test_a_wrong_solution_must_run_and_fail_a_case_by_its_mistake():
    verdict = bankrun.wrong_solution_problem
    [syntax, missing, typo, mistake, raised] = bankrun.run_solutions(CODING, [
        "def running_max(values:\n",
        "def other(values):\n    return values\n",
        "def running_max(values):\n    return [maximum(values[:i + 1]) for i in range(len(values))]\n",
        "def running_max(values):\n    return sorted(values)\n",
        "def running_max(values):\n    return [max(values)] * len(values)\n",
    ])
    assert verdict(syntax).startswith("does not run: SyntaxError(")
    assert verdict(missing) == "does not run: defines no function 'running_max'"
    assert verdict(typo).startswith("does not run: fails only by a typo, never a wrong answer (case 'one' raised "
                                    "NameError(")
    assert verdict(mistake) is None
    assert verdict(raised) is None  # max() of an empty list: an exception its own logic raises
    assert verdict([]) == "passes every test case"


def test_check_bank_reports_a_wrong_solution_that_does_not_run(tmp_path):
    data = coding_question()
    data["coding"]["wrong_solutions"].append({"mistake": "a typo", "code": "def running_max(values:\n    return values\n"})
    data["coding"]["wrong_solutions"].append({"mistake": "misnamed", "code": "def runningmax(values):\n    return values\n"})
    problems = bankfiles.check_bank(write_bank(tmp_path, data))[1]
    assert len(problems) == 2
    assert problems[0].startswith("ml-coding/test-running-max.yaml: coding.wrong_solutions[2]: does not run: SyntaxError(")
    assert problems[0].endswith("('a typo')")
    assert problems[1] == ("ml-coding/test-running-max.yaml: coding.wrong_solutions[3]: does not run: "
                           "defines no function 'running_max' ('misnamed')")


def test_tolerance_compares_numbers_within_it_nested_in_lists_and_dicts():
    code = "def f(x):\n    return {'loss': 0.1 + 0.2, 'grads': [1 / 3, 2.0000004], 'n': 3}\n"
    cases = [{"name": "nested", "args": [0], "expected": {"loss": 0.3, "grads": [0.333333, 2.0], "n": 3}}]
    coding = {"function": "f", "test_cases": cases}
    assert bankrun.run_solutions({**coding, "tolerance": 1e-6}, [code]) == [[]]
    [exact] = bankrun.run_solutions(coding, [code])
    assert exact and exact[0].startswith("case 'nested': expected")
    [loose] = bankrun.run_solutions({**coding, "tolerance": 1e-9}, [code])
    assert loose, "1/3 against 0.333333 differs by more than 1e-9"
    # A boolean is not the number 1, tolerance or not.
    assert bankrun.run_solutions({"function": "f", "tolerance": 0.5, "test_cases": [
        {"name": "bool", "args": [0], "expected": True}]}, ["def f(x):\n    return 1\n"]) != [[]]


def test_check_bank_reports_a_wrong_solution_the_tests_accept_and_a_failing_reference(tmp_path):
    accepted = coding_question()
    accepted["coding"]["wrong_solutions"].append(
        {"mistake": "not actually wrong", "code": CODING["reference_solution"]})
    broken = coding_question("test-broken-max", title="Coding: a running maximum that crashes",
                             prompt="Write a running maximum that works on an empty list too.")
    broken["coding"]["reference_solution"] = "def running_max(values):\n    return [max(values)] * len(values)\n"
    bank = write_bank(tmp_path, accepted, broken)
    _, problems = bankfiles.check_bank(bank)
    assert problems == [
        "ml-coding/test-broken-max.yaml: coding: case 'empty' raised ValueError('max() arg is an empty sequence')",
        "ml-coding/test-broken-max.yaml: coding: case 'rising': expected [1, 2, 3], got [3, 3, 3]",
        "ml-coding/test-broken-max.yaml: coding: case 'negatives': expected [-5, -5, -1], got [-1, -1, -1]",
        "ml-coding/test-running-max.yaml: coding.wrong_solutions[2]: passes every test case ('not actually wrong')",
    ]
    # The loader checks the files' shapes but leaves running code to the checker and the tests.
    assert bankfiles.check_bank(bank, full=False)[1] == []


# The SQL runner.

@pytest.mark.django_db
@pytest.mark.parametrize("sql", [SQL_ORDERED, SQL_UNORDERED], ids=["ordered", "multiset"])
def test_the_sql_fixtures_pass_and_leave_nothing_behind(sql):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('search_path'), current_setting('statement_timeout')")
        settings_before = cursor.fetchone()
        assert run_sql_question(cursor, sql) == []
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'bank_check_%%'")
        assert cursor.fetchone() == (0,)
        cursor.execute("SELECT current_setting('search_path'), current_setting('statement_timeout')")
        assert cursor.fetchone() == settings_before
        assert settings_before[1] != "3s"
        cursor.execute("SELECT count(*) FROM questionbank_question")
        assert cursor.fetchone()[0] > 0


@pytest.mark.django_db
def test_a_wrong_query_that_returns_the_expected_rows_or_does_not_run_is_reported():
    """A wrong query must run and return other rows: one that fails tests nothing."""
    sql = {**SQL_ORDERED, "wrong_queries": SQL_ORDERED["wrong_queries"] + [
        {"mistake": "the same query spelled differently",
         "query": "SELECT customer, sum(amount), min(placed_on), avg(amount) FROM orders\n"
                  "WHERE placed_on BETWEEN '2026-01-01' AND '2026-01-31' GROUP BY 1 ORDER BY 2 DESC;"},
        {"mistake": "does not parse", "query": "SELEKT 1;"},
        {"mistake": "a missing column", "query": "SELECT customer, total FROM orders;"},
        {"mistake": "not a query", "query": "DELETE FROM orders;"},
    ]}
    with connection.cursor() as cursor:
        assert run_sql_question(cursor, sql) == [
            "sql.wrong_queries[3]: returns the expected rows ('the same query spelled differently')",
            "sql.wrong_queries[4] does not run: syntax error at or near \"SELEKT\" ('does not parse'); "
            "a wrong query must run and return other rows",
            "sql.wrong_queries[5] does not run: column \"total\" does not exist ('a missing column'); "
            "a wrong query must run and return other rows",
            "sql.wrong_queries[6] returns no rows (is it a SELECT?) ('not a query')"]


@pytest.mark.django_db
def test_a_reference_query_that_disagrees_with_its_expected_rows_is_reported():
    wrong_total = {**SQL_ORDERED, "expected_rows": [["ana", 14.7501, "2026-01-05", 7.375], ["bo", 7.0, "2026-01-06", 7.0]]}
    swapped = {**SQL_ORDERED, "expected_rows": list(reversed(SQL_ORDERED["expected_rows"]))}
    broken = {**SQL_ORDERED, "reference_query": "SELECT nothing FROM orders;"}
    with connection.cursor() as cursor:
        assert run_sql_question(cursor, wrong_total) == [
            "sql.reference_query: row 1 is ['ana', 14.75, '2026-01-05', 7.375], expected ['ana', 14.7501, '2026-01-05', 7.375]"]
        # Expected rows in the wrong order: the reference fails, and the wrong query that sorts
        # ascending now "passes", so it is reported too.
        assert run_sql_question(cursor, swapped) == [
            "sql.reference_query: row 1 is ['ana', 14.75, '2026-01-05', 7.375], expected ['bo', 7.0, '2026-01-06', 7.0]",
            "sql.wrong_queries[2]: returns the expected rows ('orders ascending')"]
        assert run_sql_question(cursor, broken)[0].startswith('sql.reference_query fails: column "nothing" does not exist')
        # The connection is still usable after each failure.
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.django_db
def test_a_query_that_runs_too_long_is_stopped_and_reported():
    slow = {**SQL_ORDERED, "reference_query": "SELECT pg_sleep(5);"}
    started = time.monotonic()
    with connection.cursor() as cursor:
        problems = run_sql_question(cursor, slow, timeout_ms=300)
    assert problems == ["sql.reference_query fails: canceling statement due to statement timeout"]
    assert time.monotonic() - started < 3


@pytest.mark.django_db
def test_the_client_cancels_a_statement_that_outlives_the_limit_whatever_the_server_setting():
    """The watchdog holds the limit even with no statement_timeout on the server (as if SQL had
    lifted it): a second after the limit, the statement is cancelled and reported."""
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 0")
        assert banksql._run(cursor, "SELECT pg_sleep(10)", "bank_sql_test", 200) == (
            None, "took more than 200 ms (cancelled)")
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert time.monotonic() - started < 3


@pytest.mark.django_db
def test_broken_schema_or_data_is_reported():
    with connection.cursor() as cursor:
        assert run_sql_question(cursor, {**SQL_ORDERED, "data": "INSERT INTO orders VALUES (1);"}) == [
            'sql.data fails: null value in column "customer" of relation "orders" violates not-null constraint']


def _test_database_url():
    connection.ensure_connection()
    return connection.connection.info.dsn


def _committed(query):
    """``query``'s first value as another connection sees it: only what was committed."""
    with psycopg.connect(_test_database_url()) as other:
        return other.execute(query).fetchone()[0]


@pytest.mark.django_db
def test_sql_that_would_commit_is_refused_before_anything_runs():
    escaping = {**SQL_ORDERED, "data": SQL_ORDERED["data"] + "COMMIT;\nCREATE TABLE public.escaped_tbl (y int);\n"}
    with connection.cursor() as cursor:
        assert run_sql_question(cursor, escaping) == [
            "sql.data: statement 2 uses COMMIT, which the runner refuses (it would end the transaction, change a "
            "setting or reach outside the check)"]
        cursor.execute("SELECT count(*) FROM questionbank_question")
        assert cursor.fetchone()[0] > 0  # the test's transaction is intact
    assert _committed("SELECT to_regclass('public.escaped_tbl') IS NULL") is True
    assert _committed("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'bank_check_%'") == 0


@pytest.mark.django_db
def test_sql_that_would_lift_the_time_limit_is_refused():
    lifting = {**SQL_ORDERED, "reference_query": "SET statement_timeout = 0; SELECT pg_sleep(4), 1"}
    by_function = {**SQL_ORDERED, "wrong_queries": [
        {"mistake": "sneaky", "query": "SELECT set_config('statement_timeout', '0', true), pg_sleep(4)"}]}
    started = time.monotonic()
    with connection.cursor() as cursor:
        assert run_sql_question(cursor, lifting) == [
            "sql.reference_query: statement 1 uses SET, which the runner refuses (it would end the transaction, "
            "change a setting or reach outside the check)",
            "sql.reference_query: exactly one statement, not 2"]
        assert run_sql_question(cursor, by_function)[0].startswith("sql.wrong_queries[1]: statement 1 uses SET_CONFIG")
    assert time.monotonic() - started < 1


@pytest.mark.parametrize("text, words", [
    ("SELECT 'COMMIT; SET x' -- ROLLBACK;\n, 1", [["SELECT"]]),
    ("SELECT E'it\\'s; COMMIT', \"odd;\"\"name\" FROM t /* ; BEGIN /* nested; */ END; */ WHERE a", [["SELECT", "E", "FROM", "T", "WHERE", "A"]]),
    ("CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; COMMIT; $body$ LANGUAGE sql; SELECT $$;$$",
     [["CREATE", "FUNCTION", "F", "RETURNS", "INT", "AS", "LANGUAGE", "SQL"], ["SELECT"]]),
    ("UPDATE t SET a = 1;\n  -- only a comment;\n;", [["UPDATE", "T", "SET", "A"]]),
])
def test_statements_split_outside_quotes_and_comments(text, words):
    assert [w for _, w in banksql.split_statements(text)] == words


@pytest.mark.parametrize("statement, refused", [
    ("commit", "COMMIT"), ("ROLLBACK", "ROLLBACK"), ("begin", "BEGIN"), ("START TRANSACTION", "START"),
    ("SAVEPOINT x", "SAVEPOINT"), ("RELEASE SAVEPOINT bank_sql_question", "RELEASE"), ("END", "END"),
    ("RESET ALL", "RESET"), ("SET search_path TO public", "SET"), ("DO $$ BEGIN END $$", "DO"),
    ("COPY t TO '/tmp/x'", "COPY"), ("CREATE DATABASE x", "CREATE DATABASE"), ("DROP ROLE x", "DROP ROLE"),
    ("ALTER SYSTEM SET work_mem = '1GB'", "ALTER SYSTEM"), ("LISTEN x", "LISTEN"),
    ("CREATE OR REPLACE FUNCTION f() RETURNS int AS 'SELECT 1' LANGUAGE sql", "CREATE FUNCTION"),
    ("SELECT 1, pg_terminate_backend(1)", "PG_TERMINATE_BACKEND"),
    ("CREATE CONSTRAINT TRIGGER t AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()", "CREATE TRIGGER"),
    ("DROP OWNED BY someone", "DROP OWNED"), ("CREATE UNIQUE INDEX ON t (a)", None),
    ("UPDATE t SET a = 1", None), ("CREATE TABLE t (a int)", None), ("SELECT 'commit'", None),
    ("ALTER TABLE t ALTER a SET DEFAULT 1", None),
])
def test_the_runner_refuses_statements_that_end_the_transaction_or_change_settings(statement, refused):
    [(_, words)] = banksql.split_statements(statement)
    assert banksql.refused_word(words) == refused


@pytest.mark.django_db
def test_a_lost_savepoint_is_a_reported_problem_not_a_crash(monkeypatch):
    """Should SQL ever get past the lexical check and end the transaction, the check reports it
    (on a connection of its own here: a COMMIT would end the test's transaction)."""
    monkeypatch.setattr(banksql, "statement_problems", lambda sql: [])
    with psycopg.connect(_test_database_url()) as other, other.cursor() as cursor:
        try:
            problems = run_sql_question(cursor, {**SQL_ORDERED, "data": "COMMIT;"})
            assert problems[0].startswith('the check could not go on: savepoint "bank_sql_setup" does not exist')
            assert problems[1:] == ["the question's SQL ended the transaction (COMMIT or ROLLBACK?): what it did "
                                    "before may have been kept"]
        finally:
            other.rollback()
            cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'bank_check_%%'")
            for (schema,) in cursor.fetchall():
                cursor.execute(f"DROP SCHEMA {schema} CASCADE")
            other.commit()


def test_unordered_rows_compare_as_a_multiset_and_ordered_rows_in_order():
    want = [[1, "a"], [1, "a"], [2, None]]
    assert rows_differ([(2, None), (1, "a"), (1, "a")], want, ordered=False) is None
    assert rows_differ([(2, None), (1, "a"), (2, None)], want, ordered=False) == \
        "no row [1, 'a'] in the result (rows compared in any order)"
    assert rows_differ([(2, None), (1, "a"), (1, "a")], want, ordered=True) == "row 1 is [2, None], expected [1, 'a']"
    assert rows_differ([(1, "a")], want, ordered=False) == "1 rows, expected 3"


def test_values_compare_as_the_bank_files_write_them():
    import datetime
    from decimal import Decimal

    got = [(Decimal("0.3333333"), datetime.date(2026, 1, 5), datetime.datetime(2026, 1, 5, 9, 30), None, True)]
    assert rows_differ(got, [[1 / 3, "2026-01-05", "2026-01-05T09:30:00", None, True]], ordered=True) is None
    # YAML reads an unquoted date as a date: it compares the same.
    assert rows_differ(got, [[0.3333333, datetime.date(2026, 1, 5), "2026-01-05T09:30:00", None, True]], ordered=True) is None
    assert rows_differ(got, [[0.3334, "2026-01-05", "2026-01-05T09:30:00", None, True]], ordered=True) is not None
    assert rows_differ(got, [[1 / 3, "2026-01-05", "2026-01-05T09:30:00", 0, True]], ordered=True) is not None
    assert rows_differ([(1,)], [[True]], ordered=True) is not None


def test_the_sql_fixtures_are_valid_bank_files(tmp_path):
    bank = write_bank(tmp_path, sql_question(), sql_question("test-login-counts", SQL_UNORDERED), coding_question())
    questions, problems = bankfiles.check_bank(bank)
    assert problems == [] and len(questions) == 3


@pytest.mark.django_db
def test_the_checker_runs_sql_questions_when_asked(tmp_path, capsys):
    """On the database --database-url names (here the test database), never DATABASE_URL."""
    wrong = sql_question()
    wrong["sql"]["expected_rows"][0][1] = 14.76
    bank = write_bank(tmp_path, wrong, sql_question("test-login-counts", SQL_UNORDERED))
    counts = "sql 2; junior 0, mid 2, senior 0 (0% senior)\n"  # each stage and level, then the verdict
    assert bankcheck.main([str(bank)]) == 0
    assert capsys.readouterr().out == counts + "2 questions, 0 problems\n"
    assert bankcheck.main([str(bank), "--sql"]) == 1
    assert capsys.readouterr().out == "--sql: no database (pass --database-url URL)\n" + counts + "2 questions, 1 problems\n"
    assert bankcheck.main([str(bank), "--sql", "--database-url", _test_database_url()]) == 1
    assert capsys.readouterr().out == (
        "sql/test-order-totals.yaml: sql.reference_query: row 1 is ['ana', 14.75, '2026-01-05', 7.375], "
        "expected ['ana', 14.76, '2026-01-05', 7.375]\n" + counts + "2 questions, 1 problems\n")


@pytest.mark.django_db
def test_an_sql_question_is_stored_with_its_reference_query_and_tests_but_not_its_wrong_queries(tmp_path):
    from questionbank.loading import load_bank
    from questionbank.models import Question

    bank = write_bank(tmp_path, sql_question(), coding_question())
    load_bank(bank)
    revision = Question.objects.get(slug="test-order-totals").current_revision
    assert revision.reference_solution == SQL_ORDERED["reference_query"].strip()
    assert revision.coding_tests == {
        "language": "sql", "schema": SQL_ORDERED["schema"], "data": SQL_ORDERED["data"], "ordered": True,
        "expected_rows": SQL_ORDERED["expected_rows"],
    }
    coding = Question.objects.get(slug="test-running-max").current_revision
    assert coding.reference_solution == CODING["reference_solution"].strip()
    assert coding.coding_tests == {"language": "python", "function": "running_max", "test_cases": CODING["test_cases"]}
    assert "wrong" not in str(revision.coding_tests) + str(coding.coding_tests)
