# targetbot: `make run` starts the bot, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
# Python caches compiled modules in __pycache__ unless told not to; a machine-wide
# PYTHONDONTWRITEBYTECODE=1 would make every test worker and subprocess compile them again.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test typecheck pytest lint format bench clean

# the dependencies are installed by uv (from PyPI, as pip would): seconds instead of most of a
# minute, since it fetches in parallel and leaves compiling to the first import
INSTALL := $(BIN)/uv pip install --quiet --python $(BIN)/python

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(BIN)/uv: | $(BIN)/python
	$(BIN)/python -m pip install --quiet uv

$(STAMP): pyproject.toml | $(BIN)/uv
	$(INSTALL) -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/uv
	$(INSTALL) -e '.[dev]'
	touch $@ $(STAMP)

run: $(STAMP)
	$(BIN)/targetbot run

# the type check (20 s of one core when its cache is cold) runs beside the tests, not before
test: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MAKE) --no-print-directory -j2 typecheck pytest

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

pytest: $(DEV_STAMP)
	$(BIN)/python -m pytest -n 3 --dist worksteal

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python bench/import.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache .mypy_cache
