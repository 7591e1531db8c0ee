"""The example pictures for citizens, and the test-photo factory other tests rely on."""

from __future__ import annotations

import io
import time
from pathlib import Path

from PIL import Image

from bot.photos import PhotoKind, check_photo
from bot.photos.examples import (
    EXAMPLES_DIR,
    KTP_FILE,
    MAX_BYTES,
    SELFIE_FILE,
    render_ktp_example,
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
