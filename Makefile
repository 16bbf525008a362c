# annexa: run `make help` for the targets. The README's two commands are `make demo` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
export ANNEXA_HOME ?= $(CURDIR)/.annexa
export AIRFLOW_HOME ?= $(ANNEXA_HOME)/airflow
export GX_ANALYTICS_ENABLED := false

.PHONY: help install validators services stack demo demo-faults test test-unit test-dags test-integration test-golden lint format typecheck bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(UV): $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==0.13.9"

# --compile-bytecode: uv installs no .pyc, and where PYTHONDONTWRITEBYTECODE is set (as on these
# machines) every process would compile Airflow and GX from source again (importing GX: 9 s -> 3 s)
$(VENV)/.installed: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --inexact --compile-bytecode --python $(BIN)/python
	touch $@

install: $(VENV)/.installed ## create .venv and install the locked dependencies

# DfE's CIN and 903 validators (data-to-insight) pin pandas 1.x / numpy 1.24: their own locked
# environment (tools/dfe-validators/uv.lock), which the product runs in a subprocess
VALIDATORS := .venv-validators
$(VALIDATORS)/.installed: $(UV) tools/dfe-validators/pyproject.toml tools/dfe-validators/uv.lock
	UV_PROJECT_ENVIRONMENT=$(CURDIR)/$(VALIDATORS) $(UV) sync --frozen --compile-bytecode \
		--project tools/dfe-validators --python $(PY)
	touch $@

validators: $(VALIDATORS)/.installed ## create .venv-validators: DfE's CIN and 903 validation rules

demo: install validators ## generate a synthetic CMS, run the DAG through Airflow, publish the return
	$(BIN)/annexa demo

demo-faults: install validators ## the same CMS with faults injected: the run must fail and publish nothing
	$(BIN)/annexa demo --faults

services: ## make sure what the tests use is there: PostgreSQL on 127.0.0.1:5432, Redis on :6379, Debian chromium
	bash scripts/ensure-postgres.sh
	bash scripts/ensure-redis.sh
	bash scripts/ensure-chromium.sh

stack: install services ## the deployment topology locally: api-server, scheduler, dag-processor, triggerer, Celery worker (PostgreSQL + Redis); Ctrl-C stops it
	$(BIN)/python -m annexa.stack

test: install validators services ## run every test tier (unit, dags, golden, integration); starts what they need
	$(BIN)/python -m pytest -q

test-unit: install ## unit tests only
	$(BIN)/python -m pytest -q -m unit

test-dags: install ## DAG integrity and dag.test() runs
	$(BIN)/python -m pytest -q -m dags

test-golden: install ## hand-worked golden scenarios
	$(BIN)/python -m pytest -q -m golden

test-integration: install services ## against PostgreSQL on 127.0.0.1:5432
	$(BIN)/python -m pytest -q -m integration

lint: install ## ruff lint and format check, sqlfluff, secret scan, mypy, import layering (changes nothing)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint sql/
	git ls-files -z --cached --others --exclude-standard -- ':!uv.lock' ':!.secrets.baseline' \
		| xargs -0 $(BIN)/detect-secrets-hook --baseline .secrets.baseline
	$(BIN)/mypy
	$(BIN)/lint-imports --no-logo

format: install ## fix what can be fixed: ruff check --fix, ruff format, sqlfluff fix
	$(BIN)/ruff check --fix --exit-zero .
	$(BIN)/ruff format .
	$(BIN)/sqlfluff fix sql/

typecheck: install ## mypy on the annexa package ([tool.mypy] in pyproject.toml)
	$(BIN)/mypy

bench: install ## benchmarks (print figures; never pass/fail)
	$(BIN)/python bench/bench_source.py
	$(BIN)/python bench/bench_build.py

clean: ## remove the virtualenv and local run data
	rm -rf $(VENV) $(VALIDATORS) .annexa
