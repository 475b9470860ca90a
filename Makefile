# Two commands do all the set-up (see README):
#   make run    install what is missing, build the index from the bundled corpus if there is none, start the chat
#   make test   install the test tools (and Debian's Chromium, PostgreSQL and nginx for the browser and
#               replica tests), lint, run the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install install-dev browser servers lint bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.dev-installed

browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		$(SUDO) apt-get update && $(SUDO) apt-get install -y chromium chromium-driver; \
	fi

# tests/test_postgres.py and tests/test_replicas.py start their own PostgreSQL and nginx from these
servers:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || [ ! -x /usr/sbin/nginx ]; then \
		$(SUDO) apt-get update && $(SUDO) apt-get install -y postgresql nginx; \
	fi

run: install
	$(BIN)/gidsbot serve --port $(PORT)

test: install-dev browser servers
	$(BIN)/ruff check .
	$(BIN)/mypy gidsbot ingest bot ui
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check gidsbot ingest bot ui
	$(BIN)/mypy gidsbot ingest bot ui

bench: install-dev
	$(BIN)/python bench/run.py
