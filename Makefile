# Two entry points for a fresh machine: `make site` and `make test` (both set up what they need first).
PY := .venv/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site serve test setup browser-deps

.venv/.installed: requirements.txt pyproject.toml
	python3 -m venv .venv
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .   # the engine's MkDocs plugin (pyproject.toml)
	touch $@

setup: .venv/.installed

site: setup
	$(PY) build_site.py build

serve: setup
	$(PY) build_site.py serve

# Browser tests drive Debian's Chromium (never a downloaded browser) with CJK fonts, and axe-core from npm.
browser-deps:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; fi
	@[ -d tests/node_modules/axe-core ] || npm ci --prefix tests --no-audit --no-fund --silent

test: setup browser-deps
	$(PY) -m pytest -n 2
