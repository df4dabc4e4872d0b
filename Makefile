# Portal asystenta rodziny. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app portal
STAMP := $(VENV)/.installed
PORT ?= 5000

.DEFAULT_GOAL := help
.PHONY: help run test test-postgres lint translations extract bench stack stack-test clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

translations: $(STAMP) ## Compile the Babel catalogues (translations/*.po -> .mo)
	$(VENV)/bin/pybabel compile -d translations >/dev/null

extract: $(STAMP) ## Extract interface strings and update the en/uk catalogues
	$(VENV)/bin/pybabel extract -F babel.cfg -k lazy_gettext -k _l --no-location --sort-output -o translations/messages.pot portal
	$(VENV)/bin/pybabel update -N -i translations/messages.pot -d translations

# Links printed and mailed (the demo's set-password link) point at the port served here.
run: export PORTAL_BASE_URL ?= http://127.0.0.1:$(PORT)
run: $(STAMP) translations ## Set up everything and serve on http://127.0.0.1:$${PORT:-5000}/
	$(FLASK) init-db
	$(FLASK) demo-setup
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

lint: $(STAMP) ## ruff (lint and format), mypy --strict on portal/, tests/ and bench/
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: $(STAMP) translations lint ## Set up and run the whole suite (SQLite, browser tests included)
	$(PY) -m pytest -q

test-postgres: $(STAMP) translations ## The whole suite again on PostgreSQL (PORTAL_TEST_DATABASE_URL)
	@test -n "$$PORTAL_TEST_DATABASE_URL" || { echo "set PORTAL_TEST_DATABASE_URL"; exit 2; }
	$(PY) -m pytest -q

stack: $(STAMP) translations ## Start the production stack (deploy/) on loopback until Ctrl-C
	$(PY) -m stack

stack-test: $(STAMP) translations ## The end-to-end suite against the stack (starts and stops it)
	PORTAL_STACK_TEST=1 $(PY) -m pytest -q -p no:cacheprovider tests/stack

bench: $(STAMP) translations ## Benchmark against same-run baselines; writes docs/benchmarks.md
	$(PY) -m bench

clean: ## Remove the virtual environment and caches (keeps instance/)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
