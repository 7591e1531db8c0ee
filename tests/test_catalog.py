"""Every message id the code asks for exists in the Indonesian catalog."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.domain.nik import NikError
from bot.domain.validators import InputError
from bot.i18n import Catalog
from bot.photos.checks import PROBLEM_KEYS
from bot.services.registration import RejectReason
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
