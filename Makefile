# The two commands of the README: `make build` (site + offline bundle) and `make test` (everything).
# Each target installs what it needs on a fresh machine: a Python venv and the pinned npm files.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup check build build-site serve test bench bench-imports search-eval clean report-kit import-updates revision-freeze
.PHONY: tools-build tools-site tools-test
.PHONY: translations-update translation-export translation-import

# The programs outside Python (Chromium, poppler, Java, LibreOffice, npm): checked first, before the venv, and
# installed with apt-get where this machine allows it, else named in one message (macros/system_tools.py).
SETUP_FILES := $(VENV)/.installed node_modules/.installed overrides/assets/vendor/iframe-worker-shim.js

## setup: everything make build and make test need (system programs, venv, pinned npm files)
setup: tools-test $(SETUP_FILES)

tools-build tools-site tools-test: tools-%:
	@$(PYTHON) -m macros.system_tools $*

$(VENV)/.installed: requirements.txt requirements-test.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The offline plugin would fetch this shim from a CDN; we serve the pinned npm copy instead.
overrides/assets/vendor/iframe-worker-shim.js: node_modules/.installed
	mkdir -p $(@D)
	cp node_modules/iframe-worker/shim/index.js $@

# After a refusal make adds "make: *** [Makefile:NN: check] Error 1", which reads as a crash and cannot be hidden
# without losing the status: the tool's last line then says the refusal is complete, and the status is kept.
# ./sip drops make's line and sets REFUSAL= (empty), since it has nothing to explain.
REFUSAL = || { status=$$?; $(PY) -m macros.messages.refusal $@ >&2; exit $$status; }

## check: validate data/sip.yaml (schema + cross-references); prints every problem, exits 1 on errors
# The user-facing tools print their own one-line verdict: their command line is not echoed (`./sip` also
# drops make's "make: *** ... Error 1" line after a refusal; see README, "Messages").
check: $(VENV)/.installed
	@$(PY) -m macros.data.check $(REFUSAL)

## revision-freeze: keep the current revision as data/revisions/<version>.yaml, with its fingerprint and its
## permalink manifest (tests/permalinks/<version>.json), before the next revision is drafted; bumps nothing else
revision-freeze: setup
	$(PY) -m macros.revisions.freeze --dry-run
	$(PY) scripts/build.py
	$(PY) -m macros.revisions.freeze --manifest site/permalinks.json

## report-kit: one workbook per owner for a quarter's progress report, in dist/report-kit/$(PERIOD)/
report-kit: $(VENV)/.installed
	@$(PY) -m macros.exchange.report_kit "$(PERIOD)" $(REFUSAL)

## import-updates: check filled workbooks (all problems at once), then add their updates to data/sip.yaml
import-updates: $(VENV)/.installed
	@$(PY) -m macros.exchange.import_updates $(FILES) $(REFUSAL)

## translations-update: after a reviser checked the English, record the French each text was checked against
translations-update: $(VENV)/.installed
	@$(PY) -m macros.exchange.translations update $(REFUSAL)

## translation-export: the texts a translator must look at as a PO file (WHICH=new|changed|all, OUT=file.po)
WHICH ?= new,changed
OUT ?= sip-translation.po
translation-export: $(VENV)/.installed
	@$(PY) -m macros.exchange.translations export --which "$(WHICH)" --output "$(OUT)" $(REFUSAL)

## translation-import: merge a translated PO file into the data (FILE=file.po); refused entries change nothing
translation-import: $(VENV)/.installed
	@test -n "$(FILE)" || { echo "usage: make translation-import FILE=path/to/file.po" >&2; exit 2; }
	@$(PY) -m macros.exchange.translations import "$(FILE)" $(REFUSAL)

## build: validate, build site/ and dist/ (offline zip sip-<version>[-<period>]-offline.zip, PDFs, JSON, CSV, sip-latest-* aliases); replaces them only if all succeeded
build: tools-build $(SETUP_FILES)
	$(PY) scripts/build.py

## build-site: the same without the PDFs (no Chromium needed); says so in its last line
build-site: tools-site $(SETUP_FILES)
	$(PY) scripts/build.py --no-pdf

## serve: live preview on http://127.0.0.1:8000 that survives data mistakes
serve: tools-site $(SETUP_FILES)
	@$(PY) scripts/serve.py $(if $(V),-v)

## test: build, then run every test (unit, built site, browser)
# One pytest worker per core and one more, each running whole modules (so a module's fixtures are built once): about
# half of a worker's time is spent waiting (browsers, servers, the quiet time that proves a search answer final), so a
# third worker on two cores took the suite from 6 min 07 s to 5 min 39 s. tests/conftest.py shares the session's
# fixture sites between workers and makes the tests that build in the project folder take turns.
# The site and dist/ are built by scripts/build.py inside the run (conftest.py's site_dir), by the first worker that
# needs them, while the others run the tests that need no site.
TEST_WORKERS ?= $(shell $(PYTHON) -c 'import os; print((os.cpu_count() or 1) + 1)')
test: tools-test $(SETUP_FILES)
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile

bench: setup
	$(PY) scripts/bench.py

## bench-imports: time the importers' refusals of hostile files (target < 2 s) and run two imports at once, 10 times
bench-imports: setup
	$(PY) scripts/bench_imports.py

## search-eval: type tests/search/queries.yaml into the built site (online and offline zip) -> bench/search.json
search-eval: setup
	$(PY) scripts/build.py
	$(PY) scripts/search_eval.py

clean:
	rm -rf site dist .cache
