# Two commands matter: `make run` (the product with a live demo) and `make test` (the suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export STORMWATCH_DATA_DIR ?= $(CURDIR)/data

.PHONY: run test lint typecheck unit pg-tests browser-deps bluesky-devnet venv test-venv clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/activate requirements.lock pyproject.toml
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.lock
	$(BIN)/pip install -q -r requirements-test.lock
	touch $@

venv: $(VENV)/.installed
test-venv: $(VENV)/.installed-test

## run: install, migrate SQLite, create the demo workspace, serve http://127.0.0.1:8000
run: venv
	$(BIN)/stormwatch db upgrade
	$(BIN)/stormwatch demo setup
	$(BIN)/stormwatch serve

## test: install test dependencies (Chromium, the local Bluesky network) and run the whole suite
test: test-venv browser-deps bluesky-devnet lint typecheck unit pg-tests

# A real local Bluesky network from npm for the Bluesky end-to-end tests (cached in .cache/).
bluesky-devnet:
	@command -v npm >/dev/null 2>&1 && bash scripts/bluesky-devnet-setup.sh || \
	  echo "npm is missing: the Bluesky end-to-end tests will be skipped"

browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Chromium for the browser tests"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 || \
	    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }; \
	  else echo "Chromium is missing: install it (Debian: apt-get install chromium) for the browser tests"; fi; }

lint:
	$(BIN)/ruff check src tests evals benchmarks scripts
	$(BIN)/ruff format --check src tests evals benchmarks scripts

typecheck:
	$(BIN)/mypy

unit:
	$(BIN)/pytest -n 2 --dist loadfile -q

# The database-backed tests again on PostgreSQL when CI (or you) give one.
pg-tests:
	@if [ -n "$$STORMWATCH_TEST_DATABASE_URL" ]; then \
	  echo "database tests on PostgreSQL"; \
	  DATABASE_URL="$$STORMWATCH_TEST_DATABASE_URL" $(BIN)/pytest -q -m "django_db and not browser" -p no:randomly; \
	else echo "STORMWATCH_TEST_DATABASE_URL unset: PostgreSQL pass skipped"; fi

clean:
	rm -rf $(VENV) data
