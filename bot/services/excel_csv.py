"""CSV the way Excel reads it on an Indonesian Windows: ``;`` between fields, decimal commas.

Indonesian regional settings use the comma as the decimal mark, so Excel there splits a CSV
on ``;`` and reads ``1,5`` as one and a half; a ``,``-separated file with ``1.5`` lands in one
column and as text. UTF-8 with a byte-order mark (``utf-8-sig``) makes Excel read the accents.
Times are written in WIB (Jakarta), like the console shows them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from bot.i18n import WIB

DELIMITER = ";"


def cell(value: object) -> str:
    """Write one value: decimal comma for numbers with a fraction, WIB wall time for moments."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    if isinstance(value, datetime):
        moment = value.astimezone(WIB) if value.tzinfo else value
        return moment.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_csv(rows: Iterable[Sequence[object]]) -> bytes:
    """Return the rows as a ``;``-separated, decimal-comma CSV in UTF-8 with a BOM."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return out.getvalue().encode("utf-8-sig")
