"""Real faces (public-domain portraits) tilted, turned, small, dim or recompressed are found."""

from __future__ import annotations

import pytest

from bot.photos import PhotoKind, check_photo
from tests.photos import real_faces


def test_tilted_real_face_that_the_second_cascade_doubted_is_accepted() -> None:
    """Issue 17, bug 8: the cascades find this face (~500 px) but the "confirming" one does not."""
    data = real_faces.jpeg(real_faces.portrait_selfie("astronaut", angle=-15))
    verdict = check_photo(data, PhotoKind.SELFIE)
    assert verdict.accepted, verdict.keys
    assert "selfie-no-face" not in verdict.keys
    assert verdict.flags["faces"] == 1
    assert verdict.flags["face_detector"] == "hog"


@pytest.mark.parametrize(
    ("who", "variant"),
    [(who, name) for who in real_faces.portraits() for name in real_faces.VARIANTS],
)
def test_every_real_face_variant_is_accepted_with_one_face(who: str, variant: str) -> None:
    verdict = check_photo(real_faces.variant_jpeg(who, variant), PhotoKind.SELFIE)
    assert verdict.accepted, verdict.keys
    assert verdict.flags["faces"] == 1
    assert not {"selfie-no-face", "selfie-many-faces"} & set(verdict.keys)


def test_a_face_the_cascades_confirm_is_measured_by_them_as_before() -> None:
    verdict = check_photo(real_faces.jpeg(real_faces.portrait_selfie("hopper")), PhotoKind.SELFIE)
    assert verdict.accepted
    assert verdict.flags["face_detector"] == "cascade"
