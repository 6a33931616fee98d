# healthplan — two commands for a new user: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The tests also run the Spark engine (local mode; needs a JRE): the [spark] extra, installed for `make test` only.
SPARK_STAMP := $(VENV)/.installed-spark
$(SPARK_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,spark]"
	touch $(SPARK_STAMP)

## Build the demo regions (晋城市, 朔州市) into the embedded SQLite database, evaluate their plans (tables printed,
## out/*.xlsx|json|docx|html written), then serve the web site on 127.0.0.1:8000 (the demo logins are printed; Ctrl-C).
demo: $(STAMP)
	$(BIN)/healthplan demo --out out
	$(BIN)/healthplan access coverage 140500 --out out/access
	$(BIN)/healthplan access sites 140500 --new 3 --out out/access
	$(BIN)/healthplan allocate jincheng-14th-health-services --year 2025 --format xlsx --out out/jincheng-2025-配置规划表.xlsx
	$(BIN)/healthplan report annual --plan chengqu-reform-2023 --year 2023 --out out/chengqu-reform-2023-年度监测报告.docx
	$(BIN)/healthplan serve

## ruff, mypy --strict, and the whole test suite on SQLite and a real PostgreSQL server.
test: $(SPARK_STAMP) lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy --strict src/healthplan

unit: $(STAMP)
	$(BIN)/pytest -n 2 --dist loadfile

bench: $(STAMP)
	$(BIN)/python -m benchmarks.rollup

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache .hypothesis
