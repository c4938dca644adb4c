# Every target creates .venv and installs what it needs: a fresh clone needs only `make demo` / `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --quiet --disable-pip-version-check
# The oldest scikit-learn that pyproject.toml supports, tested in a second environment.
SKLEARN_OLDEST := 1.5.2
VENV_OLD := .venv-oldest

.PHONY: demo test test-fast test-oldest bench docs docs-check clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.base: pyproject.toml | $(VENV)/bin/python
	$(PIP) -e ".[plot]"
	touch $@

# Ray (extra `ray`, an 80 MB wheel) is installed where it can be: its engine
# tests in tests/test_engines.py then run; where it cannot install, they skip
# and say why.
$(VENV)/.test: pyproject.toml | $(VENV)/bin/python
	$(PIP) -e ".[test,plot]"
	$(PIP) -e ".[ray]" || echo "make: Ray could not be installed here; tests/test_engines.py skips its Ray tests"
	touch $@

$(VENV)/.bench: pyproject.toml | $(VENV)/bin/python
	$(PIP) -e ".[test,bench]"
	touch $@

$(VENV)/.docs: pyproject.toml | $(VENV)/bin/python
	$(PIP) -e ".[docs,test]"
	touch $@

demo: $(VENV)/.base
	$(PY) benchmarks/demo.py

# Every stage runs even after one fails, so one flaky or red stage cannot hide
# another; `make test` then lists the failed stages and exits non-zero.
TEST_STAGES := test-fast test-oldest docs-check

test:
	@failed=""; \
	for stage in $(TEST_STAGES); do \
		$(MAKE) --no-print-directory $$stage || failed="$$failed $$stage"; \
	done; \
	if [ -n "$$failed" ]; then echo "make test: failed stage(s):$$failed" >&2; exit 1; fi; \
	echo "make test: all stages passed ($(TEST_STAGES))"

test-fast: $(VENV)/.test
	$(PY) -m pytest -q tests

# Version churn guard: the core tests against the oldest supported scikit-learn.
test-oldest:
	test -x $(VENV_OLD)/bin/python || $(PYTHON) -m venv $(VENV_OLD)
	$(VENV_OLD)/bin/python -m pip install --quiet --disable-pip-version-check \
		"scikit-learn==$(SKLEARN_OLDEST)" "numpy<2.3" pytest hypothesis pandas -e .
	$(VENV_OLD)/bin/python -m pytest -q -m "not extras" tests

bench: $(VENV)/.bench
	$(PY) benchmarks/run_all.py

# sphinx-gallery runs every docs/examples/*.py and puts its figures on its page.
docs: $(VENV)/.docs
	$(PY) -m sphinx -W --keep-going -b html docs docs/_build/html

# Part of `make test`: the docs build without warnings and every example page embeds its figures.
docs-check: docs
	$(PY) docs/check_gallery.py docs/_build/html

clean:
	rm -rf $(VENV) $(VENV_OLD) docs/_build docs/auto_examples docs/sg_execution_times.rst
