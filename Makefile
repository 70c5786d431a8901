# Two commands do everything on a fresh machine with python3 and make: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SAMPLE_STAMP := data/raw/.sample
SAMPLE_SOURCES := $(shell find pipelines/sample -name '*.py' -o -name '*.json' -o -name '*.csv')

# No telemetry, no network at run time.
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export GX_ANALYTICS_ENABLED := false
# Only `make ui` uses it (the CLI points Dagster at data/marts/dagster itself); exporting it globally would make
# every dagster command fail on a clean clone where the folder does not exist yet.
DAGSTER_HOME := $(abspath data/marts/dagster)

.PHONY: install run sample refresh summary test lint format ui serve benchmark bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

## Bundled Balikpapan sample (synthetic, deterministic), regenerated when the generator changes.
sample: $(SAMPLE_STAMP)

$(SAMPLE_STAMP): $(STAMP) $(SAMPLE_SOURCES)
	$(BIN)/umkm sample --profile balikpapan --out data/raw

## Full refresh on the bundled sample, then the headline figures.
run: $(SAMPLE_STAMP)
	$(BIN)/umkm refresh
	$(BIN)/umkm summary --json
	$(BIN)/umkm export --period 2024

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check pipelines tests
	$(BIN)/ruff format --check pipelines tests

format: $(STAMP)
	$(BIN)/ruff format pipelines tests
	$(BIN)/ruff check --fix pipelines tests

## Dagster UI on the same code location the CLI runs (http://127.0.0.1:3000).
ui: $(STAMP)
	DAGSTER_HOME=$$($(BIN)/umkm serve --prepare-only --marts-dir $(dir $(DAGSTER_HOME))) \
		$(BIN)/dagster dev -m pipelines.definitions

## Unattended: dagster-webserver + dagster-daemon (nightly schedule, raw-folder sensor, failure alerts), with
## DAGSTER_HOME under the marts folder (SQLite, telemetry off). `make serve SERVE_HOST=0.0.0.0` for the LAN.
## Ctrl-C (SIGINT) or SIGTERM stops both. deploy/ has the systemd unit pair and a cron line.
SERVE_HOST ?= 127.0.0.1
SERVE_PORT ?= 3000
RAW_DIR ?= data/raw
MARTS_DIR ?= data/marts
serve: $(STAMP)
	$(BIN)/umkm serve --host $(SERVE_HOST) --port $(SERVE_PORT) --raw-dir $(RAW_DIR) --marts-dir $(MARTS_DIR)

## National-scale benchmark (not part of `make test`): the full refresh against the plain-DuckDB floor, a pandas
## baseline and an incremental refresh on `umkm sample --profile national --scale $(SCALE)` (written once under
## data/bench/); the median of K runs each, JSON under data/marts/bench/. K defaults to 3 (1 at SCALE >= 1).
## WITHOUT=events leaves a source folder out of every step (the JSON's `sources` says which were in).
SCALE ?= 0.1
K ?=
bench: $(STAMP)
	nice -n 10 $(BIN)/python benchmarks/bench.py --scale $(SCALE) $(if $(K),--k $(K)) $(foreach w,$(WITHOUT),--without $(w)) --marts-dir $(MARTS_DIR)

clean:
	rm -rf data/marts/build data/marts/releases data/marts/warehouse.duckdb data/marts/logs dbt_project/target
