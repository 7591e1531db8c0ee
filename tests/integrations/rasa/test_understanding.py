"""Reading Rasa's parse answers, and the circuit breaker's states."""

from __future__ import annotations

import pytest

from bot.domain.language.intents import Understood
from bot.domain.references import read_reference
from integrations.rasa import (
    INTENT_COMMANDS,
    BreakerState,
    CircuitBreaker,
    RasaIntents,
    read_parse,
)
from tests.integrations.rasa.standin import intent, retrieval


def test_a_confident_known_intent_becomes_the_built_in_command() -> None:
    assert read_parse(intent("daftar", 0.9), 0.7) == Understood(command="register")
    assert read_parse(intent("cek_status", 0.71), 0.7) == Understood(command="status")
    assert read_parse(intent("hapus_data", 0.99), 0.7) == Understood(command="erase")
    assert read_parse(intent("greet", 0.8), 0.7) == Understood(command="menu")


def test_unsure_unknown_or_malformed_intents_are_left_to_the_built_in_matcher() -> None:
    assert read_parse(intent("daftar", 0.69), 0.7) is None
    assert read_parse(intent("nlu_fallback", 0.99), 0.7) is None
    assert read_parse(intent("out_of_scope", 0.99), 0.7) is None
    assert read_parse({"intent": {"name": None, "confidence": 0.0}}, 0.7) is None
    assert read_parse({"intent": {"name": "daftar", "confidence": "high"}}, 0.7) is None
    assert read_parse({"intent": {"name": "daftar", "confidence": True}}, 0.7) is None
    assert read_parse({"intent": "daftar"}, 0.7) is None
    assert read_parse({}, 0.7) is None


def test_retrieval_intents_name_an_faq_entry_either_way_rasa_writes_them() -> None:
    assert read_parse(retrieval("biaya", 0.9), 0.7) == Understood(faq_id="biaya")
    assert read_parse(intent("faq/cara-daftar", 0.9), 0.7) == Understood(faq_id="cara-daftar")
    assert read_parse(retrieval("biaya", 0.5), 0.7) is None
    unsure_response = retrieval("biaya", 0.9)
    unsure_response["response_selector"]["faq"]["response"]["confidence"] = 0.2
    assert read_parse(unsure_response, 0.7) is None
    assert read_parse(intent("faq", 0.9), 0.7) is None  # no selector: no entry


def test_entities_travel_with_the_intent_first_value_each_short() -> None:
    body = intent("cek_status", 0.9, entities=[
        {"entity": "reference", "value": "TL-7KQ4M9", "start": 0, "end": 9},
        {"entity": "reference", "value": "TL-AAAAAA"},
        {"entity": "nama", "value": "x" * 500},
        {"entity": 3, "value": "bad"}, "garbage",
    ])  # fmt: skip
    understood = read_parse(body, 0.7)
    assert understood is not None
    assert understood.entities["reference"] == "TL-7KQ4M9"
    assert len(understood.entities["nama"]) == 64


def test_an_understood_text_names_exactly_one_thing() -> None:
    with pytest.raises(ValueError):
        Understood()
    with pytest.raises(ValueError):
        Understood(command="status", faq_id="biaya")


@pytest.mark.parametrize(("typed", "stored"), [
    ("TL-7KQ4M9", "TL-7KQ4M9"), ("tl-7kq4m9", "TL-7KQ4M9"), ("tl 7kq4m9", "TL-7KQ4M9"),
    ("7KQ4M9", "TL-7KQ4M9"), (" TL7KQ4M9 ", "TL-7KQ4M9"),
    ("TL-7KQ4M", None), ("TL-0OIL11", None), ("", None), ("drop table", None),
])  # fmt: skip
def test_references_are_read_as_people_type_them(typed: str, stored: str | None) -> None:
    assert read_reference(typed) == stored


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_breaker_opens_at_the_limit_half_opens_after_the_cool_down_and_closes_on_success(
) -> None:
    clock = Clock()
    breaker = CircuitBreaker(failures=3, cooldown=30, clock=clock)
    for _ in range(2):
        assert breaker.allow()
        breaker.failed()
    assert breaker.state is BreakerState.CLOSED
    breaker.succeeded()  # a success in between starts the count again
    for _ in range(3):
        assert breaker.allow()
        breaker.failed()
    assert breaker.state is BreakerState.OPEN and not breaker.allow()
    clock.now += 29.9
    assert not breaker.allow()
    clock.now += 0.2
    assert breaker.state is BreakerState.HALF_OPEN
    assert breaker.allow()  # the probe
    assert not breaker.allow()  # only one at a time
    breaker.succeeded()
    assert breaker.state is BreakerState.CLOSED and breaker.allow()


def test_a_failed_probe_opens_the_breaker_again() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failures=5, cooldown=10, clock=clock)
    for _ in range(5):
        breaker.failed()
    clock.now += 10
    assert breaker.allow()
    breaker.failed()
    assert breaker.state is BreakerState.OPEN and not breaker.allow()
    clock.now += 10
    assert breaker.allow()


def test_a_breaker_needs_sane_limits() -> None:
    with pytest.raises(ValueError):
        CircuitBreaker(failures=0, cooldown=1)
    with pytest.raises(ValueError):
        CircuitBreaker(failures=1, cooldown=0)


def test_the_parse_url_keeps_a_path_prefix_and_rasas_auth_token() -> None:
    from yarl import URL

    plain = RasaIntents("http://127.0.0.1:5005/")
    assert plain._url == URL("http://127.0.0.1:5005/model/parse")
    behind = RasaIntents("https://nlu.example.go.id/rasa?token=s3cret")
    assert behind._url == URL("https://nlu.example.go.id/rasa/model/parse?token=s3cret")


def test_a_cancelled_probe_lets_the_next_call_probe() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failures=1, cooldown=5, clock=clock)
    breaker.failed()
    clock.now += 5
    assert breaker.allow() and not breaker.allow()
    breaker.abandoned()
    assert breaker.allow()


def test_every_mapped_intent_names_a_command_the_router_runs() -> None:
    from dialogs.flow import Command

    assert set(INTENT_COMMANDS.values()) <= set(Command)


@pytest.mark.parametrize(("text", "found"), [
    ("cek status TL-7KQ4M9", "TL-7KQ4M9"), ("status tl 7kq4m9 dong", "TL-7KQ4M9"),
    ("gmn 7KQ4M9, udah?", "TL-7KQ4M9"), ("cek status", None), ("status pendaftaran saya", None),
    ("cek STATUS sekarang", None), ("no hp 081234567890", None),
    ("cek TL-ABCDEF", "TL-ABCDEF"), ("cek tl abcdef", "TL-ABCDEF"), ("tlkumaha", None),
])  # fmt: skip
def test_a_reference_is_found_inside_a_sentence(text: str, found: str | None) -> None:
    from bot.domain.references import find_reference

    assert find_reference(text) == found
