"""FAQ: entries, their YAML format, and the matcher that picks the answer to a question."""

from bot.faq.matcher import Candidate, FaqIndex, FaqMatch, MatcherConfig
from bot.faq.model import (
    FaqEntry,
    dump_faq,
    dumps_faq,
    load_default_faq,
    load_faq,
    loads_faq,
)

__all__ = [
    "Candidate",
    "FaqEntry",
    "FaqIndex",
    "FaqMatch",
    "MatcherConfig",
    "dump_faq",
    "dumps_faq",
    "load_default_faq",
    "load_faq",
    "loads_faq",
]
