# PeaceNet: `make run` serves the portal with demo data, `make test` runs every check.
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format messages clean

$(PY):
	@python="$$(scripts/find-python)" && echo "Using $$python" && "$$python" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet ".[test]"
	@touch $@

run: export DEBUG ?= 1
# Links in mail, feeds and calendars follow HOST and PORT when SITE_URL is unset.
run: export HOST := $(HOST)
run: export PORT := $(PORT)
run: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv -v0
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py load_demo
	$(PY) manage.py demo_superuser
	@echo "PeaceNet is starting on http://$(HOST):$(PORT)/ (with the task worker, which sends mail)"
	PYTHON=$(PY) scripts/with-worker $(PY) manage.py runserver $(HOST):$(PORT)

test: export DJANGO_SETTINGS_MODULE = tests.settings
test: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(PY) manage.py compilemessages --ignore=.venv -v0
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# What makemessages must not read (as in tests/peacenet/test_translations.py): installed
# packages, build output, uploads.
NOT_SOURCE := .venv .* build media node_modules staticfiles test-results __pycache__ *.egg-info db.sqlite3*

messages: export DEBUG ?= 1
messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l nl -l fr -l ar --no-location $(foreach pattern,$(NOT_SOURCE),--ignore='$(pattern)')
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles test-results
