# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: install run serve bench test lint format check-corpus bench-search chromium clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

## Install, migrate, load the corpus and serve on http://127.0.0.1:8000
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_corpus
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## Production: gunicorn with archive.settings.prod. Needs SECRET_KEY, ALLOWED_HOSTS and
## DATABASE_URL (PostgreSQL) in the environment; see README.md.
WORKERS ?= 2
BIND ?= 127.0.0.1:8000
serve: install
	DJANGO_SETTINGS_MODULE=archive.settings.prod $(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=archive.settings.prod $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=archive.settings.prod $(BIN)/gunicorn archive.wsgi \
		--workers $(WORKERS) --bind $(BIND) --access-logfile - --timeout 30 --graceful-timeout 20

## Load benchmark: production server on PostgreSQL, wrk on loopback (see bench/load.py).
## The development-only bench app comes with archive.settings.bench, never with prod.
bench: install
	@command -v wrk >/dev/null || (apt-get install -y -qq wrk >/dev/null 2>&1 || sudo apt-get install -y -qq wrk)
	$(BIN)/python bench/load.py

## The whole suite: migrations up to date, lint, unit, view and browser tests
test: install chromium
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=archive.settings.test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

check-corpus: install
	$(BIN)/python manage.py check_corpus

## Search benchmark: a synthetic archive in its own PostgreSQL database (never the dev
## one: bench_search refuses a database it did not make), then p50/p95 of a page mix.
## make bench-search BENCH_ARGS="--documents 20000"   (default 100,000 documents)
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/archive_search_bench
BENCH_ARGS ?=
bench-search: install
	DATABASE_URL=$(BENCH_DATABASE_URL) DJANGO_SETTINGS_MODULE=archive.settings.bench \
		$(BIN)/python manage.py bench_search $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Debian's Chromium for the browser tests (Playwright cannot download its own here)
chromium:
	@./scripts/ensure-chromium

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
