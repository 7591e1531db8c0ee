"""What the checks say about a photo: its kind, its problems, the verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class PhotoKind(StrEnum):
    """Which photo the SOP asks for."""

    KTP = "ktp"  # the KTP-el, or the receipt (resi) issued while it is printed
    SELFIE = "selfie"  # the citizen's face with that KTP/resi held in hand


@dataclass(frozen=True, slots=True)
class PhotoProblem:
    """One thing wrong with a photo; ``key`` is a message id in ``locales/id/photos.ftl``."""

    key: str
    hard: bool  # a hard problem refuses the photo; a soft one is only a warning


@dataclass(frozen=True, slots=True)
class PhotoVerdict:
    """The outcome of ``check_photo``.

    ``width``/``height`` are those of ``clean_jpeg`` (upright, capped to ``store_side``);
    for a refused photo they are the upright size of the upload, or 0 if it never decoded.
    """

    accepted: bool
    problems: tuple[PhotoProblem, ...]
    clean_jpeg: bytes | None
    width: int
    height: int
    flags: dict[str, object] = field(default_factory=dict)

    @property
    def hard_problems(self) -> tuple[PhotoProblem, ...]:
        """Return the problems that refuse the photo."""
        return tuple(p for p in self.problems if p.hard)

    @property
    def warnings(self) -> tuple[PhotoProblem, ...]:
        """Return the soft problems (shown with ``photo-ok-with-warning``)."""
        return tuple(p for p in self.problems if not p.hard)

    @property
    def keys(self) -> tuple[str, ...]:
        """Return the problem keys, hard ones first."""
        return tuple(p.key for p in self.problems)


# Every key check_photo can return, hard or soft; each has a message in photos.ftl. Quality
# problems have one key per kind because the advice differs: a KTP lies on a table, a
# selfie is taken facing the light.
PROBLEM_KEYS: frozenset[str] = frozenset(
    {
        "photo-not-image",
        "photo-format",
        "photo-too-big",
        "photo-too-many-pixels",
        "photo-corrupt",
        "photo-too-small",
        "photo-check-failed",
        *(
            f"{kind}-{problem}"
            for kind in ("ktp", "selfie")
            for problem in (
                "blurry",
                "slightly-blurry",
                "too-dark",
                "dark",
                "too-bright",
                "glare",
            )
        ),
        "ktp-low-resolution",
        "ktp-card-cut",
        "ktp-nik-unreadable",
        "ktp-not-recognized",
        "ktp-nik-mismatch",
        "selfie-no-face",
        "selfie-many-faces",
        "selfie-face-small",
        "selfie-face-cut",
    }
)
