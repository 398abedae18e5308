# Two commands for a new user: `make run` and `make test`. Everything else is a step of those.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
# Test processes (pytest-xdist): one per core; each gets its own SQLite files and PG schema.
TEST_WORKERS ?= auto
export FLASK_APP := wsgi.py

.PHONY: run test install install-test install-bench translations messages db serve lint bench bench-imports bench-alerts clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "需要 Python 3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-base: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.txt
	@touch $@

$(VENV)/.installed-test: requirements/test.txt requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/test.txt
	@touch $@ $(VENV)/.installed-base

install: $(VENV)/.installed-base
install-test: $(VENV)/.installed-test

## Compile the message catalogues (zh_CN default, en second).
translations: install
	@$(BIN)/pybabel compile --statistics -d webapp/translations 2>&1 | grep -v '^compiling'

## Re-extract UI strings and merge them into both catalogues (for developers). N_ marks the
## labels of workflows/ (no Flask there); the web layer translates them. The catalogues keep
## their headers: a catalogue without one counts as fuzzy and `pybabel compile` skips it.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ --no-location --sort-output \
		--omit-header -o webapp/translations/messages.pot .
	$(BIN)/pybabel update -i webapp/translations/messages.pot -d webapp/translations \
		--no-fuzzy-matching

## Migrate the database, seed reference data, and demo data if it is empty.
db: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-defaults
	$(BIN)/flask seed-demo --if-empty
	$(BIN)/flask sync-due

## Serve on $(HOST):$(PORT) with a production WSGI server and the reminder scheduler in a thread.
serve: install
	SCHEDULER_ENABLED=1 $(BIN)/flask serve --host $(HOST) --port $(PORT)

run: install translations db serve

test: install-test translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## The load generator (locust) lives in a virtualenv of its own: its gevent and pytest plugin
## stay out of the app's.
$(VENV)-bench/.installed: requirements/bench.txt
	$(PYTHON) -m venv $(VENV)-bench
	$(VENV)-bench/bin/pip install --quiet -r requirements/bench.txt
	@touch $@

install-bench: $(VENV)-bench/.installed

## Page times at a province's scale on SQLite (waitress) and PostgreSQL (gunicorn), the bare SQL
## of each list, the export, and a 60 s load run; seeds each database first (--reuse keeps one).
## e.g. make bench BENCH_ARGS="--db postgresql --reuse"; PostgreSQL from TEST_DATABASE_URL.
bench: install-test translations install-bench
	$(BIN)/python -m bench.pages $(BENCH_ARGS)

## Time and memory of checking and importing a 50,000-row negative-information workbook.
bench-imports: install-test translations
	$(BIN)/python -m bench.imports

## Time the reminder sweep at 100,000 and 1,000,000 obligations, and the in-app dispatcher.
bench-alerts: install-test translations
	$(BIN)/python -m bench.alerts

clean:
	rm -rf $(VENV) $(VENV)-bench .pytest_cache .ruff_cache
