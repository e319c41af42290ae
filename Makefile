PYTHON ?= python3
VENV = .venv
STAMP = $(VENV)/.installed

.PHONY: run test bench install system-deps clean

run: $(STAMP)
	$(VENV)/bin/python app.py

# MALLOC_PERTURB_: glibc fills freed memory, so that C++ memory used after Python freed it
# (a Qt object kept past its owner's life) fails the run every time, not once in ten
test: $(STAMP)
	QT_QPA_PLATFORM=offscreen MALLOC_PERTURB_=165 $(VENV)/bin/python -m pytest

bench: $(STAMP)
	@for script in bench/*.py; do \
		[ -e "$$script" ] || continue; \
		echo "== $$script"; \
		$(VENV)/bin/python "$$script" || exit 1; \
	done

install: $(STAMP)

system-deps:
	bash scripts/install-system-deps.sh

$(STAMP): pyproject.toml scripts/install-system-deps.sh
	bash scripts/install-system-deps.sh
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/pip install -e '.[test,export]'
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
