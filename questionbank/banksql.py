"""Running the bank's SQL questions against PostgreSQL.

``run_sql_question(cursor, sql)`` takes a DB-API cursor of an open transaction (a Django
cursor inside a test, or a psycopg connection's cursor) and the question's ``sql`` block.
First a lexical check (statement_problems): the SQL is split into statements (quotes, dollar
quotes and comments understood), and a statement that would end or escape the transaction,
change a setting or act on the whole server (COMMIT, ROLLBACK, SET, DO, COPY, CREATE
DATABASE, ...) is a problem, and nothing runs. Then it works under a savepoint that it rolls
back: a throwaway schema first on the search path, the question's schema and data, its
reference query compared with ``expected_rows``, then every wrong query, which must run and
return other rows. Each statement has a time limit, set on the server (statement_timeout) and
kept from the client (a timer cancels a statement that outlives it). Nothing it creates
survives the call. No Django dependency, like bankfiles.py: the tests and
``python -m questionbank.bankfiles --sql`` both use it.
"""

import datetime
import decimal
import math
import re
import threading
import uuid

STATEMENT_TIMEOUT_MS = 3000
# Numbers in a result compare within this absolute tolerance (averages, ratios).
NUMBER_TOLERANCE = 1e-6


def plain_value(value):
    """A result value as the bank files write it: Decimal as float, dates and timestamps as
    ISO strings, NULL as None, arrays as lists."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain_value(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def same_value(got, want):
    if isinstance(got, bool) or isinstance(want, bool):
        return got is want
    if isinstance(got, (int, float)) and isinstance(want, (int, float)):
        if math.isnan(got) or math.isnan(want):
            return math.isnan(got) and math.isnan(want)
        return abs(got - want) <= NUMBER_TOLERANCE
    if isinstance(got, list) and isinstance(want, list):
        return len(got) == len(want) and all(same_value(g, w) for g, w in zip(got, want))
    return got == want


def same_row(got, want):
    return len(got) == len(want) and all(same_value(g, w) for g, w in zip(got, want))


def rows_differ(got, want, *, ordered):
    """None when the rows match, else a sentence saying how they differ. Unordered rows are
    compared as a multiset (each expected row matched to one distinct result row)."""
    got = [[plain_value(v) for v in row] for row in got]
    want = [[plain_value(v) for v in row] for row in want]
    if len(got) != len(want):
        return f"{len(got)} rows, expected {len(want)}"
    if ordered:
        for n, (g, w) in enumerate(zip(got, want), 1):
            if not same_row(g, w):
                return f"row {n} is {g!r}, expected {w!r}"
        return None
    unmatched = list(got)
    for w in want:
        match = next((i for i, g in enumerate(unmatched) if same_row(g, w)), None)
        if match is None:
            return f"no row {w!r} in the result (rows compared in any order)"
        unmatched.pop(match)
    return None


def check_sql_questions(questions, url):
    """Run every SQL question of ``questions`` (bank file data) against the PostgreSQL at
    ``url`` on a connection of its own, rolled back at the end; returns the problems."""
    import psycopg

    from .bankfiles import _sql_problems

    problems = []
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        for data in questions:
            if data.get("kind") == "sql" and not _sql_problems(data.get("sql")):
                problems.extend(f"{data['area']}/{data['slug']}.yaml: {p}" for p in run_sql_question(cursor, data["sql"]))
        connection.rollback()
    return problems


# Statements the runner refuses, by their first word (or first two): they end or escape the
# transaction (its savepoint is all that keeps the check from leaving anything behind), change
# settings (the time limit, the search path), run code or files the check cannot see, or act on
# the whole server.
REFUSED_FIRST_WORDS = {
    "ABORT", "BEGIN", "CALL", "CHECKPOINT", "CLOSE", "COMMIT", "COPY", "DEALLOCATE", "DECLARE", "DISCARD",
    "DO", "END", "EXECUTE", "FETCH", "GRANT", "IMPORT", "LISTEN", "LOAD", "LOCK", "MOVE", "NOTIFY", "PREPARE",
    "REASSIGN", "RELEASE", "RESET", "REVOKE", "ROLLBACK", "SAVEPOINT", "SECURITY", "SET", "START", "UNLISTEN",
    "VACUUM",
}
REFUSED_OBJECTS = {  # after CREATE, ALTER or DROP (and CREATE OR REPLACE)
    "DATABASE", "ROLE", "USER", "GROUP", "TABLESPACE", "SYSTEM", "EXTENSION", "SERVER", "SUBSCRIPTION",
    "PUBLICATION", "EVENT", "LANGUAGE", "FUNCTION", "PROCEDURE", "TRIGGER", "RULE", "FOREIGN", "DEFAULT", "OWNED",
}
# Functions that change settings or reach outside the transaction, refused wherever they appear.
REFUSED_FUNCTIONS = {"SET_CONFIG", "PG_TERMINATE_BACKEND", "PG_CANCEL_BACKEND", "PG_RELOAD_CONF", "DBLINK",
                     "DBLINK_EXEC", "PG_READ_FILE", "PG_READ_BINARY_FILE", "LO_IMPORT", "LO_EXPORT"}

_WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9$]*")
_DOLLAR_QUOTE = re.compile(r"\$(?:[A-Za-z_][A-Za-z_0-9]*)?\$")


def split_statements(text):
    """The statements of ``text`` as (statement, words): each statement's source without its
    semicolon, and its bare words upper-cased, leaving out what is inside quotes ('...', E'...',
    "...", $tag$...$tag$) and comments (-- and nested /* */). Statements of nothing but
    comments and blanks are dropped."""
    found, words, start, i, n = [], [], 0, 0, len(text)
    while i < n:
        char = text[i]
        if text.startswith("--", i):
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif char == "'":
            escapes = bool(words) and words[-1] == "E" and text[i - 1] in "eE"
            i += 1
            while i < n:
                if (escapes and text[i] == "\\") or text.startswith("''", i):
                    i += 2
                elif text[i] == "'":
                    break
                else:
                    i += 1
            i += 1
        elif char == '"':
            i += 1
            while i < n and not (text[i] == '"' and not text.startswith('""', i)):
                i += 2 if text.startswith('""', i) else 1
            i += 1
        elif char == "$" and (quote := _DOLLAR_QUOTE.match(text, i)):
            end = text.find(quote.group(0), quote.end())
            i = n if end < 0 else end + len(quote.group(0))
        elif char == ";":
            found.append((text[start:i].strip(), words))
            words, start, i = [], i + 1, i + 1
        elif char.isalpha() or char == "_":
            word = _WORD.match(text, i)
            words.append(word.group(0).upper())
            i = word.end()
        else:
            i += 1
    found.append((text[start:].strip(), words))
    return [(statement, words) for statement, words in found if words]


def refused_word(words):
    """Why the runner refuses a statement with these bare words (None: it may run)."""
    first = words[0]
    if first in REFUSED_FIRST_WORDS:
        return first
    if first in ("CREATE", "ALTER", "DROP"):
        rest = words[1:]
        if rest[:2] == ["OR", "REPLACE"]:
            rest = rest[2:]
        rest = [w for w in rest if w not in ("TRUSTED", "PROCEDURAL", "CONSTRAINT")]
        if rest and rest[0] in REFUSED_OBJECTS:
            return f"{first} {rest[0]}"
    return next((w for w in words if w in REFUSED_FUNCTIONS), None)


def statement_problems(sql):
    """The lexical check of a question's SQL, before anything runs: no statement the runner
    refuses (refused_word), and exactly one statement in the reference and each wrong query."""
    parts = [(f"sql.{part}", sql[part]) for part in ("schema", "data", "reference_query")]
    parts += [(f"sql.wrong_queries[{n}]", wrong["query"]) for n, wrong in enumerate(sql.get("wrong_queries") or [], 1)]
    problems = []
    for where, text in parts:
        statements = split_statements(text)
        for n, (_, words) in enumerate(statements, 1):
            refused = refused_word(words)
            if refused:
                problems.append(f"{where}: statement {n} uses {refused}, which the runner refuses (it would end the "
                                f"transaction, change a setting or reach outside the check)")
        if where != "sql.schema" and where != "sql.data" and len(statements) != 1:
            problems.append(f"{where}: exactly one statement, not {len(statements)}")
    return problems


def _first_line(exc):
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _raw_connection(cursor):
    """The psycopg connection under a psycopg cursor or a Django cursor wrapper."""
    return getattr(cursor, "cursor", cursor).connection


class _Watchdog:
    """Cancels the statement running on ``connection`` once ``seconds`` have passed: the time
    limit held by the client, whatever the SQL did to the server's statement_timeout."""

    def __init__(self, connection, seconds):
        self.connection, self.seconds, self.fired = connection, seconds, False

    def _cancel(self):
        self.fired = True
        getattr(self.connection, "cancel_safe", self.connection.cancel)()

    def __enter__(self):
        self.timer = threading.Timer(self.seconds, self._cancel)
        self.timer.daemon = True
        self.timer.start()
        return self

    def __exit__(self, *exc_info):
        self.timer.cancel()
        self.timer.join()


def _run(cursor, text, name, timeout_ms):
    """Run the statements of ``text`` under a savepoint, each watched by the client-side time
    limit: (rows of the last one, None), or (None, why it failed)."""
    cursor.execute(f"SAVEPOINT {name}")
    rows = None
    for statement, _ in split_statements(text):
        # The server's statement_timeout stops a slow statement first; the watchdog is the
        # backstop, a second later.
        with _Watchdog(_raw_connection(cursor), timeout_ms / 1000 + 1) as watchdog:
            try:
                cursor.execute(statement)
                rows = cursor.fetchall() if cursor.description is not None else None
            except Exception as exc:  # any failure of the author's SQL is a finding, not a crash
                error = f"took more than {timeout_ms} ms (cancelled)" if watchdog.fired else _first_line(exc)
                break
    else:
        cursor.execute(f"RELEASE SAVEPOINT {name}")
        return rows, None
    cursor.execute(f"ROLLBACK TO SAVEPOINT {name}")
    return None, error


def run_sql_question(cursor, sql, *, timeout_ms=STATEMENT_TIMEOUT_MS):
    """Check one SQL question; return a list of problems (empty when it is right). A statement
    the runner refuses is reported before anything runs."""
    problems = statement_problems(sql)
    if problems:
        return problems
    cursor.execute("SAVEPOINT bank_sql_question")
    try:
        problems = _check(cursor, sql, timeout_ms)
    except Exception as exc:  # noqa: BLE001 (the SQL left the transaction in a state the check cannot go on from)
        problems = [f"the check could not go on: {_first_line(exc)}"]
    try:
        cursor.execute("ROLLBACK TO SAVEPOINT bank_sql_question")
        cursor.execute("RELEASE SAVEPOINT bank_sql_question")
    except Exception:  # noqa: BLE001 (the savepoint is gone: a finding, not a crash)
        problems.append("the question's SQL ended the transaction (COMMIT or ROLLBACK?): what it did before may "
                        "have been kept")
    return problems


def _check(cursor, sql, timeout_ms):
    schema = f"bank_check_{uuid.uuid4().hex[:12]}"
    cursor.execute(f"SET LOCAL statement_timeout = {int(timeout_ms)}")
    cursor.execute(f"CREATE SCHEMA {schema}")
    cursor.execute(f"SET LOCAL search_path TO {schema}")
    for part in ("schema", "data"):
        _, error = _run(cursor, sql[part], "bank_sql_setup", timeout_ms)
        if error:
            return [f"sql.{part} fails: {error}"]
    rows, error = _run(cursor, sql["reference_query"], "bank_sql_reference", timeout_ms)
    if error:
        return [f"sql.reference_query fails: {error}"]
    if rows is None:
        return ["sql.reference_query returns no rows (is it a SELECT?)"]
    problems = []
    difference = rows_differ(rows, sql["expected_rows"], ordered=sql["ordered"])
    if difference:
        problems.append(f"sql.reference_query: {difference}")
    for n, wrong in enumerate(sql.get("wrong_queries") or [], 1):
        rows, error = _run(cursor, wrong["query"], "bank_sql_wrong", timeout_ms)
        mistake = wrong.get("mistake")
        if error:
            problems.append(f"sql.wrong_queries[{n}] does not run: {error} ({mistake!r}); a wrong query must run "
                            f"and return other rows")
        elif rows is None:
            problems.append(f"sql.wrong_queries[{n}] returns no rows (is it a SELECT?) ({mistake!r})")
        elif not rows_differ(rows, sql["expected_rows"], ordered=sql["ordered"]):
            problems.append(f"sql.wrong_queries[{n}]: returns the expected rows ({mistake!r})")
    return problems
