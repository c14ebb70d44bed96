# One task runner for people and CI. `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= db/minutes.db
PORT   ?= 8001
SHARED ?= ../shared

.PHONY: help venv demo ingest-demo serve test lint eval corpus clean

help:
	@echo "make demo   - create the virtualenv, install, ingest corpus/, serve Datasette on 127.0.0.1:$(PORT)"
	@echo "make test   - lint and run the test suite"
	@echo "make eval   - ingest $(SHARED)/corpus/seeds into a scratch database and score it against the gold keys"
	@echo "make lint   - ruff"
	@echo "make corpus - regenerate the demo corpus from corpus/src"

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(BIN)/.installed

ingest-demo: venv
	$(BIN)/minutes ingest corpus/documents --db $(DB)

demo: ingest-demo
	$(BIN)/minutes serve --db $(DB) --host 127.0.0.1 --port $(PORT)

serve: venv
	$(BIN)/minutes serve --db $(DB) --host 127.0.0.1 --port $(PORT)

lint: venv
	$(BIN)/ruff check extract tests corpus/src

test: venv lint
	$(BIN)/python -m pytest -q

eval: venv
	@test -d $(SHARED)/corpus/seeds || (echo "$(SHARED)/corpus/seeds not found: set SHARED=path/to/shared" && exit 2)
	rm -f /tmp/minutes-eval.db*
	$(BIN)/minutes ingest $(SHARED)/corpus/seeds --db /tmp/minutes-eval.db --quiet
	$(BIN)/minutes evaluate --gold $(SHARED)/gold --db /tmp/minutes-eval.db

corpus: venv
	$(BIN)/python corpus/src/build.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/output db/*.db db/*.db-*
