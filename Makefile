# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Everything is installed from the lock (every transitive dependency, pinned, with hashes);
# requirements*.txt are only the input to `make lock`. The stamp names the lock's checksum,
# so a changed lock rebuilds .venv from scratch (--clear: nothing the lock dropped lingers).
LOCK := requirements-dev.lock
STAMP := $(VENV)/.installed-$(shell cksum < $(LOCK) | cut -d' ' -f1)

.PHONY: install run serve backup bench bench-realistic test lint format lock check-lock check-corpus bench-search chromium redis clean

$(STAMP): $(LOCK)
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK)
	touch $@

install: $(STAMP)

## Install, migrate, load the corpus and serve on http://127.0.0.1:8000
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_corpus
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## Production: gunicorn (gunicorn.conf.py, which make bench uses too) with
## archive.settings.prod. Needs SECRET_KEY, ALLOWED_HOSTS, SITE_URL and DATABASE_URL
## (PostgreSQL) in the environment; see README.md.
WORKERS ?= 2
BIND ?= 127.0.0.1:8000
serve: install
	DJANGO_SETTINGS_MODULE=archive.settings.prod $(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=archive.settings.prod $(BIN)/python manage.py migrate --noinput
	WORKERS=$(WORKERS) DJANGO_SETTINGS_MODULE=archive.settings.prod $(BIN)/gunicorn \
		--config gunicorn.conf.py --bind $(BIND) --access-logfile -

## Nightly-style backup: export the whole archive to BACKUP_DIR (default backups/, one
## timestamped file a run) and verify it: restored into a scratch database, exported again,
## identical. Fails (non-zero) when the backup would not restore. DATABASE_URL as for run.
BACKUP_DIR ?= backups
backup: install
	@mkdir -p $(BACKUP_DIR)
	$(BIN)/python manage.py export_archive --verify \
		$(BACKUP_DIR)/archive-$$(date -u +%Y%m%dT%H%M%SZ).json

## Load benchmark: production server on PostgreSQL, wrk on loopback (see bench/load.py).
## The development-only bench app comes with archive.settings.bench, never with prod.
bench: install
	@command -v wrk >/dev/null || (apt-get install -y -qq wrk >/dev/null 2>&1 || sudo apt-get install -y -qq wrk)
	$(BIN)/python bench/load.py

## Realistic load: a synthetic archive (REALISTIC_DOCUMENTS, default 100,000) on PostgreSQL,
## Zipf-like requests over documents, records, searches and lists, a curator edit a second,
## the Redis page cache, two workers (see bench/realistic.py).
bench-realistic: install
	@command -v wrk >/dev/null || (apt-get install -y -qq wrk >/dev/null 2>&1 || sudo apt-get install -y -qq wrk)
	$(BIN)/python bench/realistic.py

## The whole suite: the installed packages are the locked ones, migrations are up to date,
## the pre-commit hooks pass (make lint), then unit, view and browser tests, on
## TEST_WORKERS pytest-xdist workers (each with its own test database; 0 runs them in
## this process).
TEST_WORKERS ?= 2
test: install chromium redis check-lock lint
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=archive.settings.test
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

check-corpus: install
	$(BIN)/python manage.py check_corpus

## Search benchmark: a synthetic archive in its own PostgreSQL database (never the dev
## one: bench_search refuses a database it did not make), then p50/p95 of a page mix.
## make bench-search BENCH_ARGS="--documents 20000"   (default 100,000 documents)
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/archive_search_bench
BENCH_ARGS ?=
bench-search: install
	DJANGO_SETTINGS_MODULE=archive.settings.bench $(BIN)/python manage.py collectstatic --noinput -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) DJANGO_SETTINGS_MODULE=archive.settings.bench \
		$(BIN)/python manage.py bench_search $(BENCH_ARGS)

## The pre-commit hooks (.pre-commit-config.yaml: ruff, django-upgrade, djhtml) on every
## file. They fix what they can, and fail (showing the diff) when they changed anything.
## pre-commit keeps its state in .venv, not in ~/.cache.
PRE_COMMIT := PRE_COMMIT_HOME=$(CURDIR)/$(VENV)/pre-commit-home $(BIN)/pre-commit
lint: install
	$(PRE_COMMIT) run --all-files --show-diff-on-failure

## The same hooks, to fix: a first pass rewrites, a second fails only on what is left to
## fix by hand.
format: install
	-@$(PRE_COMMIT) run --all-files >/dev/null
	$(PRE_COMMIT) run --all-files

## Regenerate requirements.lock (from requirements.txt) and requirements-dev.lock (from
## requirements-dev.txt, runtime versions as in requirements.lock) for Python 3.11 on Linux
## x86_64. Locked versions are kept unless an input asks otherwise; LOCK_ARGS=--upgrade
## moves every transitive dependency to its newest release. Needs PyPI. uv is installed
## on demand into a throwaway venv under /tmp (UV_VENV), never into the project's .venv.
UV_VERSION := 0.13.9
UV_VENV ?= /tmp/archive-uv-$(UV_VERSION)
UV := UV_CACHE_DIR=$(UV_VENV)/cache $(UV_VENV)/bin/uv
LOCK_ARGS ?=
LOCK_FLAGS := --quiet --generate-hashes --python-version 3.11 \
	--python-platform x86_64-unknown-linux-gnu --custom-compile-command "make lock" $(LOCK_ARGS)
lock:
	@test -x $(UV_VENV)/bin/uv || { $(PYTHON) -m venv $(UV_VENV) && \
		$(UV_VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION); }
	$(UV) pip compile $(LOCK_FLAGS) requirements.txt -o requirements.lock
	$(UV) pip compile $(LOCK_FLAGS) requirements-dev.txt -c requirements.lock -o requirements-dev.lock

## .venv holds exactly what requirements-dev.lock pins, and the lock holds every pin of
## requirements*.txt (scripts/check-lock; CI can run this)
check-lock: install
	$(BIN)/python scripts/check-lock $(LOCK) $(BIN)/python

## Debian's Chromium for the browser tests (Playwright cannot download its own here)
chromium:
	@./scripts/ensure-chromium

## Redis on 127.0.0.1:6379 for the shared page cache's tests (started if it is not running).
redis:
	@./scripts/ensure-redis

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
