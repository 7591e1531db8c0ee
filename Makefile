# Asisten Tangerang LIVE — the two commands a city IT officer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DATA   ?= $(or $(TLIVE_DATA_DIR),./data)
SYSTEM_PACKAGES := chromium tesseract-ocr tesseract-ocr-ind fonts-dejavu-core espeak-ng opus-tools

.PHONY: run test install install-test system-deps lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Generated once, kept private; back it up: without it stored documents cannot be read.
$(DATA)/secret.key:
	mkdir -p $(DATA)
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(48))" > $@

run: install $(DATA)/secret.key
	@set -a; [ -f .env ] && . ./.env; set +a; \
	export TLIVE_DATA_DIR="$(DATA)"; \
	export TLIVE_SECRET_KEY="$${TLIVE_SECRET_KEY:-$$(cat $(DATA)/secret.key)}"; \
	$(BIN)/tlive-bot migrate && exec $(BIN)/tlive-bot serve

# Browsers and OCR come from Debian; installed only when missing and when we may (root).
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "not root: browser/OCR tests will be skipped (missing:$$missing)"; fi; \
	fi

lint: install-test
	$(BIN)/ruff check .

test: system-deps install-test lint
	$(BIN)/pytest -q

bench: install-test
	$(BIN)/python bench/faq.py
	$(BIN)/python bench/photo_checks.py
	$(BIN)/python bench/conversation.py
	$(BIN)/python bench/speech.py
	$(BIN)/python bench/faces.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
