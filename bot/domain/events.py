"""What happened, told after the commit: use cases publish events, subscribers react.

The unit of work collects the events published inside it and hands them to the bus only once
its transaction has committed, so nobody reacts to work that was rolled back. The composition
root (``bot.core``) is the one place that subscribes reactions (wake the outbox, refresh the
live console views, reload the FAQ index).
"""

from __future__ import annotations

import inspect
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened in a committed transaction."""


@dataclass(frozen=True, slots=True)
class MessagesQueued(Event):
    """Messages were put on the outbox for a push channel."""

    channel: str


@dataclass(frozen=True, slots=True)
class ChatChanged(Event):
    """A conversation's helpdesk state or history changed (live views refresh)."""

    conversation_id: int


@dataclass(frozen=True, slots=True)
class FaqPublished(Event):
    """The live FAQ changed (the matcher's index is rebuilt)."""


@dataclass(frozen=True, slots=True)
class RegistrationDecided(Event):
    """A verifier approved or rejected a registration."""

    registration_id: int
    status: str


@dataclass(frozen=True, slots=True)
class WebhooksQueued(Event):
    """Events for the city's systems were recorded (the webhook dispatcher wakes)."""


@dataclass(frozen=True, slots=True)
class PhotoAttached(Event):
    """An accepted KTP photo or selfie was stored on a registration draft."""

    registration_id: int
    kind: str


Handler = Callable[[Event], Awaitable[None] | None]


class EventBus:
    """Deliver committed events to their subscribers; a failing subscriber is only logged."""

    def __init__(self) -> None:
        self._handlers: dict[type[Event], list[Handler]] = defaultdict(list)

    def subscribe(self, kind: type[Event], handler: Handler) -> None:
        """Call ``handler`` with every committed event of ``kind``."""
        self._handlers[kind].append(handler)

    async def dispatch(self, events: Iterable[Event]) -> None:
        """Hand each event to its subscribers, once per distinct event."""
        for event in dict.fromkeys(events):
            for handler in self._handlers.get(type(event), ()):
                try:
                    result = handler(event)
                    if inspect.isawaitable(result):
                        await result
                except Exception:
                    # The transaction is already committed; a reaction must not undo the answer.
                    log.exception("subscriber of %s failed", type(event).__name__)
