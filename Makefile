# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# The versions tested together; every install (this venv, CI, the installer's build) is held to them.
CONSTRAINTS := requirements/constraints.txt
EXTRAS := test,sandbox,build
# pytest-xdist on every core, a test file per worker (module fixtures such as the installer's build
# made once); `make test PARALLEL=` runs in one process.
PARALLEL ?= -n auto --dist loadfile

.PHONY: run test test-long lint bench screenshots clean install lock installer

$(STAMP): pyproject.toml setup.py $(CONSTRAINTS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e '.[$(EXTRAS)]'
	touch $(STAMP)

install: $(STAMP)

# Starts the sandbox e-prescription service, seeds it, then opens the app on the embedded
# default (SQLite in the user data dir + the bundled BDPM catalogue).
run: $(STAMP)
	$(PY) -m app demo

# The suite without the `long` runs (fault injection, property-based) and the `slow` installer build;
# `make test-long` runs those, and CI runs both targets.
test: $(STAMP)
	$(PY) -m ruff check app tests benchmarks build_installer.py packaging
	$(VENV)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m "not long and not slow" $(PARALLEL)

test-long: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m "long or slow" --timeout=3600 $(PARALLEL)

lint: $(STAMP)
	$(PY) -m ruff check app tests benchmarks build_installer.py packaging
	$(VENV)/bin/lint-imports

# Re-resolves every dependency (and extra) to the newest versions pyproject.toml allows, for every
# platform and Python >= 3.11, into $(CONSTRAINTS). Then `make test test-long` before committing it.
lock: $(STAMP)
	$(PY) -m pip install --quiet 'uv>=0.5,<1'
	$(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.11 --fork-strategy fewest --upgrade --quiet \
		$(foreach extra,$(subst $(comma), ,$(EXTRAS)),--extra $(extra)) \
		--custom-compile-command 'make lock' -o $(CONSTRAINTS)
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e '.[$(EXTRAS)]'

# The desktop app (PyInstaller), then the .deb and the tarball (Linux); see build_installer.py.
installer: $(STAMP)
	$(PY) build_installer.py

# Every benchmark runs even when one fails; the target fails at the end, naming the ones that failed.
bench: $(STAMP)
	@failed=""; for b in benchmarks/*.py; do echo "== $$b"; \
		QT_QPA_PLATFORM=offscreen $(PY) $$b || failed="$$failed $$b"; done; \
	if [ -n "$$failed" ]; then echo "benchmarks failed:$$failed"; exit 1; fi

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m app.ui.screenshots docs
	QT_QPA_PLATFORM=offscreen $(PY) -m app.ui.screenshots_team docs

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache

comma := ,
