"""Production settings plus the load test's URLconf (bench/loadtest_urls.py): gunicorn runs
with these during ``make loadtest`` only."""

from config.settings import *  # noqa: F403 (the project's settings, unchanged)

ROOT_URLCONF = "bench.loadtest_urls"
