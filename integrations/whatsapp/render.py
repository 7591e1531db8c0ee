"""Render neutral :class:`Reply` objects as WhatsApp Cloud API message payloads.

Degrading rules for choices: 1–3 → reply buttons (titles ≤ 20), 4–10 → a list message (row
titles ≤ 24, the full label in the row description), more → a numbered text menu (the dialogs
accept typed numbers). With voice notes on, a "🔊 Dengarkan" choice joins 1–2 reply buttons
(never a third: it would turn the buttons into a list) and lists of up to 9 rows; a message
without choices stays plain text, heard by typing "dengarkan". Text over 4096 characters is
split; an interactive body over 1024 is sent as text first, followed by a short interactive
prompt. ``ask_contact`` needs nothing: on
WhatsApp the sender's number is already known, so the dialogs ask to confirm it instead.
"""

from __future__ import annotations

import re
from typing import Any

from bot.engine.messages import Button, Reply, Template
from bot.i18n import Catalog

MAX_TEXT = 4096
MAX_INTERACTIVE_BODY = 1024
MAX_CAPTION = 1024
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_BUTTON_ID = 256
MAX_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_ROW_ID = 200
MAX_LIST_BUTTON = 20
MAX_SECTION_TITLE = 24
ELLIPSIS = "…"

Payload = dict[str, Any]


def units(text: str) -> int:
    """Count UTF-16 code units, the conservative measure for WhatsApp's length limits."""
    return len(text.encode("utf-16-le")) // 2


def one_line(text: str) -> str:
    """Collapse whitespace and line breaks into single spaces."""
    return " ".join(text.split())


def prefix(text: str, limit: int) -> str:
    """Return the longest start of ``text`` that fits in ``limit`` units."""
    window = text[:limit]
    while units(window) > limit:
        window = window[:-1]
    return window


def truncate(text: str, limit: int) -> str:
    """Fit ``text`` into ``limit`` units on one line, cutting at a word and adding "…"."""
    text = one_line(text)
    if units(text) <= limit:
        return text
    cut = prefix(text, limit - 1)
    space = cut.rfind(" ")
    if space >= len(cut) // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-–/(") + ELLIPSIS


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split ``text`` into chunks of at most ``limit`` at paragraph, line or word breaks."""
    rest = text.strip()
    chunks: list[str] = []
    while units(rest) > limit:
        window = prefix(rest, limit)
        cut = -1
        for sep in ("\n\n", "\n", " "):
            idx = window.rfind(sep)
            if idx >= len(window) // 4:
                cut = idx
                break
        if cut <= 0:
            head, rest = window, rest[len(window) :]
        else:
            head, rest = window[:cut], rest[cut:]
        chunks.append(head.rstrip())
        rest = rest.strip()
    if rest:
        chunks.append(rest)
    return chunks


def resolve_image_url(image_url: str | None, public_url: str | None) -> str | None:
    """Return an absolute HTTPS/HTTP link for ``image_url``, or None when there is none."""
    if not image_url:
        return None
    if re.match(r"^https?://", image_url):
        return image_url
    if public_url and image_url.startswith("/"):
        return public_url.rstrip("/") + image_url
    return None


# A business-scoped user id: country code, optional "ENT", up to 128 letters and digits.
BSUID = re.compile(r"^[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{1,128}$")


def address(chat_id: str) -> Payload:
    """Address a user by phone number (``to``) or, for a BSUID, by ``recipient``."""
    return {"recipient": chat_id} if BSUID.match(chat_id) else {"to": chat_id}


def _envelope(to: str, kind: str, content: Payload) -> Payload:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        **address(to),
        "type": kind,
        kind: content,
    }


def text_payload(to: str, body: str) -> Payload:
    """Build a plain text message (link previews off)."""
    return _envelope(to, "text", {"preview_url": False, "body": body})


def image_payload(to: str, link: str, caption: str | None = None) -> Payload:
    """Build an image message from a public URL."""
    content: Payload = {"link": link}
    if caption:
        content["caption"] = caption
    return _envelope(to, "image", content)


def audio_payload(to: str, media_id: str) -> Payload:
    """Build a voice message from an uploaded OGG/Opus media id.

    ``voice`` makes WhatsApp show it as a voice note (play button, automatic download) rather
    than an audio file; Meta asks for OGG/Opus, and for at most 512 KB to show the play button.
    """
    return _envelope(to, "audio", {"id": media_id, "voice": True})


def with_listen(buttons: tuple[Button, ...], listen: Button | None) -> tuple[Button, ...]:
    """Add the "🔊 Dengarkan" choice where it keeps the message's form (see module docstring)."""
    if listen is None or not buttons or any(b.id == listen.id for b in buttons):
        return buttons
    style = choice_style(buttons)
    if (style == "buttons" and len(buttons) < MAX_BUTTONS) or (
        style == "list" and len(buttons) < MAX_ROWS
    ):
        return (*buttons, listen)
    return buttons


def template_payload(to: str, template: Template, language: str) -> Payload:
    """Build a template message with the template's parameters as body text parameters."""
    content: Payload = {"name": template.name, "language": {"code": language}}
    if template.params:
        content["components"] = [
            {
                "type": "body",
                "parameters": [
                    {"type": "text", "text": template_param(p)} for p in template.params
                ],
            }
        ]
    return _envelope(to, "template", content)


def template_param(value: str) -> str:
    """Make a template parameter acceptable: one line, no runs of spaces, never empty."""
    return one_line(value) or "-"


def buttons_payload(to: str, body: str, buttons: tuple[Button, ...]) -> Payload:
    """Build an interactive reply-button message (1–3 buttons)."""
    action = {
        "buttons": [
            {"type": "reply", "reply": {"id": b.id, "title": truncate(b.label, MAX_BUTTON_TITLE)}}
            for b in buttons
        ]
    }
    return _envelope(
        to, "interactive", {"type": "button", "body": {"text": body}, "action": action}
    )


def list_payload(
    to: str, body: str, buttons: tuple[Button, ...], *, button_label: str, section_title: str
) -> Payload:
    """Build an interactive list message (up to 10 rows in one section)."""
    rows: list[Payload] = []
    for b in buttons:
        label = one_line(b.label)
        row: Payload = {"id": b.id, "title": truncate(label, MAX_ROW_TITLE)}
        if units(label) > MAX_ROW_TITLE:
            row["description"] = truncate(label, MAX_ROW_DESCRIPTION)
        rows.append(row)
    action = {
        "button": truncate(button_label, MAX_LIST_BUTTON),
        "sections": [{"title": truncate(section_title, MAX_SECTION_TITLE), "rows": rows}],
    }
    return _envelope(to, "interactive", {"type": "list", "body": {"text": body}, "action": action})


def choice_style(buttons: tuple[Button, ...]) -> str:
    """Choose "buttons", "list" or "numbered" for a set of choices."""
    ids = [b.id for b in buttons]
    unique_ids = len(set(ids)) == len(ids) and all(ids)
    titles = [truncate(b.label, MAX_BUTTON_TITLE) for b in buttons]
    if (
        len(buttons) <= MAX_BUTTONS
        and unique_ids
        and all(units(i) <= MAX_BUTTON_ID for i in ids)
        and len(set(titles)) == len(titles)
        and all(titles)
    ):
        return "buttons"
    if (
        len(buttons) <= MAX_ROWS
        and unique_ids
        and all(units(i) <= MAX_ROW_ID for i in ids)
        and all(one_line(b.label) for b in buttons)
    ):
        return "list"
    return "numbered"


def _split_for_interactive(text: str) -> tuple[str, str]:
    """Split a long text into (lead sent as text, tail ≤ 1024 used as the interactive body)."""
    text = text.strip()
    if units(text) <= MAX_INTERACTIVE_BODY:
        return "", text
    for sep in ("\n\n", "\n"):
        start = 0
        while (idx := text.find(sep, start)) != -1:
            tail = text[idx:].strip()
            if tail and units(tail) <= MAX_INTERACTIVE_BODY:
                return text[:idx].strip(), tail
            start = idx + len(sep)
    return text, ""


def render_reply(
    reply: Reply, to: str, *, catalog: Catalog, public_url: str | None = None,
    listen: Button | None = None,
) -> list[Payload]:  # fmt: skip
    """Turn one neutral reply into the Graph API payloads to send, in order.

    ``listen`` is the "🔊 Dengarkan" button, when voice notes are on.
    """
    payloads: list[Payload] = []
    text = reply.text.strip()
    buttons = with_listen(reply.buttons, listen)
    link = resolve_image_url(reply.image_url, public_url)
    if link:
        if not buttons and text and units(text) <= MAX_CAPTION:
            return [image_payload(to, link, text)]
        payloads.append(image_payload(to, link))
    if not buttons:
        payloads.extend(text_payload(to, chunk) for chunk in split_text(text))
        return payloads

    style = choice_style(buttons)
    if style == "numbered":
        menu = "\n".join(f"{n}. {one_line(b.label)}" for n, b in enumerate(buttons, start=1))
        intro = catalog.text("whatsapp-menu-intro")
        full = f"{text}\n\n{intro}\n{menu}" if text else f"{intro}\n{menu}"
        payloads.extend(text_payload(to, chunk) for chunk in split_text(full))
        return payloads

    lead, body = _split_for_interactive(text)
    if lead:
        payloads.extend(text_payload(to, chunk) for chunk in split_text(lead))
    if not body:
        body = catalog.text("whatsapp-choose-prompt")
    if style == "buttons":
        payloads.append(buttons_payload(to, body, buttons))
    else:
        payloads.append(
            list_payload(
                to,
                body,
                buttons,
                button_label=catalog.text("whatsapp-list-button"),
                section_title=catalog.text("whatsapp-list-section"),
            )
        )
    return payloads
