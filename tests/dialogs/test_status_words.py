"""After sending: "daftar" tells where the request stands; FAQ answers offer the next step;
a resubmission keeps its reference; a first message is greeted on every channel."""

from __future__ import annotations

from sqlalchemy import select

from bot.core import Core
from bot.services.accounts import Actor, Role
from bot.storage.models import Registration
from integrations.telegram.adapter import command_text
from tests.photos.factory import good_ktp_jpeg, good_selfie_jpeg
from tests.support.chat import ChatDriver
from tests.support.registration import NIK, register_until_summary

MENU = ["menu:register", "menu:status", "menu:faq", "agent"]
VERIFIER = Actor(type="user", id="1", name="siti", role=Role.VERIFIER)


async def _requests(core: Core) -> list[Registration]:
    async with core.uow() as uow:
        rows = list(
            (await uow.session.execute(select(Registration).order_by(Registration.id))).scalars()
        )
        for row in rows:
            uow.session.expunge(row)
        return rows


async def _submitted(core: Core) -> ChatDriver:
    chat = ChatDriver(core)
    await register_until_summary(chat)
    await chat.tap("summary:send")
    return chat


async def test_daftar_after_sending_tells_the_status_and_offers_no_form(core: Core) -> None:
    chat = await _submitted(core)
    reference = (await _requests(core))[0].reference
    for asked in ("daftar", "DAFTAR", "mendaftar"):
        await chat.say(asked)
        assert reference in chat.text and "tidak perlu mendaftar lagi" in chat.text
        assert "paling lambat" in chat.text and "obrolan ini" in chat.text
        assert "menu:register" not in chat.buttons
        # She may be registering her family next: that is one tap away.
        assert chat.buttons == ["menu:status", "reg:another", "agent"]
    await chat.say("menu")  # the menu itself still lists it; tapping it tells the status
    await chat.tap("menu:register")
    assert "tidak perlu mendaftar lagi" in chat.text and "menu:register" not in chat.buttons
    await chat.tap("menu:status")
    assert "menunggu verifikasi" in chat.text and reference in chat.text
    assert len(await _requests(core)) == 1  # no second draft was opened


async def test_daftar_after_approval_says_the_account_is_verified(core: Core) -> None:
    chat = await _submitted(core)
    reg = (await _requests(core))[0]
    await core.review_cases.decide(VERIFIER, reg.id, approve=True, reason=None, note=None, ip=None)
    await chat.say("daftar")
    assert "sudah terverifikasi" in chat.text and "menu:register" not in chat.buttons
    assert len(await _requests(core)) == 1


async def test_how_to_register_answers_and_offers_to_start_now(core: Core) -> None:
    for question in ("cara daftar gimana", "gmn cara daftar", "sy mau daftar caranya gimana"):
        chat = ChatDriver(core, channel="whatsapp", channel_phone="6281234567890")
        await chat.say("halo")
        await chat.say(question)
        assert "Daftar akun" in chat.text  # the FAQ answer itself
        assert chat.buttons[0] == "menu:register", (question, chat.buttons)
        assert chat.replies[-1].buttons[0].label == core.catalog.text("faq-action-register")
        await chat.tap("menu:register")
        assert chat.buttons == ["consent:more", "consent:yes", "consent:family", "consent:no"]


async def test_the_start_now_button_can_be_typed_or_numbered(core: Core) -> None:
    for typed in ("1", "mulai daftar", "daftar sekarang"):
        chat = ChatDriver(core)
        await chat.say("halo")
        await chat.say("cara daftar gimana")
        await chat.say(typed)
        consent = ["consent:more", "consent:yes", "consent:family", "consent:no"]
        assert chat.buttons == consent, typed


async def test_other_answers_offer_their_own_next_step_or_none(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("halo")
    await chat.tap("menu:faq")
    await chat.say("bagaimana cara mengecek status pendaftaran saya")
    assert chat.buttons[0] == "menu:register"  # nothing sent yet: she is invited to register
    await chat.say("tanya")
    await chat.say("berapa biaya daftar akun")
    assert chat.buttons == ["faq:helpful", "faq:unhelpful"]  # nothing to do next: just feedback


async def test_resubmission_keeps_the_reference_and_the_earlier_request(any_core: Core) -> None:
    core = any_core
    chat = await _submitted(core)
    [first] = await _requests(core)
    decided = await core.review_cases.decide(
        VERIFIER, first.id, approve=False, reason="ktp_blurry", note=None, ip=None
    )
    assert decided.registration.status == "rejected"
    await chat.say("status")  # the web chat reads the decision from the history; ask again
    await chat.tap("reg:resubmit")
    await chat.photo(good_ktp_jpeg(NIK))  # the blurry KTP is asked again
    if "summary:send" not in chat.buttons:
        await chat.photo(good_selfie_jpeg())
    await chat.tap("summary:send")
    assert first.reference in chat.text
    old, new = await _requests(core)
    assert (old.id, old.status) == (first.id, "rejected")
    assert new.reference == first.reference and new.resubmission_of == first.id
    assert new.status == "submitted"
    review = await core.review_cases.open(VERIFIER, new.id, ip=None, claim_it=False)
    assert review is not None
    assert [(e.id, e.reference, e.status) for e in review.earlier] == [
        (first.id, first.reference, "rejected")
    ]
    await chat.say("status")
    assert first.reference in chat.text and "menunggu verifikasi" in chat.text
    async with core.uow() as uow:
        assert (await uow.registrations.by_reference(first.reference)).id == new.id


async def test_a_second_rejection_and_resubmission_keeps_it_still(core: Core) -> None:
    chat = await _submitted(core)
    for _round in range(2):
        latest = (await _requests(core))[-1]
        await core.review_cases.decide(
            VERIFIER, latest.id, approve=False, reason="face_not_visible", note=None, ip=None
        )
        await chat.say("status")
        await chat.tap("reg:resubmit")
        while "summary:send" not in chat.buttons:
            await chat.photo(good_selfie_jpeg())
        await chat.tap("summary:send")
    rows = await _requests(core)
    assert len(rows) == 3 and len({r.reference for r in rows}) == 1
    assert [r.resubmission_of for r in rows] == [None, rows[0].id, rows[1].id]
    # New requests from other citizens still get references of their own.
    other = await _submitted(core)
    assert other.chat_id != chat.chat_id
    assert len({r.reference for r in await _requests(core)}) == 2


async def test_a_first_whatsapp_message_is_greeted_whatever_it_says(core: Core) -> None:
    welcome = core.catalog.text("menu-welcome")
    greeting = core.catalog.text("menu-greeting")
    phone = iter(f"62812000000{n:02d}" for n in range(50))
    chat = ChatDriver(core, channel="whatsapp", channel_phone=next(phone))
    await chat.say("halo")
    assert [r.text for r in chat.replies] == [greeting] and chat.buttons == [*MENU, "voice:on"]
    await chat.say("halo")  # only the first message of a chat is greeted
    assert welcome not in chat.text
    chat = ChatDriver(core, channel="whatsapp", channel_phone=next(phone))
    await chat.say("daftar")
    assert chat.replies[0].text == welcome and chat.buttons == [
        "consent:more",
        "consent:yes",
        "consent:family",
        "consent:no",
    ]
    chat = ChatDriver(core, channel="whatsapp", channel_phone=next(phone))
    await chat.say("cara daftar gimana")
    assert chat.replies[0].text == welcome and "menu:register" in chat.buttons
    await chat.say("cara daftar gimana")
    assert chat.replies[0].text != welcome
    for odd in ("p", "🙏", "assalamualaikum pak", "selamat siang"):
        chat = ChatDriver(core, channel="whatsapp", channel_phone=next(phone))
        await chat.say(odd)
        assert chat.text.startswith("Halo!") and chat.replies[-1].buttons, odd
        assert [b.id for b in chat.replies[-1].buttons] == MENU or chat.buttons


async def test_telegram_start_is_answered_with_the_greeting_and_the_menu(core: Core) -> None:
    chat = ChatDriver(core, channel="telegram", chat_id="777001")
    await chat.say(command_text("/start"))
    assert [r.text for r in chat.replies] == [core.catalog.text("menu-greeting")]
    assert chat.buttons == [*MENU, "voice:on"]  # voice on every message is offered once
    await chat.say(command_text("/start"))  # again: the menu again, greeted once per tap
    assert chat.buttons == MENU
    chat = ChatDriver(core, channel="telegram", chat_id="777002")
    await chat.say(command_text("/start daftar"))  # a poster's deep link opens the form
    assert chat.replies[0].text == core.catalog.text("menu-welcome")
    assert chat.buttons == ["consent:more", "consent:yes", "consent:family", "consent:no"]


async def test_two_first_requests_can_never_share_a_reference(any_core: Core) -> None:
    from sqlalchemy.exc import IntegrityError

    await _submitted(any_core)
    [first] = await _requests(any_core)
    async with any_core.uow() as uow:
        uow.registrations.add(
            Registration(
                reference=first.reference, citizen_id=first.citizen_id, channel="web",
                status="draft", flags={},
            )
        )  # fmt: skip
        try:
            await uow.registrations.flush()
        except IntegrityError:
            refused = True
        else:
            refused = False
    assert refused
