# Pingan — set-up, demo, tests, lint and benchmarks. `make demo` and `make test` do all the set-up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install demo serve test test-sqlite test-postgres lint bench bench-tools browser clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium for the page tests (a browser download from elsewhere is not possible offline).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the page tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
	  || echo "could not install chromium: page tests will be skipped (they fail when CI=true)"; }

demo: install
	$(BIN)/pingan db upgrade
	$(BIN)/pingan demo
	@echo "Serving the demo county on http://$(HOST):$(PORT)  (Ctrl-C to stop)"
	$(BIN)/pingan serve --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/pingan db upgrade
	$(BIN)/pingan serve --host $(HOST) --port $(PORT)

test: install browser
	BIN=$(BIN) bash scripts/test.sh

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports

# wrk (Debian's package) plays the banks in the HTTP benchmark.
bench-tools:
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "installing Debian's wrk for the HTTP benchmark"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null) \
	  || echo "could not install wrk: the HTTP benchmark will say so"; }

bench: install bench-tools
	BIN=$(BIN) bash scripts/bench.sh

clean:
	rm -rf $(VENV) node_modules var reports .pytest_cache
