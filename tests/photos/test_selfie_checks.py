"""Selfies: one clear face holding the card passes; the usual mistakes get the right message."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.photos import PhotoKind, check_photo
from tests.photos import factory


def test_good_selfie_has_one_face_and_the_card_photo_is_not_a_second_person() -> None:
    verdict = check_photo(factory.good_selfie_jpeg(), PhotoKind.SELFIE)
    assert verdict.accepted
    assert verdict.problems == ()
    assert verdict.flags["faces"] == 1
    assert verdict.flags["card_face_visible"] is True
    assert 0.15 < float(verdict.flags["largest_face"]) < 0.3  # type: ignore[arg-type]
    assert verdict.flags["blur_basis"] == "face"


def test_selfie_is_never_sent_to_ocr() -> None:
    verdict = check_photo(factory.good_selfie_jpeg(), PhotoKind.SELFIE, typed_nik="1" * 16)
    assert verdict.flags["ocr"] == "skipped"
    assert verdict.flags["ocr_nik"] is None
    assert verdict.flags["nik_mismatch"] is False


def test_twelve_megapixel_selfie_is_accepted() -> None:
    verdict = check_photo(factory.large_jpeg("selfie", (3000, 4000)), PhotoKind.SELFIE)
    assert verdict.accepted and verdict.problems == (), verdict.keys
    assert verdict.flags["faces"] == 1


VARIANTS: dict[str, tuple[Callable[[], bytes], str, bool]] = {
    "no-face": (factory.no_face_selfie_jpeg, "selfie-no-face", True),
    "face-cut-off": (factory.cropped_selfie_jpeg, "selfie-no-face", True),
    "ktp-photo-sent-as-selfie": (factory.good_ktp_jpeg, "selfie-no-face", True),
    "two-people": (factory.two_people_selfie_jpeg, "selfie-many-faces", False),
    "taken-from-afar": (factory.far_selfie_jpeg, "selfie-face-small", False),
    "head-at-the-edge": (factory.face_at_edge_selfie_jpeg, "selfie-face-cut", False),
    "very-blurred": (lambda: factory.blurred_jpeg("selfie", 8), "selfie-blurry", True),
    "shaken": (lambda: factory.motion_blurred_jpeg("selfie", 20), "selfie-blurry", True),
    "very-dark": (lambda: factory.exposure_jpeg("selfie", 0.2), "selfie-too-dark", True),
    "dim": (lambda: factory.exposure_jpeg("selfie", 0.4), "selfie-dark", False),
    "washed-out": (lambda: factory.exposure_jpeg("selfie", 2.0), "selfie-too-bright", True),
    "bright-window": (lambda: factory.glare_jpeg("selfie", 0.35), "selfie-glare", False),
    "tiny": (lambda: factory.tiny_jpeg("selfie"), "photo-too-small", True),
}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_bad_selfie_gets_the_right_problem(name: str) -> None:
    make, key, hard = VARIANTS[name]
    verdict = check_photo(make(), PhotoKind.SELFIE)
    assert verdict.keys == (key,)
    assert verdict.problems[0].hard is hard
    assert verdict.accepted is not hard
    assert (verdict.clean_jpeg is None) is hard


def test_slightly_blurred_selfie_is_accepted_with_a_warning() -> None:
    verdict = check_photo(factory.blurred_jpeg("selfie", 3), PhotoKind.SELFIE)
    assert verdict.accepted
    assert "selfie-slightly-blurry" in verdict.keys
    assert not verdict.hard_problems


def test_two_people_count_as_two_faces() -> None:
    verdict = check_photo(factory.two_people_selfie_jpeg(), PhotoKind.SELFIE)
    assert verdict.flags["faces"] == 2


def test_ktp_photo_sent_as_selfie_shows_only_the_card_face() -> None:
    verdict = check_photo(factory.good_ktp_jpeg(), PhotoKind.SELFIE)
    assert verdict.flags["faces"] == 0
    assert verdict.flags["card_face_visible"] is True


def test_checks_give_the_same_answers_from_many_threads() -> None:
    """The app runs checks in a thread pool; each thread has its own cascade."""
    photos = [
        (factory.good_selfie_jpeg(), PhotoKind.SELFIE),
        (factory.two_people_selfie_jpeg(), PhotoKind.SELFIE),
        (factory.no_face_selfie_jpeg(), PhotoKind.SELFIE),
        (factory.good_ktp_jpeg(), PhotoKind.KTP),
    ]
    expected = [check_photo(data, kind, ocr=False).keys for data, kind in photos]
    with ThreadPoolExecutor(max_workers=4) as pool:
        runs = list(pool.map(lambda p: check_photo(p[0], p[1], ocr=False).keys, photos * 3))
    assert runs == expected * 3
