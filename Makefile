PYTHON ?= python3
VENV = .venv
STAMP = $(VENV)/.installed

LATEST = .venv-latest

.PHONY: run test test-latest bench install system-deps system-deps-test clean

# the system libraries are checked at every run (a tenth of a second): one removed since the
# last install is installed again (as root), or named with the command that installs it
run: system-deps $(STAMP)
	$(VENV)/bin/python app.py

# MALLOC_PERTURB_: glibc fills freed memory, so that C++ memory used after Python freed it
# (a Qt object kept past its owner's life) fails the run every time, not once in ten. The
# window's tests run on their own first: the whole suite's allocations once hid a crash that
# they showed every time alone.
TEST_ENV = QT_QPA_PLATFORM=offscreen MALLOC_PERTURB_=165
test: system-deps-test $(STAMP)
	$(TEST_ENV) $(VENV)/bin/python -m pytest tests/ui
	$(TEST_ENV) $(VENV)/bin/python -m pytest

# the suite against the newest release of every package, in a venv of its own; when it
# passes, `$(LATEST)/bin/pip freeze --exclude-editable` is the next constraints.txt
test-latest: system-deps-test
	test -x $(LATEST)/bin/python || $(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install --quiet --upgrade pip
	$(LATEST)/bin/pip install --upgrade --upgrade-strategy eager -e '.[test,export,cluster]'
	$(TEST_ENV) $(LATEST)/bin/python -m pytest

bench: $(STAMP)
	@for script in bench/*.py; do \
		[ -e "$$script" ] || continue; \
		echo "== $$script"; \
		$(VENV)/bin/python "$$script" || exit 1; \
	done

install: system-deps $(STAMP)

system-deps:
	@PYTHON=$(PYTHON) bash scripts/install-system-deps.sh

# and the X server, xdotool and xwd that tests/desktop drives the real window with
system-deps-test:
	@PYTHON=$(PYTHON) bash scripts/install-system-deps.sh --test

$(STAMP): pyproject.toml constraints.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/pip install -c constraints.txt -e '.[test,export,cluster]'
	touch $@

clean:
	rm -rf $(VENV) $(LATEST) .pytest_cache .hypothesis build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
