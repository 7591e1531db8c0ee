"""What typed text means inside the form when it is not the answer to the step.

Navigation ("kembali", "salah", "lanjut"), a global command said in other words, a question,
or the document she holds ("belum punya ktp": the receipt path). The words live in the catalog.
"""

from __future__ import annotations

import re
from enum import StrEnum
from itertools import pairwise

from bot.domain.language.commands import CommandWords
from bot.domain.language.distance import edit_distance
from bot.domain.language.names import looks_like_sentence
from bot.domain.language.text import plain
from bot.i18n import Catalog
from dialogs.base import Turn
from dialogs.flow import Command


class Move(StrEnum):
    """Where the citizen asks to go inside the form."""

    BACK = "back"  # one step back, keeping what was filled
    CHANGE = "change"  # change an answer: the edit choices, or the field she named
    CONTINUE = "continue"  # go on with a paused registration


# Words around a navigation word that do not change it ("balik lagi dong pak").
_AROUND = frozenset({
    "ke", "lagi", "dulu", "saja", "aja", "pak", "bu", "ibu", "bapak", "kak", "min", "mau", "saya",
    "sy", "aku", "ya", "dong", "deh", "sih", "langkah", "yang", "yg", "satu", "tolong", "mohon",
    "bisa", "minta", "tadi", "ada", "data", "datanya", "jawaban", "pertanyaan", "isian", "mas",
    "mbak", "nya", "ini", "itu", "aduh", "eh", "maaf", "sebelum", "tahap", "ingin", "pengen",
    "ketik", "tulis", "isi", "diisi", "mundur",
})  # fmt: skip
# Field names as people say them, for "nik nya salah", "ganti no hp".
_FIELDS = {
    "full_name": ("nama",),
    "nik": ("nik", "no ktp", "nomor ktp"),
    "birth_date": ("tanggal lahir", "tgl lahir", "tanggal", "tgl", "lahir", "ttl"),
    "phone": ("hp", "no hp", "nomor hp", "nomer hp", "telepon", "telp", "wa", "no wa", "nomor"),
    "kecamatan": ("kecamatan", "kec"),
    "kelurahan": ("kelurahan", "kel", "desa"),
    "ktp": ("foto ktp", "ktp", "resi", "foto resi"),
    "selfie": ("selfie", "swafoto", "foto selfie", "foto wajah"),
}
_FIELD_WORDS = {w for names in _FIELDS.values() for name in names for w in name.split()}
_FIELD_FILLERS = frozenset({"foto", "no", "nomor", "nomer", "nya", "punya", "saya"})
# A message with one of these asks something (answered by the FAQ, never a failed try).
_QUESTION = frozenset({
    "apa", "apakah", "bagaimana", "gimana", "gmn", "gmana", "kenapa", "knp", "mengapa", "kapan",
    "kpn", "dimana", "dmn", "mana", "berapa", "brp", "siapa", "cara", "caranya", "mksd",
    "maksud", "maksudnya", "bisakah", "bolehkah", "harus", "hrs", "kalau", "kalo", "klo", "gk",
    "tidak", "tdk", "gak", "ga", "nggak", "belum", "blm", "bingung", "kumaha", "piye", "lupa",
    "hilang", "ilang", "rusak", "tanya", "nanya",
})  # fmt: skip
# The receipt path: "belum punya ktp", "cuma punya resi", "ktp hilang".
_RESI = frozenset({"resi", "suket", "surat"})
_KTP = frozenset({"ktp", "ktpel", "ektp", "el", "e"})
_NO_KTP = frozenset({
    "belum", "blm", "blom", "tidak", "tdk", "gak", "ga", "gk", "nggak", "ngga", "enggak", "hilang",
    "ilang", "rusak", "proses", "diproses", "jadi", "hilng", "patah", "dicuri", "kecurian",
})  # fmt: skip
_HAS_KTP = frozenset({"sudah", "udah", "udh", "sdh", "pakai", "pake", "ada", "punya"})

_DOUBLED = re.compile(r"([a-z])\1+")
_commands: dict[int, tuple[Catalog, CommandWords]] = {}


def move_in(turn: Turn) -> tuple[Move, str | None] | None:
    """Return the navigation the text asks for, with the field named ("nik salah"), if any."""
    tokens = plain(turn.text).split()
    if not tokens or "?" in turn.text or len(tokens) > 6:
        return None
    for move in Move:
        words = _words(turn, f"keywords-{move}")
        named = [t for t in tokens if _is_one_of(t, words)]
        if not named:
            continue
        rest = [t for t in tokens if t not in _AROUND and not _is_one_of(t, words)]
        field = _field(rest) if move is Move.CHANGE else None
        if not rest or field is not None:
            return move, field
    return None


def field_named(text: str) -> str | None:
    """Return the form field a short text names ("no hp", "tgl lahir"), if exactly one."""
    return _field([t for t in plain(text).split() if t not in _AROUND])


def command_in(turn: Turn) -> str | None:
    """Return the global command typed in other words ("sy mau ngomong sama orang aja")."""
    if not turn.text:
        return None
    cached = _commands.get(id(turn.catalog))
    if cached is None or cached[0] is not turn.catalog:
        phrases = {c: turn.t(f"keywords-{c}").split(",") for c in Command}
        cached = _commands[id(turn.catalog)] = (turn.catalog, CommandWords(phrases))
    return cached[1].read(turn.text)


def asks_something(text: str) -> bool:
    """Tell whether the text reads as a question or a remark rather than an answer."""
    tokens = plain(text).split()
    if "?" in text or any(t in _QUESTION for t in tokens):
        return True
    return len(tokens) >= 3 and not any(c.isdigit() for c in text) and looks_like_sentence(text)


def document_in(text: str) -> str | None:
    """Return "resi" or "ktp" when the text says which document she has, else None."""
    if "?" in text:
        return None
    tokens = plain(text).split()
    joined = "".join(tokens)
    has_ktp = any(t in _KTP for t in tokens) or "ktp" in joined
    if any(t in _RESI for t in tokens):
        return "resi"
    if has_ktp and any(t in _NO_KTP for t in tokens):
        return "resi"
    if has_ktp and any(t in _HAS_KTP for t in tokens):
        return "ktp"
    return None


def _words(turn: Turn, key: str) -> set[str]:
    return {w for phrase in turn.t(key).split(",") for w in plain(phrase).split()}


def _is_one_of(token: str, words: set[str]) -> bool:
    """Tell whether the token is one of the words, with repeated letters or one typo."""
    if token in words or _single(token) in {_single(w) for w in words}:
        return True
    # One typo in a long word only: "kembalj" is "kembali", but "Kembar" is a name.
    return len(token) >= 6 and any(
        len(w) >= 6 and w[0] == token[0] and edit_distance(token, w, limit=1) <= 1 for w in words
    )


def _single(word: str) -> str:
    return _DOUBLED.sub(r"\1", word)


def _field(tokens: list[str]) -> str | None:
    """Return the one field the words name, when they name nothing else."""
    if not tokens or any(t not in _FIELD_WORDS and t not in _FIELD_FILLERS for t in tokens):
        return None
    said = f" {' '.join(tokens)} "
    found: set[str] = set()
    for name, slot in sorted(_NAMES, key=lambda pair: -len(pair[0])):  # "no ktp" before "ktp"
        if f" {name} " in said:
            found.add(slot)
            said = said.replace(f" {name} ", "  ")
    return found.pop() if len(found) == 1 else None


_NAMES = [(name, slot) for slot, names in _FIELDS.items() for name in names]


class Whom(StrEnum):
    """Whose registration it is: her own, or a family member's she helps with."""

    SELF = "self"
    FAMILY = "family"


# Relatives people name ("buat ibu saya", "bantu bapak"); "ibu", "bapak" and "kakak" also
# address the bot, so on their own they count only where the question is asked.
_RELATIVES = frozenset({
    "ayah", "mama", "mamah", "papa", "papah", "anak", "suami", "istri", "isteri", "nenek",
    "kakek", "adik", "adek", "mertua", "cucu", "ponakan", "keponakan", "emak", "mak", "abah",
    "bunda", "umi", "abi", "om", "tante", "paman", "bibi", "encang", "encing", "enyak", "babe",
    "ortu", "keluarga", "family", "saudara", "sodara", "mbah", "eyang", "bokap", "nyokap",
})  # fmt: skip
_ADDRESSED = frozenset({"ibu", "bapak", "kakak", "bpk", "ibunda", "ayahanda"})
_POSSESSIVE = frozenset({"saya", "sy", "aku", "ku", "gw", "gue", "gua", "kami"})
_FOR = frozenset({"buat", "untuk", "utk", "bwt", "daftarkan", "daftarin", "bantu", "membantu"})
_FOR_ME = _FOR - {"bantu", "membantu", "daftarkan", "daftarin"}
_HELPING = frozenset({"bantu", "membantu", "bantuin", "lain", "orang", "ortu"})
_SELF = frozenset({"sendiri", "diri", "pribadi", "sndiri", "sendri"})
_ADDRESS_COMMA = re.compile(r"\b(?:ibu|bu|bapak|pak|kakak|kak|bpk)\s*,")
_NOT = frozenset({
    "ga", "gak", "gk", "nggak", "ngga", "enggak", "tidak", "tdk", "bukan", "bkn", "belum", "blm",
    "jangan", "jgn", "batal",
})  # fmt: skip
_PLAIN = frozenset({"aja", "saja", "dong", "ya", "iya", "pak", "bu", "kak", "yang", "yg", "mau"})
_ME = frozenset({"saya", "sy", "aku", "gw", "gue", "gua", "sya", "aq"})


def whom_in(text: str, *, asked: bool) -> Whom | None:
    """Return whose registration the text says it is, when it says so plainly.

    ``asked``: the text answers "untuk siapa?", so "saya" alone is herself and "bantu bapak"
    a family member; otherwise ("daftar buat ibu saya") only an unmistakable phrase counts.
    """
    if "?" in text:
        return None
    # "Bu, saya mau daftar" speaks to the bot: drop the word said before a comma.
    text = _ADDRESS_COMMA.sub(" ", text.casefold())
    tokens = [_single(t) for t in plain(text).split()]
    if not tokens or len(tokens) > 8:
        return None
    if any(t in _NOT for t in tokens):
        return None  # "bukan buat saya", "saya ga tau": not an answer to agree with
    family = _family(tokens, asked=asked)
    # "saya", "buat saya aja": herself, said in a few plain words only.
    just_me = all(t in _ME or t in _FOR or t in _PLAIN for t in tokens)
    own = (
        any(t in _SELF for t in tokens)
        or _for_me(tokens)
        or (asked and just_me and any(t in _ME for t in tokens))
    )
    if family and not any(t in _SELF for t in tokens):
        return Whom.FAMILY
    if own and not family:
        return Whom.SELF
    return None


def _family(tokens: list[str], *, asked: bool) -> bool:
    """Tell whether the words name someone else: a relative, "orang lain", "keluarga"."""
    if any(t in _RELATIVES for t in tokens) or "orang lain" in " ".join(tokens):
        return True
    if asked and any(t in _ADDRESSED or t in _HELPING for t in tokens):
        return True
    # "buat ibu", "ibu saya": a relative, not the bot addressed.
    for i, token in enumerate(tokens):
        if token not in _ADDRESSED:
            continue
        before = tokens[i - 1] if i > 0 else ""
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if before in _FOR or after in _POSSESSIVE:
            return True
    return False


def _for_me(tokens: list[str]) -> bool:
    """Tell whether the words say "for me" ("buat saya", "untuk aku")."""
    return any(a in _FOR_ME and b in _ME for a, b in pairwise(tokens))
