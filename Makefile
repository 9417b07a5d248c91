# Twinning: the only entry points (C24). `make help` lists them.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
MANAGE := $(PYTHON) manage.py
ADDR ?= 127.0.0.1:8000
PYTEST_WORKERS ?= 2
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install lock run worker demo messages fmt lint typecheck test test-postgres test-browser ci bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

# requirements.lock: what production runs; requirements-dev.lock: the same pins plus the tools
# (tests, lint, types). Both hash-pinned (SUP-5), both written by `make lock`.
$(STAMP): requirements.lock requirements-dev.lock package.json package-lock.json pyproject.toml
	@test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade "pip>=24"
	$(PYTHON) -m pip install --quiet --require-hashes -r requirements-dev.lock
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(STAMP)

install: $(STAMP) ## virtualenv in .venv, Python and npm dependencies, static files
	@mkdir -p twinning/static/vendor/htmx twinning/static/vendor/leaflet twinning/static/vendor/topojson twinning/static/vendor/world-atlas
	@cp node_modules/htmx.org/dist/htmx.min.js twinning/static/vendor/htmx/
	@cp -r node_modules/leaflet/dist/. twinning/static/vendor/leaflet/
	@cp node_modules/topojson-client/dist/topojson-client.min.js twinning/static/vendor/topojson/
	@mkdir -p twinning/core/fonts && cp node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf node_modules/dejavu-fonts-ttf/LICENSE twinning/core/fonts/
	@for script in jp sc kr; do F=node_modules/@expo-google-fonts/noto-sans-$$script; cp $$F/400Regular/NotoSans*_400Regular.ttf $$F/700Bold/NotoSans*_700Bold.ttf twinning/core/fonts/ && cp $$F/LICENSE_FONT twinning/core/fonts/LICENSE-NotoSans-$$script; done
	@cp node_modules/world-atlas/countries-110m.json node_modules/world-atlas/countries-50m.json node_modules/world-atlas/LICENSE twinning/static/vendor/world-atlas/
	@$(MANAGE) compilemessages --ignore '.venv/*' --ignore 'node_modules/*' --verbosity 0
	@$(MANAGE) collectstatic --noinput --verbosity 0

UV_VERSION := 0.13.9
LOCK := uv pip compile --quiet --generate-hashes --universal --python-version 3.11
lock: ## re-pin both lock files (with hashes, Python 3.11 to 3.13) after editing pyproject.toml
	@test -x $(PYTHON) || $(PY) -m venv $(VENV)
	@$(BIN)/uv --version 2>/dev/null | grep -q "$(UV_VERSION)" || $(PYTHON) -m pip install --quiet "uv==$(UV_VERSION)"
	$(BIN)/$(LOCK) -o requirements.lock pyproject.toml
	$(BIN)/$(LOCK) --extra dev -c requirements.lock -o requirements-dev.lock pyproject.toml

run: install ## the development server (no worker)
	$(MANAGE) migrate --noinput
	$(MANAGE) runserver $(ADDR)

worker: install ## the django-tasks database worker
	$(MANAGE) db_worker

demo: install ## migrate, load the real data (once), print the logins, start site, worker and scheduler on 127.0.0.1:8000
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	@trap 'kill 0' EXIT INT TERM; \
	  $(MANAGE) db_worker --no-reload & \
	  $(MANAGE) run_scheduler & \
	  $(MANAGE) runserver --noreload $(ADDR)

messages: install ## update the fr, es and de catalogues from the code and templates (tests' strings are fixtures, not interface)
	$(MANAGE) makemessages -l fr -l es -l de --ignore '.venv/*' --ignore 'node_modules/*' \
	  --ignore 'staticfiles/*' --ignore 'tests/*' --ignore 'bench/*' --verbosity 0

fmt: install ## format and fix: ruff, djhtml
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	find twinning -name '*.html' -print0 | xargs -0 $(BIN)/djhtml

lint: install ## ruff, djhtml, import contracts, pending migrations, deploy checks (local and S3 media)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	find twinning -name '*.html' -print0 | xargs -0 $(BIN)/djhtml --check
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(MANAGE) makemigrations --check --dry-run
	DJANGO_DEBUG=False SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=twinning.example.org \
	  REDIS_URL=redis://127.0.0.1:6379/0 EMAIL_URL=smtp://mail.example.org:587 \
	  $(MANAGE) check --deploy --fail-level WARNING
	DJANGO_DEBUG=False SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=twinning.example.org \
	  REDIS_URL=redis://127.0.0.1:6379/0 EMAIL_URL=smtp://mail.example.org:587 \
	  MEDIA_STORAGE=s3 S3_ENDPOINT_URL=https://s3.example.net S3_ADDRESSING_STYLE=path \
	  S3_PUBLIC_BUCKET=twinning-public S3_PRIVATE_BUCKET=twinning-private \
	  $(MANAGE) check --deploy --fail-level WARNING

typecheck: install ## mypy with django-stubs (also part of lint)
	$(BIN)/mypy

test: install ## the whole suite (PostgreSQL, Redis and browser tests skip with a reason where absent)
	$(BIN)/pytest -n $(PYTEST_WORKERS) -rs

test-postgres: install ## the suite on a local PostgreSQL, with Redis, under the coverage floor
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/twinning} \
	  REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/15} TWINNING_REQUIRE_SERVICES=1 \
	  $(BIN)/pytest -n $(PYTEST_WORKERS) -rs --cov --cov-report=term

ci: lint test-postgres ## what CI runs after `make test`

bench: install ## the benchmarks in bench/ (figures against an in-run baseline)
	$(PYTHON) bench/run.py
	$(PYTHON) bench/review.py
	$(PYTHON) bench/members.py
	$(PYTHON) bench/impact.py
	$(PYTHON) bench/events.py
	$(PYTHON) bench/grants.py
	$(PYTHON) bench/relief.py
	$(PYTHON) bench/awards.py
	$(PYTHON) bench/exchanges.py
	$(PYTHON) bench/matchmaking.py
	$(PYTHON) bench/library.py

clean: ## remove the virtualenv, node_modules, static build and the demo database
	rm -rf $(VENV) node_modules staticfiles var twinning/static/vendor
