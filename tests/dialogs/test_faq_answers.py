"""FAQ answers that act (status, registration, a person, deleting data), "Tidak" that offers
the next candidates, and two questions in one message answered twice."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.core import Core
from bot.domain.chat_mode import ChatMode
from bot.faq.matcher import Candidate, FaqMatch
from bot.storage.models import FaqUnanswered
from dialogs.faq import ACTIONS, said_helpful
from tests.support.chat import ChatDriver
from tests.support.helpdesk import conversation
from tests.support.registration import register_until_summary, stored

FEEDBACK = ["faq:helpful", "faq:unhelpful"]


async def _in_faq(core: Core, chat: ChatDriver | None = None) -> ChatDriver:
    chat = chat or ChatDriver(core)
    await chat.say("menu")
    await chat.tap("menu:faq")
    return chat


async def _sent(core: Core) -> ChatDriver:
    chat = ChatDriver(core)
    await register_until_summary(chat)
    await chat.tap("summary:send")
    return chat


def _stub(core: Core, monkeypatch: pytest.MonkeyPatch, *matches: FaqMatch) -> None:
    """Make the FAQ service's matcher return ``matches`` for every message."""
    monkeypatch.setattr(core.services.faq, "ask_all", lambda text: matches)


def _match(faq_id: str, *others: str) -> FaqMatch:
    return FaqMatch(faq_id, 0.8, tuple(Candidate(o, 0.3) for o in others))


async def _not_helpful(core: Core) -> list[tuple[str | None, str]]:
    async with core.uow() as uow:
        rows = await uow.session.execute(
            select(FaqUnanswered.faq_id, FaqUnanswered.text)
            .where(FaqUnanswered.reason == "not_helpful")
            .order_by(FaqUnanswered.id)
        )
        return [(faq_id, text) for faq_id, text in rows]


def _answer(core: Core, faq_id: str) -> str:
    entry = core.services.faq.entry(faq_id)
    assert entry is not None
    return entry.answer


# --- Answers that act -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "bagaimana cara mengecek status pendaftaran saya",
        "berapa lama proses verifikasi akun",
        "kenapa verifikasi saya lebih dari 1x24 jam",
    ],
)
async def test_a_status_question_after_sending_shows_her_own_request(
    core: Core, question: str
) -> None:
    chat = await _in_faq(core, await _sent(core))
    reference = (await stored(core)).reference
    await chat.say(question)
    assert reference in chat.text and "menunggu verifikasi" in chat.text
    assert "paling lambat" in chat.text
    assert not set(FEEDBACK) & set(chat.buttons)  # her own status: nothing to rate
    assert (await conversation(core, chat)).flow is None


async def test_how_long_it_takes_before_registering_explains_and_offers_to_start(
    core: Core,
) -> None:
    chat = await _in_faq(core)
    await chat.say("berapa lama proses verifikasi akun")
    assert chat.replies[0].text == _answer(core, "lama-verifikasi")
    assert chat.buttons == ["menu:register", *FEEDBACK]
    assert chat.replies[-1].buttons[0].label == core.catalog.text("faq-action-register")
    await chat.tap("menu:register")
    assert chat.buttons == ["consent:more", "consent:yes", "consent:family", "consent:no"]


async def test_a_status_question_with_a_draft_offers_to_go_on(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.tap("consent:yes")
    await chat.say("batal")
    await _in_faq(core, chat)
    await chat.say("bagaimana cara mengecek status pendaftaran saya")
    assert (await stored(core)).reference in chat.text and "belum lengkap" in chat.text
    assert chat.buttons == ["menu:register"]


@pytest.mark.parametrize("question", ["cara daftar gimana", "apa saja syarat dokumen untuk daftar"])
async def test_how_to_register_answers_with_a_one_tap_start(core: Core, question: str) -> None:
    chat = await _in_faq(core)
    await chat.say(question)
    assert chat.buttons == ["menu:register", *FEEDBACK]
    await chat.tap("menu:register")
    assert chat.buttons == ["consent:more", "consent:yes", "consent:family", "consent:no"]


@pytest.mark.parametrize(
    "question", ["bagaimana cara berbicara dengan petugas", "nomor helpdesk berapa"]
)
async def test_asking_how_to_reach_a_person_calls_one(core: Core, question: str) -> None:
    chat = await _in_faq(core)
    await chat.say(question)
    assert "Antrean Bapak/Ibu" in chat.text
    assert chat.buttons == ["handoff:leave"]
    conv = await conversation(core, chat)
    assert (conv.mode, conv.handoff_reason, conv.flow) == (ChatMode.QUEUED, "asked", None)


async def test_asking_the_opening_hours_offers_a_person_but_calls_none(core: Core) -> None:
    chat = await _in_faq(core)
    await chat.say("jam berapa helpdesk melayani")
    assert chat.replies[0].text == _answer(core, "jam-helpdesk")
    assert chat.buttons == ["agent", *FEEDBACK]
    assert (await conversation(core, chat)).mode == ChatMode.BOT


async def test_how_to_delete_offers_the_deletion_which_still_asks_first(core: Core) -> None:
    chat = await _in_faq(core, await _sent(core))
    await chat.say("gmn cara menghapus akun")
    assert chat.replies[0].text == _answer(core, "hapus-data")
    assert chat.buttons == ["privacy:erase", *FEEDBACK]
    await chat.tap("privacy:erase")
    assert "Yakin ingin menghapus" in chat.text
    assert chat.buttons == ["privacy:erase-yes", "menu"]
    assert (await stored(core)).status == "submitted"  # nothing deleted before she confirms


async def test_inside_the_form_a_question_gets_its_answer_only(core: Core) -> None:
    chat = ChatDriver(core)
    await chat.say("daftar")
    await chat.tap("consent:yes")
    await chat.say("bagaimana cara mengecek status pendaftaran saya")
    assert chat.replies[0].text == _answer(core, "cek-status")
    assert chat.replies[1].text == core.catalog.text("faq-back-to-flow")
    assert not {"menu:register", "menu:status", *FEEDBACK} & set(chat.buttons)
    assert (await conversation(core, chat)).flow == "registration"


@pytest.mark.parametrize(
    "typed", ["daftarkan orang lain", "daftarin orang lain", "mau mendaftarkan orang lain"]
)
async def test_naming_an_action_in_its_buttons_words_answers_it_though_the_matcher_is_unsure(
    core: Core, monkeypatch: pytest.MonkeyPatch, typed: str
) -> None:
    chat = await _in_faq(core, await _sent(core))
    unsure = (Candidate("daftar-keluarga", 0.37), Candidate("lanjut-nanti", 0.29))
    _stub(core, monkeypatch, FaqMatch(None, 0.37, unsure))
    await chat.say(typed)
    assert chat.replies[0].text == _answer(core, "daftar-keluarga")
    assert chat.buttons == ["reg:another", *FEEDBACK]


async def test_more_than_the_buttons_words_is_a_question_and_gets_suggestions(
    core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    unsure = (Candidate("cara-daftar", 0.37), Candidate("daftar-keluarga", 0.35))
    _stub(core, monkeypatch, FaqMatch(None, 0.37, unsure))
    chat = await _in_faq(core)
    await chat.say("cara daftarkan orang lain")
    assert chat.buttons == ["faq:cara-daftar", "faq:daftar-keluarga", "agent"]


async def test_after_tanya_a_command_in_other_words_the_faq_cannot_answer_is_run(
    core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stub(core, monkeypatch, FaqMatch(None, 0.37, (Candidate("cara-daftar", 0.37),)))
    chat = await _in_faq(core)
    await chat.say("dftar")
    assert "consent:yes" in chat.buttons  # registration, not "Maksud …?" choices


async def test_the_action_table_names_entries_of_the_default_faq(core: Core) -> None:
    assert all(core.services.faq.entry(faq_id) is not None for faq_id in ACTIONS)


# --- "Tidak" offers the next candidates and the helpdesk ------------------------------------


async def test_unhelpful_offers_the_other_candidates_the_helpdesk_and_the_menu(
    core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    others = ("lama-verifikasi", "cara-daftar", "biaya", "ktp-hilang")
    _stub(core, monkeypatch, _match("foto-ktp", "foto-ktp", *others))
    chat = await _in_faq(core)
    await chat.say("ktp sy difoto gmn")
    await chat.tap("faq:unhelpful")
    assert chat.text == core.catalog.text("faq-unhelpful-options")
    assert chat.buttons == [f"faq:{o}" for o in others[:3]] + ["agent", "menu"]
    assert chat.replies[0].buttons[0].label == core.services.faq.entry(others[0]).question
    assert await _not_helpful(core) == [("foto-ktp", "ktp sy difoto gmn")]
    await chat.tap("faq:biaya")  # the next try, and after it only the ones left
    assert chat.replies[0].text == _answer(core, "biaya")
    await chat.say("ga")
    assert chat.buttons == ["faq:lama-verifikasi", "faq:cara-daftar", "agent", "menu"]
    assert await _not_helpful(core) == [
        ("foto-ktp", "ktp sy difoto gmn"),
        ("biaya", "ktp sy difoto gmn"),
    ]


async def test_unhelpful_with_no_other_candidate_says_sorry(
    core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stub(core, monkeypatch, _match("biaya"))
    chat = await _in_faq(core)
    await chat.say("bayar ga")
    await chat.tap("faq:unhelpful")
    assert chat.text == core.catalog.text("faq-sorry")
    assert chat.buttons == ["agent", "menu"]


@pytest.mark.parametrize("typed", ["tidak", "ga", "bukan", "salah", "kurang jelas"])
async def test_a_typed_no_counts_as_unhelpful(
    core: Core, monkeypatch: pytest.MonkeyPatch, typed: str
) -> None:
    _stub(core, monkeypatch, _match("biaya", "cara-daftar"))
    chat = await _in_faq(core)
    await chat.say("bayar ga")
    await chat.say(typed)
    assert chat.buttons == ["faq:cara-daftar", "agent", "menu"], typed
    assert await _not_helpful(core) == [("biaya", "bayar ga")]


@pytest.mark.parametrize("typed", ["iya", "ya membantu", "makasih", "terima kasih banyak min"])
async def test_a_typed_yes_or_thanks_counts_as_helpful(core: Core, typed: str) -> None:
    chat = await _in_faq(core)
    await chat.say("berapa biaya daftar akun")
    await chat.say(typed)
    assert chat.text == core.catalog.text("faq-glad"), typed
    assert chat.buttons == ["menu:register", "menu:status", "menu:faq", "agent"]
    assert await _not_helpful(core) == []


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("iya", True), ("ya membantu", True), ("makasih", True), ("makasih banyak ya", True),
        ("oke jelas", True), ("tidak", False), ("ga", False), ("bukan", False),
        ("salah", False), ("belum paham", False), ("ga membantu", False),
        ("ktp hilang gimana", None), ("makasih, trus biayanya brp?", None), ("", None),
    ],
)  # fmt: skip
def test_feedback_is_read_from_plain_words(typed: str, said: bool | None) -> None:
    assert said_helpful(typed) is said


async def test_a_new_question_at_the_feedback_is_answered(core: Core) -> None:
    chat = await _in_faq(core)
    await chat.say("berapa biaya daftar akun")
    await chat.say("ktp sy hilang gimana")
    assert chat.replies[0].text == _answer(core, "ktp-hilang")
    assert chat.buttons == FEEDBACK


# --- Two questions in one message -----------------------------------------------------------


async def test_two_questions_get_two_answers_then_one_feedback(
    core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stub(
        core,
        monkeypatch,
        _match("syarat-dokumen", "biaya", "cara-daftar"),
        _match("biaya", "syarat-dokumen", "jam-helpdesk"),
    )
    chat = await _in_faq(core)
    await chat.say("syaratnya apa aja? trus biayanya brp")
    assert [r.text for r in chat.replies] == [
        _answer(core, "syarat-dokumen"),
        _answer(core, "biaya"),
        core.catalog.text("faq-helpful", answers=2),
    ]
    assert [r.buttons for r in chat.replies[:2]] == [(), ()]
    assert chat.buttons == ["menu:register", *FEEDBACK]
    await chat.tap("faq:unhelpful")  # about both: both recorded, the rest offered
    asked = "syaratnya apa aja? trus biayanya brp"
    assert await _not_helpful(core) == [("syarat-dokumen", asked), ("biaya", asked)]
    assert chat.buttons == ["faq:cara-daftar", "faq:jam-helpdesk", "agent", "menu"]


async def test_two_questions_answered_by_one_entry_get_one_answer(
    core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stub(core, monkeypatch, _match("biaya"), _match("biaya"))
    chat = await _in_faq(core)
    await chat.say("bayar ga? gratis kan")
    assert [r.text for r in chat.replies] == [
        _answer(core, "biaya"),
        core.catalog.text("faq-helpful", answers=1),
    ]


async def test_a_question_and_a_status_question_get_the_answer_and_her_status(
    core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = await _in_faq(core, await _sent(core))
    _stub(core, monkeypatch, _match("biaya"), _match("cek-status"))
    await chat.say("bayar ga? trus status sy gmn")
    assert chat.replies[0].text == _answer(core, "biaya")
    assert (await stored(core)).reference in chat.replies[1].text
    assert chat.replies[-1].text == core.catalog.text("faq-helpful", answers=2)
    await chat.say("makasih")
    assert chat.text == core.catalog.text("faq-glad")


async def test_a_message_the_faq_cannot_answer_gets_suggestions(
    core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stub(core, monkeypatch, FaqMatch(None, 0.3, (Candidate("biaya", 0.3),)))
    chat = await _in_faq(core)
    await chat.say("duit")
    assert chat.buttons == ["faq:biaya", "agent"]
    await chat.tap("faq:biaya")
    assert chat.replies[0].text == _answer(core, "biaya")
    await chat.tap("faq:unhelpful")  # the only suggestion was tried: nothing else to offer
    assert chat.buttons == ["agent", "menu"]
    assert await _not_helpful(core) == [("biaya", "duit")]
