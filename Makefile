# Two entry points: `make dataset` builds the release, `make test` runs the tests.
# Both bootstrap the project virtualenv (.venv) from pyproject.toml when it is missing or stale.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: dataset test lint validate clean-venv bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

dataset: $(STAMP)
	$(BIN)/corpus build --out dist/release --overwrite

test: $(STAMP)
	$(BIN)/ruff check corpus_pkg tests scripts
	$(BIN)/python -m pytest -n 2 -q

validate: $(STAMP)
	$(BIN)/corpus validate

clean-venv:
	rm -rf $(VENV)
