"""Informal Indonesian made comparable: case, punctuation, stretched letters, chat abbreviations."""

from __future__ import annotations

import re

_NOT_WORD = re.compile(r"[^0-9a-z/ ]+")
_STRETCHED = re.compile(r"([a-z])\1{2,}")
_GLUED_NUMBER = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")

# How people abbreviate in chats, mapped to the word they mean.
ABBREVIATIONS: dict[str, str] = {
    "sy": "saya", "sya": "saya", "aku": "saya", "aq": "saya", "gw": "saya", "gue": "saya",
    "yg": "yang", "gmn": "gimana", "gmna": "gimana", "bgmn": "bagaimana",
    "dmn": "dimana", "dmana": "dimana", "brp": "berapa", "udh": "sudah", "udah": "sudah",
    "sdh": "sudah", "dah": "sudah", "blm": "belum", "blum": "belum", "lom": "belum",
    "tdk": "tidak", "gk": "gak", "gx": "gak", "g": "gak", "ngga": "nggak", "engga": "nggak",
    "enggak": "nggak", "mksd": "maksud", "maksudnya": "maksud", "org": "orang", "krn": "karena",
    "utk": "untuk", "dgn": "dengan", "dg": "dengan", "sm": "sama", "ama": "sama", "aja": "saja",
    "tlg": "tolong", "mo": "mau", "pgn": "pengen", "klo": "kalau", "kalo": "kalau",
    "bs": "bisa", "bsa": "bisa", "gimna": "gimana", "knp": "kenapa", "np": "kenapa",
    "tgl": "tanggal", "tggl": "tanggal", "no": "nomor", "nmr": "nomor", "nomer": "nomor",
    "ok": "oke", "okey": "oke", "okay": "oke", "okei": "oke", "oce": "oke", "y": "ya",
    "yoi": "ya", "iy": "iya", "yup": "ya", "yap": "ya", "bnr": "benar", "bener": "benar",
    "btl": "betul", "btul": "betul", "jgn": "jangan", "kec": "kecamatan", "kel": "kelurahan",
    "lg": "lagi", "dl": "dulu", "dlu": "dulu", "skrg": "sekarang",
    "hrs": "harus", "bgt": "banget", "trs": "terus", "trus": "terus", "jd": "jadi",
    "gmana": "gimana", "ttg": "tentang", "hp": "hp", "wa": "wa",
}  # fmt: skip


def squeeze(word: str) -> str:
    """Shorten letters held down ("iyaaa", "okeee") to one."""
    return _STRETCHED.sub(r"\1", word)


def plain(text: str) -> str:
    """Return lower case words and numbers separated by single spaces (slashes kept)."""
    lowered = _NOT_WORD.sub(" ", text.casefold())
    return " ".join(_GLUED_NUMBER.sub(" ", lowered).split())


def words(text: str) -> list[str]:
    """Return the words of ``text`` as people mean them (abbreviations spelt out)."""
    return [expand(word) for word in plain(text).split()]


def expand(word: str) -> str:
    """Spell out one chat abbreviation, after shortening stretched letters."""
    if word in ABBREVIATIONS:
        return ABBREVIATIONS[word]
    short = squeeze(word)
    return ABBREVIATIONS.get(short, short)
