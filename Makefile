# Two commands on a fresh machine: `make report` (sample workspace -> 2026-Q3 report) and
# `make test`. Both create .venv/ and install the project when needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
WORKSPACE ?= data
QUARTER ?=
RUN_ARGS := $(if $(QUARTER),--quarter $(QUARTER),)

.PHONY: setup report report-only sample-data ingest test lab lint clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch is pinned to the CPU wheel through constraints.txt (an unpinned torch is multi-GB CUDA)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name cc-analysis \
		--display-name "cc-analysis (Python 3.11)" >/dev/null
	# the one-off model export (MiniLM's ONNX graph), so no run pays it
	$(BIN)/python -c "from cc_analysis.embeddings import prepare; prepare()"
	@touch $(STAMP)

setup: $(STAMP)

$(WORKSPACE)/raw/_truth.json: | $(STAMP)
	$(BIN)/cc-analysis sample-data --out $(WORKSPACE)/raw

sample-data: $(WORKSPACE)/raw/_truth.json

ingest: setup
	$(BIN)/cc-analysis ingest --workspace $(WORKSPACE)

## The main job: the quarterly report on the bundled sample workspace.
report: setup sample-data report-only

## Ingest + run without setup (what the schedule calls).
report-only:
	$(BIN)/cc-analysis ingest --workspace $(WORKSPACE)
	$(BIN)/cc-analysis run --workspace $(WORKSPACE) $(RUN_ARGS)

test: setup
	$(BIN)/python -m pytest

lab: setup
	$(BIN)/jupyter lab notebooks/

lint: setup
	$(BIN)/ruff check cc_analysis tests benchmarks

clean:
	rm -rf reports/20* reports/.building-* reports/index.html $(WORKSPACE)/*.duckdb
