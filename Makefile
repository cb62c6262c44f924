# Two commands for a new user: `make demo` and `make test`. Both set up .venv first.
# Every target runs tasks.py, which also works without make: `python tasks.py demo|test|check|setup|clean`
# (on Windows `py -3.12 tasks.py demo`; see docs/install-windows.md).

# Any Python 3 starts tasks.py; it re-runs itself with Python 3.10-3.12 (durable-rules does not import
# on 3.13) or says what to install.
PYTHON ?= $(shell command -v python3 2>/dev/null || command -v python 2>/dev/null)
TASKS = $(if $(PYTHON),$(PYTHON) tasks.py,$(error thidua needs Python 3.10, 3.11 or 3.12: no python3 on PATH))

.PHONY: demo serve test check setup clean bench fuzz catalogs

setup:
	@$(TASKS) setup

demo:
	@$(TASKS) demo

# thidua serve over the examples: the council's, admins' and auditors' pages at http://127.0.0.1:8000/
# (PORT=n for another port; docs/serve.md).
serve:
	@$(TASKS) serve

test:
	@$(TASKS) test

check:
	@$(TASKS) check

# thidua against its pandas twin at 50,000 and 200,000 people and over a province of 100 agencies × 2,000
# people (a few minutes): bench/compare.py.
bench:
	@$(TASKS) bench

# After editing a .po file under rules/locale or cli/locale: compile the .mo (docs/architecture.md).
catalogs:
	@$(TASKS) catalogs

clean:
	@$(TASKS) clean

# 5,000 mutations of the shipped rule and fact files, each run as a real process (docs/reliability.md);
# FUZZ_CASES=n for another number. The outcomes table goes to fuzz-report.json.
fuzz:
	@$(TASKS) fuzz
