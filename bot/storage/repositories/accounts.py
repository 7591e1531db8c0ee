"""Console accounts and API tokens (the token itself is stored only as a hash)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import ApiToken, User


class Users:
    """Console accounts."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get(self, user_id: int) -> User | None:
        """Return an account by id."""
        return await self._s.get(User, user_id)

    async def named(self, username: str) -> User | None:
        """Return the account with exactly this (canonical) username."""
        stmt = select(User).where(User.username == username)
        return (await self._s.execute(stmt)).scalar_one_or_none()

    async def all(self) -> list[User]:
        """Return every account, by username."""
        return list((await self._s.execute(select(User).order_by(User.username))).scalars())

    async def add(self, user: User) -> User:
        """Store a new account so its id becomes known."""
        self._s.add(user)
        await self._s.flush()
        return user


class ApiTokens:
    """Bearer tokens of the city's systems."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get(self, token_id: int) -> ApiToken | None:
        """Return a token by id."""
        return await self._s.get(ApiToken, token_id)

    async def with_hash(self, token_hash: str) -> ApiToken | None:
        """Return the token stored under ``token_hash``."""
        stmt = select(ApiToken).where(ApiToken.token_hash == token_hash)
        return (await self._s.execute(stmt)).scalar_one_or_none()

    async def all(self) -> list[ApiToken]:
        """Return every token, newest first."""
        return list(
            (await self._s.execute(select(ApiToken).order_by(ApiToken.id.desc()))).scalars()
        )

    async def add(self, token: ApiToken) -> ApiToken:
        """Store a new token so its id becomes known."""
        self._s.add(token)
        await self._s.flush()
        return token
