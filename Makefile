# Meute — two commands for a newcomer: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON312 ?= $(shell command -v python3.12 2>/dev/null || ls -d $$HOME/.pyenv/versions/3.12*/bin/python3.12 2>/dev/null | tail -n1)
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
PORT ?= 8000
MEUTE := .venv/bin/meute
export UV_PYTHON := $(PYTHON312)

.PHONY: install demo test lint bench serve reload worker load messages clean

# Shared first step of `demo` and `test`: uv (bootstrapped with pip if absent),
# then the locked environment in .venv/ with the `meute` command.
install: .venv/.installed
	@mkdir -p var

.venv/.installed: pyproject.toml uv.lock
	@if [ ! -x "$(UV)" ]; then \
	  echo "uv not found: installing it into .tools/ with pip"; \
	  "$(PYTHON312)" -m pip install --quiet --target .tools/lib uv && mkdir -p .tools/bin && \
	  printf '#!/bin/sh\nPYTHONPATH=%s/.tools/lib exec "%s" -m uv "$$@"\n' "$$PWD" "$(PYTHON312)" > .tools/bin/uv && chmod +x .tools/bin/uv; \
	fi
	$(UV) sync --frozen --all-groups --all-extras
	@touch $@

demo: install
	@mkdir -p var
	$(MEUTE) migrate --no-input -v 0
	$(MEUTE) demo_load
	@echo ""
	@echo "Meute is served on http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"
	$(MEUTE) demo_accounts
	$(MEUTE) runserver 127.0.0.1:$(PORT)

# Production: gunicorn (meute/gunicorn.conf.py) with DEBUG off and the static files hashed and
# compressed, served by the app. Run `meute migrate` first; `meute worker` beside it. See docs/operations.md.
serve: export MEUTE_ENV ?= production
serve: install
	$(MEUTE) collectstatic --no-input -v 0
	$(MEUTE) check --deploy
	exec .venv/bin/gunicorn -c meute/gunicorn.conf.py

# Graceful reload of `make serve` on new code: USR2 starts a new master and workers, then QUIT lets
# the old ones finish their requests and leave (meute/gunicorn.conf.py).
reload:
	@pid=$${MEUTE_PIDFILE:-$${MEUTE_VAR_DIR:-var}/gunicorn.pid}; old=$$(cat $$pid); kill -USR2 $$old; \
	for i in $$(seq 120); do [ -f $$pid ] && [ "$$(cat $$pid)" != "$$old" ] && break; sleep 1; done; \
	sleep 2; kill -QUIT $$old; echo "reloaded: master $$(cat $$pid) replaces $$old"

worker: install
	exec $(MEUTE) worker

# Load test: locust, headless, on 127.0.0.1, against `make serve` on PostgreSQL with the national
# data (DATABASE_URL=postgres://… and `meute demo_load --scale national` first); see docs/benchmarks.md.
load: install
	.venv/bin/python -m benchmarks.load.run $(LOAD_ARGS)

test: install
	$(MEUTE) check
	$(MEUTE) makemigrations --check --dry-run -v 0
	.venv/bin/pytest -m "not browser" -n 2 $(PYTEST_ARGS)
	.venv/bin/pytest --doctest-modules meute/engine $(PYTEST_ARGS)
	.venv/bin/pytest -m browser $(PYTEST_ARGS)

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy meute
	.venv/bin/lint-imports --no-cache

bench: install
	.venv/bin/python -m benchmarks.run $(BENCH_ARGS)

messages: install
	$(MEUTE) makemessages -l fr -l en --ignore=.venv --ignore=.tools --ignore=tests
	$(MEUTE) compilemessages --ignore=.venv --ignore=.tools

clean:
	rm -rf .venv .tools var/*.sqlite3
