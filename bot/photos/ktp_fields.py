"""The KTP's NIK, name and place/date of birth from OCR'd lines, and how they agree with typing.

Engine-neutral: RapidOCR and Tesseract both hand over ``TextLine``s (text, a four-point box
in the picture's pixels, a 0–1 score). The card may be tilted, so rows are found after turning
the boxes' centres by the text's median angle; a field's value is what follows its label on
the same row ("Nama : SITI AMINAH", in one box or several). Pure functions: no image here.

What is read is personal data: never log it.
"""

from __future__ import annotations

import difflib
import math
import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from bot.domain.nik import parse_nik
from bot.photos.ocr import find_nik, plausible_nik
from bot.photos.text_lines import Point, Quad, TextLine

FIELDS = ("nik", "full_name", "birth_date")
# A name as printed: letters (any script), spaces, and the few marks names carry.
_NAME_CHARS = re.compile(r"[^\w .,'\-]|[\d_]")
_COLONS = " :：;=.,-_|"
# Letters OCR confuses with digits inside a date.
_DATE_DIGITS = str.maketrans({"O": "0", "o": "0", "D": "0", "I": "1", "l": "1", "|": "1",
                              "S": "5", "B": "8", "Z": "2", "G": "6"})  # fmt: skip
# A date whose digits OCR may have read as letters ("O5-01-199O"); the day starts with a digit-like
# character, so the last letter of the place before it is never taken for a digit.
_DATE_LIKE = re.compile(
    r"[\dOoDIl|]{1,2}\s*[-./]\s*[\dOoDIl|SBZG]{1,2}\s*[-./]\s*[\dOoDIl|SBZG]{4}"
)
_DATE = re.compile(r"(\d{1,2})\s*[-./ ]\s*(\d{1,2})\s*[-./ ]\s*(\d{4})")
# The score under which a line's reading is not offered to the citizen as "what the card says".
CONFIDENT_SCORE = 0.80
NOISE_SCORE = 0.45  # a piece read this unsurely beside a value is a speck, not a word


class Label(StrEnum):
    """The printed labels whose values are read."""

    NIK = "nik"
    NAME = "full_name"
    BIRTH = "birth"


class Agreement(StrEnum):
    """How a read field compares with the typed one."""

    SAME = "same"
    CLOSE = "close"  # names only: one or two letters apart (an OCR slip or a typo)
    DIFFERS = "differs"
    UNREAD = "unread"  # nothing was read from the photo
    UNTYPED = "untyped"  # nothing typed to compare with (yet)


@dataclass(frozen=True, slots=True)
class KtpFields:
    """What the card says, each field with its row's box (for a crop) and its score."""

    nik: str | None = None
    full_name: str | None = None
    birth_place: str | None = None
    birth_date: date | None = None
    scores: dict[str, float] = field(default_factory=dict)
    boxes: dict[str, Quad] = field(default_factory=dict)
    angle: float = 0.0  # degrees the text runs off the horizontal

    @property
    def nik_plausible(self) -> bool:
        """Tell whether the NIK read has a NIK's structure."""
        return bool(self.nik) and plausible_nik(self.nik or "")

    @property
    def nik_birth_date(self) -> date | None:
        """Return the birth date the NIK read encodes, if it is a valid NIK."""
        parsed = parse_nik(self.nik) if self.nik else None
        return None if parsed is None or isinstance(parsed, str) else parsed.birth_date

    @property
    def dates_agree(self) -> bool:
        """Tell whether the printed birth date is the one the printed NIK encodes."""
        return self.birth_date is not None and self.birth_date == self.nik_birth_date

    @property
    def confident(self) -> bool:
        """Tell whether the reading is sure enough to offer the citizen instead of typing.

        The NIK holds the birth date, so a NIK whose date is the printed birth date was read
        right in 6 of its 16 digits, and the date in all of its; with high scores on the NIK
        and name lines too, a misread is unlikely (and she still confirms it).
        """
        return (
            self.nik_plausible
            and self.dates_agree
            and bool(self.full_name)
            and self.scores.get("nik", 0.0) >= CONFIDENT_SCORE
            and self.scores.get("full_name", 0.0) >= CONFIDENT_SCORE
        )

    @property
    def found(self) -> int:
        """Count the fields read (NIK, name, birth date)."""
        return sum(v is not None for v in (self.nik, self.full_name, self.birth_date))

    def personal(self) -> dict[str, object]:
        """Return what was read, JSON-ready (personal data: store encrypted, never log)."""
        return {
            "nik": self.nik,
            "full_name": self.full_name,
            "birth_place": self.birth_place,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
        }


# --------------------------------------------------------------------------- reading


def parse_fields(lines: list[TextLine]) -> KtpFields:
    """Return the NIK, name and place/date of birth in ``lines`` (any order, any tilt)."""
    lines = [line for line in lines if line.text.strip()]
    if not lines:
        return KtpFields()
    angle = _skew(lines)
    rows = _Rows(lines, angle)
    nik: str | None = None
    name: str | None = None
    place: str | None = None
    born: date | None = None
    scores: dict[str, float] = {}
    boxes: dict[str, Quad] = {}
    for index, line in enumerate(lines):
        label = _label(line.text)
        if label is None:
            continue
        row = rows.value_of(index)
        value = _strip(" ".join([_after_label(line.text, label), *(r.text for r in row)]))
        score = min([line.score, *(r.score for r in row)])
        if label is Label.NIK and nik is None:
            nik = find_nik(value.replace(" ", "")) or find_nik(value)
            if nik:
                scores["nik"], boxes["nik"] = score, rows.box([line, *row])
        elif label is Label.NAME and name is None:
            name = clean_name(value)
            if name:
                scores["full_name"], boxes["full_name"] = score, rows.box([line, *row])
        elif label is Label.BIRTH and born is None:
            place, born = split_birth(value)
            if born or place:
                scores["birth_date"], boxes["birth_date"] = score, rows.box([line, *row])
    if nik is None:  # no "NIK" label read: a 16-digit run anywhere, labelled lines first
        text = "\n".join(line.text for line in rows.in_reading_order())
        nik = find_nik(text)
        if nik:
            holder = next((ln for ln in lines if nik in _digits_of(ln.text)), None)
            if holder is not None:
                scores["nik"], boxes["nik"] = holder.score, rows.box([holder])
    return KtpFields(nik, name, place, born, scores, boxes, round(math.degrees(angle), 1))


def clean_name(value: str) -> str | None:
    """Return a name as printed (upper case, single spaces), or None if no name is there."""
    text = unicodedata.normalize("NFKC", value)
    text = _NAME_CHARS.sub(" ", text).upper()
    # Marks at a word's ends are OCR noise, except the dot of a short abbreviation ("MUH.").
    words = [w.strip(",'-").lstrip(".") for w in text.split()]
    words = [w if len(w) <= 5 else w.rstrip(".") for w in words]
    # Stray one-letter pieces at the ends are usually misread colons or a photo's edge.
    while words and len(words[0]) < 2 and not words[0].isalpha():
        words.pop(0)
    name = " ".join(w for w in words if w)
    return name if sum(c.isalpha() for c in name) >= 3 else None


def split_birth(value: str) -> tuple[str | None, date | None]:
    """Return the place and date of "TANGERANG, 05-01-1990" (either may be missing)."""
    translated = _DATE_LIKE.sub(_as_date_digits, value)
    found = _DATE.search(translated)
    born: date | None = None
    if found:
        day, month, year = (int(g) for g in found.groups())
        try:
            born = date(year, month, day)
        except ValueError:
            born = None
        if born is not None and not 1900 <= born.year <= date.today().year:
            born = None
    head = translated[: found.start()] if found else translated
    place = clean_name(head.split(",")[0]) if head.strip(_COLONS) else None
    return place, born


def _as_date_digits(match: re.Match[str]) -> str:
    return match.group().translate(_DATE_DIGITS)


def _label(text: str) -> Label | None:
    """Return which label ``text`` starts with ("NIK", "Nama", "Tempat/Tgl Lahir")."""
    text = unicodedata.normalize("NFKC", text).upper().split(":", 1)[0]
    head = re.sub(r"[^A-Z0-9/ ]", "", text).strip()
    words = head.replace("/", " ").split()
    if not words:
        return None
    first = words[0]
    if re.fullmatch(r"N[I1L|]K", first) or re.fullmatch(r"NIK[\dO]{6,}", first):
        return Label.NIK  # "NIK" alone, or run together with its number
    if _like(first, "NAMA") or (first.startswith("NAMA") and len(first) <= 6):
        return Label.NAME
    if any(_like(w, "LAHIR") for w in words[:4]) or _like(first, "TEMPAT"):
        return Label.BIRTH
    return None


def _like(word: str, target: str) -> bool:
    return difflib.SequenceMatcher(a=word, b=target).ratio() >= 0.75


def _after_label(text: str, label: Label) -> str:
    """Return what follows the label in the same box ("Nama : SITI" → "SITI")."""
    for colon in (":", "："):
        if colon in text:
            return text.split(colon, 1)[1]
    words = text.split()
    skip = {Label.NIK: 1, Label.NAME: 1, Label.BIRTH: 0}[label]
    if label is Label.BIRTH:  # "Tempat/Tgl Lahir TANGERANG, …": drop the words up to "Lahir"
        for i, word in enumerate(words[:4]):
            if _like(re.sub(r"[^A-Z]", "", word.upper()), "LAHIR"):
                skip = i + 1
    elif label is Label.NIK and words and len(words[0]) > 3:
        return words[0][3:] + " " + " ".join(words[1:])  # "NIK3671…" run together
    return " ".join(words[skip:])


def _strip(value: str) -> str:
    return " ".join(value.strip(_COLONS).split())


def _digits_of(text: str) -> str:
    return re.sub(r"\D", "", text)


def _skew(lines: list[TextLine]) -> float:
    """Return the text's median slope (radians), from lines clearly wider than high."""
    angles = [ln.angle for ln in lines if ln.width > 2.5 * ln.height]
    return statistics.median(angles) if angles else 0.0


class _Rows:
    """The lines in a frame turned by the text's slope, where rows are horizontal."""

    def __init__(self, lines: list[TextLine], angle: float) -> None:
        self._lines = lines
        self._cos, self._sin = math.cos(-angle), math.sin(-angle)
        self._flat = [[self._turn(p) for p in ln.quad] for ln in lines]

    def _turn(self, p: Point, back: bool = False) -> Point:
        s = -self._sin if back else self._sin
        return (p[0] * self._cos - p[1] * s, p[0] * s + p[1] * self._cos)

    def _extent(self, i: int) -> tuple[float, float, float, float]:
        xs = [p[0] for p in self._flat[i]]
        ys = [p[1] for p in self._flat[i]]
        return min(xs), min(ys), max(xs), max(ys)

    def value_of(self, index: int) -> list[TextLine]:
        """Return the lines of the value right of line ``index`` on its row."""
        x0, y0, x1, y1 = self._extent(index)
        mid, half = (y0 + y1) / 2, (y1 - y0) / 2
        found: list[tuple[float, TextLine]] = []
        for j, line in enumerate(self._lines):
            if j == index:
                continue
            a0, b0, _, b1 = self._extent(j)
            # Same row: its middle within ~60 % of the label's height; to the right of it, and
            # not past another label (the NIK row holds nothing else, a name may be long).
            # A box much taller than the label is the pas foto or a stamp, not text.
            same_row = abs((b0 + b1) / 2 - mid) <= max(half, (b1 - b0) / 2) * 1.2
            right = a0 > x0 + 0.5 * (x1 - x0)
            if same_row and right and (b1 - b0) <= 2.0 * (y1 - y0) and _label(line.text) is None:
                found.append((a0, line))
        found.sort(key=lambda t: t[0])
        # The value is a run of pieces; a wide gap after it leads to the pas foto or the
        # signature, whose specks OCR reads as letters ("BUDI DEWI “Ta").
        row: list[TextLine] = []
        right = 0.0
        for left, line in found:
            if row and left - right > 3 * (y1 - y0):
                break
            if line.score < NOISE_SCORE:
                continue
            row.append(line)
            right = self._extent(self._lines.index(line))[2]
        return row

    def box(self, lines: list[TextLine]) -> Quad:
        """Return the upright box around ``lines`` (in the frame), as a quad in the picture."""
        idx = [self._lines.index(ln) for ln in lines]
        pts = [p for i in idx for p in self._flat[i]]
        x0, y0 = min(p[0] for p in pts), min(p[1] for p in pts)
        x1, y1 = max(p[0] for p in pts), max(p[1] for p in pts)
        corners = ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
        back = [self._turn(c, back=True) for c in corners]
        return tuple((round(x, 1), round(y, 1)) for x, y in back)  # type: ignore[return-value]

    def in_reading_order(self) -> list[TextLine]:
        """Return the lines top to bottom, left to right."""
        order = sorted(
            range(len(self._lines)),
            key=lambda i: (round(self._extent(i)[1] / 20), self._extent(i)[0]),
        )
        return [self._lines[i] for i in order]


# --------------------------------------------------------------------------- agreement


def normal_name(value: str) -> str:
    """Return a name as compared: letters and single spaces, upper case, accents dropped."""
    text = unicodedata.normalize("NFKD", value)
    text = "".join(c for c in text if not unicodedata.combining(c)).upper()
    return " ".join(re.sub(r"[^A-Z ]", " ", text).split())


def name_agreement(typed: str | None, read: str | None) -> Agreement:
    """Compare names: same letters (spacing and marks aside), close (a slip), or different."""
    if not read:
        return Agreement.UNREAD
    if not typed:
        return Agreement.UNTYPED
    a, b = normal_name(typed), normal_name(read)
    if a == b or a.replace(" ", "") == b.replace(" ", ""):
        return Agreement.SAME
    ratio = difflib.SequenceMatcher(a=a, b=b, autojunk=False).ratio()
    return Agreement.CLOSE if ratio >= 0.85 else Agreement.DIFFERS


def nik_positions(typed: str, read: str) -> list[int]:
    """Return the 1-based positions whose digit differs (all of the longer if lengths differ)."""
    if len(typed) != len(read):
        return list(range(1, max(len(typed), len(read)) + 1))
    return [i + 1 for i, (a, b) in enumerate(zip(typed, read, strict=True)) if a != b]


def agreement(reading: KtpFields, typed: dict[str, object]) -> dict[str, object]:
    """Return how each read field compares with the typed data (no personal values inside).

    ``nik_digits_differ``: the positions (1–16) of differing digits. ``birth_date_vs_nik``:
    the printed birth date against the one the typed NIK encodes.
    """
    out: dict[str, object] = {}
    typed_nik = str(typed.get("nik") or "") or None
    if reading.nik is None:
        out["nik"] = Agreement.UNREAD
    elif typed_nik is None:
        out["nik"] = Agreement.UNTYPED
    else:
        positions = nik_positions(typed_nik, reading.nik)
        out["nik"] = Agreement.DIFFERS if positions else Agreement.SAME
        out["nik_digits_differ"] = positions
    out["full_name"] = name_agreement(_str(typed.get("full_name")), reading.full_name)
    typed_birth = _str(typed.get("birth_date"))
    read_birth = reading.birth_date.isoformat() if reading.birth_date else None
    out["birth_date"] = _same(typed_birth, read_birth)
    nik = parse_nik(typed_nik) if typed_nik else None
    nik_birth = None if nik is None or isinstance(nik, str) else nik.birth_date.isoformat()
    out["birth_date_vs_nik"] = _same(nik_birth, read_birth)
    return {k: (str(v) if isinstance(v, Agreement) else v) for k, v in out.items()}


def _same(typed: str | None, read: str | None) -> Agreement:
    if not read:
        return Agreement.UNREAD
    if not typed:
        return Agreement.UNTYPED
    return Agreement.SAME if typed == read else Agreement.DIFFERS


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
