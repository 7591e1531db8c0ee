"""The stored copy is upright, capped in size and carries no metadata at all."""

from __future__ import annotations

import io
import struct

import numpy as np
import pytest
from PIL import Image

from bot.photos import DEFAULT_LIMITS, PhotoKind, check_photo
from tests.photos import factory


def jpeg_segments(data: bytes) -> list[int]:
    """Return the marker bytes of the segments before the image data (SOS) of a JPEG."""
    markers, i = [], 2
    while i < len(data) - 4 and data[i] == 0xFF:
        marker = data[i + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: the compressed picture follows
            break
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        i += 2 + length
    return markers


def test_gps_and_all_other_metadata_are_removed() -> None:
    original = factory.gps_jpeg()
    with Image.open(io.BytesIO(original)) as im:  # the test file really carries them
        assert im.getexif().get_ifd(0x8825)
        assert "comment" in im.info
    verdict = check_photo(original, PhotoKind.KTP, ocr=False)
    assert verdict.accepted and verdict.clean_jpeg is not None
    clean = verdict.clean_jpeg
    assert b"Exif" not in clean and b"ContohPhone" not in clean and b"secret" not in clean
    # Only JFIF (APP0), tables and the frame: no APP1 (EXIF/XMP), APP2 (ICC), COM, …
    assert set(jpeg_segments(clean)) <= {0xE0, 0xDB, 0xC4, 0xC0, 0xDD, 0xDA}
    with Image.open(io.BytesIO(clean)) as im:
        assert not im.getexif()
        assert not {"exif", "comment", "icc_profile", "xmp"} & set(im.info)


def _upright_difference(clean: bytes, reference: Image.Image) -> float:
    with Image.open(io.BytesIO(clean)) as im:
        got = np.asarray(im.convert("L").resize((280, 200)), dtype=np.float32)
    want = np.asarray(reference.convert("L").resize((280, 200)), dtype=np.float32)
    return float(np.abs(got - want).mean())


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_exif_orientation_is_applied(orientation: int) -> None:
    data = factory.rotated_jpeg("ktp", orientation)
    with Image.open(io.BytesIO(data)) as stored:
        sideways = stored.size != (1400, 1000)
    verdict = check_photo(data, PhotoKind.KTP, ocr=False)
    assert verdict.accepted, verdict.keys
    assert (verdict.width, verdict.height) == (1400, 1000)
    assert sideways == (orientation in (6, 8))
    assert verdict.flags["orientation"] == orientation
    assert _upright_difference(verdict.clean_jpeg or b"", factory.ktp_photo()) < 6
    with Image.open(io.BytesIO(verdict.clean_jpeg or b"")) as im:
        assert 0x0112 not in im.getexif()  # no tag left to rotate it a second time


def test_rotated_selfie_is_turned_upright_before_finding_the_face() -> None:
    verdict = check_photo(factory.rotated_jpeg("selfie", 6), PhotoKind.SELFIE)
    assert verdict.accepted, verdict.keys
    assert (verdict.width, verdict.height) == (960, 1280)
    assert verdict.flags["faces"] == 1


def test_stored_copy_is_capped_at_the_store_side() -> None:
    verdict = check_photo(factory.large_jpeg("ktp"), PhotoKind.KTP, ocr=False)
    assert verdict.accepted, verdict.keys
    assert (verdict.width, verdict.height) == (2000, 1500)
    assert verdict.flags["original_width"] == 4000
    with Image.open(io.BytesIO(verdict.clean_jpeg or b"")) as im:
        assert im.size == (2000, 1500) and im.format == "JPEG" and im.mode == "RGB"


def test_small_photo_is_stored_at_its_own_size() -> None:
    verdict = check_photo(factory.good_ktp_jpeg(), PhotoKind.KTP, ocr=False)
    assert (verdict.width, verdict.height) == (1400, 1000)
    assert max(verdict.width, verdict.height) <= DEFAULT_LIMITS.store_side


@pytest.mark.parametrize("encode", [factory.to_png, factory.to_webp], ids=["png", "webp"])
def test_png_and_webp_are_accepted_and_stored_as_jpeg(encode: object) -> None:
    data = encode(factory.ktp_photo())  # type: ignore[operator]
    verdict = check_photo(data, PhotoKind.KTP, ocr=False)
    assert verdict.accepted, verdict.keys
    assert verdict.flags["format"] in {"PNG", "WEBP"}
    assert (verdict.clean_jpeg or b"").startswith(b"\xff\xd8\xff")


def test_transparent_png_is_put_on_white() -> None:
    card = factory.ktp_card(width=1200)  # RGBA, transparent rounded corners
    verdict = check_photo(factory.to_png(card), PhotoKind.KTP, ocr=False)
    assert verdict.clean_jpeg is not None
    with Image.open(io.BytesIO(verdict.clean_jpeg)) as im:
        assert min(im.getpixel((0, 0))) > 240  # the corner outside the card


def test_sixteen_bit_greyscale_png_is_scaled_not_clipped() -> None:
    grey = np.asarray(factory.ktp_photo().convert("L"), dtype=np.uint16) * 257
    buf = io.BytesIO()
    Image.fromarray(grey).save(buf, "PNG")
    verdict = check_photo(buf.getvalue(), PhotoKind.KTP, ocr=False)
    assert verdict.accepted, verdict.keys
    assert 0.3 < float(verdict.flags["brightness"]) < 0.8  # type: ignore[arg-type]


@pytest.mark.parametrize("size", [(600, 450), (2000, 300)], ids=["thumbnail", "thin-strip"])
def test_too_small_photo_is_refused(size: tuple[int, int]) -> None:
    im = factory.ktp_photo().resize(size)
    verdict = check_photo(factory.to_jpeg(im), PhotoKind.KTP)
    assert not verdict.accepted
    assert verdict.keys == ("photo-too-small",)
    assert verdict.clean_jpeg is None
    assert (verdict.width, verdict.height) == size


def test_multi_picture_jpeg_from_a_phone_is_accepted() -> None:
    """Some phones store a second picture (depth map, preview) in the JPEG: an MPO file."""
    photo = factory.ktp_photo()
    buf = io.BytesIO()
    photo.save(buf, "MPO", save_all=True, append_images=[photo.resize((700, 500))])
    verdict = check_photo(buf.getvalue(), PhotoKind.KTP, ocr=False)
    assert verdict.accepted and verdict.problems == (), verdict.keys
    assert (verdict.width, verdict.height) == (1400, 1000)
