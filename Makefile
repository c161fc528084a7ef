# Two commands set everything up: `make run` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The VS Code extension's npm packages (grammar tests, language client, vsce), project-local.
VSCODE_DEPS := editors/vscode/node_modules/.package-lock.json

.PHONY: run test test-fast setup lint bench clean vsix

$(STAMP): pyproject.toml packaging/debian-packages.txt
	bash scripts/install-debian-deps
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

$(VSCODE_DEPS): editors/vscode/package.json editors/vscode/package-lock.json
	npm ci --prefix editors/vscode --no-audit --no-fund

setup: $(STAMP) $(VSCODE_DEPS)

# the office example: phones 201 and 202 (passwords printed on the first start), 0 and 100
# the IVR demo; README "Calling the service"
run: $(STAMP)
	$(VENV)/bin/dialplan lint examples/dialplans
	scripts/office-extensions $(VENV)/bin/dialplan examples/office 201 202
	$(VENV)/bin/dialplan lint examples/office
	$(VENV)/bin/dialplan serve examples/office --sip-port 5060 --bind 127.0.0.1

test: $(STAMP) $(VSCODE_DEPS)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest -q -n 2 --dist loadfile --durations=25  # 2 workers, each a module's tests at a time

# the in-process tier: no SIP, no processes of its own (tests/conftest.py marks the rest)
test-fast: $(STAMP)
	$(VENV)/bin/pytest -q -n 2 -m "not sip"

bench: $(STAMP)
	$(PY) bench/parse_compile.py
	$(PY) bench/lint_rules.py
	$(PY) bench/serve_demo.py
	$(PY) bench/speech_prompts.py
	$(PY) bench/lsp_latency.py
	$(PY) bench/webhooks.py
	$(PY) bench/lookup_latency.py
	$(PY) bench/machine_steps.py
	$(PY) bench/machine_steps.py --plan arith

vsix: $(VSCODE_DEPS)
	cd editors/vscode && npx vsce package --allow-missing-repository --skip-license -o dialplan.vsix

clean:
	rm -rf $(VENV) editors/vscode/node_modules
