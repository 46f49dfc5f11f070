# Two entry points on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared

.PHONY: demo test lint typecheck unit bench clean browser screenshot

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@ $(VENV)/.installed

DEMO_STORE := out/livetext.sqlite
DEMO_MATCH := inter-milan-derby

# The main job on the embedded (SQLite) store: ingest the bundled page, replay it fast,
# then the final state, the reconciliation report and the timeline plot.
demo: $(VENV)/.installed
	@mkdir -p out
	$(BIN)/livetext ingest examples/$(DEMO_MATCH).txt --store $(DEMO_STORE)
	$(BIN)/livetext replay $(DEMO_MATCH) --speed 3000 --store $(DEMO_STORE)
	$(BIN)/livetext state $(DEMO_MATCH) --store $(DEMO_STORE)
	$(BIN)/livetext report $(DEMO_MATCH) --store $(DEMO_STORE)
	$(BIN)/livetext plot $(DEMO_MATCH) -o out/$(DEMO_MATCH).png --store $(DEMO_STORE)

test: $(VENV)/.dev-installed browser lint typecheck unit

# Debian's chromium + Playwright for Python, for tests/web/test_browser.py (quick when present).
browser: $(VENV)/.dev-installed
	sh scripts/install-browser.sh $(VENV)

screenshot: browser
	$(BIN)/python -m replay.web.screenshot

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy

unit:
	$(BIN)/pytest

$(VENV)/.bench-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev,bench]'
	touch $@ $(VENV)/.dev-installed $(VENV)/.installed

# The benchmarks (whole-process ones need ../shared beside the repo: the real dev data).
bench: $(VENV)/.bench-installed
	$(BIN)/python -m bench.parse
	$(BIN)/python -m bench.ingest
	$(BIN)/python -m bench.ingest_cli
	$(BIN)/python -m bench.ingest_jobs
	$(BIN)/python -m bench.state
	$(BIN)/python -m bench.kafka
	$(BIN)/python -m bench.startup

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
