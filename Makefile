# The two set-up commands of the README:
#   make serve   install, migrate, build the search index, serve on http://127.0.0.1:5000
#   make test    install with test extras (headless Chromium, axe-core, PostgreSQL, Redis), run the whole test suite
#                on SQLite, then again on a throwaway PostgreSQL cluster, then schemathesis over the API
# Both create .venv/ at the repository root when it is missing.

VENV   := .venv
PY     := $(VENV)/bin/python
HD     := $(VENV)/bin/helpdesk
HOST   ?= 127.0.0.1
PORT   ?= 5000
WORKERS ?= 2

.PHONY: serve test lint lint-python lint-i18n install install-test browser axe servers index api-fuzz clean-venv \
        translations-update translations-compile

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(PY) pyproject.toml
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[st,test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

browser:
	bash scripts/install-browser.sh

axe:
	bash scripts/install-axe.sh

servers:
	bash scripts/install-servers.sh

# The desk's reviewed seed FAQ is imported before the index is built, so that the build embeds it
# too; an entry whose id the database already has is left as it is (a curator may have edited it).
index: install
	$(HD) init-db
	$(HD) faq import --seed corpus/desk-faq
	$(HD) index build
	$(HD) triage warm

serve: index
	$(HD) demo-accounts
	HELPDESK_SECURE_COOKIES=$${HELPDESK_SECURE_COOKIES:-0} HELPDESK_BIND=$(HOST):$(PORT) \
	    HELPDESK_WORKERS=$(WORKERS) $(VENV)/bin/gunicorn -c gunicorn.conf.py

# The lint gate (CI runs it before the tests): ruff and mypy as pyproject.toml configures them, then the
# message-catalogue check. ruff does not reformat: the style is stated in CONTRIBUTING.md.
lint: lint-python lint-i18n

lint-python: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

test: install-test browser axe servers
	bash scripts/run-tests.sh
	bash scripts/with-postgres.sh bash scripts/run-tests.sh
	$(MAKE) api-fuzz

# Schemathesis over every operation of /api/v1/openapi.json against a live server on 127.0.0.1
# (fresh SQLite instance, real index): no 5xx, nothing the document does not declare.
api-fuzz: install-test
	bash scripts/schemathesis.sh

# The gettext catalogues (translations/): merge new messages in, compile them; lint-i18n fails on a msgid
# without Japanese, a fuzzy entry, a msgid the catalogues lack or a stale .mo.
translations-update: install
	$(HD) translate update

translations-compile: install
	$(HD) translate compile

lint-i18n: install
	$(HD) translate check

clean-venv:
	rm -rf $(VENV)
