"""Perceptual hashes find the same picture sent again; the screen check tells a screen's grid.

Measured on the project's real public-domain portraits and synthetic KTPs and selfies.
"""

from __future__ import annotations

import io
import random

import numpy as np
import pytest
from PIL import Image

from bot.photos.fingerprint import (
    MATCH_BITS,
    SCREEN_SCORE,
    bands,
    dhash64,
    fingerprint,
    hamming,
    probes,
    screen_score,
    to_signed,
    to_unsigned,
)
from tests.photos import factory, real_faces


def _jpeg(im: Image.Image, quality: int = 85) -> Image.Image:
    out = io.BytesIO()
    im.convert("RGB").save(out, "JPEG", quality=quality)
    return Image.open(io.BytesIO(out.getvalue()))


def screen_photo(im: Image.Image, period: float = 4.5, angle: float = 5.0) -> Image.Image:
    """Return ``im`` as if photographed off a screen: a faint, slightly turned pixel grid."""
    pixels = np.asarray(im.convert("RGB"), dtype=np.float32)
    h, w = pixels.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    turn = np.deg2rad(angle)
    u = xx * np.cos(turn) + yy * np.sin(turn)
    v = -xx * np.sin(turn) + yy * np.cos(turn)
    grid = (0.5 + 0.5 * np.cos(2 * np.pi * u / period)) * (
        0.5 + 0.5 * np.cos(2 * np.pi * v / period)
    )
    out = pixels * (0.8 + 0.2 * grid[..., None])
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))


def _real_pictures() -> dict[str, Image.Image]:
    pictures = {
        "ktp": factory.ktp_photo(), "ktp q25": _jpeg(factory.ktp_photo(), 25),
        "selfie": factory.selfie(), "card": factory.ktp_card().convert("RGB"),
        "blurred": Image.open(io.BytesIO(factory.blurred_jpeg())),
        "glare": Image.open(io.BytesIO(factory.glare_jpeg())),
        "large": Image.open(io.BytesIO(factory.large_jpeg())),
    }  # fmt: skip
    for name, portrait in real_faces.portraits().items():
        pictures[name] = portrait.image
    for who, variant, data in real_faces.variants():
        pictures[f"{who} {variant}"] = Image.open(io.BytesIO(data))
    return pictures


def test_the_same_picture_recompressed_resized_or_trimmed_stays_within_the_match_distance() -> None:
    for who, _variant, data in real_faces.variants():
        im = Image.open(io.BytesIO(data)).convert("RGB")
        h = dhash64(im)
        assert h is not None
        w, ht = im.size
        for changed in (
            _jpeg(im, 40), im.resize((w // 2, ht // 2)),
            im.crop((w // 100, ht // 100, w * 99 // 100, ht * 99 // 100)),
        ):  # fmt: skip
            assert hamming(h, dhash64(changed) or 0) <= MATCH_BITS, who


def test_pictures_of_two_different_people_are_far_apart() -> None:
    hashes = [(who, dhash64(Image.open(io.BytesIO(d)))) for who, _v, d in real_faces.variants()]
    distances = [hamming(a or 0, b or 0) for wa, a in hashes for wb, b in hashes if wa != wb]
    assert distances and min(distances) > 2 * MATCH_BITS


def test_a_flat_picture_has_no_hash() -> None:
    assert dhash64(Image.new("RGB", (64, 40), (200, 180, 160))) is None


def test_real_photos_and_test_ktps_are_not_taken_for_screens() -> None:
    scores = {name: screen_score(im) for name, im in _real_pictures().items()}
    assert len(scores) > 30
    assert max(scores.values()) < SCREEN_SCORE, max(scores.items(), key=lambda kv: kv[1])


@pytest.mark.parametrize(("period", "angle"), [(3.0, 0.0), (4.5, 5.0), (5.5, 11.0), (7.0, 3.0)])
def test_a_ktp_photographed_off_a_screen_is_told(period: float, angle: float) -> None:
    shot = _jpeg(screen_photo(factory.ktp_photo(), period, angle), 80)
    assert screen_score(shot) >= SCREEN_SCORE


def test_fingerprint_of_stored_bytes_and_of_garbage() -> None:
    found = fingerprint(factory.good_ktp_jpeg())
    assert found is not None and found.dhash is not None and not found.looks_like_screen
    assert fingerprint(b"not an image") is None


def test_every_hash_within_the_match_distance_shares_a_probed_band() -> None:
    rng = random.Random(17)
    for _ in range(500):
        value = rng.getrandbits(64)
        near = value
        for bit in rng.sample(range(64), rng.randint(0, MATCH_BITS)):
            near ^= 1 << bit
        assert set(bands(near)) & set(probes(value))
        assert to_unsigned(to_signed(value)) == value
        assert -(1 << 63) <= to_signed(value) < 1 << 63
