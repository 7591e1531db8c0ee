"""Offline checks of citizens' KTP photos and selfies before a verifier sees them."""

from bot.photos.checks import check_photo
from bot.photos.limits import DEFAULT_LIMITS, PhotoLimits
from bot.photos.verdict import PROBLEM_KEYS, PhotoKind, PhotoProblem, PhotoVerdict

__all__ = [
    "DEFAULT_LIMITS",
    "PROBLEM_KEYS",
    "PhotoKind",
    "PhotoLimits",
    "PhotoProblem",
    "PhotoVerdict",
    "check_photo",
]
