PYTHON ?= python3
VENV = .venv
STAMP = $(VENV)/.installed

.PHONY: run test bench install system-deps system-deps-test clean

# the system libraries are checked at every run (a tenth of a second): one removed since the
# last install is installed again (as root), or named with the command that installs it
run: system-deps $(STAMP)
	$(VENV)/bin/python app.py

# MALLOC_PERTURB_: glibc fills freed memory, so that C++ memory used after Python freed it
# (a Qt object kept past its owner's life) fails the run every time, not once in ten
test: system-deps-test $(STAMP)
	QT_QPA_PLATFORM=offscreen MALLOC_PERTURB_=165 $(VENV)/bin/python -m pytest

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

$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/pip install -e '.[test,export,cluster]'
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
