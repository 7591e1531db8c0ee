"""Every message id the code asks for exists in the Indonesian catalog."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.domain.nik import NikError
from bot.domain.validators import InputError
from bot.i18n import Catalog
from bot.photos.verdict import PROBLEM_KEYS
from bot.services.registration import RejectReason, Status
from dialogs.registration import SLOTS
from dialogs.router import COMMAND_WORDS

ROOT = Path(__file__).resolve().parents[1]
CODE = [p for folder in ("bot", "dialogs", "integrations") for p in (ROOT / folder).rglob("*.py")]
# Literal ids passed to the catalog: say("x"), button(id, "x"), t("x"), text("x"), Invalid("x").
LITERAL = re.compile(
    r"""(?:\.say|\.t|\.text|Invalid|PhotoProblem|\.button\([^,()]+,)\(?\s*["']([a-z][a-z0-9_-]+)["']"""
)


def _literal_ids() -> set[str]:
    found: set[str] = set()
    for path in CODE:
        found.update(LITERAL.findall(path.read_text(encoding="utf-8")))
    return found


def _derived_ids() -> set[str]:
    ids = {e.value for e in NikError} | {e.value for e in InputError}
    ids |= {f"reject-reason-{r.value}" for r in RejectReason}
    ids |= {f"reject-fix-{r.value}" for r in RejectReason}
    # notifications.status_text: "status-<status>", and "daftar" again once sent.
    ids |= {f"status-{s.value}" for s in Status}
    ids |= {f"status-register-again-{s.value}" for s in (Status.SUBMITTED, Status.APPROVED)}
    ids |= {f"field-{slot.name}" for slot in SLOTS}
    ids |= {f"keywords-{word}" for word in COMMAND_WORDS}
    ids |= {f"month-{n}" for n in range(1, 13)} | {f"weekday-{n}" for n in range(1, 8)}
    return ids


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog()


@pytest.mark.parametrize("key", sorted(_literal_ids() | _derived_ids()))
def test_message_id_used_by_the_code_is_in_the_catalog(catalog: Catalog, key: str) -> None:
    assert catalog.has(key), f"{key} missing from locales/id/*.ftl"


def test_catalog_finds_a_reasonable_number_of_ids() -> None:
    assert len(_literal_ids()) > 80  # the pattern still matches how the code asks for text


def test_every_soft_photo_problem_has_a_console_label(catalog: Catalog) -> None:
    missing = [key for key in PROBLEM_KEYS if not catalog.has(f"console-problem-{key}")]
    # Hard problems refuse the photo, so they never reach a verifier.
    hard_only = {"photo-not-image", "photo-format", "photo-too-big", "photo-too-many-pixels",
                 "photo-corrupt", "photo-too-small", "photo-check-failed", "ktp-blurry",
                 "ktp-too-dark", "ktp-too-bright", "selfie-blurry", "selfie-too-dark",
                 "selfie-too-bright", "selfie-no-face"}  # fmt: skip
    assert [key for key in missing if key not in hard_only] == []


# --- The words citizens read (issue 12: one voice, short sentences, buttons named alike) ---

LOCALE = ROOT / "locales" / "id"
# Staff read these; citizens never do.
STAFF_FILES = {"console.ftl", "faq_console.ftl"}
STAFF_PREFIXES = ("console-",)
# Not shown as text: words the bot listens for, and names glued into other messages.
NOT_SHOWN_PREFIXES = ("keywords-",)
# The full consent is a legal text; its short form (consent-short) obeys the limits.
LONG_ALLOWED = {"consent-full"}
MAX_SENTENCE_WORDS = 20
MAX_MESSAGE_WORDS = 40
WORD = re.compile(r"[^\W_]", re.UNICODE)  # a token counts as a word when it has a letter/digit
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
LIST_MARK = re.compile(r"^\s*(?:[•*-]|\d+[.)])\s+", re.MULTILINE)  # "• ", "1. " start a line


def _renderings(pattern) -> list[str]:
    """Every text a pattern can show: a variable is one word, a select each of its branches."""
    from fluent.syntax import ast

    texts = [""]
    for element in pattern.elements:
        if isinstance(element, ast.TextElement):
            options = [element.value]
        else:
            options = _placeable(element.expression)
        texts = [t + o for t in texts for o in options]
    return texts


def _placeable(expression) -> list[str]:
    from fluent.syntax import ast

    if isinstance(expression, ast.SelectExpression):
        return [text for v in expression.variants for text in _renderings(v.value)]
    if isinstance(expression, ast.StringLiteral | ast.NumberLiteral):
        return [expression.value]
    if isinstance(expression, ast.Placeable):
        return _placeable(expression.expression)
    return ["X"]  # { $name }, a term or a message reference: one word


def _citizen_messages() -> dict[str, list[str]]:
    """Message id → its possible renderings, for every message a citizen can read."""
    from fluent.syntax import FluentParser, ast

    found: dict[str, list[str]] = {}
    for path in sorted(LOCALE.glob("*.ftl")):
        if path.name in STAFF_FILES:
            continue
        resource = FluentParser().parse(path.read_text(encoding="utf-8"))
        for entry in resource.body:
            if not isinstance(entry, ast.Message) or entry.value is None:
                continue
            key = entry.id.name
            if key.startswith(STAFF_PREFIXES + NOT_SHOWN_PREFIXES):
                continue
            found[key] = _renderings(entry.value)
    return found


def _words(text: str) -> list[str]:
    return [token for token in LIST_MARK.sub("", text).split() if WORD.search(token)]


def _too_long(text: str) -> list[str]:
    """What breaks the limits in one rendering (empty when it reads well)."""
    problems = [
        f"{len(_words(s))} words: {s.strip()!r}"
        for s in SENTENCE_END.split(text)
        if len(_words(s)) > MAX_SENTENCE_WORDS
    ]
    if len(_words(text)) > MAX_MESSAGE_WORDS:
        problems.append(f"message has {len(_words(text))} words")
    return problems


CITIZEN = _citizen_messages()


def test_the_citizen_messages_are_found() -> None:
    assert len(CITIZEN) > 150
    assert "menu-greeting" in CITIZEN and "console-nav-chats" not in CITIZEN


def test_the_word_counter_reads_like_a_person() -> None:
    assert _words("• Nama: X 👋 (1, 2, …).") == ["Nama:", "X", "(1,", "2,"]
    listed = _words("Cara foto:\n1. Foto dari atas, langkah 7 dari 8.")
    assert listed == ["Cara", "foto:", "Foto", "dari", "atas,", "langkah", "7", "dari", "8."]
    assert SENTENCE_END.split("Satu dua. Tiga empat?\nLima") == ["Satu dua.", "Tiga empat?", "Lima"]
    long = " ".join(["kata"] * 21) + "."
    assert _too_long(long) == [f"21 words: {long!r}"]
    assert _too_long("Kata kata. " * 21)[-1] == "message has 42 words"


@pytest.mark.parametrize("key", sorted(set(CITIZEN) - LONG_ALLOWED))
def test_citizen_message_has_short_sentences_and_is_short(key: str) -> None:
    problems = [p for text in CITIZEN[key] for p in _too_long(text)]
    limits = f"at most {MAX_SENTENCE_WORDS} words a sentence, {MAX_MESSAGE_WORDS} a message"
    assert problems == [], f"{key}: {limits}"


# "Anda" → "Bapak/Ibu" (the FAQ speaks so too); "FAQ" → "Tanya jawab".
FORBIDDEN = re.compile(r"\b(anda|faq)\b", re.IGNORECASE)


@pytest.mark.parametrize("key", sorted(CITIZEN))
def test_citizen_message_speaks_bapak_ibu_and_never_says_faq(key: str) -> None:
    said = sorted({m.group(0) for text in CITIZEN[key] for m in FORBIDDEN.finditer(text)})
    assert said == [], f"{key} says {said}: write 'Bapak/Ibu' for 'Anda', 'Tanya jawab' for 'FAQ'"


def test_nik_is_explained_where_it_is_first_asked(catalog: Catalog) -> None:
    for helper in ("no", "yes"):
        asked = catalog.text("reg-ask-nik", helper=helper)
        assert "Nomor Induk Kependudukan, 16 angka di baris atas KTP" in asked


# --- Buttons named alike wherever a text tells people to tap one ---

TAP = re.compile(
    r"""\b(?:tekan|ketuk|klik|sentuh|pilih)(?:\s+(?:menu|tombol))?\s+["“]([^"”]+)["”]"""
    r"""|\b(?:menu|tombol)\s+["“]([^"”]+)["”]""",
    re.IGNORECASE,
)
TYPE = re.compile(r"""\bketik(?:kan)?\s+["“]([^"”]+)["”]""", re.IGNORECASE)
# A sentence about the Tangerang LIVE app itself names the app's buttons, not the chat's.
ABOUT_THE_APP = re.compile(r"\baplikasi\b", re.IGNORECASE)


def _label(text: str) -> str:
    """A button label without its emoji, case or punctuation: "📝 Daftar akun" → "daftar akun"."""
    return " ".join(re.sub(r"[^\w\s/-]", " ", text).lower().split())


def _button_labels(catalog: Catalog) -> set[str]:
    return {_label(catalog.text(key)) for key in CITIZEN if key.startswith("btn-")}


def _typed_words(catalog: Catalog) -> set[str]:
    words = {word for key in COMMAND_WORDS for word in catalog.text(f"keywords-{key}").split(",")}
    return {_label(word) for word in words}


def _faq_answers() -> dict[str, str]:
    import yaml

    faq = ROOT / "bot" / "faq" / "default_faq.yaml"
    entries = yaml.safe_load(faq.read_text(encoding="utf-8"))
    return {entry["id"]: entry["answer"] for entry in entries}


def _named(text: str, pattern: re.Pattern[str]) -> list[str]:
    """The quoted names a text tells people to tap (or type), sentence by sentence."""
    names: list[str] = []
    for sentence in SENTENCE_END.split(" ".join(text.split("\n"))):
        if pattern is TAP and ABOUT_THE_APP.search(sentence):
            continue
        names += [next(g for g in m.groups() if g) for m in pattern.finditer(sentence)]
    return names


def test_tap_words_are_found_in_the_faq() -> None:
    named = [name for answer in _faq_answers().values() for name in _named(answer, TAP)]
    assert "Daftar akun" in named and "Cek status" in named
    assert _named('Di aplikasi, tekan "Lupa kata sandi".', TAP) == []
    assert _named('Ketik "status" atau pilih menu "Cek status".', TAP) == ["Cek status"]


@pytest.mark.parametrize("entry", sorted(_faq_answers()))
def test_faq_answer_names_buttons_that_exist(catalog: Catalog, entry: str) -> None:
    answer = _faq_answers()[entry]
    labels, typed = _button_labels(catalog), _typed_words(catalog)
    assert [n for n in _named(answer, TAP) if _label(n) not in labels] == [], sorted(labels)
    assert [n for n in _named(answer, TYPE) if _label(n) not in typed] == [], sorted(typed)


@pytest.mark.parametrize("key", sorted(CITIZEN))
def test_citizen_message_names_buttons_that_exist(catalog: Catalog, key: str) -> None:
    labels, typed = _button_labels(catalog), _typed_words(catalog)
    for text in CITIZEN[key]:
        assert [n for n in _named(text, TAP) if _label(n) not in labels] == [], sorted(labels)
        assert [n for n in _named(text, TYPE) if _label(n) not in typed] == [], sorted(typed)


WHATSAPP_BUTTON_TITLE = 20  # UTF-16 units; WhatsApp cuts a longer reply-button title


@pytest.mark.parametrize("key", sorted(k for k in CITIZEN if k.startswith("btn-")))
def test_button_label_fits_whatsapp_uncut(catalog: Catalog, key: str) -> None:
    # A cut label ("👤 Bicara dengan pet…") is no longer the name the texts tell people to tap.
    label = catalog.text(key)
    assert len(label.encode("utf-16-le")) // 2 <= WHATSAPP_BUTTON_TITLE, label
