"""Every problem key has a citizen message in locales/id/photos.ftl, and nothing else leaks."""

from __future__ import annotations

from pathlib import Path

from fluent.syntax import ast, parse

from bot.i18n import LOCALES_DIR, Catalog
from bot.photos import PROBLEM_KEYS, PhotoKind, check_photo
from bot.photos.guides import Mistake
from tests.photos import factory

FTL = LOCALES_DIR / "id" / "photos.ftl"
EXTRA = {
    "photo-ok",
    "photo-ok-with-warning",
    "photo-refused",
    "photo-tips-ktp",
    "photo-tips-selfie",
    "photo-example-ktp-alt",
    "photo-example-banner-ktp",
    "photo-example-banner-selfie",
    "photo-example-selfie-alt",
    # Words drawn on the guide and fix pictures.
    "photo-guide-avoid",
    "photo-guide-good",
    *(f"photo-mistake-{mistake.value}" for mistake in Mistake),
}


def _ids(path: Path) -> list[str]:
    resource = parse(path.read_text(encoding="utf-8"))
    junk = [e for e in resource.body if isinstance(e, ast.Junk)]
    assert not junk, f"syntax errors in {path.name}: {junk[0].content[:80]!r}"
    return [e.id.name for e in resource.body if isinstance(e, ast.Message)]


def test_every_problem_key_and_prompt_text_has_a_message() -> None:
    catalog = Catalog()
    for key in sorted(PROBLEM_KEYS | EXTRA):
        text = catalog.text(key)
        assert text.strip(), key


def test_messages_are_prefixed_unique_and_short() -> None:
    ids = _ids(FTL)
    assert len(ids) == len(set(ids))
    assert all(i.startswith(("photo-", "selfie-", "ktp-")) for i in ids)
    assert set(ids) == PROBLEM_KEYS | EXTRA
    catalog = Catalog()
    for key in PROBLEM_KEYS:
        # One or two short sentences: read on a small phone by someone over 45.
        assert len(catalog.text(key)) <= 200, key


def test_every_key_the_checks_return_is_catalogued() -> None:
    samples = [
        (factory.good_ktp_jpeg(), PhotoKind.KTP),
        (factory.blurred_jpeg("ktp", 4), PhotoKind.KTP),
        (factory.exposure_jpeg("selfie", 0.4), PhotoKind.SELFIE),
        (factory.no_face_selfie_jpeg(), PhotoKind.SELFIE),
        (factory.pdf_renamed_jpg(), PhotoKind.KTP),
    ]
    for data, kind in samples:
        assert set(check_photo(data, kind, ocr=False).keys) <= PROBLEM_KEYS
