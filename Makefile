# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-browser contract lint migrate demo clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

# The web server, a Celery worker and beat on the embedded defaults; Ctrl-C stops all three.
# A background job of a non-interactive shell ignores Ctrl-C, so the trap stops the worker:
# it signals only the worker's main process (which stops its own pool and beat) and waits
# for its warm shutdown. INT and TERM are trapped too, or the shell would die without it.
run: demo
	@echo "Starting on http://127.0.0.1:8000 (Ctrl-C stops the server, the worker and beat)"
	@$(VENV)/bin/celery -A config worker --beat --concurrency 2 --loglevel INFO & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

test-browser: $(STAMP)
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

# schemathesis against a live server, as an owner, a marketer and a manager; needs DATABASE_URL
# (PostgreSQL). See tests/api_contract/run.py.
contract: $(STAMP)
	$(PY) tests/api_contract/run.py

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) data
