# GAN Hacks Lab. `make run` starts the app, `make test` runs every test; both set up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SEED_REFERENCE ?= ../shared/bench/seed_reference.py
PORT ?= 8501

.PHONY: setup browser test run bench pretrained reliability screenshots clean

setup: $(STAMP)

# Reinstall only when requirements.txt changes.
$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $(STAMP)

browser:
	bash scripts/ensure_chromium.sh

test: setup browser
	$(BIN)/python -m pytest -q

run: setup
	$(BIN)/python -m streamlit run app.py --server.headless true --server.address localhost --server.port $(PORT)

bench: setup
	$(BIN)/python -m gan_core.bench_report --seed-reference $(SEED_REFERENCE)

screenshots: setup browser
	GAN_LAB_DOCS_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q -m browser -k "end_to_end or latent_explorer or playground"

reliability: setup
	$(BIN)/python -m devtools.reliability

pretrained: setup
	$(BIN)/python -m gan_core.pretrained assets/pretrained

clean:
	rm -rf $(VENV) runs test-artifacts .pytest_cache
