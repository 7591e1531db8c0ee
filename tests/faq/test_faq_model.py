"""FAQ entries and the YAML file format."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.faq.model import (
    FaqEntry,
    dump_faq,
    dumps_faq,
    load_default_faq,
    load_faq,
    loads_faq,
)


def test_default_faq_loads_with_enough_entries_and_paraphrases() -> None:
    entries = load_default_faq()
    assert len(entries) >= 30
    assert len({e.id for e in entries}) == len(entries)
    for entry in entries:
        assert 5 <= len(entry.paraphrases) <= 30, entry.id
        assert entry.category in {
            "pendaftaran",
            "dokumen",
            "verifikasi",
            "akun",
            "privasi",
            "layanan",
        }
        assert 2 <= entry.answer.count(".") + entry.answer.count("!") <= 6, entry.id


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    entries = [
        *load_default_faq()[:3],
        FaqEntry("draf", "layanan", "Apa ini?", ("ini apa",), "Ini draf: ya.", published=False),
    ]
    path = tmp_path / "faq.yaml"
    dump_faq(entries, path)
    assert load_faq(path) == entries
    assert loads_faq(dumps_faq(entries)) == entries


def test_dump_writes_the_contract_shape() -> None:
    text = dumps_faq([FaqEntry("a", "akun", "Q?", ("p1", "p2"), "Jawab.")])
    assert text.splitlines() == [
        "- id: a",
        "  category: akun",
        "  question: Q?",
        "  paraphrases:",
        "  - p1",
        "  - p2",
        "  answer: Jawab.",
    ]


def test_empty_file_is_an_empty_faq() -> None:
    assert loads_faq("") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- category: akun\n  question: Q\n  answer: A\n", "#1: missing field 'id'"),
        (
            "- {id: a, category: x, question: Q, answer: A}\n"
            "- {id: a, category: x, question: Q2, answer: A2}\n",
            "'a' (#2): duplicate id",
        ),
        ("- {id: b, category: x, question: 42, answer: A}\n", "'b' (#1): field 'question' must"),
        ("- {id: c, category: x, question: Q, answer: A, paraphrases: [1]}\n", "'c' (#1): para"),
        ("- {id: d, category: x, question: Q, answer: A, paraphrases: hi}\n", "'d' (#1): field"),
        ("- {id: e, category: x, question: Q, answer: A, paraphrase: [x]}\n", "unknown field"),
        ("- {id: f, category: x, question: '  ', answer: A}\n", "'f' (#1): field 'question' is"),
        ("- {id: 7, category: x, question: Q, answer: A}\n", "#1: field 'id' must be a string"),
        ("id: a\n", "must be a YAML list"),
        ("- just text\n", "#1: expected a mapping"),
        ("- [unclosed\n", "not valid YAML"),
    ],
)
def test_malformed_files_raise_value_error_naming_the_entry(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        loads_faq(text)
