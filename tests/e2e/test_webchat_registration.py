"""End to end: the real service, the web chat JSON API, a restart mid-way, real JPEG uploads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

from bot.crypto import Keyring
from bot.storage.db import Database
from bot.storage.models import Document, Registration, VaultBlob
from bot.storage.repositories.encrypted import bound
from tests.conftest import SECRET
from tests.photos.factory import good_ktp_jpeg, good_selfie_jpeg
from tests.support.postgres import temporary_database
from tests.support.service import Service

NIK = "3671014501900001"


class WebCitizen:
    """A citizen using the web chat API."""

    def __init__(self, http: aiohttp.ClientSession, base: str) -> None:
        self.http = http
        self.base = base
        self.session_id = ""
        self.replies: list[dict[str, Any]] = []
        self.inputs = 0
        self.last_seq = 0

    async def open(self) -> None:
        async with self.http.post(f"{self.base}/webchat/api/sessions") as resp:
            assert resp.status == 201
            self.session_id = (await resp.json())["session_id"]

    @property
    def url(self) -> str:
        return f"{self.base}/webchat/api/sessions/{self.session_id}/messages"

    async def _post(self, **kwargs: Any) -> list[dict[str, Any]]:
        async with self.http.post(self.url, **kwargs) as resp:
            assert resp.status == 200, await resp.text()
            body = await resp.json()
        self.replies = body["replies"]
        self.last_seq = body["last_seq"]
        self.inputs += 1
        return self.replies

    async def say(self, text: str) -> list[dict[str, Any]]:
        return await self._post(json={"text": text})

    async def tap(self, button: str) -> list[dict[str, Any]]:
        offered = [b["id"] for r in self.replies for b in r["buttons"]]
        assert button in offered, (button, offered)
        return await self._post(json={"button": button})

    async def photo(self, data: bytes) -> list[dict[str, Any]]:
        form = aiohttp.FormData()
        form.add_field("photo", data, filename="foto.jpg", content_type="image/jpeg")
        return await self._post(data=form)

    @property
    def text(self) -> str:
        return "\n".join(r["text"] for r in self.replies)


async def _register_with_restart(service: Service) -> None:
    await service.start()
    try:
        async with aiohttp.ClientSession() as http:
            citizen = WebCitizen(http, service.url)
            await citizen.open()
            await citizen.say("halo")
            await citizen.tap("menu:register")
            await citizen.tap("consent:yes")
            await citizen.say("Siti Aminah")
            await citizen.say(NIK)
            await citizen.tap("birth:yes")
            await service.restart()  # the city restarts the service mid-conversation
            await citizen.say("0812 3456 7890")
            assert "kecamatan" in citizen.text
            await citizen.tap("kec:cipondoh")
            await citizen.tap("kel:petir")
            await citizen.photo(good_ktp_jpeg(NIK))
            assert "selfie" in citizen.text.lower()
            await citizen.photo(good_selfie_jpeg())
            await citizen.tap("summary:send")
            assert "Nomor pendaftaran" in citizen.text
            assert citizen.inputs <= 12
            async with http.get(citizen.url, params={"after": "0"}) as resp:
                history = await resp.json()
            assert history["last_seq"] == citizen.last_seq
    finally:
        await service.stop()


async def _check_stored(url: str) -> None:
    db = Database(url)
    keys = Keyring(SECRET)
    try:
        async with db.sessions() as session:
            reg = (await session.execute(select(Registration))).scalar_one()
            documents = (await session.execute(select(Document))).scalars().all()
            blobs = (await session.execute(select(VaultBlob))).scalars().all()
    finally:
        await db.dispose()
    assert reg.status == "submitted" and reg.reference.startswith("TL-")
    assert {d.kind for d in documents} == {"ktp", "selfie"}
    for blob in blobs:
        assert not blob.ciphertext.startswith(b"\xff\xd8")
        plain = keys.documents.decrypt(blob.ciphertext, context=bound(blob, "ciphertext"))
        assert plain.startswith(b"\xff\xd8")  # a JPEG, recoverable only through the keys
    assert NIK.encode() not in reg.data_enc


async def test_web_chat_registration_survives_restart_on_sqlite(tmp_path: Path) -> None:
    data = tmp_path / "data"
    service = Service({"TLIVE_SECRET_KEY": SECRET}, data)
    await _register_with_restart(service)
    url = f"sqlite+aiosqlite:///{data / 'tlive.db'}"
    await _check_stored(url)
    raw = b"".join(p.read_bytes() for p in data.glob("tlive.db*"))
    assert NIK.encode() not in raw and b"SITI AMINAH" not in raw
    log = service.log()
    assert "serving on" in log  # the log was captured
    assert NIK not in log and "81234567890" not in log and "SITI" not in log
    assert not any(p.suffix in {".jpg", ".jpeg", ".png"} for p in data.rglob("*"))


@pytest.mark.postgres
async def test_web_chat_registration_survives_restart_on_postgres(tmp_path: Path) -> None:
    with temporary_database() as url:
        service = Service({"TLIVE_SECRET_KEY": SECRET, "TLIVE_DATABASE_URL": url}, tmp_path)
        await _register_with_restart(service)
        await _check_stored(url)
