# Two entry points: `make dataset` builds the release, `make test` runs the tests.
# Both bootstrap the project virtualenv (.venv) from pyproject.toml when it is missing or stale.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

FORMAT ?= text

.PHONY: dataset test lint validate browser floor clean-venv

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

dataset: $(STAMP)
	$(BIN)/corpus build --out dist/release --overwrite
	$(BIN)/python scripts/sync_package_data.py --release dist/release

# The lowest dependency versions pyproject.toml allows, for tests/release/test_floors.py (made once; the
# script keeps a stamp of the pins and does nothing while they are unchanged).
floor: $(STAMP)
	$(BIN)/python scripts/floor_env.py

test: $(STAMP) browser floor
	$(BIN)/ruff check corpus_pkg tests scripts
	$(BIN)/python -m pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check corpus_pkg tests scripts

# make reports any failure as its own exit code 2; .ci/validate keeps the validator's code (0/1/2).
validate: $(STAMP)
	.ci/validate --format $(FORMAT) $(ARGS)

# Headless Chromium for the HTML rendering tests (Debian package; installed only when we are root).
browser:
	@command -v chromium >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || \
		{ (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		  || echo "warning: could not install chromium; browser tests will be skipped"; }

clean-venv:
	rm -rf $(VENV)
