# Frontline: the two commands of the README (`make run`, `make test`) do all the set-up.
# Both are idempotent: a second run only re-installs when pyproject.toml changed.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test lint system-deps-run system-deps-test bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

system-deps-run:
	@sh scripts/system-deps.sh run

system-deps-test:
	@sh scripts/system-deps.sh test

run: $(STAMP) system-deps-run
	$(PY) main.py $(ARGS)

test: $(STAMP) system-deps-test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n 2 -q

lint: $(STAMP)
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/mypy main.py library search exporters ui

bench: $(STAMP)
	$(PY) bench/import_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
