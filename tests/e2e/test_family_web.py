"""End to end on the web chat: a daughter registers herself, then her mother, from one chat."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import select

from bot.storage.db import Database
from bot.storage.models import Consent, Registration
from tests.conftest import SECRET
from tests.e2e.test_webchat_registration import WebCitizen
from tests.photos.factory import good_ktp_jpeg, good_selfie_jpeg
from tests.support.service import Service

SITI_NIK = "3671014501900001"
IBU_NIK = "3671014808550002"


class PacedCitizen(WebCitizen):
    """A citizen at a person's pace: told "too many messages", she waits as asked and resends.

    Two registrations in a row from a script outrun the chat's per-session rate (a person
    takes minutes for one); the page shows the wait, and so does this.
    """

    async def _post(self, **kwargs: Any) -> list[dict[str, Any]]:
        form = kwargs.pop("form", None)  # a multipart body is built afresh for each try
        for _ in range(20):
            async with self.http.post(
                self.url, **(kwargs if form is None else {"data": form()})
            ) as resp:
                if resp.status == 429:
                    await asyncio.sleep(float(resp.headers["Retry-After"]))
                    continue
                assert resp.status == 200, await resp.text()
                body = await resp.json()
                break
        else:
            raise AssertionError("still too many messages after waiting")
        self.replies, self.last_seq = body["replies"], body["last_seq"]
        self.inputs += 1
        return self.replies

    async def photo(self, data: bytes) -> list[dict[str, Any]]:
        def form() -> aiohttp.FormData:
            built = aiohttp.FormData()
            built.add_field("photo", data, filename="foto.jpg", content_type="image/jpeg")
            return built

        return await self._post(form=form)


async def _answer(citizen: WebCitizen, name: str, nik: str) -> None:
    """Answer the form from the name to sending, typing where she would type."""
    await citizen.say(name)
    await citizen.say(nik)
    await citizen.say("iya")
    await citizen.say("0812 3456 7890")
    await citizen.say("cipondoh")
    await citizen.say("petir")
    await citizen.photo(good_ktp_jpeg(nik))
    await citizen.photo(good_selfie_jpeg())
    await citizen.say("kirim")


async def test_one_web_chat_sends_two_requests_and_lists_both(tmp_path: Path) -> None:
    data = tmp_path / "data"
    service = Service({"TLIVE_SECRET_KEY": SECRET}, data)
    await service.start()
    try:
        async with aiohttp.ClientSession() as http:
            citizen = PacedCitizen(http, service.url)
            await citizen.open()
            await citizen.say("daftar")
            await citizen.say("untuk saya sendiri")
            await _answer(citizen, "Siti Aminah", SITI_NIK)
            assert "Nomor pendaftaran" in citizen.text and citizen.inputs == 11
            before = citizen.inputs
            await citizen.tap("reg:another")
            assert "Data orang yang didaftarkan" in citizen.text
            await citizen.say("iya setuju")
            assert "nama lengkap orang yang didaftarkan" in citizen.text
            await _answer(citizen, "Aminah Binti Saleh", IBU_NIK)
            assert "Pendaftaran AMINAH BINTI SALEH sudah terkirim" in citizen.text
            assert citizen.inputs - before == 11  # the second person: as many inputs again
            await citizen.say("cek status")
            assert "Ada 2 pendaftaran" in citizen.text
            assert "(Siti A.)" in citizen.text and "(Aminah B.)" in citizen.text
    finally:
        await service.stop()
    log = service.log()
    assert "Traceback" not in log and "AMINAH" not in log and IBU_NIK not in log
    db = Database(f"sqlite+aiosqlite:///{data / 'tlive.db'}")
    try:
        async with db.sessions() as session:
            regs = (await session.execute(select(Registration))).scalars().all()
            consents = (await session.execute(select(Consent))).scalars().all()
    finally:
        await db.dispose()
    assert sorted((r.status, bool(r.flags.get("helper"))) for r in regs) == [
        ("submitted", False), ("submitted", True)
    ]  # fmt: skip
    assert len({r.reference for r in regs}) == 2 and len(consents) == 2
