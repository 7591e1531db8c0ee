"""Tanya (FAQ): answer questions typed in the citizen's own words."""

from __future__ import annotations

from bot.engine.messages import Button
from bot.services.faq import FaqService
from dialogs import handoff, menu
from dialogs.base import AGENT, MENU, RESUME, Turn

FLOW = "faq"
ASK = "ask"
FEEDBACK = "feedback"
PICK = "pick"
LABEL_LIMIT = 60
# What an answer invites her to do next, offered as a button with it: entry id → (button id,
# label). The buttons are the menu's own, so tapping one starts that dialog right away.
FOLLOW_UPS: dict[str, tuple[str, str]] = {
    "cara-daftar": (menu.REGISTER, "faq-action-register"),
    "syarat-dokumen": (menu.REGISTER, "faq-action-register"),
    "lanjut-nanti": (menu.REGISTER, "faq-action-register"),
    "cek-status": (menu.STATUS, "faq-action-status"),
    "lama-verifikasi": (menu.STATUS, "faq-action-status"),
    "verifikasi-terlambat": (menu.STATUS, "faq-action-status"),
    "hubungi-petugas": (AGENT, "faq-action-agent"),
}


async def start(turn: Turn) -> None:
    """Invite the citizen to type a question."""
    turn.state["faq_return"] = (turn.conv.flow == "registration" and turn.conv.step) or None
    turn.go(FLOW, ASK)
    turn.say("faq-ask-prompt")


async def handle(turn: Turn) -> None:
    """Handle a question, a pick among alternatives, or feedback on an answer."""
    choice = turn.choice() or ""
    if turn.conv.step == FEEDBACK and choice in ("faq:helpful", "faq:unhelpful"):
        await _feedback(turn, helpful=choice == "faq:helpful")
    elif choice.startswith("faq:"):
        _answer(turn, choice.removeprefix("faq:"))
    elif turn.text:
        await respond(turn)
    else:
        turn.say("faq-ask-prompt")


def answer_if_sure(turn: Turn) -> bool:
    """Answer when the FAQ match is confident; return whether it answered."""
    match = turn.services.faq.ask(turn.text)
    if match.faq_id is None:
        return False
    _answer(turn, match.faq_id)
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
    turn.say_text(entry.answer)
    turn.say("faq-back-to-flow")
    return True


def suggest(turn: Turn) -> bool:
    """Offer the likeliest questions as buttons when the match is close; return whether it did."""
    faq = turn.services.faq
    match = faq.ask(turn.text)
    options = [c for c in match.alternatives if faq.entry(c.faq_id) is not None][:3]
    if not options or match.score < faq.suggest_floor:
        return False
    turn.go(FLOW, PICK)
    turn.state["faq_asked"] = turn.text[:500]  # kept for "Tidak" after a tapped choice
    buttons = [turn.button(f"faq:{c.faq_id}", "faq-option", question=_label(faq, c.faq_id))
               for c in options]  # fmt: skip
    turn.say("faq-did-you-mean", buttons=[*buttons, turn.button("agent", "btn-agent")])
    return True


async def respond(turn: Turn) -> None:
    """Answer a question asked in the FAQ flow: the answer, suggestions, or an honest no."""
    if answer_if_sure(turn) or suggest(turn):
        return
    await turn.services.faq.record_unanswered(turn.uow, turn.text, "refused", None)
    if handoff.asks_for_person(turn):
        await handoff.request(turn, "faq")
        return
    turn.go(FLOW, ASK)
    turn.say(
        "faq-no-answer", buttons=[turn.button("agent", "btn-agent"), turn.button(MENU, "btn-menu")]
    )


def _label(faq: FaqService, faq_id: str) -> str:
    entry = faq.entry(faq_id)
    question = entry.question if entry else faq_id
    return question if len(question) <= LABEL_LIMIT else question[: LABEL_LIMIT - 1] + "…"


def _answer(turn: Turn, faq_id: str) -> None:
    entry = turn.services.faq.entry(faq_id)
    if entry is None:
        turn.say("faq-ask-prompt")
        return
    turn.state["faq_last"] = faq_id
    turn.state["faq_question"] = turn.text[:500] or turn.state.get("faq_asked", "")
    turn.go(FLOW, FEEDBACK)
    turn.say_text(entry.answer)
    turn.say(
        "faq-helpful",
        buttons=[
            *follow_up(turn, faq_id),
            turn.button("faq:helpful", "btn-yes"),
            turn.button("faq:unhelpful", "btn-no"),
        ],
    )


def follow_up(turn: Turn, faq_id: str) -> list[Button]:
    """Return the button that does what the answer ``faq_id`` explains, if it names one."""
    action = FOLLOW_UPS.get(faq_id)
    return [turn.button(*action)] if action else []


async def _feedback(turn: Turn, *, helpful: bool) -> None:
    back_to = turn.state.pop("faq_return", None)
    if not helpful:
        await turn.services.faq.record_unanswered(
            turn.uow,
            turn.state.get("faq_question") or "",
            "not_helpful",
            turn.state.get("faq_last"),
        )
        turn.go(FLOW, ASK)
        turn.say(
            "faq-sorry",
            buttons=[turn.button("agent", "btn-agent"), turn.button(MENU, "btn-menu")],
        )
        return
    if back_to:
        turn.go("registration", back_to)
        turn.say("faq-glad-resume", buttons=[turn.button(RESUME, "btn-resume")])
        return
    turn.go(None)
    turn.say("faq-glad", buttons=menu.buttons(turn))
