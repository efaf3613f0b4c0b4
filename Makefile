# socialpolicy: `make run` serves the app with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_ENV := DEBUG=true SECRET_KEY=test-only-secret FAST_PASSWORD_HASHER=true DJANGO_SETTINGS_MODULE=socialpolicy.settings

.PHONY: run test test-ahead lint typecheck migrations-check format assets install bench clean check-deploy

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $(STAMP)

install: $(STAMP) static/vendor/.built

static/vendor/.built: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor/bootstrap static/vendor/chartjs
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map static/vendor/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map static/vendor/bootstrap/
	cp node_modules/chart.js/dist/chart.umd.min.js static/vendor/chartjs/
	touch static/vendor/.built

assets: static/vendor/.built

run: install
	$(PY) -m socialpolicy.devserver

# Two pytest-xdist workers, one per core; each has its own test database and its own cache keys.
# PYTEST_WORKERS=0 runs in one process (easier to debug with -x or --pdb).
PYTEST_WORKERS ?= 2
test: install
	$(TEST_ENV) $(PY) -m socialpolicy.localservices -- $(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The same suite with the clock of the whole run AHEAD_DAYS ahead: the tests, and the embedded PostgreSQL and
# Redis (started because DATABASE_URL and REDIS_URL are unset), under Debian's faketime (issue 15). The small
# preloaded library keeps PostgreSQL's lock, statement and deadlock time-outs and Python's timed waits
# (Event.wait, Thread.join, a Celery result's get) working under libfaketime; without it a test that meets a
# lock or a wait hangs (tests/faketime/unfaked_waits.c says why).
AHEAD_DAYS ?= 400
UNFAKED_WAITS := $(VENV)/unfaked_waits.so
$(UNFAKED_WAITS): tests/faketime/unfaked_waits.c
	cc -shared -fPIC -O2 -Wall -o $@ $< -ldl

test-ahead: install $(UNFAKED_WAITS)
	env -u DATABASE_URL -u REDIS_URL -u TEST_DATABASE_NAME LD_PRELOAD=$(abspath $(UNFAKED_WAITS)) \
	  faketime -f '+$(AHEAD_DAYS)d' $(MAKE) test

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# mypy with django-stubs over every app's services and selectors (pyproject.toml [tool.mypy]); it reads the
# settings but opens no database connection, so any well-formed DATABASE_URL does.
typecheck: $(STAMP)
	$(TEST_ENV) DATABASE_URL=$${DATABASE_URL:-postgres://localhost/typecheck} $(PY) -m mypy

# Fails when a model change has no migration (the pre-commit hook and CI run it).
migrations-check: $(STAMP)
	$(TEST_ENV) $(PY) -m socialpolicy.localservices -- $(PY) manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

check-deploy: install
	DEBUG=false SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=socialpolicy.example.org \
	  ADMINS='IT Service Desk <it@example.org>' SOCIALPOLICY_EMBEDDED_SERVICES=true \
	  $(PY) -m socialpolicy.localservices -- $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles artifacts

# Load: 50 signed-in HR officers for 60 s on gunicorn at 127.0.0.1:8765 (docs/LOAD.md).
.PHONY: load
.venv-load/.installed: loadtest/requirements.txt
	test -x .venv-load/bin/python || $(PYTHON) -m venv .venv-load
	.venv-load/bin/pip install --quiet -r loadtest/requirements.txt
	touch .venv-load/.installed

load: install .venv-load/.installed
	SOCIALPOLICY_EMBEDDED_SERVICES=true $(PY) -m socialpolicy.localservices -- bash loadtest/run.sh

# Benchmarks at council scale on scratch databases, at issue 11's sizes in one run of under 30 minutes;
# writes docs/PERFORMANCE.md (see bench/run.py). One of them: make bench BENCH_ARGS='--only pages'
# (its report goes to artifacts/bench/PERFORMANCE.partial.md)
bench: install
	SOCIALPOLICY_EMBEDDED_SERVICES=true $(PY) -m socialpolicy.localservices -- $(PY) bench/run.py $(BENCH_ARGS)
