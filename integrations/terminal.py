"""The terminal channel behind ``tlive-bot chat``: the same conversation, in a shell."""

from __future__ import annotations

import asyncio
import getpass
import sys
import uuid
from pathlib import Path
from typing import TextIO

from bot.config import Settings
from bot.core import Core, build_core
from bot.engine.messages import Inbound, InboundKind, Reply
from bot.usecases.citizen_chat import read_chat

CHANNEL = "terminal"
PHOTO_COMMAND = "/photo"


def render(reply: Reply, out: TextIO) -> None:
    """Print a reply with numbered choices, so typing the number answers."""
    print(f"\nbot> {reply.text}", file=out)
    if reply.image_url:
        print(f"     [gambar: {reply.image_url}]", file=out)
    for number, button in enumerate(reply.buttons, start=1):
        print(f"     [{number}] {button.label}", file=out)


def to_inbound(line: str, chat_id: str) -> Inbound | str:
    """Turn a typed line into an inbound message, or an error text for the user."""
    message_id = uuid.uuid4().hex
    if line.startswith(PHOTO_COMMAND + " ") or line == PHOTO_COMMAND:
        path = Path(line[len(PHOTO_COMMAND) :].strip()).expanduser()
        try:
            data = path.read_bytes()
        except OSError as exc:
            return f"cannot read {path}: {exc.strerror}"
        return Inbound(CHANNEL, chat_id, message_id, InboundKind.PHOTO, photo=data)
    return Inbound(CHANNEL, chat_id, message_id, InboundKind.TEXT, text=line)


async def run_terminal_chat(
    settings: Settings,
    *,
    session: str | None = None,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
) -> int:
    """Chat until end of input; proactive messages appear before each prompt."""
    core = build_core(settings)
    chat_id = session or getpass.getuser()
    await core.services.faq.reload()
    print("Asisten Tangerang LIVE — ketik 'menu' untuk mulai, /photo PATH untuk kirim foto, "
          "Ctrl-D untuk keluar.", file=stdout)  # fmt: skip
    seen = 0
    try:
        while True:
            seen = await _print_new(core, chat_id, seen, stdout)
            print("\nanda> ", end="", file=stdout, flush=True)
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                break
            line = line.strip()
            if not line:
                continue
            inbound = to_inbound(line, chat_id)
            if isinstance(inbound, str):
                print(inbound, file=stdout)
                continue
            result = await core.handle(inbound)
            for reply in result.replies:
                render(reply, stdout)
            seen = result.last_seq
    finally:
        await core.db.dispose()
    return 0


async def _print_new(core: Core, chat_id: str, after: int, out: TextIO) -> int:
    """Print messages that arrived meanwhile (a decision, an agent's reply)."""
    # At start (``after`` 0) only the position is wanted: an old chat is not replayed.
    page = await read_chat(
        core.uow, CHANNEL, chat_id, after=after, directions=("out",) if after else ()
    )
    if page is None:
        return after
    for _message, body in page.messages:
        render(Reply.from_dict(body), out)
    return page.last_seq
