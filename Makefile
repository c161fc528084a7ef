# Two commands set everything up: `make run` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test setup lint bench clean

$(STAMP): pyproject.toml packaging/debian-packages.txt
	bash scripts/install-debian-deps
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/dialplan lint examples/dialplans
	$(VENV)/bin/dialplan serve examples/dialplans --sip-port 5060 --bind 127.0.0.1

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest -q

bench: $(STAMP)
	$(PY) bench/parse_compile.py
	$(PY) bench/lint_rules.py
	$(PY) bench/serve_demo.py
	$(PY) bench/speech_prompts.py

clean:
	rm -rf $(VENV)
