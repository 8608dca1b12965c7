# Two commands do everything on a fresh machine: `make serve` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PROTO_FILES := $(wildcard proto/memos/api/v1/*.proto)

.PHONY: install generate check-generate format lint typecheck unit pytest test check serve bench bench-instructions bench-import contract clean synth deploy node-install

# The CDK CLI comes from npm, pinned in package.json/package-lock.json, into node_modules only.
NODE_STAMP := node_modules/.installed
CDK := node_modules/.bin/cdk
STAGE ?= dev
CDK_ARGS ?=
# jsii (under aws-cdk-lib) warns on every run when Node.js is past its end of life; silence it
# for whichever major version runs here.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION ?= $(shell node -p 'process.versions.node.split(".")[0]' 2>/dev/null)
export CDK_DISABLE_CLI_TELEMETRY := true

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) -m memos.store.aws_models
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

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $(NODE_STAMP)

node-install: $(NODE_STAMP)

## Synthesize the CloudFormation templates of one stage into cdk.out/ (offline; no AWS account).
## Builds the Lambda layer and function bundles under build/lambda/ (cached by input hash).
synth: $(STAMP) $(NODE_STAMP)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" PYTHONPATH="shared:." \
		$(CDK) synth --quiet --no-notices -c stage=$(STAGE) $(CDK_ARGS)

## Deploy both stacks of one stage (needs AWS credentials and a bootstrapped account).
deploy: $(STAMP) $(NODE_STAMP)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" PYTHONPATH="shared:." \
		$(CDK) deploy --all --no-notices -c stage=$(STAGE) $(CDK_ARGS)

## Serve every service on one port (Connect + REST + OpenAPI) with AWS emulated in process.
serve: $(STAMP)
	$(VENV)/bin/memos-serverless serve $(SERVE_ARGS)

## Cold-import, warm-call and first-call ratios, ListMemos cost per page, DynamoDB calls per request,
## a kept thumbnail against its original, the attachment function's peak memory for 4 MiB in and out.
bench: $(STAMP)
	$(PY) bench/cold_and_warm.py
	$(PY) bench/record_classes.py
	$(PY) bench/first_call.py
	$(PY) bench/list_memos.py
	$(PY) bench/calls_per_request.py
	$(PY) bench/attachment_thumbnail.py
	$(PY) bench/attachment_memory.py
	$(PY) bench/webhook_latency.py

## Cold init of every service function in CPU instructions (valgrind), steadier than CPU time
## on a shared machine; about ten minutes.
bench-instructions: $(STAMP)
	$(PY) bench/cold_instructions.py

## Import throughput: 10,000 memos and 500 attachments from a Memos database, in process
## (several minutes: the emulation, not the import, is most of the time).
bench-import: $(STAMP)
	$(PY) bench/import_memos.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache node_modules cdk.out build/lambda
