"""The face comparison aid: same person scores high, another person is flagged, never a verdict."""

from __future__ import annotations

import io

from PIL import Image

from bot.photos.compare_faces import band, compare, crop_face
from tests.photos import factory, real_faces


def test_same_person_on_ktp_and_selfie_is_likely_the_same_and_the_held_card_matches() -> None:
    result = compare(factory.good_ktp_jpeg(), factory.good_selfie_jpeg())
    assert result.band == "same"
    assert result.flags()["face_mismatch"] is False
    # The small portrait on the card held in the selfie is the same card's photo.
    assert result.card_face is not None and result.card_face.w < result.selfie_face.w  # type: ignore[union-attr]
    assert band(result.card_similarity) == "same"


def test_another_person_in_the_selfie_is_flagged_for_a_careful_look() -> None:
    result = compare(factory.good_ktp_jpeg(), real_faces.variant_jpeg("hopper", "plain"))
    assert result.band == "different"
    flags = result.flags()
    assert flags["face_mismatch"] is True
    assert isinstance(flags["face_similarity"], float)


def test_no_face_in_the_selfie_gives_no_score_and_no_mismatch() -> None:
    result = compare(factory.good_ktp_jpeg(), factory.no_face_selfie_jpeg())
    assert result.similarity is None
    assert result.flags()["face_similarity"] is None
    assert result.flags()["face_mismatch"] is False


def test_bands_split_at_the_documented_similarities() -> None:
    assert [band(s) for s in (None, 0.9, 0.55, 0.5, 0.4, 0.39)] == [
        None, "same", "same", "unsure", "unsure", "different",
    ]  # fmt: skip


def test_faces_are_cropped_to_the_same_square_size() -> None:
    result = compare(factory.good_ktp_jpeg(), factory.good_selfie_jpeg())
    boxes = result.flags()["face_boxes"]
    ktp = crop_face(factory.good_ktp_jpeg(), boxes["ktp"])
    selfie = crop_face(factory.good_selfie_jpeg(), boxes["selfie"])
    sizes = {Image.open(io.BytesIO(b)).size for b in (ktp, selfie)}
    assert sizes == {(240, 240)}
