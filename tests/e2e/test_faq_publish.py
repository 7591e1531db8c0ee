"""End to end: a published FAQ edit changes what the running bot answers, within seconds and
without a restart — through the API on the same worker, through ``tlive-bot faq import`` from
another process, and (PostgreSQL) on a second worker sharing the database."""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import yaml

from tests.conftest import SECRET
from tests.support.postgres import temporary_database
from tests.support.service import Service

QUESTION = "paspor bisa?"
ENTRY = {
    "category": "pendaftaran",
    "question": "Bisa daftar pakai paspor?",
    "paraphrases": ["paspor bisa?", "daftar pake paspor bisa ga"],
    "answer": "Belum bisa. Pendaftaran memakai KTP-el atau resi KTP-el dari Disdukcapil.",
}
NEWER = "Untuk sementara belum bisa memakai paspor; siapkan KTP-el atau resinya."


class Citizen:
    """A citizen asking in the web chat's Tanya menu."""

    def __init__(self, http: aiohttp.ClientSession, base: str) -> None:
        self.http = http
        self.base = base
        self.url = ""

    async def open(self) -> None:
        """Start a chat and open the FAQ (Tanya)."""
        async with self.http.post(f"{self.base}/webchat/api/sessions") as resp:
            self.url = (
                f"{self.base}/webchat/api/sessions/{(await resp.json())['session_id']}/messages"
            )
        await self.send(text="halo")
        await self.send(button="menu:faq")

    async def send(self, **body: str) -> str:
        """Send one message; return the bot's replies as one text."""
        async with self.http.post(self.url, json=body) as resp:
            assert resp.status == 200, await resp.text()
            replies: list[dict[str, Any]] = (await resp.json())["replies"]
        return "\n".join(r["text"] for r in replies)

    async def wait_for(self, wanted: str, seconds: float) -> float:
        """Ask until the answer contains ``wanted``; return how long it took."""
        started = time.monotonic()
        while True:
            if wanted in await self.send(text=QUESTION):
                return time.monotonic() - started
            assert time.monotonic() - started < seconds, f"no {wanted!r} after {seconds} s"
            await asyncio.sleep(0.2)


def _token(service: Service) -> str:
    done = service.cli("token", "create", "cms-kota", "--role", "admin")
    assert done.returncode == 0, done.stderr
    found = re.search(r"tlv_[A-Za-z0-9_\-]+", done.stdout)
    assert found, done.stdout
    return found.group(0)


async def _put(http: aiohttp.ClientSession, base: str, token: str) -> None:
    async with http.put(f"{base}/api/v1/faq/daftar-paspor", json=ENTRY,
                        headers={"Authorization": f"Bearer {token}"}) as resp:  # fmt: skip
        assert resp.status == 201, await resp.text()


async def test_api_edit_and_cli_import_change_the_running_bot(tmp_path: Path) -> None:
    service = Service({"TLIVE_SECRET_KEY": SECRET}, tmp_path / "data")
    await service.start()
    try:
        token = _token(service)
        async with aiohttp.ClientSession() as http:
            citizen = Citizen(http, service.url)
            await citizen.open()
            refused = await citizen.send(text=QUESTION)
            assert ENTRY["answer"] not in refused and "petugas" in refused.lower()

            await _put(http, service.url, token)
            took = await citizen.wait_for(ENTRY["answer"], seconds=5)
            assert took < 1.0  # the worker that took the edit rebuilt its index at once

            # Another process changes the database: the service follows the generation.
            path = tmp_path / "faq.yaml"
            path.write_text(yaml.safe_dump([{"id": "daftar-paspor", **ENTRY, "answer": NEWER}],
                                           allow_unicode=True))  # fmt: skip
            done = await asyncio.to_thread(service.cli, "faq", "import", str(path))
            assert done.returncode == 0 and "updated 1" in done.stdout, done.stderr
            took = await citizen.wait_for(NEWER, seconds=8)
            assert took < 5.0
    finally:
        await service.stop()
    ask = service.cli("faq", "ask", QUESTION, "--json")
    assert '"faq_id": "daftar-paspor"' in ask.stdout


@pytest.mark.postgres
async def test_an_edit_on_one_worker_reaches_another_worker(tmp_path: Path) -> None:
    with temporary_database() as url:
        env = {"TLIVE_SECRET_KEY": SECRET, "TLIVE_DATABASE_URL": url}
        first, second = Service(env, tmp_path / "a"), Service(env, tmp_path / "b")
        await first.start()
        await second.start(migrate=False)
        try:
            token = _token(first)
            async with aiohttp.ClientSession() as http:
                citizen = Citizen(http, second.url)
                await citizen.open()
                assert ENTRY["answer"] not in await citizen.send(text=QUESTION)
                await _put(http, first.url, token)
                took = await citizen.wait_for(ENTRY["answer"], seconds=8)
                assert took < 5.0
        finally:
            await second.stop()
            await first.stop()
