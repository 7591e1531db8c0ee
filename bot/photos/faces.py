"""Find frontal faces: dlib's HOG detector for the citizen's face, OpenCV's Haar cascades too."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

CASCADE_FILE = "haarcascade_frontalface_default.xml"
# A second, differently trained cascade confirms each face. The default one also fires on
# the KTP's whole pas foto (face, red background and all) seen at a larger scale, which
# would count the held card as a second person; on the calibration selfies "alt" never did,
# and it confirmed every real face, blurred, dark or small.
CONFIRM_FILE = "haarcascade_frontalface_alt.xml"

# dlib's HOG detector scans a fixed 80×80 window: a face must be at least this big in the
# picture it searches, so smaller wanted faces mean an enlarged copy.
HOG_WINDOW = 80

# The detector's score above which a window is a face. On the real-photo set (bench/faces.py)
# the weakest real face scored 0.34 (tilted 15°, JPEG), the strongest false one 0.02 (the
# flag patch on a space suit, in a selfie cut off below the chin).
HOG_THRESHOLD = 0.2
# HOG's box runs brow to chin and cheek to cheek; the frontal cascade's, which the size and
# edge limits were calibrated on, is ~15 % wider (1.0–1.23 on the test pictures).
HOG_TO_CASCADE = 1.15

# One classifier per thread and file: loading takes ~30 ms, and OpenCV does not promise that
# ``detectMultiScale`` on a shared ``CascadeClassifier`` is thread-safe. The app runs the
# checks in a thread pool whose threads live long, so each thread loads them once, lazily.
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


def _classifier(name: str = CASCADE_FILE) -> cv2.CascadeClassifier:
    cache: dict[str, cv2.CascadeClassifier] = _local.__dict__.setdefault("cascades", {})
    classifier = cache.get(name)
    if classifier is None:
        classifier = cv2.CascadeClassifier(cv2.data.haarcascades + name)
        if classifier.empty():
            raise RuntimeError(f"cannot load OpenCV cascade {name}")
        cache[name] = classifier
    return classifier


def detect_faces(gray: np.ndarray, *, min_size: int, min_neighbors: int = 5) -> list[Face]:
    """Return the frontal faces in ``gray`` (uint8) at least ``min_size`` px wide, largest first.

    ``min_neighbors`` above OpenCV's default of 3 trades a few missed faces for far fewer
    false ones on printed text and fabric patterns (5 missed no face of the calibration
    selfies down to a tenth of the picture's width; 6 missed some).
    """
    boxes = _classifier().detectMultiScale(
        cv2.equalizeHist(gray),
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


def confirm_face(gray: np.ndarray, face: Face) -> bool:
    """Tell whether the second cascade also sees a face of about ``face``'s size there."""
    h, w = gray.shape
    m = round(face.w * 0.25)
    x0, y0 = max(0, face.x - m), max(0, face.y - m)
    x1, y1 = min(w, face.x + face.w + m), min(h, face.y + face.h + m)
    scale = 96 / max(1, face.w)  # the face at 96 px: plenty for the cascade, and fast
    size = (max(1, round((x1 - x0) * scale)), max(1, round((y1 - y0) * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    crop = cv2.resize(gray[y0:y1, x0:x1], size, interpolation=interpolation)
    boxes = _classifier(CONFIRM_FILE).detectMultiScale(
        cv2.equalizeHist(crop), scaleFactor=1.1, minNeighbors=3, minSize=(58, 58)
    )
    return len(boxes) > 0


def _hog() -> Any:
    detector = _local.__dict__.get("hog")
    if detector is None:
        # Imported when first needed: dlib adds ~35 MB to a process that never uses it.
        import dlib

        # Built into dlib (no file); one per thread, as dlib does not promise that one
        # detector may scan two pictures at once.
        detector = _local.hog = dlib.get_frontal_face_detector()
    return detector


def detect_faces_hog(
    gray: np.ndarray, *, min_size: int, threshold: float = HOG_THRESHOLD
) -> list[Face]:
    """Return the faces in ``gray`` (uint8) at least ``min_size`` px wide, largest first.

    dlib's HOG detector (frontal, turned a little left or right, tilted up to ~30° in the
    picture's plane) finds the real faces that Haar misses when the head is tilted or turned;
    ``bench/faces.py`` compares them. The picture is enlarged when ``min_size`` is below the
    detector's 80-px window; boxes come back in ``gray``'s pixels.
    """
    scale = HOG_WINDOW / max(1, min_size)
    search = gray
    if scale > 1:
        h, w = gray.shape
        search = cv2.resize(
            gray, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_LINEAR
        )
    else:
        scale = 1.0
    rects, _scores, _kinds = _hog().run(np.ascontiguousarray(search), 0, threshold)
    h, w = gray.shape
    faces = []
    for r in rects:
        x0, y0 = max(0, round(r.left() / scale)), max(0, round(r.top() / scale))
        x1, y1 = min(w, round((r.right() + 1) / scale)), min(h, round((r.bottom() + 1) / scale))
        if x1 - x0 >= min_size and y1 > y0:  # the window's boxes can come out a little small
            faces.append(Face(x0, y0, x1 - x0, y1 - y0))
    return sorted(faces, key=lambda f: f.w * f.h, reverse=True)


def widen(face: Face, factor: float, width: int, height: int) -> Face:
    """Return ``face`` scaled by ``factor`` about its centre, clipped to the picture."""
    cx, cy = face.center
    half_w, half_h = face.w * factor / 2, face.h * factor / 2
    x0, y0 = max(0, round(cx - half_w)), max(0, round(cy - half_h))
    x1, y1 = min(width, round(cx + half_w)), min(height, round(cy + half_h))
    return Face(x0, y0, max(1, x1 - x0), max(1, y1 - y0))
