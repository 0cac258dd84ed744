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

.PHONY: run test lint bench bench-xapian clean xapian

# Xapian (GPL-2+, optional: SEARCH_BACKEND=xapian and `bot index`) comes from Debian, never from PyPI (its wheels
# there are a third party's builds). Installed with apt-get only when missing (as root: CI; else say how), then ONLY
# its `xapian` package is linked into the venv, not the rest of the system's site-packages. The Debian build is for
# the system's CPython minor version (bookworm: 3.11), so the venv's Python must be the same minor version.
XAPIAN_DEBS := python3-xapian xapian-tools
XAPIAN_DIR := /usr/lib/python3/dist-packages/xapian
define link_xapian
	@if [ "$$(dpkg-query -W -f='$${Status}\n' $(XAPIAN_DEBS) 2>/dev/null | grep -cx 'install ok installed')" != 2 ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "make: Xapian is needed: sudo apt-get install $(XAPIAN_DEBS)"; exit 1; fi; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get install -y -q $(XAPIAN_DEBS) || { apt-get update -q && apt-get install -y -q $(XAPIAN_DEBS); }; \
	fi
	@suffix=$$($(1)/bin/python -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))'); \
	[ -e $(XAPIAN_DIR)/_xapian$$suffix ] || { echo "make: Debian's python3-xapian has" \
	  "$$(cd $(XAPIAN_DIR) && ls _xapian*.so), not _xapian$$suffix for $(1)'s Python; build the venv with the" \
	  "system's python3 (make clean; make PYTHON=/usr/bin/python3 test)"; exit 1; }
	ln -sfn $(XAPIAN_DIR) "$$($(1)/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/xapian"
	$(1)/bin/python -c 'import xapian; assert xapian.major_version() == 1' && touch $(1)/.xapian
endef

$(VENV)/.xapian: $(STAMP)
	$(call link_xapian,$(VENV))

xapian: $(VENV)/.xapian

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

test: lint $(VENV)/.xapian
	$(BIN)/python -m pytest

# The benchmark gets its own environment: bm25s (compared side by side) drags in scipy,
# which NLTK would then import on every CLI start. The CLI is timed with the main .venv.
BENCH_VENV := .venv-bench
$(BENCH_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet -e ".[bench]"
	touch $@

$(BENCH_VENV)/.xapian: $(BENCH_VENV)/.installed
	$(call link_xapian,$(BENCH_VENV))

bench: $(STAMP) $(BENCH_VENV)/.installed $(BENCH_VENV)/.xapian
	$(BENCH_VENV)/bin/python bench/run.py --cli-python $(BIN)/python

# The Xapian backend against the in-process one (dev-set answers, latency and worker RSS at 1M sentences).
bench-xapian: $(VENV)/.xapian
	$(BIN)/python bench/xapian_shards.py

clean:
	rm -rf $(VENV) $(BENCH_VENV) .pytest_cache .ruff_cache .mypy_cache *.egg-info
