# The two commands in the README are `make run` and `make test`; the other
# targets are the steps they are made of.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app audit_app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-test assets system-deps lint demo-sign-ins clean

## run: install everything, migrate the embedded SQLite database, seed the demo if empty, serve on http://127.0.0.1:5000
run: install assets
	$(FLASK) db upgrade
	$(FLASK) demo seed --if-empty
	$(FLASK) demo sign-ins
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	$(FLASK) run --host $(HOST) --port $(PORT)

## test: install what the tests need (PostgreSQL, Chromium), then lint and run the whole suite
test: system-deps install-test assets lint
	$(BIN)/pytest

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

## assets: compile the stylesheet and copy GOV.UK Frontend's scripts and images
assets: node_modules/.package-lock.json
	npm run --silent build

## system-deps: Debian packages the tests use (a real PostgreSQL and Chromium)
system-deps:
	@./scripts/system-deps.sh

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports

demo-sign-ins: install
	$(FLASK) demo sign-ins

clean:
	rm -rf $(VENV) node_modules audit_app/static/dist instance
