# Panelist. Two commands do everything on a fresh Linux machine with Python 3.11+:
#   make run    install, migrate, load the question bank and demo data, serve on :8000 with a
#               job worker beside the server (Ctrl-C stops both)
#   make test   install (with Chromium for browser tests) and run every test
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# apt-get needs root; elsewhere sudo is used when present.
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo >/dev/null 2>&1 && { [ "$$(id -u)" = 0 ] || echo sudo; })

.PHONY: install run test test-fast browser-deps node-deps db-stop demo clean help loadtest bench backup restore simulate

help:
	@echo "make run    - install everything and serve Panelist on http://$(HOST):$(PORT), with a job worker"
	@echo "make test   - install everything (Chromium included) and run all tests"
	@echo "make db-stop - stop the embedded PostgreSQL"
	@echo "make backup  - write the database and media files to backups/panelist-<date>.tar"
	@echo "make restore FILE=... - restore such an archive into an empty database"
	@echo "make simulate - a year of hiring simulated with a fixed plan and with pools, caps and wear checks"

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Panelist needs Python 3.11+") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

node-deps:
	@command -v npm >/dev/null 2>&1 || { echo "Installing Node.js and npm (for Bootstrap's files)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nodejs npm; }

node_modules/.installed: package.json package-lock.json
	$(MAKE) node-deps
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

# Browser tests drive Debian's Chromium through Playwright (Playwright's own browser
# download needs internet access that CI does not have).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { echo "Installing Chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_question_bank
	$(PY) manage.py load_starter_plans
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_demo_interviews
	$(PY) manage.py seed_demo_scores

# The web server and a job worker (docs/operations.md), started and stopped together by
# config/run.py: Ctrl-C stops both, and leaves no worker behind.
run: demo
	@echo "Panelist is at http://$(HOST):$(PORT)/ with a job worker beside it (Ctrl-C stops both)"
	PANELIST_BASE_URL=$${PANELIST_BASE_URL:-http://$(HOST):$(PORT)} $(PY) -m config.run $(HOST):$(PORT)

test: install browser-deps
	$(PY) -m pytest --create-db

test-fast: install
	$(PY) -m pytest -m "not browser"

# Capacity against gunicorn (docs/capacity.md): interviewers autosaving at a human pace with
# recruiters and hiring managers reading pages, at each client level, against autosave and the
# bare one-upsert view; then autosaves back to back (the throughput budget); then a ramp for
# the number of live interviews held. Then the fault run (docs/reliability.md): a worker killed
# and PostgreSQL restarted while interviewers autosave. Loopback only; about 10 minutes;
# writes bench/loadtest-results.json.
LOADTEST_LEVELS ?= 50,100,200
LOADTEST_SECONDS ?= 30
LOADTEST_SATURATION_SECONDS ?= 40
LOADTEST_RAMP ?= 300,400,500,600,800,1000,1200
LOADTEST_RAMP_SECONDS ?= 20
LOADTEST_FAULT_CLIENTS ?= 50
LOADTEST_FAULT_SECONDS ?= 60
loadtest: install
	rm -f bench/loadtest-results.json
	@# Both runs always run; make fails if either did.
	status=0; \
	$(PY) bench/loadtest.py --levels $(LOADTEST_LEVELS) --seconds $(LOADTEST_SECONDS) \
	  --saturation-seconds $(LOADTEST_SATURATION_SECONDS) --ramp "$(LOADTEST_RAMP)" --ramp-seconds $(LOADTEST_RAMP_SECONDS) \
	  --output bench/loadtest-results.json || status=1; \
	$(PY) bench/loadtest.py --faults --clients $(LOADTEST_FAULT_CLIENTS) --seconds $(LOADTEST_FAULT_SECONDS) \
	  --output bench/loadtest-results.json || status=1; \
	exit $$status

# Server time of the main pages on 100k questions / 10k interviews / 200k scores against their
# budgets; its own PostgreSQL in .pgdata-bench/, about 6 minutes; writes bench/results.json
# (docs/performance.md).
bench: install
	$(PY) bench/bench.py

# One dated archive of the database (pg_dump, custom format) and the media files, in backups/
# (docs/operations.md); `make restore FILE=backups/panelist-....tar` puts it into an empty database.
backup: install
	$(PY) -m config.backup create

restore: install
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/panelist-YYYYMMDD-HHMMSS.tar"; exit 2; }
	$(PY) -m config.backup restore "$(FILE)"

db-stop:
	@$(PY) -c "import os, config.database as d; print(d.embedded_stop(os.environ.get('PANELIST_PGDATA') or '.pgdata'))"

clean:
	rm -rf $(VENV) node_modules staticfiles

# A year of hiring simulated twice (bench/simulate.py; docs/scoring.md, "The simulation"):
# pure Python, under a second. SIMULATE_ARGS=--json for the figures as JSON.
simulate: install
	$(PY) bench/simulate.py $(SIMULATE_ARGS)
