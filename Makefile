# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench screenshots clean install

$(STAMP): pyproject.toml setup.py
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Starts the sandbox e-prescription service, seeds it, then opens the app on the embedded
# default (SQLite in the user data dir + the bundled BDPM catalogue).
run: $(STAMP)
	$(PY) -m app demo

test: $(STAMP)
	$(PY) -m ruff check app tests benchmarks build_installer.py
	$(VENV)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

lint: $(STAMP)
	$(PY) -m ruff check app tests benchmarks build_installer.py
	$(VENV)/bin/lint-imports

# Every benchmark runs even when one fails; the target fails at the end, naming the ones that failed.
bench: $(STAMP)
	@failed=""; for b in benchmarks/*.py; do echo "== $$b"; \
		QT_QPA_PLATFORM=offscreen $(PY) $$b || failed="$$failed $$b"; done; \
	if [ -n "$$failed" ]; then echo "benchmarks failed:$$failed"; exit 1; fi

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m app.ui.screenshots docs

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
