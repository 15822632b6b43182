# Two commands for a newcomer: `make run` and `make test`. Nothing else is needed but Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails and share buttons follow the address `make run` serves on (e.g. PORT=8010 make run).
export SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test lint messages lock worker beat clean bench help

help:
	@echo "make run    start the platform with demo content on http://$(HOST):$(PORT)"
	@echo "make test   run the whole test suite (lint, migrations, checks, pytest, browser tests)"

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "Python 3.11 is required")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

run: $(VENV)/.installed
	@mkdir -p var/mail
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) load_demo
	@echo ""
	@echo "  Outgoing e-mail is written to: $(CURDIR)/var/mail/"
	@echo "  Open http://$(HOST):$(PORT)/  (staff back office: /admin/)"
	@echo ""
	$(MANAGE) runserver $(HOST):$(PORT)

# pytest exits 5 when it collected nothing: say so, and fail, rather than let "no tests" pass for green.
test: $(VENV)/.installed-dev
	@echo "==> [1/3] lint: ruff check"
	$(BIN)/ruff check .
	@echo "==> [2/3] every model change has its migration: makemigrations --check"
	DJANGO_SETTINGS_MODULE=civicplatform.settings.test $(MANAGE) makemigrations --check --dry-run -v1
	@echo "==> [3/3] pytest on 2 workers: unit, integration, deploy checks, translations, browser"
	@$(BIN)/pytest -n 2 --dist loadgroup --durations=10 $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "make test: FAILED - pytest collected no tests"; fi; \
	  if [ $$status -ne 0 ]; then echo "make test: FAILED (pytest exit $$status): see the short summary above"; fi; \
	  exit $$status
	@echo "==> make test: lint, migrations and all tests passed"

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

messages: $(VENV)/.installed
	$(BIN)/python scripts/messages.py

lock: $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links requirements.in -o requirements.txt
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links requirements-dev.in -o requirements-dev.txt

worker: $(VENV)/.installed
	$(BIN)/celery -A civicplatform worker -l info

beat: $(VENV)/.installed
	$(BIN)/celery -A civicplatform beat -l info -s var/celerybeat-schedule

# Serving benchmark (needs wrk: apt-get install wrk); results go in docs/BENCHMARKS.md.
bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf var/db.sqlite3 var/static var/media var/mail
