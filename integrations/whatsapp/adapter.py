"""Translate WhatsApp Cloud API webhook messages into neutral :class:`Inbound` messages.

Type mapping (``messages[].type``):

- ``text`` → TEXT; ``interactive`` ``button_reply``/``list_reply`` → BUTTON (``button_id`` = the
  row or button id, ``text`` = its title, so a typed word and a tap look alike to dialogs);
  ``button`` (quick reply on a template) → BUTTON with its payload; TEXT when the payload is
  missing or just repeats the button's text (Meta's default), so keywords like "menu" work.
- ``image`` and ``document`` with an image MIME type (JPEG, PNG, WebP) → PHOTO: the bytes are
  fetched from the Graph API; over 20 MB → ``photo_too_large`` without downloading. A document
  that is not an image (PDF, Word, …), or a media id that is not a number → UNSUPPORTED.
- ``audio`` (voice notes included) → VOICE; ``sticker`` → STICKER; ``location`` → LOCATION.
- ``contacts`` → UNSUPPORTED: a shared contact card is somebody else's number, never proof of
  the sender's own (WhatsApp already vouches for that in ``channel_phone``), so the dialogs'
  kind "I can't read this" answer fits better than the phone step's CONTACT handling.
- ``reaction``, ``system`` (number changed) and ``request_welcome`` → ignored (None): a citizen
  reacting 👍 to each bot message must not trigger a reply storm.
- ``unsupported``/``unknown``, ``video``, ``order`` and anything new → UNSUPPORTED.

Media fetch failures raise, so the webhook answers 500 and Meta delivers the message again.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any, Protocol

from bot.engine.messages import Inbound, InboundKind
from integrations.whatsapp.graph import Media, is_media_id

log = logging.getLogger(__name__)

CHANNEL = "whatsapp"
IMAGE_MIME_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
IGNORED_TYPES = frozenset({"reaction", "system", "request_welcome"})
_SIMPLE_KINDS: dict[str, InboundKind] = {
    "audio": InboundKind.VOICE,
    "voice": InboundKind.VOICE,
    "sticker": InboundKind.STICKER,
    "location": InboundKind.LOCATION,
}


class MediaFetcher(Protocol):
    """Fetch a media object by id (the Graph API client in production)."""

    async def fetch_media(self, media_id: str) -> Media:
        """Return the media's bytes, or ``too_large``; raise when it cannot be fetched."""
        ...


class MalformedMessageError(ValueError):
    """A message object lacks the fields every message has (``id``, ``from``)."""


def normalise_phone(wa_id: str) -> str:
    """Turn a WhatsApp id (country code + number, digits) into ``+<digits>``."""
    digits = re.sub(r"\D", "", wa_id)
    return f"+{digits}" if digits else ""


def sender_id(message: Mapping[str, Any]) -> str:
    """Return who sent ``message``: the phone number (wa_id), else the business-scoped user id.

    Since 2026 Meta may omit ``from`` for users who adopted a username and send only
    ``from_user_id`` (a BSUID such as ``ID.1502576394655843``). The phone number is preferred
    while present so existing conversations keep their chat id.
    """
    for key in ("from", "from_user_id"):
        value = message.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def _phone_of(message: Mapping[str, Any]) -> str | None:
    value = message.get("from")
    return (normalise_phone(value) or None) if isinstance(value, str) else None


def base_mime(mime_type: str) -> str:
    """Strip parameters from a MIME type (``audio/ogg; codecs=opus`` → ``audio/ogg``)."""
    return mime_type.split(";", 1)[0].strip().lower()


async def to_inbound(
    message: Mapping[str, Any], names: Mapping[str, str], media: MediaFetcher
) -> Inbound | None:
    """Translate one webhook message; None means "ignore it" (reactions and the like)."""
    wamid = message.get("id")
    sender = sender_id(message)
    if not isinstance(wamid, str) or not wamid or not sender:
        raise MalformedMessageError("message without id or sender")
    kind_name = str(message.get("type", ""))
    if kind_name in IGNORED_TYPES:
        log.debug("whatsapp: ignoring a %s message", kind_name)
        return None

    base: dict[str, Any] = {
        "channel": CHANNEL,
        "chat_id": sender,
        "message_id": wamid,
        "channel_phone": _phone_of(message),
        "display_name": names.get(sender) or None,
    }
    content = message.get(kind_name)
    body: Mapping[str, Any] = content if isinstance(content, Mapping) else {}

    if kind_name == "text":
        return Inbound(kind=InboundKind.TEXT, text=str(body.get("body", "")), **base)
    if kind_name == "interactive":
        return _interactive(body, base)
    if kind_name == "button":
        payload = body.get("payload")
        text = str(body.get("text", ""))
        if isinstance(payload, str) and payload and payload != text:
            return Inbound(kind=InboundKind.BUTTON, button_id=payload, text=text, **base)
        return Inbound(kind=InboundKind.TEXT, text=text, **base)
    if kind_name in ("image", "document"):
        return await _photo(kind_name, body, base, media)
    if kind_name in _SIMPLE_KINDS:
        return Inbound(kind=_SIMPLE_KINDS[kind_name], **base)
    log.warning("whatsapp: unsupported message type %r", kind_name[:40])
    return Inbound(kind=InboundKind.UNSUPPORTED, **base)


def _interactive(body: Mapping[str, Any], base: dict[str, Any]) -> Inbound:
    reply_type = body.get("type")
    reply = body.get(reply_type) if isinstance(reply_type, str) else None
    if reply_type in ("button_reply", "list_reply") and isinstance(reply, Mapping):
        button_id = reply.get("id")
        if isinstance(button_id, str) and button_id:
            title = str(reply.get("title", ""))
            return Inbound(kind=InboundKind.BUTTON, button_id=button_id, text=title, **base)
    log.warning("whatsapp: unsupported interactive reply %r", str(reply_type)[:40])
    return Inbound(kind=InboundKind.UNSUPPORTED, **base)


async def _photo(
    kind_name: str, body: Mapping[str, Any], base: dict[str, Any], media: MediaFetcher
) -> Inbound:
    media_id = body.get("id")
    declared = base_mime(str(body.get("mime_type", "")))
    if not is_media_id(media_id):
        log.warning("whatsapp: %s message without a numeric media id", kind_name)
        return Inbound(kind=InboundKind.UNSUPPORTED, **base)
    if declared and declared not in IMAGE_MIME_TYPES:
        log.info("whatsapp: %s with MIME type %s is not a photo", kind_name, declared[:60])
        return Inbound(kind=InboundKind.UNSUPPORTED, **base)
    caption = str(body.get("caption", ""))
    fetched = await media.fetch_media(media_id)
    actual = base_mime(fetched.mime_type) or declared
    if actual not in IMAGE_MIME_TYPES:
        log.info("whatsapp: media with MIME type %s is not a photo", actual[:60])
        return Inbound(kind=InboundKind.UNSUPPORTED, **base)
    if fetched.too_large or fetched.data is None:
        return Inbound(kind=InboundKind.PHOTO, text=caption, photo_too_large=True, **base)
    return Inbound(kind=InboundKind.PHOTO, text=caption, photo=fetched.data, **base)
