# GAN Hacks Lab. `make run` starts the app, `make test` runs every test; both set up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SEED_REFERENCE ?= ../shared/bench/seed_reference.py
PORT ?= 8501
# The interface `make run` serves on: localhost (this machine only), or 0.0.0.0 for a class on a network.
ADDRESS ?= localhost

.PHONY: setup lock browser lint test test-fast run bench pretrained reliability screenshots clean

setup: $(STAMP)

# Reinstall only when the requirements or the lock change. The lock (constraints.txt)
# pins every package, so a fresh machine gets the versions the tests passed with.
$(STAMP): requirements.txt requirements-test.txt requirements-ray.txt constraints.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e ".[test]"
	touch $(STAMP)

# Regenerate the lock from requirements.txt alone, in a throwaway venv: packages no longer
# required drop out, the others keep their pinned versions (`make lock UPGRADE=1` takes the
# newest that the floors allow). Run `make test` on the new lock before committing it.
LOCK_VENV := .lock-venv
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install -q --upgrade pip
	$(LOCK_VENV)/bin/python -m pip install -q -r requirements.txt -r requirements-test.txt -r requirements-ray.txt $(if $(UPGRADE),,$(if $(wildcard constraints.txt),-c constraints.txt))
	{ echo "# The exact set the tests passed with; regenerate with \`make lock\`."; \
	  $(LOCK_VENV)/bin/python -m pip freeze --exclude-editable | grep -v '^gan-hacks-lab'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf $(LOCK_VENV)

browser:
	bash scripts/ensure_chromium.sh

# Style and structure are part of the tests: ruff's lint rules and its formatter, and the import
# contracts of import-linter (settings of both in pyproject.toml).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: setup browser lint
	$(BIN)/python -m pytest -q

# The edit loop: everything but the browser, slow (soak, load, bench) and Ray tests, in about
# three minutes on two cores. `make test` still runs them all, and CI runs `make test`.
test-fast: setup
	$(BIN)/python -m pytest -q -m "not browser and not slow and not ray"

run: setup
	$(BIN)/python -m ui.serve --address $(ADDRESS) --port $(PORT)

bench: setup
	$(BIN)/python -m gan_core.cli.bench_report --seed-reference $(SEED_REFERENCE)
	$(BIN)/python -m devtools.viewers_load --viewers 100 --seconds 60
	$(BIN)/python -m gan_core.cli.first_grid
	$(BIN)/python -m devtools.class_load --trainings 4 --seconds 90

screenshots: setup browser
	GAN_LAB_DOCS_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q -m browser -k "end_to_end or latent_explorer or playground"

reliability: setup
	$(BIN)/python -m devtools.reliability

pretrained: setup
	$(BIN)/python -m gan_core.cli.pretrained assets/pretrained

clean:
	rm -rf $(VENV) $(LOCK_VENV) runs test-artifacts .pytest_cache
