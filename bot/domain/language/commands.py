"""Global commands in any words: "dftar", "mau daftar dong", "sy mau ngomong sama orang aja"."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping

from bot.domain.language.distance import allowed_typos, edit_distance
from bot.domain.language.text import plain, words

AGENT = "agent"
STATUS = "status"
# Said around a command without changing it ("saya mau daftar dong pak").
_FILLERS = frozenset({
    "saya", "mau", "ingin", "pengen", "pingin", "dong", "pak", "bu", "ibu", "bapak", "kak",
    "min", "mas", "mbak", "ya", "saja", "deh", "sih", "tolong", "bantu", "minta", "lagi", "aja",
    "yang", "akun", "tangerang", "live", "sekarang", "dulu", "coba", "boleh", "bisa", "buat",
    "untuk", "mohon", "silakan", "kembali", "ke", "halo", "hai", "assalamualaikum", "permisi",
    "selamat", "pagi", "siang", "sore", "malam", "terima", "kasih", "udah", "sudah", "ok", "oke",
})  # fmt: skip
# A message with one of these asks something: the FAQ answers it, not a command.
_QUESTION = frozenset({
    "cara", "caranya", "bagaimana", "gimana", "apa", "apakah", "syarat", "syaratnya", "berapa",
    "kapan", "dimana", "mana", "kenapa", "mengapa", "siapa", "harus", "bisakah", "gmn",
})  # fmt: skip
# Asking for a person: one of these people …
_PERSON = frozenset({"petugas", "operator", "manusia", "cs", "admin", "helpdesk", "staf", "staff",
                     "pegawai", "karyawan", "agen", "agent"})  # fmt: skip
_PERSON_AFTER = frozenset({"sama", "dengan", "ke", "kepada", "pada"})  # … or "sama orang"
# … and a wish to talk.
_TALK = frozenset({
    "bicara", "berbicara", "ngomong", "omong", "ngobrol", "obrol", "chat", "sambungkan",
    "hubungkan", "hubungi", "minta", "mau", "ingin", "pengen", "butuh", "perlu", "tolong",
    "telepon", "telpon", "nelpon", "langsung", "dibantu", "bantu", "tanya", "konsultasi",
})  # fmt: skip
# Asking for one's own request: the subject …
_MINE = frozenset({"saya", "akun", "pendaftaran", "registrasi", "verifikasi", "pengajuan",
                   "permohonan", "data", "berkas", "punya"})  # fmt: skip
# … and its state.
_STATE = frozenset({
    "status", "diverifikasi", "terverifikasi", "disetujui", "diterima", "ditolak", "diproses",
    "aktif", "diapprove", "approve", "lolos", "berhasil", "selesai", "diperiksa", "dicek",
    "verified", "jadi",
})  # fmt: skip
_STATE_ASK = frozenset({"sudah", "belum", "kapan", "gimana", "bagaimana", "apakah", "sampai",
                        "kok", "masih", "lama", "cek", "lihat", "gmn"})  # fmt: skip


class CommandWords:
    """Read a global command from text: exact words, typos of them, or a whole sentence.

    ``phrases`` maps each command to the words that name it (from the message catalog).
    """

    def __init__(self, phrases: Mapping[str, Iterable[str]]) -> None:
        self._exact: dict[str, str] = {}
        self._single: list[tuple[str, str]] = []
        for command, names in phrases.items():
            for name in names:
                key = " ".join(words(name))
                slash = plain(name)
                if not key:
                    continue
                self._exact.setdefault(key, command)
                self._exact.setdefault(slash, command)
                if " " not in key and not name.strip().startswith("/"):
                    self._single.append((key, command))

    def read(self, text: str) -> str | None:
        """Return the command ``text`` asks for, or None when it asks none."""
        tokens = words(text)
        if not tokens:
            return None
        exact = self._exact.get(" ".join(tokens)) or self._exact.get(plain(text))
        if exact is not None:
            return exact
        if _asks_for_person(tokens):
            return AGENT
        if _asks_for_status(tokens):
            return STATUS
        if "?" in text or any(t in _QUESTION for t in tokens):
            return None
        core = [t for t in tokens if t not in _FILLERS]
        if not core or len(core) > 2:
            return None
        return self._exact.get(" ".join(core)) or self._typo(core)

    def _typo(self, core: list[str]) -> str | None:
        """Return the one command whose single word each remaining word misspells."""
        found = set()
        for token in core:
            limit = allowed_typos(token)
            matches = {
                c for key, c in self._single if edit_distance(token, key, limit=limit) <= limit
            }
            if len(matches) != 1:
                return None
            found |= matches
        return found.pop() if len(found) == 1 else None


def _asks_for_person(tokens: list[str]) -> bool:
    person = any(t in _PERSON for t in tokens) or any(
        a in _PERSON_AFTER and b == "orang" and (i + 2 >= len(tokens) or tokens[i + 2] != "tua")
        for i, (a, b) in enumerate(itertools.pairwise(tokens))
    )
    return person and (any(t in _TALK for t in tokens) or len(tokens) <= 2)


def _asks_for_status(tokens: list[str]) -> bool:
    if "status" in tokens and (len(tokens) <= 4 or any(t in _MINE for t in tokens)):
        return True
    return (
        any(t in _MINE for t in tokens)
        and any(t in _STATE for t in tokens)
        and any(t in _STATE_ASK for t in tokens)
        and not {"cara", "syarat", "caranya", "kenapa", "mengapa"} & set(tokens)
    )
