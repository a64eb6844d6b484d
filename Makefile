# `make demo` and `make test` each build .venv from scratch when it is missing or stale.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench clean venv readme fuzz

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

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# Long fuzzing (`make test` runs 200 examples per target): 10,000 per rule and per gRPC call,
# totals printed at the end. Issue 13's hostile shapes: `$(BIN)/python -m benchmarks.hostile`.
fuzz: $(STAMP)
	KEYGUARD_FUZZ_EXAMPLES=10000 $(BIN)/python -m pytest -q -W ignore::UserWarning tests/hardening/test_fuzz.py

# Regenerate the README's policies block from the rules' metadata.
readme: $(STAMP)
	$(BIN)/python -m policypack.rule_listing README.md

clean:
	rm -rf $(VENV) out
