# Nehzat: `make run` serves the demo, `make test` runs the tests. `make help` lists the rest.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# The compiled Persian catalogue is built from the .po file with polib (no GNU gettext needed).
MO := locale/fa/LC_MESSAGES/django.mo
# The npm test tools (pinned in package.json): axe-core, html-validate, @redocly/cli, lighthouse.
# The stamp is axe-core's file; npm ci installs all of them.
AXE := node_modules/axe-core/axe.min.js
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run test lint format migrate demo worker messages clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11).")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt constraints.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

$(MO): locale/fa/LC_MESSAGES/django.po $(VENV)/.runtime
	$(BIN)/python -c 'import sys, polib; polib.pofile(sys.argv[1]).save_as_mofile(sys.argv[2])' $< $@

run: $(VENV)/.runtime $(MO) ## set up and serve the demo on SQLite at http://127.0.0.1:8000/
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo_content
	$(MANAGE) runserver $(HOST):$(PORT)

$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the tests that need axe-core, html-validate, redocly or lighthouse will be skipped."; fi

test: $(VENV)/.dev $(MO) $(AXE) ## set up and run the whole test suite
	$(BIN)/pytest

lint: $(VENV)/.dev ## ruff lint and format check, import rules between apps (.importlinter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.dev ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: $(VENV)/.runtime ## apply database migrations
	$(MANAGE) migrate --noinput

demo: $(VENV)/.runtime ## (re)load the demo campaign and admin account
	$(MANAGE) load_demo_content

worker: $(VENV)/.runtime ## run a Celery worker and beat (needs CELERY_BROKER_URL)
	$(BIN)/celery -A config worker --beat -Q default,sms,media --loglevel INFO

messages: $(VENV)/.dev ## update the Persian catalogue from the code, then compile it
	$(MANAGE) makemessages -l fa --ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'node_modules/*'
	$(MAKE) $(MO)

clean: ## remove the virtualenv, the SQLite database, uploaded media and test tools
	rm -rf $(VENV) db.sqlite3 media staticfiles node_modules test-artifacts

# --- the production-like stack: gunicorn + Celery worker + beat (Procfile) on PostgreSQL and Redis
# Dev-only values; override any of them on the command line (make serve DATABASE_URL=...).
SERVE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/nehzat
SERVE_REDIS_URL ?= redis://127.0.0.1:6379/0
SERVE_ENV = DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY=dev-only-serve-key-never-use-it-in-production-0123456789abcdef \
	ALLOWED_HOSTS=127.0.0.1,localhost PUBLIC_BASE_URL=http://$(HOST):$(PORT) \
	DATABASE_URL=$(SERVE_DATABASE_URL) CELERY_BROKER_URL=$(SERVE_REDIS_URL) \
	CACHE_URL=$(SERVE_REDIS_URL) SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0 \
	CSP_UPGRADE_INSECURE_REQUESTS=0 SERVE_MEDIA=1 LOG_FORMAT=plain PORT=$(PORT) BIND=$(HOST):$(PORT) \
	PATH=$(CURDIR)/$(BIN):$$PATH

.PHONY: serve
serve: $(VENV)/.dev $(MO) ## run web, worker and beat (Procfile) with production settings on PostgreSQL + Redis
	$(SERVE_ENV) $(BIN)/python deploy/ensure_database.py
	$(SERVE_ENV) $(MANAGE) migrate --noinput
	$(SERVE_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(MANAGE) load_demo_content
	$(SERVE_ENV) $(BIN)/honcho start --port $(PORT)
