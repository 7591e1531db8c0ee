"""Whatever a citizen (or an attacker) uploads, check_photo refuses it cleanly and never raises."""

from __future__ import annotations

import io
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
import pytest
from PIL import Image

from bot.photos import PROBLEM_KEYS, PhotoKind, PhotoVerdict, check_photo
from tests.photos import factory

HOSTILE: dict[str, tuple[Callable[[], bytes], str]] = {
    "png-bomb-100000px": (factory.png_bomb, "photo-too-many-pixels"),
    "png-just-over-limit": (lambda: factory.png_bomb(9000), "photo-too-many-pixels"),
    # 30 MP: fine for a JPEG (decoded at reduced scale), too much for a full PNG decode.
    "png-over-full-decode-budget": (lambda: factory.png_bomb(5500), "photo-too-many-pixels"),
    "jpeg-bomb-60000px": (factory.jpeg_bomb, "photo-too-many-pixels"),
    "jpeg-just-over-limit": (lambda: factory.jpeg_bomb(9500, 9000), "photo-too-many-pixels"),
    "truncated-jpeg": (factory.truncated_jpeg, "photo-corrupt"),
    "jpeg-header-only": (lambda: factory.truncated_jpeg(0.02), "photo-corrupt"),
    "pdf-renamed-jpg": (factory.pdf_renamed_jpg, "photo-not-image"),
    "html-renamed-jpg": (factory.html_renamed_jpg, "photo-not-image"),
    "svg": (factory.svg_image, "photo-format"),
    "animated-gif": (factory.animated_gif, "photo-format"),
    "animated-webp": (factory.animated_webp, "photo-format"),
    "heic": (factory.heic_header, "photo-format"),
    "30-mb-file": (factory.oversized_file, "photo-too-big"),
    "random-bytes": (factory.random_bytes, "photo-not-image"),
    "empty": (lambda: b"", "photo-not-image"),
}


def assert_refused(verdict: PhotoVerdict, key: str) -> None:
    """Assert ``verdict`` refuses the photo for exactly ``key`` and keeps no image."""
    assert not verdict.accepted
    assert verdict.keys == (key,)
    assert verdict.problems[0].hard
    assert verdict.clean_jpeg is None
    assert key in PROBLEM_KEYS


@pytest.mark.parametrize("kind", list(PhotoKind))
@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_file_is_refused_with_its_key(name: str, kind: PhotoKind) -> None:
    make, key = HOSTILE[name]
    assert_refused(check_photo(make(), kind), key)


def test_static_gif_is_refused_as_unsupported_format() -> None:
    buf = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 220, 240)).save(buf, "GIF")
    assert_refused(check_photo(buf.getvalue(), PhotoKind.KTP), "photo-format")


@pytest.mark.parametrize("value", [None, "foto.jpg", 12345, ["not", "bytes"]])
def test_non_bytes_input_is_refused(value: object) -> None:
    assert_refused(check_photo(value, PhotoKind.KTP), "photo-not-image")  # type: ignore[arg-type]


def test_bomb_is_refused_from_the_header_without_decoding() -> None:
    tracemalloc.start()
    started = time.perf_counter()
    verdict = check_photo(factory.png_bomb(30_000), PhotoKind.KTP)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert_refused(verdict, "photo-too-many-pixels")
    # Decoding 900 megapixels would take seconds and gigabytes.
    assert elapsed < 0.5
    assert peak < 20 * 2**20


def test_size_limit_is_checked_before_anything_else() -> None:
    assert_refused(check_photo(b"\xff\xd8\xff" + b"\x00" * (21 * 2**20), "ktp"), "photo-too-big")


def test_wrong_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        check_photo(factory.good_ktp_jpeg(), "passport")  # type: ignore[arg-type]


def test_internal_failure_refuses_instead_of_raising(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("cascade exploded")

    monkeypatch.setattr("bot.photos.selfie.detect_faces", broken)
    assert_refused(check_photo(factory.good_selfie_jpeg(), PhotoKind.SELFIE), "photo-check-failed")


def _mangled(seed: int, base: bytes) -> bytes:
    rng = np.random.default_rng(seed)
    data = bytearray(base)
    how = seed % 3
    if how == 0:  # flip a few bytes anywhere, headers included
        for pos in rng.integers(0, len(data), size=8):
            data[pos] = int(rng.integers(0, 256))
    elif how == 1:  # cut anywhere
        data = data[: int(rng.integers(1, len(data)))]
    else:  # overwrite a block in the middle
        start = int(rng.integers(0, len(data) - 64))
        data[start : start + 64] = rng.integers(0, 256, size=64, dtype=np.uint8).tobytes()
    return bytes(data)


@pytest.fixture(scope="module")
def small_good_files() -> dict[str, bytes]:
    im = Image.open(io.BytesIO(factory.good_ktp_jpeg()))
    im.thumbnail((800, 800))
    return {"jpeg": factory.to_jpeg(im), "png": factory.to_png(im), "webp": factory.to_webp(im)}


@pytest.mark.parametrize("fmt", ["jpeg", "png", "webp"])
def test_mangled_files_never_raise(fmt: str, small_good_files: dict[str, bytes]) -> None:
    for seed in range(12):
        data = _mangled(seed, small_good_files[fmt])
        verdict = check_photo(data, PhotoKind.KTP, ocr=False)
        assert set(verdict.keys) <= PROBLEM_KEYS
        if verdict.accepted:
            assert verdict.clean_jpeg is not None
            with Image.open(io.BytesIO(verdict.clean_jpeg)) as clean:
                assert clean.format == "JPEG"
        else:
            assert verdict.clean_jpeg is None
