"""The example pictures for citizens, and the test-photo factory other tests rely on."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest
from PIL import Image

from bot.i18n import Catalog
from bot.photos import PhotoKind, check_photo
from bot.photos.examples import EXAMPLES_DIR, KTP_FILE, MAX_BYTES, SELFIE_FILE, render_ktp_example
from bot.photos.guides import (
    FIX_MAX_BYTES,
    GUIDE_FILES,
    PROBLEM_MISTAKES,
    Mistake,
    fix_url,
    guide_url,
    render_fix,
    render_guide,
    render_mistake,
    write_examples,
)
from tests.photos import factory


def test_example_pictures_are_kept_small_and_clean() -> None:
    for name in (KTP_FILE, SELFIE_FILE):
        path = EXAMPLES_DIR / name
        data = path.read_bytes()
        assert len(data) < MAX_BYTES, name
        with Image.open(io.BytesIO(data)) as im:
            assert im.format == "JPEG"
            assert not im.getexif()


def test_example_pictures_can_be_regenerated(tmp_path: Path) -> None:
    for path in write_examples(tmp_path):
        assert path.stat().st_size < MAX_BYTES


def test_example_ktp_photo_passes_the_checks_it_illustrates() -> None:
    buf = io.BytesIO()
    render_ktp_example(1200).save(buf, "JPEG", quality=90)
    verdict = check_photo(buf.getvalue(), PhotoKind.KTP, ocr=False)
    assert verdict.accepted and verdict.problems == (), verdict.keys


def test_good_photos_are_deterministic_and_cached() -> None:
    assert factory.good_ktp_jpeg() is factory.good_ktp_jpeg()
    assert factory.ktp_card_jpeg() == factory.good_ktp_jpeg()
    assert factory.selfie_jpeg() == factory.good_selfie_jpeg()


def test_good_photos_are_quick_to_make() -> None:
    for make in (lambda: factory.ktp_card_jpeg("3671010101900002"), factory.selfie_jpeg):
        started = time.perf_counter()
        make()
        # 0.3 s on an idle core; generous here so a busy CI machine does not flake.
        assert time.perf_counter() - started < 1.5


def test_guide_and_fix_pictures_are_committed_small_and_match_the_generator(
    tmp_path: Path,
) -> None:
    written = write_examples(tmp_path)
    names = {path.name for path in written}
    assert set(GUIDE_FILES.values()) <= names
    assert {f"perbaiki-{m.value}.jpg" for m in Mistake} <= names
    for path in written:
        committed = EXAMPLES_DIR / path.name
        assert committed.is_file(), f"run python -m bot.photos.guides ({path.name})"
        limit = FIX_MAX_BYTES if path.name.startswith("perbaiki-") else MAX_BYTES
        assert committed.stat().st_size <= limit, path.name


def test_every_refusal_reason_the_checks_give_has_a_picture_of_its_own_kind() -> None:
    ftl = (Path(__file__).parents[2] / "locales" / "id" / "photos.ftl").read_text()
    reasons = re.findall(r"^((?:ktp|selfie)-[a-z-]+) =", ftl, flags=re.MULTILINE)
    assert len(reasons) > 10
    for key in reasons:
        kind = key.split("-", 1)[0]
        url = fix_url(key, kind)
        assert (EXAMPLES_DIR / url.removeprefix("/static/examples/")).is_file(), key
        if key in PROBLEM_MISTAKES:
            assert url.endswith(f"perbaiki-{PROBLEM_MISTAKES[key].value}.jpg")
    # A reason without a picture of its own, or one of the other kind, shows the guide.
    assert fix_url("photo-not-image", "selfie") == guide_url("selfie")
    assert fix_url("ktp-blurry", "selfie") == guide_url("selfie")
    assert fix_url("photo-too-small", "ktp").endswith("perbaiki-ktp-kecil.jpg")


@pytest.mark.parametrize(
    ("mistake", "expected"),
    [
        (Mistake.KTP_BLURRY, {"ktp-blurry"}),
        (Mistake.KTP_DARK, {"ktp-too-dark"}),
        (Mistake.KTP_BRIGHT, {"ktp-glare", "ktp-too-bright"}),
        (Mistake.KTP_CUT, {"ktp-card-cut"}),
    ],
)
def test_the_drawn_ktp_mistakes_are_the_ones_the_checks_find(
    mistake: Mistake, expected: set[str]
) -> None:
    buf = io.BytesIO()
    render_mistake(mistake, 1200).convert("RGB").save(buf, "JPEG", quality=90)
    verdict = check_photo(buf.getvalue(), PhotoKind.KTP, ocr=False)
    assert expected & set(verdict.keys), (mistake, verdict.keys)


def test_guide_words_come_from_the_catalog() -> None:
    catalog = Catalog()
    for mistake in Mistake:
        assert catalog.text(f"photo-mistake-{mistake.value}") != f"photo-mistake-{mistake.value}"
    assert render_guide("ktp", catalog).width == 800
    assert render_fix(Mistake.SELFIE_NO_FACE, catalog).height > 300
