"""Helpers for console and API tests: seeded requests, accounts, tokens and a signed-in client."""

from __future__ import annotations

import io
import re
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer
from PIL import Image

from bot.app import build_app
from bot.core import Core
from bot.services.registration import age_group
from bot.storage.models import Citizen, Registration
from bot.storage.types import utcnow

PASSWORD = "rahasia-sekali-123"
NIK = "3671014501900001"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@lru_cache(maxsize=4)
def jpeg(color: tuple[int, int, int] = (200, 180, 160), size: tuple[int, int] = (64, 40)) -> bytes:
    """Return a small JPEG (enough for tests that only move images around)."""
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class Seeded:
    """A seeded registration and where its citizen chats."""

    id: int
    reference: str
    conversation_id: int
    chat_id: str
    channel: str


async def seed_registration(
    core: Core,
    *,
    channel: str = "web",
    chat_id: str | None = None,
    nik: str = NIK,
    full_name: str = "SITI AMINAH",
    submitted_at: datetime | None = None,
    status: str = "submitted",
    decided_at: datetime | None = None,
    reject_reason: str | None = None,
    kecamatan: str = "Cipondoh",
    kelurahan: str = "Petir",
    birth_date: str = "1990-01-05",
    flags: dict[str, object] | None = None,
    images: dict[str, bytes] | None = None,
    citizen_id: int | None = None,
) -> Seeded:
    """Store a registration as the registration dialog leaves it, documents included."""
    chat_id = chat_id or secrets.token_hex(6)
    submitted_at = submitted_at or utcnow()
    async with core.uow() as uow:
        conv = await uow.conversations.lock(channel, chat_id)
        if citizen_id is None and conv.citizen_id is None:
            citizen = Citizen(created_at=utcnow())
            uow.session.add(citizen)
            await uow.session.flush()
            citizen_id = citizen.id
        citizen_id = citizen_id or conv.citizen_id
        conv.citizen_id = citizen_id
        reg = uow.registrations.add(
            Registration(
                reference=await uow.registrations.new_reference(), citizen_id=citizen_id,
                conversation_id=conv.id, channel=channel, status=status,
                kecamatan=kecamatan, kelurahan=kelurahan, document_type="ktp",
                age_group=age_group(datetime.fromisoformat(birth_date).date(),
                                    submitted_at.date()),
                flags=flags or {"nik_outside_city": not nik.startswith("3671")},
                created_at=submitted_at, updated_at=submitted_at, submitted_at=submitted_at,
                decided_at=decided_at, reject_reason=reject_reason,
                decided_by="seed" if decided_at else None,
            )
        )  # fmt: skip
        await uow.registrations.flush()  # its id binds the encrypted fields
        uow.registrations.write_data(
            reg,
            {"full_name": full_name, "nik": nik, "birth_date": birth_date,
             "phone": "+6281234567890", "kecamatan": kecamatan, "kelurahan": kelurahan,
             "document_type": "ktp"},
        )  # fmt: skip
        for kind, image in (images or {"ktp": jpeg(), "selfie": jpeg((90, 90, 90))}).items():
            await uow.documents.put(reg.id, kind, image, mime="image/jpeg", width=64, height=40,
                                    checks={})  # fmt: skip
        await uow.commit()
        return Seeded(reg.id, reg.reference, conv.id, chat_id, channel)


async def seed_queue(core: Core, count: int, *, start_hours_ago: float = 30) -> list[Seeded]:
    """Seed ``count`` waiting requests, one minute apart, the first the oldest."""
    base = utcnow() - timedelta(hours=start_hours_ago)
    return [
        await seed_registration(core, submitted_at=base + timedelta(minutes=i))
        for i in range(count)
    ]


async def add_user(core: Core, name: str, role: str, password: str = PASSWORD) -> None:
    """Create a console account."""
    await core.account_cases.create_user(name, password, role)


async def add_token(core: Core, role: str, name: str | None = None) -> str:
    """Create an API token and return its raw value."""
    _token, raw = await core.account_cases.create_token(name or f"sistem-{role}", role)
    return raw


def csrf_of(html: str) -> str:
    """Return the first CSRF token in a page."""
    found = _CSRF.search(html)
    assert found, "no csrf field on the page"
    return found.group(1)


@asynccontextmanager
async def client_for(core: Core) -> AsyncIterator[TestClient[object, object]]:
    """Serve the real app in-process and yield a client with its own cookie jar."""
    app = build_app(core.settings, core=core)
    async with TestServer(app) as server, TestClient(server) as client:
        yield client


async def login(client: TestClient[object, object], username: str,
                password: str = PASSWORD) -> ClientResponse:  # fmt: skip
    """Sign in through the login form; return the final response."""
    page = await client.get("/console/login")
    token = csrf_of(await page.text())
    return await client.post(
        "/console/login",
        data={"csrf": token, "username": username, "password": password, "next": ""},
    )


async def page_csrf(client: TestClient[object, object], path: str = "/console/account") -> str:
    """Return the signed-in session's CSRF token."""
    resp = await client.get(path)
    assert resp.status == 200, resp.status
    return csrf_of(await resp.text())
