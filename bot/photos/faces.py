"""Find frontal faces with OpenCV's Haar cascade."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import cv2
import numpy as np

CASCADE_FILE = "haarcascade_frontalface_default.xml"


# One classifier per thread: loading takes ~30 ms, and OpenCV does not promise that
# ``detectMultiScale`` on a shared ``CascadeClassifier`` is thread-safe; the app runs the
# checks in a thread pool, whose threads live long, so each loads the cascade once.
_local = threading.local()


@dataclass(frozen=True, slots=True)
class Face:
    """A face's bounding box in the coordinates of the grey picture it was found in."""

    x: int
    y: int
    w: int
    h: int

    @property
    def center(self) -> tuple[float, float]:
        """Return the middle of the box."""
        return self.x + self.w / 2, self.y + self.h / 2


def _classifier() -> cv2.CascadeClassifier:
    classifier = getattr(_local, "classifier", None)
    if classifier is None:
        classifier = cv2.CascadeClassifier(cv2.data.haarcascades + CASCADE_FILE)
        if classifier.empty():
            raise RuntimeError(f"cannot load OpenCV cascade {CASCADE_FILE}")
        _local.classifier = classifier
    return classifier


def detect_faces(gray: np.ndarray, *, min_size: int, min_neighbors: int = 6) -> list[Face]:
    """Return the frontal faces in ``gray`` (uint8) at least ``min_size`` px wide, largest first.

    ``min_neighbors`` above OpenCV's default of 3 trades a few missed faces for far fewer
    false ones on printed text and fabric patterns.
    """
    equalized = cv2.equalizeHist(gray)
    boxes = _classifier().detectMultiScale(
        equalized,
        scaleFactor=1.1,
        minNeighbors=min_neighbors,
        minSize=(min_size, min_size),
    )
    faces = sorted(
        (Face(int(x), int(y), int(w), int(h)) for x, y, w, h in boxes),
        key=lambda f: f.w * f.h,
        reverse=True,
    )
    # The cascade sometimes reports one face twice at two scales; a box centred inside a
    # bigger one is the same face, and must not count as a second person.
    kept: list[Face] = []
    for face in faces:
        cx, cy = face.center
        if not any(k.x <= cx <= k.x + k.w and k.y <= cy <= k.y + k.h for k in kept):
            kept.append(face)
    return kept
