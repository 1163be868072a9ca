"""gunicorn configuration for production (and the load test).

gthread workers: each worker process runs a few threads, which suits a Django app that waits
on PostgreSQL. Sized to the machine: one worker per core, four threads each (on the 2-core
reference machine: 2 workers x 4 threads = 8 requests in flight, 8 database connections).
Override with GUNICORN_WORKERS / GUNICORN_THREADS / GUNICORN_BIND.

It listens on loopback by default: production settings trust X-Forwarded-Proto, which only the
TLS proxy in front may set, so gunicorn must not be reachable around it. Bind another address
(GUNICORN_BIND) only when the proxy runs on another machine and a firewall admits only it.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
# The runtime control socket is not used, and its fixed default path would clash between
# several gunicorn masters on one machine (the load test, the two-process test).
control_socket_disable = True
