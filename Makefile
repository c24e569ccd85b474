# Nastavnik: `make demo` runs a demo on http://127.0.0.1:8000/, `make test` runs the tests.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The demo lives in its own SQLite file, so it never mixes with a development database.
DEMO_DATABASE_URL ?= sqlite:///$(CURDIR)/demo.sqlite3
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?= -q -rfEs -n auto --dist loadfile --no-loadscope-reorder

.DEFAULT_GOAL := help
.PHONY: help demo test lint worker types-baseline

help:
	@echo "make demo    load the demo into demo.sqlite3 and serve it on http://$(HOST)/ with the task worker"
	@echo "make test    run the whole test suite (browser tests skip without /usr/bin/chromium)"
	@echo "make lint    ruff, formatting, import layers, mypy against its baseline, makemigrations --check"
	@echo "make worker  run the background task worker (manage.py db_worker)"

# Python writes the bytecode of what it imports, even where the environment says not to
# (PYTHONDONTWRITEBYTECODE): otherwise every process the tests and the demo start (each test
# worker, the task workers, gunicorn, the demo's commands) compiles Django, the libraries and
# the project from source again, 2-3 s of CPU each. The files are git-ignored.
unexport PYTHONDONTWRITEBYTECODE

# Re-created only when requirements.lock changes (or the virtualenv is missing). uv, at the
# version the lock pins, installs the lock: the same packages as pip, in 8 s instead of about
# a minute on a fresh machine. What is imported is compiled on first use (above).
$(BIN)/.installed: requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet "$$(grep '^uv==' requirements.lock)"
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	touch $@

# The OpenID Connect provider the single sign-on browser test runs (node's oidc-provider, as
# locked in its package-lock.json); skipped with a note where node is not installed, and then
# that test skips too.
OIDC_PROVIDER := tests/oidc_provider
$(OIDC_PROVIDER)/node_modules/.installed: $(OIDC_PROVIDER)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix $(OIDC_PROVIDER) --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the single sign-on browser test will skip"; fi

demo: export DATABASE_URL = $(DEMO_DATABASE_URL)
demo: $(BIN)/.installed
	$(BIN)/python manage.py migrate --noinput --verbosity 0
	$(BIN)/python manage.py seed_demo --url http://$(HOST)/
	@# The task worker beside the web server: the demo's mail goes to this console and large
	@# imports finish. Ctrl-C stops the server; the trap then stops the worker.
	@trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py db_worker & worker=$$!; \
	$(BIN)/python manage.py runserver $(HOST)

test: $(BIN)/.installed $(OIDC_PROVIDER)/node_modules/.installed
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy nastavnik | $(BIN)/mypy-baseline filter --no-colors --hide-stats
	$(BIN)/python manage.py makemigrations --check --dry-run

# After fixing type errors that mypy-baseline.txt lists: record the shorter list.
types-baseline: $(BIN)/.installed
	$(BIN)/mypy nastavnik | $(BIN)/mypy-baseline sync

worker: $(BIN)/.installed
	$(BIN)/python manage.py db_worker

.PHONY: bench-import bench-matching bench-indicators bench-web bench-pages bench-api bench-api-cost
.PHONY: bench-notifications
# Imports 10,000 students from XLSX and from CSV; DATABASE_URL=postgres://… runs it on PostgreSQL.
bench-import: $(BIN)/.installed
	$(BIN)/python bench/import_people.py

bench-matching: $(BIN)/.installed
	$(BIN)/python bench/matching.py

# One large school's indicators and monitoring (3,000 students, 300 pairs, 10,000 answers);
# DATABASE_URL=postgres://… runs it on PostgreSQL.
bench-indicators: $(BIN)/.installed
	$(BIN)/python bench/indicators.py

# The demo grown to 3,000 more pupils and 300 pairs, served by gunicorn in production settings
# to 100 concurrent users for 60 s (locust); last line: users=… rps=… p50_ms=… p95_ms=… …
# PostgreSQL: BENCH_WEB_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/
# nastavnik_bench_web) is dropped and made anew. BENCH_WEB_ARGS="--users 200" and the like pass options.
bench-web: $(BIN)/.installed
	$(BIN)/python bench/web.py $(BENCH_WEB_ARGS)

# What each page of bench-web's mix costs without load, in one process on the database
# bench-web built (run it first): CPU ms of the application and of PostgreSQL, queries; the last
# line weighs the pages as the load does. BENCH_PAGES_ARGS="--profile /o/school-5/" profiles one.
bench-pages: $(BIN)/.installed
	$(BIN)/python bench/page_cost.py $(BENCH_PAGES_ARGS)

# The REST API's list endpoints on the web benchmark's database (bench/web.py: 3,000 more pupils,
# 300 pairs), 100 clients with a token each for 60 s; last line: p50_ms=… p95_ms=… rps=… errors=…
# PostgreSQL: BENCH_API_DATABASE_URL (default …/nastavnik_bench_api) is dropped and made anew.
# BENCH_API_ARGS="--clients 200" and the like pass options.
bench-api: $(BIN)/.installed
	$(BIN)/python bench/api.py $(BENCH_API_ARGS)

.PHONY: bench-region

# A region of 1,000 organisations, 200,000 mentees and 80,000 mentors on PostgreSQL: matching
# through the application, the operator's dashboard, the regional report (bench/region.py); last
# line: inputs_s=… run_s=… write_s=… total_s=… dashboard_s=… report_s=… peak_mb=…
# BENCH_REGION_ARGS="--quick" for a small region, "--reuse" to keep the generated database.
bench-region: $(BIN)/.installed
	$(BIN)/python bench/region.py $(BENCH_REGION_ARGS)

# A curator with 10,000 notifications opens the list (first page, a middle page, a filter);
# last line: notifications=… list_ms=… queries=…; DATABASE_URL=postgres://… runs it on PostgreSQL.
bench-notifications: $(BIN)/.installed
	$(BIN)/python bench/notifications.py
