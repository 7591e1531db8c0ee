"""The example Rasa project is consistent with itself and with this service.

Rasa itself never runs here (it cannot share this environment): these checks stand in for
``rasa data validate`` on what matters to this service, and tie the project to the action
server, the inbound intent mapping and the FAQ.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from bot.config import Settings
from bot.core import build_core
from bot.faq.model import load_default_faq
from integrations.rasa import INTENT_COMMANDS
from integrations.rasa.server import build_executor

EXAMPLE = Path(__file__).parents[3] / "integrations" / "rasa" / "example"
MIN_EXAMPLES = 10
# Intents only the example assistant's own dialogue uses (this service never maps them).
OWN_DIALOGUE = {"beri_nomor"}
_ANNOTATION = re.compile(r"\[[^\]]+\]\((\w+)(?:[:=][^)]*)?\)|\{\"entity\":\s*\"(\w+)\"")


def _load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((EXAMPLE / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict), name
    return data


def _nlu() -> dict[str, list[str]]:
    """Return each NLU intent (retrieval sub-intents whole) with its examples."""
    found: dict[str, list[str]] = {}
    for block in _load("data/nlu.yml")["nlu"]:
        if "intent" in block:
            lines = [x[2:].strip() for x in block["examples"].splitlines() if x.startswith("- ")]
            found[block["intent"]] = lines
    return found


def _rule_steps() -> list[dict[str, str]]:
    return [step for rule in _load("data/rules.yml")["rules"] for step in rule["steps"]]


def _served_actions(tmp_path: Path) -> set[str]:
    settings = Settings(data_dir=tmp_path, secret_key="x" * 40,
                        database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")  # fmt: skip
    return {a.name for a in build_executor(build_core(settings, ocr=False)).list_actions()}


def test_every_file_rasa_reads_is_there_and_says_its_format_version() -> None:
    for name in ("domain.yml", "data/nlu.yml", "data/rules.yml"):
        assert _load(name)["version"] == "3.1", name
    for name in ("config.yml", "endpoints.yml", "credentials.yml", "README.md"):
        assert (EXAMPLE / name).is_file(), name
    assert _load("config.yml")["language"] == "id"


def test_every_nlu_intent_is_in_the_domain_with_enough_examples() -> None:
    domain_intents = set(_load("domain.yml")["intents"])
    for intent, examples in _nlu().items():
        assert intent.split("/", 1)[0] in domain_intents, intent
        assert len(examples) >= MIN_EXAMPLES, f"{intent}: {len(examples)} examples"
        assert len(set(examples)) == len(examples), f"{intent}: repeated examples"
    assert domain_intents <= {i.split("/", 1)[0] for i in _nlu()}, "an intent without examples"


def test_every_example_is_in_one_intent_only() -> None:
    seen: dict[str, str] = {}
    for intent, examples in _nlu().items():
        for example in examples:
            assert example.casefold() not in seen, f"{example!r}: {seen.get(example.casefold())}"
            seen[example.casefold()] = intent


def test_entities_annotated_or_mapped_to_slots_are_declared() -> None:
    domain = _load("domain.yml")
    entities = set(domain["entities"])
    for examples in _nlu().values():
        for example in examples:
            for match in _ANNOTATION.finditer(example):
                assert (match.group(1) or match.group(2)) in entities, example
    for slot in domain["slots"].values():
        for mapping in slot["mappings"]:
            if mapping["type"] == "from_entity":
                assert mapping["entity"] in entities
    regexes = [b for b in _load("data/nlu.yml")["nlu"] if "regex" in b]
    assert {b["regex"] for b in regexes} <= entities  # RegexEntityExtractor names entities


def test_the_reference_regex_finds_the_references_this_service_issues() -> None:
    block = next(b for b in _load("data/nlu.yml")["nlu"] if b.get("regex") == "reference")
    pattern = re.compile(block["examples"].strip().removeprefix("- "))
    for typed in ("TL-7KQ4M9", "tl-3hx9pq", "TL 5GZ2NE", "cek TL-M4R8WA dong"):
        assert pattern.search(typed), typed
    assert not pattern.search("TL-0O1IL0")


def test_every_action_in_the_domain_or_rules_is_served_by_the_action_server(
    tmp_path: Path,
) -> None:
    served = _served_actions(tmp_path)
    domain = _load("domain.yml")
    used = {s["action"] for s in _rule_steps() if "action" in s}
    custom = {a for a in used | set(domain["actions"]) if not a.startswith("utter_")}
    assert custom <= served, custom - served
    assert served <= set(domain["actions"]), "an action the domain does not declare"


def test_every_response_used_exists() -> None:
    domain = _load("domain.yml")
    responses = set(domain["responses"])
    used = {s["action"] for s in _rule_steps() if s.get("action", "").startswith("utter_")}
    assert used <= responses, used - responses
    # The ResponseSelector needs one response per retrieval sub-intent.
    retrieval = {f"utter_{i}" for i in _nlu() if "/" in i}
    assert retrieval <= responses, retrieval - responses
    for name, variants in domain["responses"].items():
        assert variants and all(v.get("text", "").strip() for v in variants), name


def test_rules_name_declared_intents() -> None:
    intents = set(_load("domain.yml")["intents"]) | {"nlu_fallback"}
    for step in _rule_steps():
        if "intent" in step:
            assert step["intent"] in intents, step


def test_this_service_understands_every_intent_and_faq_entry_the_model_predicts() -> None:
    faq_ids = {entry.id for entry in load_default_faq()}
    for intent in _nlu():
        base, _, entry = intent.partition("/")
        if entry:
            assert base == "faq" and entry in faq_ids, intent
        elif base not in OWN_DIALOGUE:
            assert base in INTENT_COMMANDS, f"{intent} is not mapped to a command"


def test_endpoints_point_at_the_action_servers_webhook() -> None:
    url = urlsplit(_load("endpoints.yml")["action_endpoint"]["url"])
    assert url.path == "/webhook"
    assert url.port == Settings.model_fields["rasa_actions_port"].default


@pytest.mark.parametrize("step", ["rasa train", "rasa run --enable-api", "tlive-bot rasa-actions",
                                  "TLIVE_RASA_URL"])  # fmt: skip
def test_the_readme_walks_through_each_step(step: str) -> None:
    assert step in (EXAMPLE / "README.md").read_text(encoding="utf-8")
