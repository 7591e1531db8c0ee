"""Turn (typed text, expected reading) tables into readable pytest parameters."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest


def table(rows: Iterable[tuple[Any, ...]]) -> list[Any]:
    """One pytest param per row, with an id showing what was typed and what it should mean."""
    params = []
    for row in rows:
        shown = " | ".join(repr(v) if isinstance(v, str) else str(v) for v in row)
        params.append(pytest.param(*row, id=shown))
    return params


def typed(texts: Iterable[str]) -> list[Any]:
    """One pytest param per typed text, the text itself as id."""
    return [pytest.param(text, id=repr(text)) for text in texts]
