# Two commands do all the set-up (see README.md):
#   make run   - create .venv, install, answer a sample question offline (or run the bot when .env has a token)
#   make test  - create .venv, install, run ruff (lint + format check), mypy and the whole test suite
# Extra: make run Q="your question"   make bench   make clean

PYTHON ?= $(shell command -v python3.11 || command -v python3)
ifeq ($(PYTHON),)
$(error Python 3.11 is needed: install python3.11 (with its venv module) and run make again)
endif
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys, venv; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "make: $(PYTHON) is not Python 3.11+ with the venv module (Debian/Ubuntu: apt install python3.11-venv)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

export Q
run: $(STAMP)
ifdef Q
	$(BIN)/python -m bot ask "$$Q"
else
	$(BIN)/python -m bot
endif

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

# The benchmark gets its own environment: bm25s (compared side by side) drags in scipy,
# which NLTK would then import on every CLI start. The CLI is timed with the main .venv.
BENCH_VENV := .venv-bench
$(BENCH_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet -e ".[bench]"
	touch $@

bench: $(STAMP) $(BENCH_VENV)/.installed
	$(BENCH_VENV)/bin/python bench/run.py --cli-python $(BIN)/python

clean:
	rm -rf $(VENV) $(BENCH_VENV) .pytest_cache .ruff_cache .mypy_cache *.egg-info
