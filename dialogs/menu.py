"""The main menu: greeting and the four big choices."""

from __future__ import annotations

from bot.engine.messages import Button, Reply
from dialogs.base import AGENT, Turn

# The menu's button ids; the dialogs they open listen for them (see their triggers).
REGISTER = "menu:register"
STATUS = "menu:status"
FAQ = "menu:faq"
# Send a rejected request again (the registration flow listens for it).
RESUBMIT = "reg:resubmit"
# Switch on voice notes for every message (dialogs.voice listens for it).
VOICE_ON = "voice:on"
# "Daftarkan orang lain": a new request from the same chat (the registration flow listens).
REGISTER_OTHER = "reg:another"


def buttons(turn: Turn) -> list[Button]:
    """Return the main menu's choices."""
    return [
        turn.button(REGISTER, "btn-register"),
        turn.button(STATUS, "btn-status"),
        turn.button(FAQ, "btn-faq"),
        turn.button(AGENT, "btn-agent"),
    ]


def registered_buttons(turn: Turn) -> list[Button]:
    """Return the menu's choices for a citizen whose request is sent: no "Daftar akun" again."""
    return [
        turn.button(STATUS, "btn-status"),
        turn.button(FAQ, "btn-faq"),
        turn.button(AGENT, "btn-agent"),
    ]


def show(turn: Turn, *, greet: bool = True) -> None:
    """Leave any flow and show the menu."""
    turn.go(None)
    choices = buttons(turn)
    if _offers_voice(turn):
        choices.append(turn.button(VOICE_ON, "btn-voice-on"))
    turn.say("menu-greeting" if greet else "menu-prompt", buttons=choices)


def _offers_voice(turn: Turn) -> bool:
    """Offer "selalu kirim suara" once, with the first menu; tapping it is all it takes.

    The setting becomes False (offered, not taken) so the offer is not repeated; "suara" and
    the help's button switch it on later.
    """
    if turn.conv.voice_replies is not None or not turn.services.speech.enabled:
        return False
    turn.conv.voice_replies = False
    return True


def welcome_first_contact(turn: Turn) -> None:
    """Begin the answer to a chat's very first message with the greeting, if it lacks one.

    WhatsApp (and a Telegram deep link) open with whatever the citizen typed first; the web chat
    is greeted when it opens, so its first typed message is never the first of the chat.
    """
    if turn.message is None or turn.message.seq != 1:
        return
    greeting = turn.t("menu-greeting")
    if turn.replies and turn.replies[0].text == greeting:
        return
    turn.replies.insert(0, Reply(text=turn.t("menu-welcome")))
    if turn.conv.flow is None and not any(r.buttons for r in turn.replies):
        turn.say("menu-prompt", buttons=buttons(turn))
