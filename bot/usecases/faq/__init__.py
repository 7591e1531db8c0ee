"""The FAQ editors' use cases: ``FaqCases`` (one unit of work each) over ``changes`` (the steps)."""

from bot.usecases.faq.cases import FaqCases

__all__ = ["FaqCases"]
