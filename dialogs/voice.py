"""Voice notes in the dialog: "dengarkan" reads the last message aloud; "suara" reads them all.

The words and buttons are global: at any step "dengarkan" (or the "🔊 Dengarkan" button a
channel adds) answers with the bot's last message as a voice note, offering the same choices
again, so the step goes on as before. "suara" / "tanpa suara" switch the citizen's setting
(``conversations.voice_replies``): on, every bot message is followed by its voice note. The
first menu offers it with one tap (see :func:`dialogs.menu.show`); None means not offered yet.
"""

from __future__ import annotations

from bot.engine.messages import VOICE_NOTE, Button, Reply
from dialogs import menu
from dialogs.base import RESUME, Turn
from dialogs.flow import Command, Trigger

LISTEN = "voice:listen"
ON = menu.VOICE_ON
OFF = "voice:off"
# How far back "dengarkan" looks for the bot's last message.
LOOK_BACK = 20


async def listen(turn: Turn) -> None:
    """Answer with the bot's last message as a voice note, its choices offered again."""
    offered = _offered(turn)
    if not turn.services.speech.enabled:
        turn.say("voice-unavailable", buttons=offered)
        return
    text = await _last_bot_text(turn)
    if text is None:
        turn.say("voice-nothing", buttons=offered)
        return
    turn.replies.append(Reply(text=text, buttons=tuple(offered), extra={VOICE_NOTE: True}))


async def switch_on(turn: Turn) -> None:
    """Send a voice note after every bot message from now on."""
    if not turn.services.speech.enabled:
        turn.say("voice-unavailable", buttons=_offered(turn))
        return
    turn.conv.voice_replies = True
    turn.say("voice-on", buttons=_next(turn, turn.button(OFF, "btn-voice-off")))


async def switch_off(turn: Turn) -> None:
    """Send text only from now on."""
    turn.conv.voice_replies = False
    turn.say("voice-off", buttons=_next(turn, turn.button(ON, "btn-voice-on")))


def setting_button(turn: Turn) -> Button | None:
    """Return the button that changes the voice setting, or None when there is no voice."""
    if not turn.services.speech.enabled:
        return None
    if turn.conv.voice_replies:
        return turn.button(OFF, "btn-voice-off")
    return turn.button(ON, "btn-voice-on")


def _next(turn: Turn, undo: Button) -> list[Button]:
    """Return what she can do next: go on with her step (or undo), or the menu's choices."""
    if turn.conv.flow:
        return [turn.button(RESUME, "btn-resume"), undo]
    return menu.buttons(turn)  # the change is one word away ("suara", "tanpa suara")


def _offered(turn: Turn) -> list[Button]:
    """Return the choices the last message offered, so a typed number still picks one."""
    return [Button(bid, label) for bid, label in turn.state.get("buttons", [])]


async def _last_bot_text(turn: Turn) -> str | None:
    """Return the text of the last message the bot (or an agent) sent in this chat."""
    conv = turn.conv
    after = max((conv.last_seq or 0) - LOOK_BACK, 0)
    history = await turn.uow.conversations.history(conv.id, after=after, directions=("out",))
    for _message, body in reversed(history):
        text = str(body.get("text") or "").strip()
        if text:
            return text
    return None


TRIGGERS = (
    Trigger(listen, Command.LISTEN, (LISTEN,)),
    Trigger(switch_on, Command.VOICE_ON, (ON,)),
    Trigger(switch_off, Command.VOICE_OFF, (OFF,)),
)
