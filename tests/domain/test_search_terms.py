"""The queue's search box reads a reference, a NIK, a phone number or a name."""

from __future__ import annotations

import pytest

from bot.domain.search import parse_query


@pytest.mark.parametrize(
    ("raw", "reference", "nik", "phone", "name"),
    [
        ("TL-7KQ4M9", "TL-7KQ4M9", None, None, None),
        (" tl-7kq4m9 ", "TL-7KQ4M9", None, None, None),
        ("7KQ4M9", "TL-7KQ4M9", None, None, None),
        ("TL 7KQ4M9", "TL-7KQ4M9", None, None, None),
        ("3671 0145 0190 0001", None, "3671014501900001", None, None),
        ("0812-3456-7890", None, None, "+6281234567890", None),
        ("+62 812 3456 7890", None, None, "+6281234567890", None),
        ("siti aminah", None, None, None, "siti aminah"),
        ("BUDHKA", "TL-BUDHKA", None, None, "BUDHKA"),  # could be both: searched as both
        ("12345", None, None, None, None),
        ("", None, None, None, None),
    ],
)
def test_a_query_is_read_every_way_it_can_be(
    raw: str, reference: str | None, nik: str | None, phone: str | None, name: str | None
) -> None:
    terms = parse_query(raw)
    assert (terms.reference, terms.nik, terms.phone, terms.name) == (reference, nik, phone, name)
    assert terms.empty == (not (reference or nik or phone or name))


def test_a_very_long_query_is_cut() -> None:
    assert len(parse_query("a" * 10_000).text) == 80
