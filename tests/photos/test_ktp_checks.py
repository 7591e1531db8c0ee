"""KTP photos: good ones pass, each kind of bad one gets the message that says what to fix."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PIL import ImageFilter

from bot.photos import PROBLEM_KEYS, PhotoKind, check_photo
from tests.photos import factory


def test_good_ktp_photo_is_accepted_without_remarks() -> None:
    verdict = check_photo(factory.good_ktp_jpeg(), PhotoKind.KTP, ocr=False)
    assert verdict.accepted
    assert verdict.problems == ()
    assert verdict.clean_jpeg is not None
    assert verdict.flags["card_found"] is True
    assert verdict.flags["card_photo_visible"] is True
    assert verdict.flags["ocr"] == "off"
    assert verdict.flags["nik_mismatch"] is False


def test_good_twelve_megapixel_ktp_photo_is_accepted() -> None:
    verdict = check_photo(factory.large_jpeg("ktp"), PhotoKind.KTP, ocr=False)
    assert verdict.accepted and verdict.problems == (), verdict.keys


# (make the photo, the one problem key expected, hard?)
VARIANTS: dict[str, tuple[Callable[[], bytes], str, bool]] = {
    "very-blurred": (lambda: factory.blurred_jpeg("ktp", 4), "ktp-blurry", True),
    "slightly-blurred": (lambda: factory.blurred_jpeg("ktp", 2), "ktp-slightly-blurry", False),
    "shaken": (lambda: factory.motion_blurred_jpeg("ktp", 12), "ktp-blurry", True),
    "very-dark": (lambda: factory.exposure_jpeg("ktp", 0.2), "ktp-too-dark", True),
    "dim": (lambda: factory.exposure_jpeg("ktp", 0.4), "ktp-dark", False),
    "glare-spot": (lambda: factory.glare_jpeg("ktp", 0.08), "ktp-glare", False),
    "washed-out": (lambda: factory.exposure_jpeg("ktp", 2.0), "ktp-too-bright", True),
    "tiny": (lambda: factory.tiny_jpeg("ktp"), "photo-too-small", True),
    "cropped": (factory.cropped_ktp_jpeg, "ktp-card-cut", False),
    "card-far-away": (factory.small_card_ktp_jpeg, "ktp-low-resolution", False),
}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_bad_ktp_photo_gets_the_right_problem(name: str) -> None:
    make, key, hard = VARIANTS[name]
    verdict = check_photo(make(), PhotoKind.KTP, ocr=False)
    assert verdict.keys == (key,)
    assert verdict.problems[0].hard is hard
    assert verdict.accepted is not hard
    assert (verdict.clean_jpeg is None) is hard
    assert key in PROBLEM_KEYS


def test_hard_problems_come_before_warnings_and_all_are_reported() -> None:
    # Dark and washed out at once is impossible, but a far, dim card is both soft and hard.
    verdict = check_photo(factory.exposure_jpeg("ktp", 0.15), PhotoKind.KTP, ocr=False)
    assert verdict.hard_problems and verdict.keys[0] == "ktp-too-dark"
    assert all(p.hard for p in verdict.problems[: len(verdict.hard_problems)])


@pytest.mark.parametrize("sigma_card_px", [0.0, 1.0, 2.0, 3.0])
def test_blur_verdict_does_not_depend_on_resolution(sigma_card_px: float) -> None:
    """The same blur, relative to the card, gives the same verdict at 1.4 and 12 megapixels."""
    keys = []
    for im, card_width in ((factory.ktp_photo(), 1200), (factory.large_image("ktp"), 3400)):
        if sigma_card_px:
            im = im.filter(ImageFilter.GaussianBlur(sigma_card_px * card_width / 1000))
        keys.append(check_photo(factory.to_jpeg(im), PhotoKind.KTP, ocr=False).keys)
    assert keys[0] == keys[1]


def test_blur_is_measured_on_the_card_not_the_table() -> None:
    """A camera focused on the table behind a blurred card must still be caught."""
    card = factory.ktp_card(width=1200).filter(ImageFilter.GaussianBlur(4))
    verdict = check_photo(factory.to_jpeg(factory.ktp_photo(card=card)), PhotoKind.KTP)
    assert verdict.flags["blur_basis"] == "card"
    assert "ktp-blurry" in verdict.keys


def test_dim_but_sharp_photo_is_not_called_blurry() -> None:
    verdict = check_photo(factory.exposure_jpeg("ktp", 0.3), PhotoKind.KTP, ocr=False)
    assert not {"ktp-blurry", "ktp-slightly-blurry"} & set(verdict.keys)


def test_receipt_sized_paper_without_photo_is_not_refused() -> None:
    """A KTP-el receipt may have no pas foto: that is never a problem, only a flag."""
    card = factory.ktp_card(width=1200, with_photo=False)
    verdict = check_photo(factory.to_jpeg(factory.ktp_photo(card=card)), PhotoKind.KTP, ocr=False)
    assert verdict.accepted and verdict.problems == ()
    assert verdict.flags["card_photo_visible"] is False
