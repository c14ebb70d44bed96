# One task runner for people and CI. `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= db/minutes.db
PORT   ?= 8001
SHARED ?= ../shared
CHROMIUM ?= /usr/bin/chromium

.PHONY: help venv demo ingest-demo serve test lint eval corpus bench bench-quick chromium clean

help:
	@echo "make demo   - create the virtualenv, install, ingest corpus/, serve Datasette on 127.0.0.1:$(PORT)"
	@echo "make test   - lint and run the test suite"
	@echo "make eval   - ingest $(SHARED)/corpus/seeds into a scratch database and score it against the gold keys"
	@echo "make lint   - ruff"
	@echo "make corpus - regenerate the demo corpus from corpus/src"
	@echo "make chromium - install Debian's chromium for the browser tests (skipped when it cannot be)"
	@echo "make bench  - whole-pipeline benchmark: ingest at 1x/2x/4x vs the floor, 1M-figure Datasette latency"
	@echo "             (several minutes; results in benchmarks/results/latest.json; BENCH_ARGS=--help for options)"

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Byte-compile the package on every make: an editable install does not, and where
# PYTHONDONTWRITEBYTECODE is set (Docker images, many CI runners) every `minutes` process
# would compile it again, about 0.2 s a start. Up-to-date files are skipped.
venv: $(BIN)/.installed
	@$(BIN)/python -m compileall -q extract benchmarks

ingest-demo: venv
	$(BIN)/minutes ingest corpus/documents --db $(DB)

demo: ingest-demo
	$(BIN)/minutes serve --db $(DB) --host 127.0.0.1 --port $(PORT)

serve: venv
	$(BIN)/minutes serve --db $(DB) --host 127.0.0.1 --port $(PORT)

lint: venv
	$(BIN)/ruff check extract tests corpus/src benchmarks

test: venv lint chromium
	$(BIN)/python -m pytest -q

# Headless Chromium for tests/test_browser.py. Never fails the build: without it (no apt,
# not root, no network) the browser tests skip and say why.
chromium:
	@if [ -x "$(CHROMIUM)" ]; then \
	  echo "chromium: $(CHROMIUM)"; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "chromium: installing Debian's chromium with apt-get (a few minutes)"; \
	  ( apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium ) >/tmp/minutes-chromium-install.log 2>&1 \
	    && echo "chromium: installed" \
	    || echo "chromium: could not install (see /tmp/minutes-chromium-install.log); browser tests will skip"; \
	else \
	  echo "chromium: not found and cannot apt-get install it here; browser tests will skip"; \
	fi

eval: venv
	@test -d $(SHARED)/corpus/seeds || (echo "$(SHARED)/corpus/seeds not found: set SHARED=path/to/shared" && exit 2)
	rm -f /tmp/minutes-eval.db*
	$(BIN)/minutes ingest $(SHARED)/corpus/seeds --db /tmp/minutes-eval.db --quiet
	$(BIN)/minutes evaluate --gold $(SHARED)/gold --db /tmp/minutes-eval.db

corpus: venv
	$(BIN)/python corpus/src/build.py

# Not part of `make test`: timings on a shared machine are evidence, not pass/fail.
bench: venv
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

bench-quick: venv
	$(BIN)/python -m benchmarks.run --quick --out /tmp/minutes-bench-quick.json $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/output db/*.db db/*.db-*
