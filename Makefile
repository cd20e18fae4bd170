# sockpuppet: the Makefile is the interface. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WAREHOUSE ?= warehouse/sockpuppet.duckdb
OUT ?= published
SAMPLE ?= ../shared/data/ira
PYTEST_ARGS ?=
# ~1M generated tweets (accounts x days x ~1.05); 5M: --accounts 39683
BENCH_PEER_ARGS ?= --accounts 7937 --days 120 --window 60

.DEFAULT_GOAL := help
.PHONY: help setup run test browser lint bench bench-peer lock airflow airflow-stop up down clean

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	@test -x $(BIN)/python || uv venv --quiet --python $(PYTHON) $(VENV)
	uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock
	uv pip install --quiet --compile-bytecode --no-deps --python $(BIN)/python -e .
	@touch $(STAMP)

setup: $(STAMP) ## create .venv from the lock (uv, --compile-bytecode)

run: $(STAMP) ## run the whole pipeline on the embedded default (shared IRA sample, or a generated archive)
	$(BIN)/sockpuppet run --default --warehouse $(WAREHOUSE) --out $(OUT)

test: $(STAMP) browser ## run the test suite (what CI runs)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

browser: ## install headless Chromium for the report render test (Debian; skipped if not root)
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
		&& (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "chromium not installed: the report render test will be skipped"; }

lint: $(STAMP) ## ruff (incl. AIR3) and mypy
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(STAMP) ## ingest vs bare DuckDB read_csv, build time/RSS at 1M/4M/16M tweets (benchmarks/)
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

bench-peer: $(STAMP) ## our ingest+build vs coordination-network-toolkit on the same archives
	$(BIN)/python -m benchmarks.peer $(BENCH_PEER_ARGS)

lock: ## re-pin requirements.lock from pyproject.toml
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	uv pip compile pyproject.toml --extra dev --python-version 3.11 --no-header --no-annotate -o requirements.lock

airflow: $(STAMP) ## start local Airflow in the background (127.0.0.1:8080, AIRFLOW_HOME=.airflow, LocalExecutor)
	scripts/airflow_local.sh start

airflow-stop: ## stop the local Airflow that `make airflow` started (by its pid file)
	scripts/airflow_local.sh stop

up: ## docker compose: build the image and start the CeleryExecutor deployment (needs .env)
	@test -f .env || { echo "copy .env.example to .env and set the passwords first"; exit 1; }
	docker compose up -d --build

down: ## docker compose: stop the deployment (volumes are kept)
	docker compose down

clean: ## remove the venv, warehouse and published output
	rm -rf $(VENV) warehouse $(OUT) .bench
