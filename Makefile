# The two commands a newcomer needs:  `make serve`  and  `make test`.
# Everything is installed from hash-pinned lock files into ./.venv (nothing global).
PYTHON ?= python3
VENV   ?= .venv
HOST   ?= 127.0.0.1
PORT   ?= 8080
CONFIG ?= config.yaml
BIN     = $(VENV)/bin

.PHONY: serve test install install-dev lock lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock build-requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r build-requirements.lock -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@rm -f $(VENV)/.installed-dev
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-dev.lock
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make serve: create the environment and run the proxy on $(HOST):$(PORT) with $(CONFIG).
serve: install
	@mkdir -p .spp && chmod 700 .spp
	@if [ -z "$$SPP_MASTER_KEY" ] && [ ! -s .spp/master.key ]; then \
	  $(BIN)/python -c "import secrets; print('spp-admin-' + secrets.token_urlsafe(32))" > .spp/master.key; \
	  chmod 600 .spp/master.key; echo "Created an admin key in .spp/master.key (use it as the API key)."; fi
	SPP_MASTER_KEY="$${SPP_MASTER_KEY:-$$(cat .spp/master.key)}" $(BIN)/spp serve --config $(CONFIG) --host $(HOST) --port $(PORT)

## make test: create the environment (with test tools) and run the whole test suite.
test: install-dev
	@bash scripts/ensure-chromium.sh
	$(BIN)/python -m pytest -q

lint: install-dev
	$(BIN)/ruff check proxy tests bench
	$(BIN)/mypy proxy

## make lock: re-resolve the pinned, hashed lock files after changing pyproject.toml.
lock:
	uv pip compile pyproject.toml --python-version 3.11 --generate-hashes --quiet -o requirements.lock
	uv pip compile pyproject.toml --extra test --python-version 3.11 --generate-hashes --quiet -o requirements-dev.lock
	uv pip compile build-requirements.in --python-version 3.11 --generate-hashes --quiet -o build-requirements.lock

bench: install-dev
	$(BIN)/python bench/overhead.py

clean:
	rm -rf $(VENV) .pytest_cache
