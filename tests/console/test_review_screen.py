"""The review screen shows the typed data beside what the KTP photo says, the NIK digit by digit
with the differing digits marked (not by colour alone), and every reject reason at once."""

from __future__ import annotations

import re

from bot.console.review_page import compare_nik, field_rows, iso_day, photo_reading
from bot.core import Core
from tests.console.support import NIK, add_user, client_for, login, seed_registration

MISREAD = NIK[:8] + "9" + NIK[9:14] + "77"  # digits 9, 15 and 16 differ


def test_a_misread_digit_is_marked_where_it_stands() -> None:
    found = compare_nik(NIK, MISREAD)
    assert found is not None and not found.same
    assert found.positions == (9, 15, 16)
    assert [d.char for d in found.read if d.differs] == ["9", "7", "7"]
    assert [d.char for d in found.typed if d.differs] == [NIK[8], NIK[14], NIK[15]]
    # The three parts of a NIK (region, birth date, serial) start at digits 1, 7 and 13.
    assert [i + 1 for i, d in enumerate(found.read) if d.group_start] == [7, 13]


def test_a_dropped_digit_marks_only_itself_not_everything_after_it() -> None:
    found = compare_nik(NIK, NIK[:5] + NIK[6:])  # OCR lost digit 6
    assert found is not None and found.length_differs
    assert [i + 1 for i, d in enumerate(found.typed) if d.differs] == [6]
    assert found.positions == ()  # nothing read is wrong, one digit is missing


def test_same_nik_with_spaces_is_the_same_and_nothing_read_compares_nothing() -> None:
    spaced = f"{NIK[:6]} {NIK[6:12]} {NIK[12:]}"
    same = compare_nik(NIK, spaced)
    assert same is not None and same.same
    assert compare_nik(NIK, None) is None and compare_nik(None, NIK) is None


def test_the_photo_reading_comes_from_the_encrypted_data_in_either_form() -> None:
    nested = {"ocr": {"nik": MISREAD, "full_name": " Siti  Aminah ", "birth_date": "05-01-1990"}}
    assert photo_reading(nested) == {
        "full_name": "Siti  Aminah", "nik": MISREAD, "birth_date": "1990-01-05",
    }  # fmt: skip
    assert photo_reading({"ocr_nik": NIK, "ocr_name": "BUDI"})["full_name"] == "BUDI"
    assert photo_reading({}) == {"full_name": None, "nik": None, "birth_date": None}
    assert photo_reading({"ocr": "junk", "ocr_nik": 42}) == photo_reading({})
    assert iso_day("31/12/1999") == "1999-12-31" and iso_day("kemarin") is None


def test_rows_agree_on_names_by_their_letters_and_dates_by_the_day() -> None:
    typed = {"full_name": "SITI AMINAH", "nik": NIK, "birth_date": "1990-01-05"}
    read = {"full_name": "siti aminah.", "nik": MISREAD, "birth_date": "1990-01-05"}
    rows = {row.field: row.agreement for row in field_rows(typed, read)}
    assert rows == {"full_name": "same", "nik": "different", "birth_date": "same"}
    unread = {row.field: row.agreement for row in field_rows(typed, photo_reading({}))}
    assert set(unread.values()) == {"unread"}


async def test_the_page_marks_the_differing_digits_and_names_their_positions(
    any_core: Core,
) -> None:
    await add_user(any_core, "siti", "verifier")
    seeded = await seed_registration(any_core)
    async with any_core.uow() as uow:
        reg = await uow.registrations.get(seeded.id)
        assert reg is not None
        data = uow.registrations.read_data(reg)
        data["ocr"] = {"nik": MISREAD, "full_name": "SITI AMINAH", "birth_date": "1990-01-05"}
        uow.registrations.write_data(reg, data)
        await uow.commit()
    async with client_for(any_core) as client:
        await login(client, "siti")
        html = await (await client.get(f"/console/registrations/{seeded.id}")).text()
    read = re.search(
        r'<span id="ocr-nik"[^>]*aria-label="([^"]+)"[^>]*>(.*?)</span>\s*<span class="agree', html
    )
    assert read is not None
    label, digits = read.groups()
    assert "beda di digit ke-9, 15, 16" in label  # for a screen reader: which ones
    assert re.findall(r'<mark class="d diff[^"]*">(\d)</mark>', digits) == ["9", "7", "7"]
    assert re.sub(r"<[^>]+>", "", digits) == MISREAD
    typed = re.search(r'<td class="mono nik" id="field-nik">(.*?)</td>', html)
    assert typed is not None and re.sub(r"<[^>]+>", "", typed.group(1)) == NIK
    assert 'id="nik-verdict">≠ beda di digit ke-9, 15, 16' in html  # in words, not only red
    assert 'id="compare-nik"' in html and 'class="field different" id="compare-nik"' in html
    # Every reason is on the page and none hidden; the bar holds the skip button too.
    assert all(f'id="reason-{n}"' in html for n in range(1, 8))
    assert "collapsed" not in html
    bar = html[html.index('id="decision-bar"') :]
    assert 'id="approve-btn"' in bar and 'id="skip-btn"' in bar


async def test_without_a_reading_the_page_says_not_read_and_shows_the_typed_nik(
    any_core: Core,
) -> None:
    await add_user(any_core, "siti", "verifier")
    seeded = await seed_registration(any_core)
    async with client_for(any_core) as client:
        await login(client, "siti")
        html = await (await client.get(f"/console/registrations/{seeded.id}")).text()
    assert 'id="ocr-nik"' not in html and "belum terbaca" in html
    typed = re.search(r'<td class="mono nik" id="field-nik">(.*?)</td>', html)
    assert typed is not None and typed.group(1) == NIK
