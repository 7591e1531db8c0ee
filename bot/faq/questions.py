"""Find the questions in a rambling message: drop the pleasantries, split at a second question.

Citizens wrap a question in greetings and thanks ("assalamualaikum pak, permisi mau tanya …
makasih banyak") and sometimes ask two things at once ("syaratnya apa? trus biayanya brp").
The lexical matcher already ignores pleasantries as stopwords; the sentence encoder and the
splitter must not see them, or a greeting becomes half of the meaning.
"""

from __future__ import annotations

import re

# Greetings, thanks, politeness and address, in the spellings people type (longest first so
# "terima kasih banyak" goes before "terima kasih").
_PLEASANTRIES = sorted(
    (
        "assalamualaikum warahmatullahi wabarakatuh", "assalamualaikum wr wb",
        "assalamu alaikum", "assalamualaikum", "assalamu'alaikum", "asalamualaikum",
        "assalamualaikum wr. wb", "ass wr wb", "askum", "waalaikumsalam",
        "wassalamualaikum", "wassalam", "salam sejahtera", "shalom", "om swastiastu",
        "selamat pagi", "selamat siang", "selamat sore", "selamat malam", "selamat pagii",
        "pagi", "siang", "sore", "malam", "met pagi", "met siang", "met sore", "met malam",
        "halo", "hallo", "helo", "hello", "hai", "hi", "hy", "permisi", "punten",
        "nyuwun sewu", "sampurasun", "mohon maaf mengganggu", "maaf mengganggu",
        "maaf ganggu", "mohon maaf", "maaf", "mau tanya", "mo tanya", "mau nanya",
        "numpang tanya", "izin bertanya", "ijin bertanya", "izin tanya", "ijin tanya",
        "saya mau bertanya", "saya ingin bertanya", "sy mau tanya", "aku mau tanya",
        "terima kasih banyak", "terima kasih", "terimakasih", "makasih banyak", "makasih",
        "makasi", "mksh", "mks", "thanks", "thank you", "thx", "tq", "trims", "trimakasih",
        "hatur nuhun", "matur nuwun", "matur suwun", "nuhun", "suwun",
        "mohon bantuannya", "mohon infonya", "mohon info", "mohon pencerahannya",
        "minta tolong", "tolong dibantu", "tolong bantu", "mohon dibantu",
        "min", "mimin", "admin", "kak", "kakak", "pak", "bapak", "bu", "ibu", "mas", "mbak",
        "bang", "om", "gan", "sis", "teh", "kang", "dek", "nak", "bpk", "ibu/bapak",
        "bapak/ibu", "bapak ibu", "pak bu",
    ),
    key=len,
    reverse=True,
)
_PLEASANTRY = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(p) for p in _PLEASANTRIES) + r")(?!\w)",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[ \t]+")
_LEFTOVER_PUNCT = re.compile(r"^[\s,.!;:-]+|[\s,;:-]+$")

# Where a second question begins: a question mark or a line break, or a word that opens one.
_SENTENCE_END = re.compile(r"[?\n]+|[.!]+\s+")
_SECOND_QUESTION = re.compile(
    r"\s*,?\s+(?:(?:dan|terus|trus|trs|lalu|terus juga|satu lagi|sama|oh iya|oiya|"
    r"oh ya|selain itu|kemudian|juga|sekalian|btw|dan juga|terus kalau|trus kalo|"
    r"kalau|kalo|klo|klu)\s+)(?=\S)",
    re.IGNORECASE,
)
# Parts shorter than this many letters are fragments ("ok", "ya"), not questions.
_MIN_PART_LETTERS = 8


def strip_pleasantries(text: str) -> str:
    """Return the message without greetings, thanks and forms of address."""
    stripped = _PLEASANTRY.sub(" ", text)
    stripped = _LEFTOVER_PUNCT.sub("", _SPACES.sub(" ", stripped)).strip()
    return stripped or text.strip()


def sentences(text: str) -> list[str]:
    """Split a message at question marks, line breaks and full stops."""
    parts = [p.strip() for p in _SENTENCE_END.split(text)]
    return [p for p in parts if sum(c.isalpha() for c in p) >= _MIN_PART_LETTERS]


def split_questions(text: str) -> list[str]:
    """Return the message's candidate questions, in order (one part when it holds one).

    Sentences first; a single sentence is also cut before words that open a second question
    ("… trus biayanya brp"). The matcher decides whether the parts really ask two things.
    """
    parts = sentences(strip_pleasantries(text))
    if len(parts) >= 2:
        return parts
    whole = parts[0] if parts else text.strip()
    pieces = [p.strip() for p in _SECOND_QUESTION.split(whole)]
    pieces = [p for p in pieces if sum(c.isalpha() for c in p) >= _MIN_PART_LETTERS]
    return pieces if len(pieces) >= 2 else [whole]
