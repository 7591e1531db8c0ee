"""Global commands in any words: "dftar", "mau daftar dong", "sy mau ngomong sama orang aja"."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping

from bot.domain.language.distance import allowed_typos, edit_distance
from bot.domain.language.text import plain, words

AGENT = "agent"
STATUS = "status"
CANCEL = "cancel"
HELP = "help"
# Politeness around a command ("saya mau … dong pak").
_POLITE = frozenset({
    "saya", "mau", "ingin", "pengen", "pingin", "dong", "pak", "bu", "ibu", "bapak", "kak",
    "min", "mas", "mbak", "ya", "deh", "sih", "saja", "halo", "hai", "assalamualaikum",
    "permisi", "selamat", "pagi", "siang", "sore", "malam", "terima", "kasih", "punten", "mohon",
    "tolong",
})  # fmt: skip
# Words that do not change which command is meant ("balik ke menu", "daftar akun sekarang").
_FILLERS = _POLITE | frozenset({
    "akun", "tangerang", "live", "sekarang", "dulu", "coba", "boleh", "bisa", "buat", "untuk",
    "silakan", "kembali", "balik", "ke", "lagi", "minta", "butuh", "perlu", "yang", "utama",
    "udah", "sudah", "ok", "oke", "aja",
})  # fmt: skip
# A message with one of these asks something: the FAQ answers it, not a command.
_QUESTION = frozenset({
    "cara", "caranya", "bagaimana", "gimana", "apa", "apakah", "syarat", "syaratnya", "berapa",
    "kapan", "dimana", "mana", "kenapa", "mengapa", "siapa", "harus", "bisakah", "lama", "bayar",
    "itu", "kumaha", "piye",
})  # fmt: skip
_HOW = frozenset({"cara", "caranya", "syarat", "syaratnya", "kenapa", "mengapa", "berapa"})
# Asking for a person: one of these people …
_PERSON = frozenset({"petugas", "operator", "manusia", "cs", "admin", "helpdesk", "staf", "staff",
                     "pegawai", "karyawan", "agen", "agent"})  # fmt: skip
_PERSON_AFTER = frozenset({"sama", "dengan", "ke", "kepada", "pada"})  # … or "sama orang"
# … and a wish to talk.
_TALK = frozenset({
    "bicara", "berbicara", "ngomong", "omong", "ngobrol", "obrol", "chat", "sambungkan",
    "hubungkan", "hubungi", "minta", "mau", "ingin", "pengen", "butuh", "perlu", "tolong",
    "telepon", "telpon", "nelpon", "langsung", "dibantu", "bantu", "konsultasi", "mana",
})  # fmt: skip
# Asking for one's own request: what it is about …
_REQUEST = frozenset({"akun", "pendaftaran", "registrasi", "verifikasi", "pengajuan",
                      "permohonan", "data", "berkas"})  # fmt: skip
_SELF = frozenset({"saya", "punya"})
# … what became of it …
_STATE = frozenset({
    "diverifikasi", "terverifikasi", "disetujui", "diterima", "ditolak", "diproses", "aktif",
    "diapprove", "lolos", "berhasil", "selesai", "diperiksa", "dicek", "verified", "terdaftar",
})  # fmt: skip
# … and the asking.
_STATE_ASK = frozenset({"sudah", "belum", "kapan", "gimana", "bagaimana", "apakah", "sampai",
                        "kok", "masih", "cek", "lihat", "lacak", "periksa"})  # fmt: skip
_LOOK = frozenset({"cek", "lihat", "lacak", "periksa", "pantau"})
_VOWELS = frozenset("aeiou")


class CommandWords:
    """Read a global command from text: exact words, typos of them, or a whole sentence.

    ``phrases`` maps each command to the words that name it (from the message catalog).
    """

    def __init__(self, phrases: Mapping[str, Iterable[str]]) -> None:
        self._exact: dict[str, str] = {}
        self._single: list[tuple[str, str]] = []
        for command, names in phrases.items():
            for name in names:
                key = " ".join(_stemmed(words(name)))
                if not key:
                    continue
                self._exact.setdefault(key, command)
                self._exact.setdefault(plain(name), command)
                if " " not in key and not name.strip().startswith("/"):
                    self._single.append((key, command))
        self._vocabulary = {w for key in self._exact for w in key.split()}

    def read(self, text: str) -> str | None:
        """Return the command ``text`` asks for, or None when it asks none."""
        tokens = self._unglued(_stemmed(words(text)))
        if not tokens:
            return None
        found = self._phrase(tokens, plain(text))
        if found is not None:
            return found
        if _asks_for_person(tokens):
            return AGENT
        if _asks_for_status(tokens):
            return STATUS
        if "?" in text or any(t in _QUESTION for t in tokens):
            return None
        core = [t for t in tokens if t not in _FILLERS]
        if not core or len(core) > 3:
            return None
        return self._exact.get(" ".join(core)) or self._typo(core)

    def _phrase(self, tokens: list[str], raw: str) -> str | None:
        """Return the command named exactly, whole or at the start ("ga jadi daftar")."""
        polite = [t for t in tokens if t not in _POLITE]
        for candidate in (" ".join(tokens), raw, " ".join(polite)):
            if candidate in self._exact:
                return self._exact[candidate]
        for size in range(min(len(polite), 3), 1, -1):
            head = " ".join(polite[:size])
            if head in self._exact and self._exact[head] == CANCEL:
                return CANCEL  # cancelling wins over what is being cancelled
        return None

    def _unglued(self, tokens: list[str]) -> list[str]:
        """Split one glued word into two known ones ("hapusdata", "datasaya")."""
        if len(tokens) != 1 or tokens[0] in self._vocabulary:
            return tokens
        word = tokens[0]
        for cut in range(3, len(word) - 2):
            head, tail = word[:cut], word[cut:]
            if head in self._vocabulary and (tail in self._vocabulary or tail in _POLITE):
                return [head, tail]
        return tokens

    def _typo(self, core: list[str]) -> str | None:
        """Return the one command that each remaining word names or misspells."""
        found: set[str] = set()
        for token in core:
            matches = {command for key, command in self._single if _misspells(token, key)}
            if not matches:
                return None
            found |= matches
        if len(found) > 1:
            found -= {HELP}  # "tolong daftar": the please is not a second command
        if CANCEL in found:
            return CANCEL
        return found.pop() if len(found) == 1 else None


def _misspells(token: str, key: str) -> bool:
    """Tell whether ``token`` is ``key`` typed in a hurry: a typo, no vowels, or cut short."""
    if token == key:
        return True
    if len(token) == 3 and len(key) == 4 and token[0] == key[0]:
        return edit_distance(token, key, limit=1) <= 1  # "mnu"
    limit = allowed_typos(token)
    if limit and edit_distance(token, key, limit=limit) <= limit:
        return True
    skeleton = "".join(ch for ch in key if ch not in _VOWELS)
    if len(token) >= 3 and token == skeleton:
        return True  # "dftr", "ptgs"
    return len(token) >= 5 and len(key) >= 8 and key.startswith(token)  # "regis"


def _stemmed(tokens: list[str]) -> list[str]:
    """Drop the "-nya" people add ("statusnya", "petugasnya") and the "men-" of verbs."""
    out = []
    for token in tokens:
        if token.endswith("nya") and len(token) >= 7:
            token = token[:-3]
        out.append(token)
    return out


def _asks_for_person(tokens: list[str]) -> bool:
    person = any(t in _PERSON for t in tokens) or any(
        a in _PERSON_AFTER and b == "orang" and (i + 2 >= len(tokens) or tokens[i + 2] != "tua")
        for i, (a, b) in enumerate(itertools.pairwise(tokens))
    )
    return person and (any(t in _TALK for t in tokens) or len(tokens) <= 2)


def _asks_for_status(tokens: list[str]) -> bool:
    words_said = set(tokens)
    if words_said & _HOW:
        return False  # "cara cek status": how it is done, for the FAQ
    if "status" in words_said:
        return True
    about_request = bool(words_said & _REQUEST)
    if about_request and words_said & _LOOK:
        return True  # "cek pendaftaran saya"
    if words_said & _STATE and words_said & _STATE_ASK:
        return True  # "udh diverifikasi blm"
    asks = {"gimana", "bagaimana", "sampai", "apakah"}
    return about_request and bool(words_said & _SELF) and bool(words_said & asks)
