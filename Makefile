# thidua — the two set-up commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-pg lint install messages migrate demo clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	scripts/system-deps.sh
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# Compiled catalogues are build output (git-ignored); only the project's
# locale/ is compiled, never the .po files inside the virtualenv.
messages: install
	$(PY) manage.py compilemessages --ignore=.venv --ignore='.venv/*' -v0

# Development targets: DJANGO_DEBUG=1 lets them use the development audit key
# (migrate seals an older trail with it, load_demo records events).
migrate: messages
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput -v0

# A demo (re)started with `make run` has no login locks left from earlier tries.
demo: migrate
	DJANGO_DEBUG=1 $(PY) manage.py load_demo
	$(PY) manage.py axes_reset >/dev/null

# Development server: SQLite, Celery tasks inline (no CELERY_BROKER_URL).
run: demo
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: messages
	$(PY) -m pytest

# The same suite on PostgreSQL with a live Celery worker; expects the
# services from scripts/services.sh and DATABASE_URL / CELERY_BROKER_URL set,
# and a worker on the test database (see .ci/run). --reuse-db keeps
# test_<name> alive for the worker instead of dropping it under its feet.
test-pg: messages
	THIDUA_CELERY_WORKER=1 $(PY) -m pytest --reuse-db

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) db.sqlite3* var .pytest_cache
