# Two entry points for a fresh machine with Python 3.11+: `make chat` and `make test`.
# `make chat` installs the package and its runtime dependencies only; `make test` adds the
# dev extra (linters, type checker, test tools) to the same virtual environment.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# PYTHONWARNINGS reaches the build backend: an editable install's advice is not for a newcomer.
PIP := PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet --disable-pip-version-check
RUNTIME := $(VENV)/.runtime-stamp
STAMP := $(VENV)/.installed-stamp
TOOLS := .tools
CHAT_ARGS ?=

.PHONY: chat test lint bench program history serve first-chat clean models

$(RUNTIME): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	@# No bytecode up front: the chat compiles the few modules it imports on first use.
	$(PIP) --no-compile -e .
	touch $(RUNTIME)

$(STAMP): $(RUNTIME)
	$(PIP) -e '.[dev]'
	@# The runtime went in without bytecode; compiled now, with the libraries' own old escape
	@# warnings silenced, so the tests (warnings are errors) never compile a library themselves.
	PYTHONWARNINGS=ignore $(BIN)/python -W ignore -m compileall -q $(VENV)/lib >/dev/null
	touch $(STAMP)

# dynalite, a DynamoDB-compatible server, for the storage integration tests (needs npm;
# without it the tests fall back to moto's server).
$(TOOLS)/node_modules/.bin/dynalite:
	@if command -v npm >/dev/null 2>&1; then \
		npm install --silent --no-audit --no-fund --prefix $(TOOLS) dynalite@4.0.0; \
	else \
		echo "npm not found: storage tests will use moto's server instead of dynalite"; \
	fi

# virtual-alexa, third-party Alexa tooling that drives the web service from our interaction
# model (needs npm; without it those tests skip locally).
VIRTUAL_ALEXA := tests/integration/virtual_alexa
$(VIRTUAL_ALEXA)/node_modules/virtual-alexa: $(VIRTUAL_ALEXA)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --silent --no-audit --no-fund --prefix $(VIRTUAL_ALEXA); \
	else \
		echo "npm not found: the virtual-alexa tests will be skipped"; \
	fi

chat: $(RUNTIME)
	$(BIN)/band-coach chat $(CHAT_ARGS)

test: $(STAMP) $(TOOLS)/node_modules/.bin/dynalite $(VIRTUAL_ALEXA)/node_modules/virtual-alexa
	$(BIN)/ruff check skill tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest

# The interaction models (and their NLU sets and docs/what-you-can-say.md) from the grammar.
models: $(RUNTIME)
	$(BIN)/band-coach models

program: $(RUNTIME)
	$(BIN)/band-coach program

serve: $(RUNTIME)
	$(BIN)/band-coach serve --insecure-skip-verification

bench: $(STAMP) $(TOOLS)/node_modules/.bin/dynalite
	$(BIN)/python -m benchmarks
	$(BIN)/python -m benchmarks.stream
	$(BIN)/python -m benchmarks.audio

history: $(RUNTIME)
	$(BIN)/band-coach history

# The figure for a newcomer: a fresh clone's `make chat` to the first prompt (warm pip cache).
first-chat:
	$(PYTHON) benchmarks/first_chat.py

clean:
	rm -rf $(VENV) $(TOOLS) $(VIRTUAL_ALEXA)/node_modules .pytest_cache .mypy_cache .ruff_cache .hypothesis

# sam build (BuildMethod: makefile): the skill package minus its front ends, deps for arm64 3.12.
LAMBDA_LEAVES_OUT := skill/web skill/chat skill/commands skill/cli.py skill/grammar skill/understanding
.PHONY: build-BandCoachFunction
build-BandCoachFunction:
	mkdir -p "$(ARTIFACTS_DIR)"
	cp -R skill "$(ARTIFACTS_DIR)/"
	cd "$(ARTIFACTS_DIR)" && rm -rf $(LAMBDA_LEAVES_OUT) && find skill -name __pycache__ -prune -exec rm -rf {} +
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --no-compile --target "$(ARTIFACTS_DIR)" \
		--platform manylinux2014_aarch64 --implementation cp --python-version 3.12 --only-binary=:all: \
		-r requirements-lambda.txt
	@# Lambda's file system is read-only: without shipped bytecode every cold start recompiles.
	@if python3.12 -c pass >/dev/null 2>&1; then \
		python3.12 -m compileall -q -j 0 --invalidation-mode unchecked-hash "$(ARTIFACTS_DIR)" >/dev/null 2>&1; \
	else \
		echo "python3.12 not found: the package ships no bytecode (each cold start compiles it)"; \
	fi
