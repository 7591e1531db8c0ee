"""``tlive-bot webhooks …``: the city's endpoints and their deliveries from the command line.

Loaded together with the console's commands (``bot.console.cli``), whose core and actor it
uses; nothing more is imported until a command runs.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from bot.console.cli import cli_actor, command_core

if TYPE_CHECKING:
    from bot.config import Settings

# The values of bot.domain.webhooks.Scope and DeliveryState, spelled out for a cheap parser.
SCOPES = ("status", "identity")
STATES = ("pending", "failing", "delivered", "dead")


def register_webhook_commands(sub: Any) -> None:
    """Add ``webhooks add|list|enable|disable|retry|deliveries`` to the ``tlive-bot`` parser."""
    hooks = sub.add_parser("webhooks", help="events to the city's systems (signed webhooks)")
    actions = hooks.add_subparsers(metavar="ACTION")
    add = actions.add_parser("add", help="add an endpoint (its signing secret is printed once)")
    add.add_argument("url")
    add.add_argument(
        "--scope",
        required=True,
        choices=SCOPES,
        help="status: reference and status only; identity: also NIK and name",
    )
    add.add_argument(
        "--events",
        nargs="+",
        default=["all"],
        metavar="EVENT",
        help="registration.submitted registration.approved "
        "registration.rejected handoff.requested (default: all)",
    )
    add.set_defaults(handler=_add, needs_secret=True)
    lst = actions.add_parser("list", help="list endpoints with their delivery counts")
    lst.set_defaults(handler=_list, needs_secret=True)
    for name, active in (("enable", True), ("disable", False)):
        p = actions.add_parser(name, help=f"{name} an endpoint by id")
        p.add_argument("id", type=int)
        p.set_defaults(handler=_active, needs_secret=True, active=active)
    retry = actions.add_parser("retry", help="send a delivery again now (kirim ulang)")
    retry.add_argument("id", type=int, help="delivery id (see `webhooks deliveries`)")
    retry.set_defaults(handler=_retry, needs_secret=True)
    dl = actions.add_parser("deliveries", help="list the newest deliveries")
    dl.add_argument("--endpoint", type=int, default=None, help="only this endpoint's")
    dl.add_argument("--state", choices=STATES, default=None)
    dl.add_argument("--limit", type=int, default=50)
    dl.set_defaults(handler=_deliveries, needs_secret=True)


def _refused(code: str) -> int:
    messages = {
        "url_invalid": "that is not a URL",
        "url_scheme": "the URL must start with https:// (or http://)",
        "url_credentials": "put no user name or password in the URL",
        "url_plain_http": "use https:// (plain http only to 127.0.0.1, unless "
        "TLIVE_WEBHOOK_ALLOW_HTTP=true)",
        "events_invalid": "unknown event; use registration.submitted, registration.approved, "
        "registration.rejected, handoff.requested or all",
        "not_found": "no endpoint with that id",
        "delivery_not_found": "no delivery with that id",
    }
    print(f"tlive-bot: {messages.get(code, code)}", file=sys.stderr)
    return 1


async def _add(settings: Settings, args: argparse.Namespace) -> int:
    from bot.usecases.webhooks import WebhookError

    events = [e for item in args.events for e in item.split(",")]
    async with command_core(settings) as core:
        try:
            endpoint, secret = await core.webhook_cases.create(
                cli_actor(), args.url, args.scope, events
            )
        except WebhookError as exc:
            return _refused(exc.code)
    print(f"endpoint {endpoint.id} added: {endpoint.url} scope={endpoint.scope} "
          f"events={','.join(endpoint.events)}")  # fmt: skip
    print(f"signing secret (shown only now): {secret}")
    return 0


async def _list(settings: Settings, args: argparse.Namespace) -> int:
    async with command_core(settings) as core:
        views = await core.webhook_cases.endpoints()
    for view in views:
        e = view.endpoint
        counts = " ".join(f"{s}={view.counts.get(s, 0)}" for s in STATES)
        state = "active" if e.active else "disabled"
        print(f"{e.id:>4} {state:8} {e.scope:8} {e.url}  [{','.join(e.events)}]  {counts}")
    return 0


async def _active(settings: Settings, args: argparse.Namespace) -> int:
    from bot.usecases.webhooks import WebhookError

    async with command_core(settings) as core:
        try:
            endpoint = await core.webhook_cases.set_active(cli_actor(), args.id, args.active)
        except WebhookError as exc:
            return _refused(exc.code)
    print(f"endpoint {endpoint.id} {'enabled' if endpoint.active else 'disabled'}")
    return 0


async def _retry(settings: Settings, args: argparse.Namespace) -> int:
    from bot.usecases.webhooks import WebhookError

    async with command_core(settings) as core:
        try:
            delivery = await core.webhook_cases.retry(cli_actor(), args.id)
        except WebhookError as exc:
            return _refused(exc.code)
    # The running service sends it at its next poll (within seconds).
    print(f"delivery {delivery.id} queued to be sent again")
    return 0


async def _deliveries(settings: Settings, args: argparse.Namespace) -> int:
    from bot.usecases.webhooks import WebhookError

    async with command_core(settings) as core:
        try:
            _endpoint, found = await core.webhook_cases.deliveries(
                args.endpoint, state=args.state, limit=max(1, min(args.limit, 1000))
            )
        except WebhookError as exc:
            return _refused(exc.code)
    for d in found:
        nxt = d.next_attempt_at.isoformat(timespec="seconds") if d.state in STATES[:2] else "-"
        print(f"{d.id:>6} endpoint={d.endpoint_id} {d.event_type:24} {d.subject or '-':10} "
              f"{d.state:9} attempts={d.attempts} next={nxt} "
              f"error={d.last_error or '-'} id={d.event_uid}")  # fmt: skip
    return 0
