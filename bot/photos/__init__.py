"""Offline checks of citizens' KTP photos and selfies before a verifier sees them."""

from bot.photos.checks import (
    DEFAULT_LIMITS,
    PROBLEM_KEYS,
    PhotoKind,
    PhotoLimits,
    PhotoProblem,
    PhotoVerdict,
    check_photo,
)

__all__ = [
    "DEFAULT_LIMITS",
    "PROBLEM_KEYS",
    "PhotoKind",
    "PhotoLimits",
    "PhotoProblem",
    "PhotoVerdict",
    "check_photo",
]
