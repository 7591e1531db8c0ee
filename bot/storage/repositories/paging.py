"""One page of a query's rows: the one pagination helper of the service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """A page of results with where it stands among all of them."""

    items: list[T]
    total: int
    page: int
    pages: int

    def map(self, convert: Callable[[T], U]) -> Page[U]:
        """Return the same page with every item converted."""
        return Page([convert(item) for item in self.items], self.total, self.page, self.pages)


async def page_of(
    session: AsyncSession, stmt: Select[Any], *, page: int, per_page: int
) -> Page[Any]:
    """Run an ordered ``stmt`` for page ``page`` (clamped to the pages there are)."""
    counted = select(func.count()).select_from(stmt.order_by(None).subquery())
    total = await session.scalar(counted) or 0
    pages = max((total + per_page - 1) // per_page, 1)
    page = min(max(page, 1), pages)
    rows = await session.execute(stmt.offset((page - 1) * per_page).limit(per_page))
    return Page(list(rows.scalars()), total, page, pages)
