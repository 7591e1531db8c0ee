"""The verifier sees that a family member sent a request: in the queue, the review and the API."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.core import Core
from bot.storage.models import Registration
from tests.console.support import add_token, add_user, client_for, login
from tests.support.chat import ChatDriver
from tests.support.registration import answer_questions, send_photos

SITI_NIK = "3671014501900001"
IBU_NIK = "3671014808550002"


async def _register(chat: ChatDriver, consent: str, name: str, nik: str) -> None:
    """Register one person from the chat, starting from the consent's answer."""
    await chat.tap(consent)
    await answer_questions(chat, nik, name=name)
    await send_photos(chat, nik)
    await chat.tap("summary:send")


async def _herself_then_her_mother(core: Core) -> tuple[Registration, Registration]:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await _register(chat, "consent:yes", "Siti Aminah", SITI_NIK)
    await chat.tap("reg:another")
    await _register(chat, "consent:yes", "Aminah Binti Saleh", IBU_NIK)
    async with core.uow() as uow:
        own, mother = (await uow.session.execute(select(Registration))).scalars().all()
    return own, mother


async def test_review_page_and_queue_say_a_family_member_registered_it(core: Core) -> None:
    own, mother = await _herself_then_her_mother(core)
    await add_user(core, "siti", "verifier")
    async with client_for(core) as client:
        await login(client, "siti")
        helped = await (await client.get(f"/console/registrations/{mother.id}")).text()
        alone = await (await client.get(f"/console/registrations/{own.id}")).text()
        queue = await (await client.get("/console/queue")).text()
    assert 'id="flag-helper"' in helped and "Keluarga yang membantu" in helped
    assert "bukan yang membantu" in helped  # what to check because of it: whose face it is
    assert 'id="flag-helper"' not in alone and "Pemohon sendiri" in alone
    # The other request of the same chat is another person, not an earlier try of hers.
    assert own.reference in helped and "orang lain dari obrolan yang sama" in helped
    # One badge, on her mother's row (the filter menu names the flag too).
    assert queue.count('>Dibantu keluarga</span>') == 1


async def test_api_registration_says_registered_by_helper(core: Core) -> None:
    own, mother = await _herself_then_her_mother(core)
    token = await add_token(core, "verifier")
    headers = {"Authorization": f"Bearer {token}"}
    async with client_for(core) as client:

        async def get(path: str) -> dict[str, Any]:
            return await (await client.get(f"/api/v1/registrations{path}", headers=headers)).json()

        helped, alone, listed = await get(f"/{mother.id}"), await get(f"/{own.id}"), await get("")
    assert helped["registered_by_helper"] is True and helped["flags"]["helper"] is True
    assert alone["registered_by_helper"] is False
    by_reference = {item["reference"]: item["registered_by_helper"] for item in listed["items"]}
    assert by_reference == {own.reference: False, mother.reference: True}
