PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test test-fast lint bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

demo: $(VENV)/.installed
	$(BIN)/nianbao demo --out demo

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q

# The inner loop: the parser, warehouse and generator suites without the tests marked slow
# (real processes waiting out locks, whole generated corpora); under a minute.
FAST := tests/parsers tests/warehouse tests/synth tests/test_layers.py tests/test_architecture.py \
	tests/pipeline/test_show.py tests/pipeline/test_evaluate.py tests/pipeline/test_discover.py
test-fast: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q -m "not slow" $(FAST)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.installed-test
	$(BIN)/python bench/html_throughput.py
	$(BIN)/python bench/load_throughput.py
	$(BIN)/python bench/crawl_throughput.py
	$(BIN)/python bench/pdf_throughput.py
	$(BIN)/python bench/pdf_parallel.py
	$(BIN)/python bench/repair_overhead.py
	$(BIN)/python bench/run_overhead.py
	$(BIN)/python bench/warehouse_scale.py
	$(BIN)/python bench/review_site.py
	$(BIN)/python bench/ocr_throughput.py

clean:
	rm -rf $(VENV) demo/warehouse.duckdb demo/warehouse.duckdb.wal
