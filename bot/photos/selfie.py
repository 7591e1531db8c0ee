"""The checks of a selfie: one confirmed face, big, sharp and well lit, apart from the card's."""

from __future__ import annotations

import numpy as np

from bot.photos.faces import (
    HOG_TO_CASCADE,
    Face,
    confirm_face,
    detect_faces,
    detect_faces_hog,
    widen,
)
from bot.photos.limits import PhotoLimits
from bot.photos.measures import CardSighting, check_exposure, resize_long
from bot.photos.quality import Region, sharpness, shrink
from bot.photos.verdict import PhotoProblem


def check_selfie(
    gray: np.ndarray,
    work: np.ndarray,
    card: CardSighting | None,
    limits: PhotoLimits,
    problems: list[PhotoProblem],
    flags: dict[str, object],
) -> None:
    """Check a selfie: one confirmed face, big, sharp and well lit, apart from the card's."""
    short = min(work.shape)
    card_box = card.box() if card is not None else None  # work pixels
    flags["card_found"] = card is not None
    people: list[Face] = []
    card_faces: list[Face] = []
    doubted: list[Face] = []
    # Only faces big enough to be the citizen: searching for the small pas foto on the held
    # card over the whole picture would cost ~3× more (see _faces).
    for face in _faces(work, min_fraction=limits.face_min, search_short=360):
        # A face on the held card, or one the second cascade does not confirm (the first
        # also fires on the KTP's whole pas foto at a larger scale), is the card's.
        if card_box is not None and _inside(face, card_box):
            card_faces.append(face)
        elif confirm_face(work, face):
            people.append(face)
        else:
            doubted.append(face)
    flags["face_detector"] = "cascade" if people else None
    if not people:
        # The cascades miss or fail to confirm real faces tilted or turned a little (issue
        # 17, bug 8: bench/faces.py); dlib's HOG detector finds them. Run only here, so a
        # face the cascades confirm is measured exactly as before, at no extra cost.
        h, w = work.shape
        min_size = max(24, round(limits.face_min * short))
        for found in detect_faces_hog(work, min_size=min_size):
            face = widen(found, HOG_TO_CASCADE, w, h)
            on_card = card_box is not None and _inside(face, card_box)
            (card_faces if on_card else people).append(face)
        flags["face_detector"] = "hog" if people else None
        # A doubted cascade face that HOG saw too is one of those; the rest are the card's.
        card_faces += [f for f in doubted if not any(_overlap(f, p) for p in people)]
    else:
        card_faces += doubted
    # Faces far smaller than the biggest are the pas foto or someone far behind: not a
    # second person.
    largest = people[0].w if people else 0
    card_faces += [f for f in people if f.w < limits.face_second_ratio * largest]
    people = [f for f in people if f.w >= limits.face_second_ratio * largest]
    if card_box is not None and not card_faces:
        patch = work[card_box.y : card_box.y + card_box.h, card_box.x : card_box.x + card_box.w]
        card_faces = detect_faces(resize_long(patch, 400), min_size=32, min_neighbors=4)
    flags.update(
        faces=len(people),
        # None: no card found, so the pas foto was not looked for.
        card_face_visible=bool(card_faces) if card_box is not None or card_faces else None,
        largest_face=round(people[0].w / short, 3) if people else None,
    )
    check_exposure("selfie", work, None, limits.glare_soft_selfie, limits, problems, flags)
    if not people:
        problems.append(PhotoProblem("selfie-no-face", True))
        sharp = sharpness(work)
        flags.update(blur=round(sharp.score, 1), blur_laplacian=round(sharp.laplacian, 1))
        flags["blur_basis"] = "image"
        if sharp.score < limits.selfie_blur_hard:
            problems.append(PhotoProblem("selfie-blurry", True))
        return
    if len(people) > 1:
        # Soft: a relative who helps an older citizen often ends up in the picture; the
        # verifier can still tell whose face matches the KTP.
        problems.append(PhotoProblem("selfie-many-faces", False))
    face = people[0]
    if face.w < limits.face_small * short:
        problems.append(PhotoProblem("selfie-face-small", False))
    # The cascade's box is the face from brow to chin; a box this close to the edge means
    # the head (hair, ears, chin) is cut off. Faces cut further are not found at all.
    h, w = work.shape
    m = limits.face_edge_margin * short
    if face.x < m or face.y < m or face.x + face.w > w - m or face.y + face.h > h - m:
        problems.append(PhotoProblem("selfie-face-cut", False))

    # Blur on the face scaled to a fixed size: what matters is whether the verifier can
    # compare it with the KTP photo, however near the camera was.
    scale = max(gray.shape) / max(work.shape)
    x, y, fw, fh = (round(v * scale) for v in (face.x, face.y, face.w, face.h))
    patch = gray[y : y + fh, x : x + fw]
    patch = resize_long(patch, limits.face_side)
    sharp = sharpness(patch, tiled=False)
    flags.update(blur=round(sharp.score, 1), blur_laplacian=round(sharp.laplacian, 1))
    flags["blur_basis"] = "face"
    if sharp.score < limits.face_blur_hard:
        problems.append(PhotoProblem("selfie-blurry", True))
    elif sharp.score < limits.face_blur_soft:
        problems.append(PhotoProblem("selfie-slightly-blurry", False))


def _overlap(a: Face, b: Face) -> bool:
    """Tell whether either box's centre lies in the other (the same face seen twice)."""
    return _inside(a, b) or _inside(b, a)


def _inside(face: Face, box: Region | Face) -> bool:
    """Tell whether ``face``'s centre lies in ``box``."""
    cx, cy = face.center
    return box.x <= cx <= box.x + box.w and box.y <= cy <= box.y + box.h


def _faces(work: np.ndarray, *, min_fraction: float, search_short: int) -> list[Face]:
    """Detect faces at least ``min_fraction`` of the short side, in ``work`` coordinates.

    Haar's cost grows with (picture size ÷ smallest face)², so the picture is shrunk until the
    smallest face wanted is the cascade's native 24 px: same faces, a fraction of the time.
    """
    h, w = work.shape
    scale = min(1.0, search_short / min(h, w))
    search = work if scale >= 1 else shrink(work, round(max(h, w) * scale))
    min_size = max(24, round(min_fraction * min(search.shape)))
    back = max(h, w) / max(search.shape)
    return [
        Face(round(f.x * back), round(f.y * back), round(f.w * back), round(f.h * back))
        for f in detect_faces(search, min_size=min_size)
    ]
