"""Running the bank's SQL questions against PostgreSQL.

``run_sql_question(cursor, sql)`` takes a DB-API cursor of an open transaction (a Django
cursor inside a test, or a psycopg connection's cursor) and the question's ``sql`` block. It
works under a savepoint that it rolls back: a throwaway schema first on the search path,
the question's schema and data, its reference query compared with ``expected_rows``, then
every wrong query, which must return other rows or fail. Each statement has a time limit.
Nothing it creates survives the call. No Django dependency, like bankfiles.py: the tests and
``python -m questionbank.bankfiles --sql`` both use it.
"""

import datetime
import decimal
import math
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


def _first_line(exc):
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _run(cursor, statement, name):
    """Run ``statement`` under its own savepoint: (rows, None), or (None, why it failed)."""
    cursor.execute(f"SAVEPOINT {name}")
    try:
        cursor.execute(statement)
        rows = cursor.fetchall() if cursor.description is not None else None
    except Exception as exc:  # any failure of the author's SQL is a finding, not a crash
        cursor.execute(f"ROLLBACK TO SAVEPOINT {name}")
        return None, _first_line(exc)
    cursor.execute(f"RELEASE SAVEPOINT {name}")
    return rows, None


def run_sql_question(cursor, sql, *, timeout_ms=STATEMENT_TIMEOUT_MS):
    """Check one SQL question; return a list of problems (empty when it is right)."""
    problems = []
    schema = f"bank_check_{uuid.uuid4().hex[:12]}"
    cursor.execute("SAVEPOINT bank_sql_question")
    try:
        cursor.execute(f"SET LOCAL statement_timeout = {int(timeout_ms)}")
        cursor.execute(f"CREATE SCHEMA {schema}")
        cursor.execute(f"SET LOCAL search_path TO {schema}")
        for part in ("schema", "data"):
            _, error = _run(cursor, sql[part], "bank_sql_setup")
            if error:
                return [f"sql.{part} fails: {error}"]
        rows, error = _run(cursor, sql["reference_query"], "bank_sql_reference")
        if error:
            return [f"sql.reference_query fails: {error}"]
        if rows is None:
            return ["sql.reference_query returns no rows (is it a SELECT?)"]
        difference = rows_differ(rows, sql["expected_rows"], ordered=sql["ordered"])
        if difference:
            problems.append(f"sql.reference_query: {difference}")
        for n, wrong in enumerate(sql.get("wrong_queries") or [], 1):
            rows, error = _run(cursor, wrong["query"], "bank_sql_wrong")
            if error is None and rows is not None and not rows_differ(rows, sql["expected_rows"], ordered=sql["ordered"]):
                problems.append(f"sql.wrong_queries[{n}]: returns the expected rows ({wrong.get('mistake')!r})")
        return problems
    finally:
        cursor.execute("ROLLBACK TO SAVEPOINT bank_sql_question")
        cursor.execute("RELEASE SAVEPOINT bank_sql_question")
