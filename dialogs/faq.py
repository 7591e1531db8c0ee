"""Tanya (FAQ): answer questions typed in the citizen's own words, and do what they ask for."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from bot.domain.language.text import plain
from bot.domain.language.yesno import NO, read_yes_no
from bot.engine.messages import Button
from bot.faq.matcher import FaqMatch
from bot.services.faq import FaqService
from bot.services.registration import Status
from bot.storage.models import Registration
from dialogs import handoff, menu, privacy, status
from dialogs.base import AGENT, MENU, RESUME, Turn

FLOW = "faq"
ASK = "ask"
FEEDBACK = "feedback"
PICK = "pick"
LABEL_LIMIT = 60
# At most this many other entries are offered after a "Tidak" (and as "did you mean").
MAX_OPTIONS = 3
# At most this many questions of one message are answered (the matcher splits no further).
MAX_ANSWERS = 2


class Act(StrEnum):
    """What the bot does for an entry about something it can do itself."""

    STATUS = "status"  # show her own request's status (the answer and "Mulai daftar" if none)
    STATUS_IF_SENT = "status-if-sent"  # her status once a request is sent, else the answer
    REGISTER = "register"  # the answer and a button that starts registration
    REGISTER_OTHER = "register-other"  # the answer and "Daftarkan orang lain" (a family member)
    AGENT = "agent"  # call a person, as the menu's "Hubungi petugas" does
    OFFER_AGENT = "offer-agent"  # the answer and a button to call a person (never on its own)
    ERASE = "erase"  # the answer and a button that starts deleting her data (it asks first)


# Entry id → what answering it does. An FAQ without one of these ids simply has no action.
ACTIONS: dict[str, Act] = {
    "cek-status": Act.STATUS,
    "lama-verifikasi": Act.STATUS_IF_SENT,
    "verifikasi-terlambat": Act.STATUS_IF_SENT,
    "alasan-ditolak": Act.STATUS_IF_SENT,  # her status carries the verifier's reason and fix
    "cara-daftar": Act.REGISTER,
    "syarat-dokumen": Act.REGISTER,
    "lanjut-nanti": Act.REGISTER,
    "daftar-keluarga": Act.REGISTER_OTHER,
    "hubungi-petugas": Act.AGENT,
    "jam-helpdesk": Act.OFFER_AGENT,  # asking when they work is not asking for one now
    "hapus-data": Act.ERASE,
}
# The button an action offers beside its answer: (button id, label). The ids are those of the
# menu and the dialogs themselves, so a tap starts that dialog from anywhere.
_OFFERS: dict[Act, tuple[str, str]] = {
    Act.REGISTER: (menu.REGISTER, "faq-action-register"),
    Act.REGISTER_OTHER: (menu.REGISTER_OTHER, "btn-register-other"),
    Act.OFFER_AGENT: (AGENT, "faq-action-agent"),
    Act.AGENT: (AGENT, "faq-action-agent"),
    Act.ERASE: (privacy.ERASE, "btn-erase"),
    Act.STATUS: (menu.STATUS, "faq-action-status"),
    Act.STATUS_IF_SENT: (menu.STATUS, "faq-action-status"),
}
_STATUS_ACTS = (Act.STATUS, Act.STATUS_IF_SENT)


class Deed(StrEnum):
    """How one answered entry is given."""

    SAY = "say"  # its answer text (with the action's button, if any)
    SHOW_STATUS = "show-status"  # the citizen's own status instead of the text
    CALL_PERSON = "call-person"  # the helpdesk queue instead of the text


# Each answered entry, how it is given, and the button offered with the feedback question.
Plan = list[tuple[str, Deed, Button | None]]


# Said after an answer, these mean it helped (besides a plain yes): thanks, "jelas", "paham".
_THANKS = frozenset({
    "makasih", "makasi", "mksh", "terimakasih", "terima", "kasih", "trims", "trimakasih",
    "thanks", "thank", "thx", "tq", "tks", "nuhun", "hatur", "suwun", "matur", "nuwun",
    "membantu", "jelas", "paham", "ngerti", "mengerti", "mantap", "mantab", "alhamdulillah",
})  # fmt: skip
# Words that may stand around the thanks without changing it ("makasih banyak ya min").
_AROUND_THANKS = frozenset({
    "banyak", "sekali", "banget", "bgt", "ya", "iya", "ok", "oke", "sip", "min", "kak", "pak",
    "bu", "mas", "mbak", "sangat", "sudah", "udah", "udh", "cukup", "you", "u", "yaa", "deh",
})  # fmt: skip
# A negation with one of these ("kurang jelas", "belum paham") says it did not help.
_HELPED = frozenset({"membantu", "jelas", "paham", "ngerti", "mengerti", "nyambung", "sesuai"})
_NOT = NO | {"belum", "blm", "kurang"}
_MAX_FEEDBACK_WORDS = 6


async def start(turn: Turn) -> None:
    """Invite the citizen to type a question."""
    turn.state["faq_return"] = (turn.conv.flow == "registration" and turn.conv.step) or None
    turn.go(FLOW, ASK)
    turn.say("faq-ask-prompt")


async def handle(turn: Turn) -> None:
    """Handle a question, a pick among alternatives, or feedback on an answer."""
    choice = turn.choice() or ""
    helpful = _feedback_given(turn, choice)
    if helpful is not None:
        await _feedback(turn, helpful=helpful)
    elif choice.startswith("faq:"):
        picked = choice.removeprefix("faq:")
        rest = [i for i in turn.state.get("faq_next", []) if i != picked]
        await _answer(turn, [picked], rest)
    elif turn.text:
        # After an answer, "daftar sekarang" or "cek status aja" asks for the thing itself.
        if turn.conv.step != ASK and await turn.run_global_command():
            return
        await respond(turn)
    else:
        turn.say("faq-ask-prompt")


async def answer_and_act(turn: Turn, matches: Sequence[FaqMatch] | None = None) -> bool:
    """Answer the confident matches, doing what they are about; return whether it answered."""
    matches = turn.services.faq.ask_all(turn.text) if matches is None else matches
    answered, others = _answerable(turn.services.faq, matches)
    if not answered:
        return False
    await _answer(turn, answered, others)
    return True


async def offer(turn: Turn, act: Act) -> bool:
    """Answer the entry about ``act``, with the button that does it; False when there is none."""
    faq = turn.services.faq
    found = next((i for i, a in ACTIONS.items() if a is act and faq.entry(i) is not None), None)
    if found is None:
        return False
    await _answer(turn, [found], [])
    return True


def known_entry(faq: FaqService, faq_id: str) -> str | None:
    """Return the id of the entry ``faq_id`` names (a Rasa key may say "cara_daftar")."""
    for candidate in (faq_id, faq_id.replace("_", "-"), faq_id.casefold().replace("_", "-")):
        if faq.entry(candidate) is not None:
            return candidate
    return None


async def answer_entry(turn: Turn, faq_id: str) -> bool:
    """Answer the entry an understood intent names, as if matched; False when there is none.

    Inside another flow only its text is said (no other flow starts there), and the caller asks
    the step again.
    """
    found = known_entry(turn.services.faq, faq_id)
    if found is None:
        return False
    if turn.conv.flow not in (None, FLOW):
        _say_entry(turn, found)
        turn.say("faq-back-to-flow")
        return True
    await _answer(turn, [found], [])
    return True


async def answer_if_confident(turn: Turn) -> bool:
    """Answer a question typed in the middle of another flow, only when the match is confident."""
    if len(turn.text.split()) < 2:
        return False
    faq = turn.services.faq
    match = faq.ask(turn.text)
    entry = faq.entry(match.faq_id) if match.faq_id else None
    if entry is None:
        return False
    # Inside the form no other flow starts: the answer only, then back to the question.
    turn.say_text(entry.answer)
    turn.say("faq-back-to-flow")
    return True


def suggest(turn: Turn, match: FaqMatch) -> bool:
    """Offer the likeliest questions of a match as buttons when close; return whether it did."""
    faq = turn.services.faq
    options = [c.faq_id for c in match.alternatives if faq.entry(c.faq_id) is not None]
    if not options or match.score < faq.suggest_floor:
        return False
    # Kept for "Tidak" after a tapped choice: the inbox shows what she typed.
    _offer_options(turn, options, turn.text[:500], "faq-did-you-mean", [])
    return True


async def respond(turn: Turn) -> None:
    """Answer a question asked in the FAQ flow: the answer, suggestions, or an honest no."""
    matches = turn.services.faq.ask_all(turn.text)
    if await answer_and_act(turn, matches):
        return
    # Just after "Tanya" a message is a question first; unanswered, it may still be a command in
    # other words ("mau mendaftarkan orang lain"). A person asked for is called below, as before.
    asking = turn.conv.step == ASK and not handoff.asks_for_person(turn)
    if asking and await turn.run_global_command():
        return
    if matches and suggest(turn, matches[0]):
        # Not answered either: the editors see it, with the entry the bot thought closest.
        closest = matches[0].alternatives[0].faq_id if matches[0].alternatives else None
        await turn.services.faq.record_unanswered(turn.uow, turn.text, "unsure", closest)
        return
    await turn.services.faq.record_unanswered(turn.uow, turn.text, "refused", None)
    if handoff.asks_for_person(turn):
        await handoff.request(turn, "faq")
        return
    turn.go(FLOW, ASK)
    turn.say(
        "faq-no-answer", buttons=[turn.button("agent", "btn-agent"), turn.button(MENU, "btn-menu")]
    )


def said_helpful(text: str) -> bool | None:
    """Read typed feedback on an answer: True for yes or thanks, False for no, else None."""
    if "?" in text:
        return None  # a new question
    words = plain(text).split()
    if not words or len(words) > _MAX_FEEDBACK_WORDS:
        return None
    if any(w in _NOT for w in words) and any(w in _HELPED for w in words):
        return False  # "kurang jelas", "belum paham": read_yes_no hears "I don't know"
    said = read_yes_no(text)
    if said is not None:
        return said
    if any(w in _THANKS for w in words) and all(w in _THANKS | _AROUND_THANKS for w in words):
        return True
    return None


def _feedback_given(turn: Turn, choice: str) -> bool | None:
    """Return the feedback this turn gives on the last answer, or None when it gives none."""
    if turn.conv.step != FEEDBACK:
        return None
    if choice in ("faq:helpful", "faq:unhelpful"):
        return choice == "faq:helpful"
    return said_helpful(turn.text) if turn.text and not choice else None


def _answerable(faq: FaqService, matches: Sequence[FaqMatch]) -> tuple[list[str], list[str]]:
    """Return the entries to answer (at most two) and the other candidates, best first."""
    answered: list[str] = []
    for match in matches:
        faq_id = match.faq_id
        if faq_id and faq_id not in answered and faq.entry(faq_id) is not None:
            answered.append(faq_id)
    answered = answered[:MAX_ANSWERS]
    others: list[str] = []
    for match in matches:
        for candidate in match.alternatives:
            faq_id = candidate.faq_id
            if faq_id not in answered and faq_id not in others and faq.entry(faq_id) is not None:
                others.append(faq_id)
    return answered, others[:MAX_OPTIONS]


async def _answer(turn: Turn, faq_ids: Sequence[str], others: Sequence[str]) -> None:
    """Give each entry: say it, or do what it is about; then ask whether it helped."""
    faq_ids = [i for i in faq_ids if turn.services.faq.entry(i) is not None]
    if not faq_ids:
        turn.say("faq-ask-prompt")
        return
    plan = await _plan(turn, faq_ids)
    _begin(turn, plan)
    for faq_id, deed, _ in plan:
        if deed is Deed.SHOW_STATUS:
            await status.show(turn)
        elif deed is Deed.CALL_PERSON:
            await handoff.request(turn, "asked")
        else:
            _say_entry(turn, faq_id)
    _end(turn, plan, others)


async def _plan(turn: Turn, faq_ids: Sequence[str]) -> Plan:
    """Decide how each entry is given: its text (and a button), her status, or a person."""
    reg: Registration | None = None
    if any(ACTIONS.get(i) in _STATUS_ACTS for i in faq_ids):
        reg = await turn.services.registrations.latest(turn.uow, turn.conv)
    plan: Plan = []
    for faq_id in faq_ids:
        act = ACTIONS.get(faq_id)
        if act is Act.AGENT:
            plan.append((faq_id, Deed.CALL_PERSON, None))
        elif _shows_status(act, reg):
            plan.append((faq_id, Deed.SHOW_STATUS, None))
        elif act in _STATUS_ACTS:
            # Nothing sent yet: how it works, and the way to start (or go on with her draft).
            key = "btn-continue-registration" if reg is not None else "faq-action-register"
            plan.append((faq_id, Deed.SAY, turn.button(menu.REGISTER, key)))
        else:
            plan.append((faq_id, Deed.SAY, _offer(turn, faq_id)))
    return plan


def _shows_status(act: Act | None, reg: Registration | None) -> bool:
    """Tell whether her own status answers this entry better than its text."""
    if act is Act.STATUS:
        return reg is not None
    return act is Act.STATUS_IF_SENT and reg is not None and reg.status != Status.DRAFT


def _offer(turn: Turn, faq_id: str) -> Button | None:
    """Return the button that does what the answer ``faq_id`` explains, if it names one."""
    act = ACTIONS.get(faq_id)
    offer = _OFFERS.get(act) if act is not None else None
    return turn.button(*offer) if offer else None


def _begin(turn: Turn, plan: Plan) -> None:
    """Set the conversation where the answers' own buttons expect it."""
    if turn.conv.flow != FLOW:
        turn.state.pop("faq_return", None)  # left over from an FAQ visit that ended elsewhere
    if any(deed is Deed.SAY for _, deed, _ in plan):
        # Feedback follows; the status or the queue must not offer to "resume" the FAQ.
        turn.go(None)
        return
    back_to = turn.state.pop("faq_return", None)
    # Asked from the middle of the form: the status and the queue offer to resume it.
    if back_to:
        turn.go("registration", back_to)
    else:
        turn.go(None)


def _end(turn: Turn, plan: Plan, others: Sequence[str]) -> None:
    """Ask whether the answers helped, with what they invite her to do next."""
    for key in ("faq_answered", "faq_last", "faq_next", "faq_question"):
        turn.state.pop(key, None)
    if not any(deed is Deed.SAY for _, deed, _ in plan):
        return  # she got her status or a person: nothing to rate
    faq_ids = [faq_id for faq_id, _, _ in plan]
    turn.state["faq_answered"] = faq_ids
    turn.state["faq_question"] = turn.text[:500] or turn.state.get("faq_asked", "")
    turn.state["faq_next"] = list(others)
    buttons: list[Button] = []
    for _, _, button in plan:
        if button is not None and all(b.id != button.id for b in buttons):
            buttons.append(button)
    turn.go(FLOW, FEEDBACK)
    turn.say(
        "faq-helpful",
        answers=len(faq_ids),
        buttons=[
            *buttons,
            turn.button("faq:helpful", "btn-yes"),
            turn.button("faq:unhelpful", "btn-no"),
        ],
    )


def _say_entry(turn: Turn, faq_id: str) -> None:
    """Say the entry's answer text."""
    entry = turn.services.faq.entry(faq_id)
    if entry is not None:
        turn.say_text(entry.answer)


def _offer_options(
    turn: Turn, options: Sequence[str], asked: str, key: str, extra: list[Button]
) -> None:
    """Offer entries as "did you mean" buttons, with the helpdesk and ``extra`` after them."""
    faq = turn.services.faq
    options = list(options[:MAX_OPTIONS])
    turn.go(FLOW, PICK)
    turn.state["faq_asked"] = asked
    turn.state["faq_next"] = options
    buttons = [turn.button(f"faq:{i}", "faq-option", question=_label(faq, i)) for i in options]
    turn.say(key, buttons=[*buttons, turn.button("agent", "btn-agent"), *extra])


def _label(faq: FaqService, faq_id: str) -> str:
    """Return the entry's question, cut to fit a button."""
    entry = faq.entry(faq_id)
    question = entry.question if entry else faq_id
    return question if len(question) <= LABEL_LIMIT else question[: LABEL_LIMIT - 1] + "…"


def _answered(state: dict[str, object]) -> list[str | None]:
    """Return the entries the pending feedback is about (older chats kept only one)."""
    answered = state.get("faq_answered")
    if isinstance(answered, list) and answered:
        return [str(i) for i in answered]
    last = state.get("faq_last")
    return [str(last) if last else None]


async def _feedback(turn: Turn, *, helpful: bool) -> None:
    """Close the answer: glad (back to the form, if asked from it), or the next candidates."""
    if not helpful:
        question = str(turn.state.get("faq_question") or "")
        for faq_id in _answered(turn.state):
            await turn.services.faq.record_unanswered(turn.uow, question, "not_helpful", faq_id)
        faq = turn.services.faq
        others = [i for i in turn.state.pop("faq_next", []) if faq.entry(i) is not None]
        if others:
            extra = [turn.button(MENU, "btn-menu")]
            _offer_options(turn, others, question, "faq-unhelpful-options", extra)
            return
        turn.go(FLOW, ASK)
        turn.say(
            "faq-sorry",
            buttons=[turn.button("agent", "btn-agent"), turn.button(MENU, "btn-menu")],
        )
        return
    turn.state.pop("faq_next", None)
    back_to = turn.state.pop("faq_return", None)
    if back_to:
        turn.go("registration", back_to)
        turn.say("faq-glad-resume", buttons=[turn.button(RESUME, "btn-resume")])
        return
    turn.go(None)
    turn.say("faq-glad", buttons=menu.buttons(turn))
