"""What the core offers each channel integration, passed explicitly at start-up."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.config import Settings
from bot.engine.channels import ChannelSender
from bot.engine.messages import Inbound, Reply
from bot.engine.ratelimit import LimiterFactory, RateLimiter
from bot.i18n import Catalog


@dataclass(frozen=True, slots=True)
class HandleResult:
    """The outcome of one inbound message: dropped as a duplicate, or the replies it caused."""

    duplicate: bool
    replies: tuple[Reply, ...] = ()
    # Position of the last stored message, so pull channels know where to continue.
    last_seq: int = 0
    # The chat's new id when this turn replaced it (a web chat session after erasure).
    new_chat_id: str | None = None


# Record a delivery callback: (channel, channel message id, status, error text or None).
DeliveryRecorder = Callable[[str, str, str, str | None], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class ChannelContext:
    """Everything a channel integration needs from the core.

    ``handle_inbound`` runs one message in its own transaction (dedup, conversation lock,
    dialog, effects, replies queued in the outbox for push channels) and raises if the
    message could not be stored, so a webhook can answer non-2xx only then.
    ``add_sender`` registers the channel's sender with the outbox dispatcher.
    """

    settings: Settings
    catalog: Catalog
    handle_inbound: Callable[[Inbound], Awaitable[HandleResult]]
    add_sender: Callable[[ChannelSender], None]
    record_delivery: DeliveryRecorder
    # The bytes behind a stored image link (an agent's photo), for channels that upload pictures.
    load_media: Callable[[str], Awaitable[bytes | None]] | None = None
    # The OGG/Opus voice note of a text (None: none could be made); None when voice is off.
    make_voice: Callable[[str], Awaitable[bytes | None]] | None = None
    # Makes a sender's rate limiter: shared by all workers through Redis when configured.
    rate_limiter: LimiterFactory = lambda _channel, _account, rate, gap: RateLimiter(rate, gap)
