# Two commands do all the set-up (see README.md):
#   make run   - create .venv, install, answer a sample question offline (or run the bot when .env has a token)
#   make test  - create .venv, install, run ruff and the whole test suite
# Extra: make run Q="your question"   make bench   make clean

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
ifdef Q
	$(BIN)/python -m bot ask "$(Q)"
else
	$(BIN)/python -m bot
endif

lint: $(STAMP)
	$(BIN)/ruff check .

test: lint
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
