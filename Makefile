# licensebuilder: `make run` serves the site on http://127.0.0.1:8000, `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: install run test lint format bench load clean

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: install Python 3.11"; exit 2; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	bin/system-deps --pdf
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py license presets
	$(BIN)/python manage.py runserver $(HOST)

# The web and security tests, run a second time on PostgreSQL (tests/on_postgres.py): an error only
# one database raises cannot hide. The browser and deployment tests run once.
POSTGRES_TESTS := tests/test_accounts.py tests/test_login_throttling.py tests/test_security_defaults.py \
	tests/test_operations.py tests/test_input_bombs.py tests/test_control_characters.py tests/test_cache_bounds.py \
	tests/test_drafts.py tests/test_wizard.py tests/test_sharing.py tests/test_comments.py \
	tests/test_revisions.py tests/test_compare_web.py tests/test_exports_web.py tests/test_idor.py \
	tests/test_preview_fast_paths.py tests/test_publish.py tests/test_pdf_queue.py tests/test_review_reads.py

test: lint
	bin/system-deps
	$(BIN)/python -m pytest
	$(BIN)/python -m tests.on_postgres -q $(POSTGRES_TESTS)

# Style, formatting and types: the checks that `make test` runs first, and pre-commit runs on commit.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	$(BIN)/python -m bench $(ARGS)

# 50 visitors for 60 s on two gunicorn nodes + PostgreSQL + Redis + a PDF worker (not part of `make test`).
load: $(STAMP)
	bin/system-deps
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[load]"
	$(BIN)/python -m bench.load

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .hypothesis test-output
