# The two commands of the README: `make run` and `make test`. Everything else is a step of theirs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2

.PHONY: run test install install-dev translations static axe db demo serve clean

run: install translations static instance/secret_key db demo serve

# Two workers, each taking whole files (a file's module fixtures are built once): about half the time.
# `make test PYTEST_ARGS="-n 0 ..."` runs in one process, e.g. to debug.
PYTEST_WORKERS ?= -n 2 --dist loadfile

test: install-dev translations static axe
	$(BIN)/python -m pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

# What a server needs (requirements.txt), and beside it the test tools for `make test`
# (requirements-dev.txt); each stamp is redone only when its file changed.
install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# axe-core, pinned in package-lock.json, for the browser tests' accessibility checks (tests/e2e/axe.py).
# Without npm those checks are skipped, each with a message.
axe: node_modules/.installed

node_modules/.installed: package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm is not installed: the browser tests' accessibility checks (axe-core) will be skipped"; fi

translations: install
	$(BIN)/pybabel compile --domain messages --directory translations 2>&1 | grep -v '^compiling' || true

# Static files under names that carry a hash of their content (app-<md5>.css beside app.css), so
# browsers keep them for a year; made again whenever a source file is newer than the manifest.
STATIC_SOURCES := $(shell find app/static -type f ! -name cache_manifest.json ! -name '*-????????????????????????????????.*')
static: app/static/cache_manifest.json

# Quiet unless it fails: the app it loads first rightly says the old manifest is stale.
app/static/cache_manifest.json: $(VENV)/.installed $(STATIC_SOURCES)
	@$(FLASK) digest compile >/dev/null 2>&1 || $(FLASK) digest compile

# One key, made once and kept private, so cookies and forms survive restarts and hold across workers.
instance/secret_key:
	mkdir -p instance
	umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > $@

db: install
	$(FLASK) db upgrade

demo: install
	$(FLASK) demo

# The web server and, beside it, the worker of background jobs (machine translation); both stop together.
# gunicorn.conf.py holds gunicorn's settings for every way of serving (here, Dockerfile, deploy/systemd)
# and reads the address and the number of workers from the environment.
serve: install
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl+C stops)"
	$(FLASK) jobs work & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	HOST=$(HOST) PORT=$(PORT) WEB_CONCURRENCY=$(WORKERS) $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

clean:
	test ! -x $(BIN)/flask || $(FLASK) digest clean >/dev/null
	rm -rf $(VENV) .pytest_cache
