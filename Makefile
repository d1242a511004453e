# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SCENARIO ?= us-rok-2025

.PHONY: run test lint typecheck bench clean test-deps fuzz screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

# dev and bench together: the NegMAS cross-check (bench extra) runs in `make test` and CI.
$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	mkdir -p out
	$(BIN)/pactlab analyze $(SCENARIO) --output out/$(SCENARIO).json
	$(BIN)/pactlab report $(SCENARIO) --output out/$(SCENARIO).html
	@echo "Next: open out/$(SCENARIO).html in a browser; try $(BIN)/pactlab list, $(BIN)/pactlab analyze sma-2019,"
	@echo "      $(BIN)/pactlab sweep sma-2019 --noise weights=0.3,reservations=0.05, $(BIN)/pactlab backtest, or $(BIN)/pactlab serve."

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench examples
	$(BIN)/lint-imports
	$(BIN)/mypy

# Types and layers (mypy: strict on the numeric core; import-linter: the layer contract).
typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy
	$(BIN)/lint-imports

test-deps:
	bash tools/test-deps.sh

test: lint test-deps
	PACTLAB_FUZZ=1 $(BIN)/python -m pytest -n 2

# The long fuzz profile: 10,000 generated inputs per format, random draws, shrinking on;
# prints each format's figures (inputs, exit codes, slowest input).
fuzz: $(VENV)/.installed-dev
	PACTLAB_FUZZ=1 PACTLAB_FUZZ_EXAMPLES=$${PACTLAB_FUZZ_EXAMPLES:-10000} $(BIN)/python -m pytest -s -q -n 2 tests/fuzz -k generated

# The README's pictures: the browser tests, saving their `docs=True` shots into docs/screenshots/.
screenshots: $(VENV)/.installed-dev test-deps
	PACTLAB_DOCS_SCREENSHOTS=1 $(BIN)/python -m pytest -q -n 0 tests/report/test_report.py tests/web/test_web_pages.py

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) out build *.egg-info
