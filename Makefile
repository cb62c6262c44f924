# Two commands for a new user: `make demo` and `make test`. Both set up .venv first.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
EXAMPLE := examples/ban-dan-toc-binh-phuoc/2022

# The first Python 3.10-3.12 on PATH (durable-rules does not import on 3.13).
PYTHON ?= $(shell for c in python3.12 python3.11 python3.10 python3; do \
	if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(not ((3,10) <= sys.version_info[:2] <= (3,12)))' >/dev/null 2>&1; then \
	echo $$c; break; fi; done)

.PHONY: demo test check setup clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "thidua needs Python 3.10, 3.11 or 3.12 on PATH (durable-rules does not support 3.13)." >&2; exit 2; fi
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/thidua evaluate $(EXAMPLE) --no-record

test: check
	$(PY) -m pytest -q

# Lint, format and strict types. mypy reads an ordinary (non-editable) install of the package,
# since the editable one maps thidua.* onto top-level folders that mypy cannot follow.
check: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	rm -rf .typecheck
	$(PY) -m pip install --quiet --no-deps --target .typecheck .
	cd .typecheck && ../$(VENV)/bin/mypy --config-file ../pyproject.toml -p thidua.rules -p thidua.evaluator
	rm -rf .typecheck build

clean:
	rm -rf $(VENV) build *.egg-info .typecheck
