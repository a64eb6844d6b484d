# `make demo` and `make test` each build .venv from scratch when it is missing or stale.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast bench clean venv readme

$(STAMP): requirements.txt pyproject.toml
	rm -rf $(VENV)
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt -e '.[stack,dev]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m policypack.demo

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Everything but the slow rotation suites and the end-to-end ones (markers set in
# tests/conftest.py): for the edit-test loop. CI runs `make test`.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow and not e2e"

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# Regenerate the README's policies block from the rules' metadata.
readme: $(STAMP)
	$(BIN)/python -m policypack.rule_listing README.md

clean:
	rm -rf $(VENV) out
