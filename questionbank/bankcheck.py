"""The bank checker's command line: ``python -m questionbank.bankfiles [DIR] [--sql]``.

It prints each problem and ``N questions, M problems`` and exits 1 if there are any. ``--sql``
also runs the SQL questions, against ``--database-url URL`` when given, else against the
developer's embedded server (.pgdata). DATABASE_URL is never read: on a server it is the
production database. The checks themselves (bankfiles.py, bankrun.py, banksql.py) have no
Django or project dependency; only this command line looks up the embedded server.
"""

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

from .bankfiles import AREAS, BANK_DIR, LEVELS, check_bank
from .banksql import check_sql_questions


def main(argv, *, default_database_url=None):
    """Run the checker on ``argv``; ``default_database_url`` (a function) gives the database for
    ``--sql`` when ``--database-url`` is not passed. Returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m questionbank.bankfiles",
                                     description="Check the bank files (sizes, shapes, titles, coding solutions).")
    parser.add_argument("directory", nargs="?", default=str(BANK_DIR))
    parser.add_argument("--sql", action="store_true",
                        help="also run the SQL questions against PostgreSQL (the embedded server, or --database-url)")
    parser.add_argument("--database-url", metavar="URL",
                        help="the PostgreSQL database for --sql: a scratch or test database, never production")
    args = parser.parse_args(argv)
    found, issues = check_bank(Path(args.directory))
    if args.sql:
        url = args.database_url or (default_database_url() if default_database_url else None)
        if url is None:
            issues.append("--sql: no database (pass --database-url URL)")
        else:
            issues.extend(check_sql_questions(found, url))
    for line in issues:
        print(line)
    print(bank_counts(found))
    print(f"{len(found)} questions, {len(issues)} problems")
    return 1 if issues else 0


def bank_counts(questions):
    """How many questions each area (stage) and level holds: "llm 30, sql 10, …; junior 47, …
    (35% senior)"."""
    areas = Counter(q.get("area") for q in questions)
    levels = Counter(q.get("level") for q in questions)
    senior = 100 * levels["senior"] // len(questions) if questions else 0
    return (", ".join(f"{area} {areas[area]}" for area in AREAS if areas[area]) + "; "
            + ", ".join(f"{level} {levels[level]}" for level in LEVELS) + f" ({senior}% senior)")


def embedded_server_url():
    """The project's embedded PostgreSQL (started if need be; its data in .pgdata or
    PANELIST_PGDATA)."""
    from config.database import embedded_database_url

    root = Path(__file__).resolve().parent.parent
    return embedded_database_url(os.environ.get("PANELIST_PGDATA") or root / ".pgdata")


def main_with_embedded_server(argv):
    return main(argv, default_database_url=embedded_server_url)


if __name__ == "__main__":
    sys.exit(main_with_embedded_server(sys.argv[1:]))
