"""Tell a name from a sentence: "saya tidak punya ktp" is a question, not a name."""

from __future__ import annotations

import re

from bot.domain.language.text import plain, words
from bot.domain.language.yesno import only_answer_words

# Words that occur in what people say but not in Indonesian personal names.
_NOT_IN_NAMES = frozenset({
    "saya", "aku", "tidak", "nggak", "gak", "belum", "sudah", "punya", "mau", "ingin", "bisa",
    "bagaimana", "gimana", "apa", "apakah", "kenapa", "kapan", "dimana", "berapa", "tolong",
    "bantu", "ktp", "nik", "resi", "daftar", "foto", "hilang", "lupa", "yang", "ada", "tanya",
    "caranya", "cara", "petugas", "menu", "batal", "status", "nama", "adalah", "lengkap",
    "halo", "hai", "pak", "bu", "kak", "min", "untuk", "dengan", "karena", "kalau", "jadi",
    "sama", "dari", "atau", "itu", "ini", "harus", "kok", "dong", "sih", "deh", "terima",
    "kasih", "maaf", "permisi", "selamat", "pagi", "siang", "sore", "malam", "ok", "oke",
    "ya", "iya", "bingung", "mengerti", "paham", "hp", "nomor", "alamat", "lahir",
    # Sundanese and Javanese questions ("punten, ieu kumaha", "piye iki").
    "punten", "kumaha", "ieu", "carana", "naon", "piye", "iki", "opo", "pripun", "nopo",
    "kepriye", "niki", "menika", "teu", "henteu", "mboten",
})  # fmt: skip
# Words people put before their name ("Perkenalkan, nama saya adalah Siti Aminah").
_GREETING = r"((assalamu.?alaikum|halo|hai|selamat\s+\w+|perkenalkan|permisi)[\s,.!]*)*"
_NAME_INTRO = re.compile(
    r"^\s*" + _GREETING + r"(nama\s+lengkap|nama|nm|namaku|saya)"
    r"(\s+(saya|sy|aku|ku))?(\s+(adalah|yaitu|ialah))?\s*[:,\-]?\s+",
    re.IGNORECASE,
)


def strip_name_intro(text: str) -> str:
    """Remove "nama saya …" from the front of a typed name."""
    cleaned = " ".join(text.split())
    rest = _NAME_INTRO.sub("", cleaned, count=1).strip(" :,-")
    if rest != cleaned and len(rest) >= 3 and not looks_like_sentence(rest):
        return rest
    return cleaned


def looks_like_sentence(text: str) -> bool:
    """Tell whether ``text`` reads as a message (a question, a remark) rather than a name."""
    if "?" in text or any(ch.isdigit() for ch in text):
        return True
    tokens = plain(text).split()
    spelled = words(text)
    if only_answer_words(text):
        return True  # "bener", "iya pak": an answer to a question asked before, not a name
    return any(t in _NOT_IN_NAMES for t in tokens) or any(t in _NOT_IN_NAMES for t in spelled)
