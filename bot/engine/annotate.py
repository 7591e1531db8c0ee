"""What a turn's replies tell the channels beyond their words, marked in one pass.

- the last reply says when the chat now waits for a photo (a client can offer the camera: the
  rear one for the KTP, the front one for the selfie; any photo while an agent has the chat);
- every reply with words is marked to be heard when the citizen asked for voice on every
  message (the web chat plays it, push channels send its voice note after it);
- a reply with choices that another message follows in the same turn is marked "followed":
  a channel whose keyboard belongs to the chat rather than to a message (Telegram's reply
  keyboard) must keep such choices under their own message, or the next one replaces them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.engine.messages import VOICE, Reply

ANY_PHOTO = "any"
SELFIE = "selfie"


def photo_marks(kind: str) -> dict[str, str]:
    """Return the marks of a reply after which the chat waits for a photo of ``kind``."""
    if kind == ANY_PHOTO:
        return {"photo": ANY_PHOTO}
    return {"photo": kind, "capture": "user" if kind == SELFIE else "environment"}


def speakable(reply: Reply) -> bool:
    """Tell whether a reply has words to read aloud and is not itself a voice note."""
    return bool(reply.text.strip()) and not reply.is_voice_note


def annotate(replies: list[Reply], *, photo: str | None, voice: bool) -> list[Reply]:
    """Return a turn's replies with the photo, voice and followed marks they need."""
    last = len(replies) - 1
    marked: list[Reply] = []
    for n, reply in enumerate(replies):
        extra: dict[str, Any] = dict(reply.extra)
        if voice and speakable(reply):
            extra[VOICE] = True
        if reply.buttons and n < last:
            extra["followed"] = True
        if photo and n == last:
            extra.update(photo_marks(photo))
        marked.append(replace(reply, extra=extra) if extra != reply.extra else reply)
    return marked
