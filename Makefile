# The two commands: `make run` (web server, worker and beat) and `make test`. Both create .venv on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Links printed by the demo data and in emails point at the server make run starts.
export SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test lint lint-openapi check venv migrate demo clean bench sdks

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; set PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

migrate: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

demo: migrate
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_demo_activity
	$(PY) manage.py create_sandboxes

run: demo
	@echo ""
	@echo "  Organizer console http://$(HOST):$(PORT)/console/"
	@echo "  Admin (platform) http://$(HOST):$(PORT)/admin/"
	@echo "  Dev portal      http://$(HOST):$(PORT)/portal/"
	@echo "  REST API v1     http://$(HOST):$(PORT)/api/v1/"
	@echo "  Event stream    ws://$(HOST):$(PORT)/api/v1/stream   (Server-Sent Events: http://$(HOST):$(PORT)/api/v1/stream)"
	@echo "  API docs        http://$(HOST):$(PORT)/api/docs/   (schema: /api/schema/)"
	@echo "  Error codes     http://$(HOST):$(PORT)/api/errors/"
	@echo "  Guide           http://$(HOST):$(PORT)/portal/guide/"
	@echo "  OAuth / OIDC    http://$(HOST):$(PORT)/.well-known/openid-configuration"
	@echo ""
	@echo "  The web server, a Celery worker and Celery beat run below; Ctrl-C stops all three."
	@echo ""
	$(PY) manage.py runplatform $(HOST):$(PORT)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

check: lint
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null
	$(MAKE) --no-print-directory lint-openapi

# The OpenAPI document against Redocly's recommended rules (package.json pins the CLI). Needs Node.js 20+:
# without node it is skipped with a notice, except in CI (CI=true), where it must run.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint-openapi: venv
	@if command -v node >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory node_modules/.installed && \
		mkdir -p var && $(PY) manage.py spectacular --format openapi-json --file var/openapi.json && \
		REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
			node_modules/.bin/redocly lint --extends=recommended --format=stylish var/openapi.json; \
	elif [ "$${CI:-}" = "true" ]; then echo "node not found: CI must lint the OpenAPI document"; exit 1; \
	else echo "node not found: skipping the OpenAPI lint (install Node.js 20+ to run it; CI does)"; fi

# The SDKs from the OpenAPI document (sdks/README.md): openapi-python-client and openapi-typescript; commit the result.
sdks: venv node_modules/.installed
	$(PY) manage.py generate_sdks

test: check
	$(VENV)/bin/pytest -n $${PYTEST_WORKERS:-2} -p no:cacheprovider

bench: venv
	$(PY) bench/api_read.py

clean:
	rm -rf $(VENV) var db.sqlite3 .pytest_cache .ruff_cache
