# Maillage — the commands a developer needs. `make run` and `make test` set
# everything up from a fresh clone on a machine with Python 3.11, make and git.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PASSWORD ?= maillage-demo
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format messages compile-messages migrate demo install browser browser-chromium check clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

compile-messages: install
	$(PY) -m babel.messages.frontend compile --domain django --directory site/locale --statistics

migrate: install
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py load_demo --password "$(PASSWORD)"

## Set up, load the demo and serve the site and the Huey worker together.
run: compile-messages demo
	@echo ""
	@echo "  Maillage:  http://$(HOST):$(PORT)/fr/   (English: http://$(HOST):$(PORT)/en/)"
	@echo "  Admin:     http://$(HOST):$(PORT)/admin/  (logins above, password: $(PASSWORD))"
	@echo "  Ctrl-C stops the web server and the worker."
	@echo ""
	PATH="$(CURDIR)/$(BIN):$$PATH" HOST=$(HOST) PORT=$(PORT) $(BIN)/honcho start --procfile Procfile.dev

## Debian's Chromium drives the browser tests (never a downloaded browser);
## axe-core (npm) checks accessibility inside it.
browser: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

browser-chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; \
	  fi; }

## Set up and run the whole test suite (database from DATABASE_URL, default SQLite).
test: compile-messages browser browser-chromium
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

## Refresh the French and English catalogues from the source.
messages: install
	cd $(CURDIR) && $(PY) manage.py makemessages --locale fr --locale en --ignore "$(VENV)/*" --ignore "var/*" --no-obsolete
	cd $(CURDIR) && $(PY) manage.py makemessages --domain djangojs --locale fr --locale en --ignore "$(VENV)/*" --ignore "var/*" --ignore "node_modules/*" --no-obsolete

clean:
	rm -rf var $(VENV)
