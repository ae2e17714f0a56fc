# Two entry points for a fresh machine with Python 3.11+: `make chat` and `make test`.
# Each creates the local virtual environment on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
TOOLS := .tools

.PHONY: chat test lint bench program serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# dynalite, a DynamoDB-compatible server, for the storage integration tests (needs npm;
# without it the tests fall back to moto's server).
$(TOOLS)/node_modules/.bin/dynalite:
	@if command -v npm >/dev/null 2>&1; then \
		npm install --silent --no-audit --no-fund --prefix $(TOOLS) dynalite@4.0.0; \
	else \
		echo "npm not found: storage tests will use moto's server instead of dynalite"; \
	fi

chat: $(STAMP)
	$(BIN)/band-coach chat

test: $(STAMP) $(TOOLS)/node_modules/.bin/dynalite
	$(BIN)/ruff check skill tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest

program: $(STAMP)
	$(BIN)/band-coach program

serve: $(STAMP)
	$(BIN)/band-coach serve --insecure-skip-verification

bench: $(STAMP) $(TOOLS)/node_modules/.bin/dynalite
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .mypy_cache .ruff_cache .hypothesis
