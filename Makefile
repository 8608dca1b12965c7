# Two commands do everything on a fresh machine: `make serve` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PROTO_FILES := $(wildcard proto/memos/api/v1/*.proto)

.PHONY: install generate check-generate format lint typecheck unit pytest test check serve bench contract clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

## Regenerate shared/memos/api/v1 from proto/ (committed; never edit the output by hand).
generate: $(STAMP)
	$(PY) tools/codegen.py generate

## Fail when the committed generated code differs from what proto/ produces.
check-generate: $(STAMP)
	$(PY) tools/codegen.py check

contract: $(STAMP)
	$(PY) ../shared/tools/check_contract.py --proto-root proto

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

lint: $(STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

pytest: $(STAMP)
	$(VENV)/bin/pytest

## ruff + mypy + the whole test suite (what CI runs).
test: lint typecheck pytest

check: test

## Serve every service on one port (Connect + REST + OpenAPI) with AWS emulated in process.
serve: $(STAMP)
	$(VENV)/bin/memos-serverless serve $(SERVE_ARGS)

bench: $(STAMP)
	$(PY) bench/cold_and_warm.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
