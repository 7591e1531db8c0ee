"""The helpdesk through the real engine: escalation, one holder, relaying, hand-back, rating."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.core import Core, build_core
from bot.domain.chat_mode import ChatMode
from bot.engine.messages import InboundKind
from bot.helpdesk.hold import HelpdeskError, Holder
from bot.helpdesk.reading import citizen_state, mask_text, queue
from bot.helpdesk.reading import history as read_history
from bot.i18n import WIB
from bot.services.accounts import Actor
from bot.services.privacy import erase_citizen
from bot.storage.models import Rating, VaultBlob
from bot.storage.types import utcnow
from bot.usecases.helpdesk import AgentMessage
from bot.usecases.privacy import purge_expired
from tests.photos.factory import good_ktp_jpeg
from tests.support.chat import ChatDriver
from tests.support.helpdesk import agent, at_nik_step, audit_actions, conversation, history, outbox

NIK = "3671014501900001"


async def _claim(core: Core, conv_id: int, who: Actor) -> None:
    await core.helpdesk_cases.claim(who, conv_id, None)


async def _reply(core: Core, conv_id: int, who: Actor, text: str, **kw: object) -> int:
    message = AgentMessage(text, **kw)  # type: ignore[arg-type]
    return (await core.helpdesk_cases.send(who, conv_id, None, message)).seq


async def test_asking_for_a_person_queues_with_place_and_hours(core: Core) -> None:
    first, second = ChatDriver(core), ChatDriver(core)
    await first.say("petugas")
    await second.say("bicara dengan petugas")
    assert "Antrean Bapak/Ibu: nomor 2" in second.text
    assert "segera membalas" in second.text or "di luar jam layanan" in second.text
    conv = await conversation(core, second)
    assert (conv.mode, conv.handoff_reason) == (ChatMode.QUEUED, "asked")
    assert "handoff:leave" in second.buttons
    await second.tap("handoff:leave")
    assert (await conversation(core, second)).mode == ChatMode.BOT
    saturday_night = datetime(2026, 11, 28, 20, 0, tzinfo=WIB)
    closed = core.services.helpdesk.hours_text(saturday_night)
    assert "di luar jam layanan" in closed and "Senin pukul 08.00 WIB" in closed


async def test_escalation_reasons_voice_faq_and_three_failures(core: Core) -> None:
    voice = ChatDriver(core)
    await voice.send(voice._inbound(InboundKind.VOICE))
    assert "pesan suara" in voice.text and "Antrean Bapak/Ibu" in voice.text
    assert (await conversation(core, voice)).handoff_reason == "voice"

    asks = ChatDriver(core)
    await asks.say("tolong sambungkan saya ke petugas, aplikasinya error terus")
    assert (await conversation(core, asks)).handoff_reason == "asked"
    unanswered = ChatDriver(core)
    await unanswered.say("tanya")
    await unanswered.say("qwerty zxcvb plugh")
    await unanswered.tap("agent")
    assert (await conversation(core, unanswered)).handoff_reason == "faq"

    stuck = ChatDriver(core)
    await at_nik_step(stuck)
    for attempt in ("123", "abc", "99"):
        await stuck.say(attempt)
        assert (await conversation(core, stuck)).mode == (
            ChatMode.QUEUED if attempt == "99" else ChatMode.BOT
        )
    assert "Sepertinya langkah ini sulit" in stuck.text and "Langkah 2 dari 8" in stuck.text
    assert (await conversation(core, stuck)).handoff_reason == "failures"
    await stuck.say(NIK)  # solved after all: the call for help is withdrawn
    assert "berhasil" in stuck.text and (await conversation(core, stuck)).mode == ChatMode.BOT


async def test_two_agents_racing_for_one_chat_one_wins(any_core: Core) -> None:
    siti = await agent(any_core, "siti")
    budi = await agent(any_core, "budi")
    chat = ChatDriver(any_core)
    await chat.say("petugas")
    conv_id = (await conversation(any_core, chat)).id
    # A second core on the same database plays a second worker process.
    other = build_core(any_core.settings, ocr=False)
    try:
        results = await asyncio.gather(
            _claim(any_core, conv_id, siti), _claim(other, conv_id, budi), return_exceptions=True
        )
    finally:
        await other.db.dispose()
    errors = [r for r in results if isinstance(r, HelpdeskError)]
    assert len(errors) == 1 and errors[0].code == "taken", results
    conv = await conversation(any_core, chat)
    winner = siti if results[0] is None else budi
    assert conv.mode == ChatMode.AGENT and conv.holder == f"user:{winner.id}"
    assert (await audit_actions(any_core)).count("chat.claimed") == 1
    await _claim(any_core, conv_id, winner)  # taking one's own chat again is harmless


async def test_held_chat_relays_both_ways_and_the_bot_stays_silent(core: Core) -> None:
    core.services.delivery.push_channels.add("telegram")
    siti = await agent(core, "siti")
    chat = ChatDriver(core, channel="telegram", chat_id="555")
    await at_nik_step(chat)
    await chat.say("petugas")
    conv = await conversation(core, chat)
    await _claim(core, conv.id, siti)
    assert await chat.say("NIK saya 3671 0145 0190 0001 tapi ditolak terus") == ()
    photo = good_ktp_jpeg()
    assert await chat.photo(photo) == ()
    seq = await _reply(core, conv.id, siti, "Baik, saya periksa dulu ya.")

    async with core.uow() as uow:
        conv = await uow.conversations.get(conv.id)
        assert conv is not None and conv.step == "nik"  # the form did not move
        entries = await read_history(uow, conv)
        stored = (await uow.session.execute(select(VaultBlob))).scalars().all()
    texts = [e.text for e in entries]
    assert "NIK saya 3671••••••••0001 tapi ditolak terus" in texts  # masked for agents
    citizen_photo = next(e for e in entries if e.kind == "photo" and e.direction == "in")
    assert citizen_photo.has_media and len(stored) == 1
    assert photo[:50] not in stored[0].ciphertext  # encrypted at rest
    image = await core.helpdesk_cases.chat_photo(siti, conv.id, citizen_photo.seq, None)
    assert image is not None and image.startswith(b"\xff\xd8")
    sent = [i for i in await outbox(core, conv.id) if i.message_seq == seq]
    assert len(sent) == 1
    async with core.uow() as uow:
        reply = uow.outbox.payload(sent[0])
    assert reply.template is not None and reply.template.name == "balasan_petugas"
    assert "photo_viewed" in " ".join(await audit_actions(core))


async def test_notes_stay_inside_and_only_the_holder_replies(core: Core) -> None:
    siti, budi = await agent(core, "siti"), await agent(core, "budi")
    boss = await agent(core, "kepala", "admin")
    chat = ChatDriver(core)
    await chat.say("petugas")
    conv_id = (await conversation(core, chat)).id
    await _claim(core, conv_id, siti)
    with pytest.raises(HelpdeskError) as refused:
        await _reply(core, conv_id, budi, "Halo")
    assert refused.value.code == "not_holder"
    with pytest.raises(HelpdeskError) as empty:
        await _reply(core, conv_id, siti, "   ")
    assert empty.value.code == "empty"
    await core.helpdesk_cases.send(
        siti, conv_id, None, AgentMessage("Warga lansia, pelan-pelan", note=True)
    )
    await core.helpdesk_cases.send(boss, conv_id, None, AgentMessage("Saya pantau", note=True))
    async with core.uow() as uow:
        seen_by_citizen = await uow.conversations.history(conv_id, directions=("in", "out"))
    assert all("pelan" not in str(body) for _, body in seen_by_citizen)
    async with core.uow() as uow:
        agent_view = await queue(uow, Holder.of(budi))
        admin_view = await queue(uow, Holder.of(boss))
    assert agent_view == [] and [e.id for e in admin_view] == [conv_id]


async def test_transfer_hand_back_resumes_the_step_and_close_asks_a_rating(core: Core) -> None:
    siti, budi = await agent(core, "siti"), await agent(core, "budi")
    chat = ChatDriver(core)
    await at_nik_step(chat)
    await chat.say("petugas")
    conv_id = (await conversation(core, chat)).id
    await _claim(core, conv_id, siti)
    await core.helpdesk_cases.transfer(siti, conv_id, None, "budi")
    conv = await conversation(core, chat)
    assert (conv.holder, conv.holder_name) == (f"user:{budi.id}", "budi")
    await core.helpdesk_cases.hand_back(budi, conv_id, None)
    after = [body["text"] for _, body in await history(core, conv_id)][-2:]
    assert "kembali dilayani asisten" in after[0] and "Langkah 2 dari 8" in after[1]
    await chat.say(NIK)  # the form goes on where it was
    assert "5 Januari 1990" in chat.text

    await chat.say("petugas")
    await _claim(core, conv_id, budi)
    await core.helpdesk_cases.close(budi, conv_id, None)
    last = [body for _, body in await history(core, conv_id)][-1]
    assert [b["id"] for b in last["buttons"]] == [f"rate:{n}" for n in range(1, 6)]
    await chat.say("4")  # a typed number picks the rating like a tap
    assert "Terima kasih atas penilaian" in chat.text and "Langkah 3 dari 8" in chat.text
    async with core.uow() as uow:
        rating = (await uow.session.execute(select(Rating))).scalar_one()
    assert (rating.score, rating.agent_id) == (4, int(budi.id or 0))
    await chat.say("4")  # no second rating
    async with core.uow() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Rating)) == 1
    actions = await audit_actions(core)
    for action in (
        "chat.claimed",
        "chat.transferred",
        "chat.released",
        "chat.closed",
        "chat.rated",
    ):
        assert action in actions


async def test_an_abandoned_hold_returns_to_the_queue(any_core: Core) -> None:
    siti = await agent(any_core, "siti")
    chat = ChatDriver(any_core)
    await chat.say("petugas")
    conv_id = (await conversation(any_core, chat)).id
    await _claim(any_core, conv_id, siti)
    cases = any_core.helpdesk_cases
    assert await cases.sweep_idle() == 0  # still fresh
    later = utcnow() + cases.idle_after + timedelta(seconds=5)
    assert await cases.sweep_idle(later) == 1
    conv = await conversation(any_core, chat)
    assert (conv.mode, conv.holder, conv.handoff_reason) == (ChatMode.QUEUED, None, "asked")
    told = [body["text"] for m, body in await history(any_core, conv_id) if m.direction == "out"]
    assert "kembali ke antrean" in told[-1]
    assert "chat.requeued" in await audit_actions(any_core)
    with pytest.raises(HelpdeskError):
        await _reply(any_core, conv_id, siti, "Masih di sini?")


async def test_registration_state_is_shown_with_a_masked_nik(core: Core) -> None:
    chat = ChatDriver(core)
    await at_nik_step(chat)
    await chat.say(NIK)
    async with core.uow() as uow:
        conv = await uow.conversations.find(chat.channel, chat.chat_id)
        assert conv is not None
        state = await citizen_state(uow, conv)
    assert (state.flow, state.step, state.full_name) == (
        "registration",
        "birth_date",
        "SITI AMINAH",
    )
    assert state.nik_masked == "3671••••••••0001" and state.status == "draft"
    assert mask_text("NIK 3671-0145-0190-0001.") == "NIK 3671••••••••0001."


async def test_chat_photos_are_erased_with_the_citizen_and_after_retention(core: Core) -> None:
    siti = await agent(core, "siti")
    chat = ChatDriver(core)
    await chat.say("petugas")
    conv_id = (await conversation(core, chat)).id
    await _claim(core, conv_id, siti)
    await chat.photo(good_ktp_jpeg())
    await _reply(core, conv_id, siti, "", photo=good_ktp_jpeg())
    async with core.uow() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(VaultBlob)) == 2
    result = await purge_expired(core.uow, 0)  # everything is "older than 0 days"
    assert result.chat_photos == 2
    await chat.photo(good_ktp_jpeg())
    async with core.uow() as uow:
        conv = await uow.conversations.get(conv_id, lock=True)
        assert conv is not None
        await erase_citizen(uow, conv)
        await uow.commit()
    async with core.uow() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(VaultBlob)) == 0
