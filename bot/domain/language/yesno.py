"""Yes or no, as people say it: "iya", "ok setuju", "boleh", "ga mau", "iya betul"."""

from __future__ import annotations

import re

from bot.domain.language.text import plain, squeeze

_DOUBLED = re.compile(r"([a-z])\1+")

# Words that answer yes or no even at the start of a longer sentence ("iya betul pak").
YES = frozenset({
    "ya", "iya", "iy", "y", "yes", "yup", "yap", "ok", "oke", "okey", "okay", "boleh", "betul",
    "benar", "bener", "bnr", "siap", "setuju", "sip", "baik", "baiklah", "tentu", "yoi", "oce",
    "heeh", "yakin", "sesuai", "cocok", "blh", "stuju", "okeh", "iye", "nggih", "enggih",
    "inggih", "injih", "muhun", "sumuhun", "leres", "iyo", "nggeh", "enjih", "👍",
})  # fmt: skip
NO = frozenset({
    "tidak", "tdk", "tak", "nggak", "ngga", "ngak", "gak", "ga", "gk", "g", "enggak", "engga",
    "endak", "ndak", "nda", "no", "nope", "bukan", "bkn", "jangan", "jgn", "ogah", "emoh",
    "mboten", "ora", "henteu", "teu", "kagak", "kaga", "gakmau", "tdak", "tidka", "tida",
})  # fmt: skip
# Words that answer only when said alone or with other answer words ("mau", but not "mau tanya").
WEAK_YES = frozenset({"mau", "bisa", "sudah", "udah", "udh", "sdh", "lanjut", "lanjutkan",
                      "kirim", "kirimkan", "pasti", "silakan", "silahkan", "gas"})  # fmt: skip
WEAK_NO = frozenset({"belum", "blm", "salah", "keliru", "beda", "gamau", "gausah", "nanti"})
# Words around an answer that do not change it.
_FILLERS = frozenset({
    "eh", "oh", "o", "hmm", "hm", "em", "ehm", "nah", "wah", "pak", "bu", "ibu", "bapak", "kak",
    "mas", "mbak", "dong", "deh", "sih", "lah", "saja", "aja", "sudah", "saya", "sy", "itu",
    "sekali", "banget", "kok", "min", "terima", "kasih", "makasih", "trims", "ok", "oke",
    "silakan", "lanjut", "kirim",
})  # fmt: skip
_MAX_WORDS = 8
# "gak tau", "tidak ngerti": not a refusal but a call for help.
_UNSURE = frozenset({"tau", "tahu", "ngerti", "mengerti", "paham", "faham", "jelas", "yakin",
                     "bisa", "tw", "ngarti", "ngeh", "ngertos", "ngartos", "mudeng"})  # fmt: skip
# "ya ampun", "ya allah": exclamations, not answers.
_EXCLAIMED = frozenset({"ampun", "allah", "tuhan", "gusti", "elah"})
_WRONG = frozenset({"salah", "keliru", "beda", "bukan"})
_VOCABULARY = YES | NO | WEAK_YES | WEAK_NO | _FILLERS
_SOFT = YES | WEAK_YES | _FILLERS


def read_yes_no(text: str) -> bool | None:
    """Return True for yes, False for no, None when the text is not a yes/no answer.

    A short sentence counts when its first meaningful word is a yes or a no ("iya betul",
    "ga mau", "ok setuju"); a question ("benar gak?"), a contradiction ("iya tidak"), "I don't
    know" ("gak tau") or a long message does not.
    """
    if "?" in text or any(ch.isdigit() for ch in text):
        return None  # a question, or a number typed ("no hp sy 0812…"): not a yes or a no
    tokens = _tokens(text)
    while tokens and tokens[0] in _FILLERS - YES - WEAK_YES:
        tokens.pop(0)
    if not tokens or len(tokens) > _MAX_WORDS:
        return None
    first, rest = tokens[0], tokens[1:]
    if first in NO:
        if rest and rest[0] in _UNSURE:
            return None
        # "tidak salah": it is right ("bukan, salah" stays a no).
        return first not in {"bukan", "bkn"} and bool(rest) and rest[0] in {"salah", "keliru"}
    if first in YES:
        if rest and (rest[0] in NO or rest[0] in _EXCLAIMED):
            return None
        return True
    if first in WEAK_YES and all(t in _SOFT for t in rest):
        return True
    if first in WEAK_NO and all(t in _SOFT | NO | WEAK_NO for t in rest):
        return False
    if len(tokens) <= 4 and tokens[-1] in _WRONG:
        return False  # "tanggalnya salah"
    return None


def only_answer_words(text: str) -> bool:
    """Tell whether every word of ``text`` is a yes, a no or a word said around them."""
    tokens = _tokens(text)
    return bool(tokens) and all(t in _VOCABULARY for t in tokens)


def _tokens(text: str) -> list[str]:
    """Return the known forms of the words, splitting glued answers ("iyabetul", "gakmau")."""
    tokens: list[str] = []
    # The thumbs-up is the one emoji people answer with; plain() drops every other symbol.
    for word in plain(text).split() + (["👍"] if "👍" in text else []):
        known = _known_form(word)
        tokens.extend(_unglued(known) if known not in _VOCABULARY else [known])
    return tokens


def _unglued(word: str) -> list[str]:
    for cut in range(len(word) - 2, 1, -1):
        head, tail = word[:cut], word[cut:]
        if head in YES | NO and _known_form(tail) in _VOCABULARY:
            return [head, _known_form(tail)]
    return [word]


def _known_form(word: str) -> str:
    """Return the word, or its form without doubled letters when only that one is known."""
    word = squeeze(word)
    if word in _VOCABULARY:
        return word
    single = _DOUBLED.sub(r"\1", word)
    return single if single in _VOCABULARY else word
