"""``tlive-bot rasa-actions``: rasa-sdk's own action endpoint, in this service's event loop.

rasa-sdk's ``run()`` starts Sanic worker processes that each import and build the actions on
their own; this service builds one core (database engine, FAQ index) per process in its own
event loop. So the endpoint is rasa-sdk's :func:`rasa_sdk.endpoint.create_app` (the same
``/webhook``, ``/actions`` and ``/health``), served with Sanic's ``create_server`` in the loop
that owns the core. More capacity: run more of these processes behind a load balancer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import warnings
from dataclasses import dataclass

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic
from sanic.exceptions import SanicException
from sanic.server.async_server import AsyncioServer

from bot.config import Settings
from bot.core import Core, build_core
from bot.usecases.assistant import AssistantCases
from dialogs.base import AGENT
from integrations.rasa.actions import actions

log = logging.getLogger(__name__)
# rasa_sdk.endpoint.create_app names every app this; Sanic keeps one app per name a process.
APP_NAME = "rasa_sdk"


def build_executor(core: Core) -> ActionExecutor:
    """Return an executor with the four actions, built over the core's use cases."""
    cases = AssistantCases(
        core.uow, core.settings, core.catalog, core.services, core.handle, agent_button=AGENT
    )
    executor = ActionExecutor()
    for action in actions(cases):
        executor.register_action(action)
    return executor


@dataclass
class ActionServer:
    """A running action endpoint."""

    app: Sanic
    server: AsyncioServer
    port: int
    closed: bool = False

    async def close(self) -> None:
        """Stop listening and let the app's name be used again (once; later calls do nothing)."""
        if self.closed:
            return
        self.closed = True
        await self.server.before_stop()
        self.server.close()
        await self.server.wait_closed()
        await self.server.after_stop()
        Sanic.unregister_app(self.app)


async def start_action_server(core: Core, host: str, port: int) -> ActionServer:
    """Serve the actions on ``host:port`` (0: any free port) in the running event loop."""
    # Rasa Open Source stopped at 3.6 (Python <= 3.10) and rasa-sdk 3.6 needs Python < 3.11:
    # the pair always differs in version; the action protocol is the same.
    warnings.filterwarnings("ignore", message="Your versions of rasa and rasa_sdk")
    with contextlib.suppress(SanicException):
        Sanic.unregister_app(Sanic.get_app(APP_NAME))  # one left over by an earlier server
    # Rasa's server talks to the action server; browsers never do: no CORS origins.
    app = create_app(build_executor(core), cors_origins=[])
    # Sanic's "touch-up" rewrites methods by source, which fails outside its own runner.
    app.config.TOUCHUP = False
    server = await app.create_server(host=host, port=port, access_log=False)
    if server is None:  # pragma: no cover - create_server returns a server since Sanic 22
        raise OSError(f"cannot listen on {host}:{port}")
    await server.startup()
    await server.before_start()
    await server.after_start()
    bound = server.server.sockets[0].getsockname()[1] if server.server else port
    return ActionServer(app, server, int(bound))


async def serve_actions(settings: Settings, host: str, port: int) -> int:
    """Run the action server until SIGINT or SIGTERM."""
    core = build_core(settings, ocr=False)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await core.services.faq.reload()
        follow = asyncio.create_task(core.services.faq.follow(), name="faq-follow")
        server = await start_action_server(core, host, port)
        log.info("rasa action server on http://%s:%s/webhook", host, server.port)
        print(f"Rasa action server: http://{host}:{server.port}/webhook", flush=True)
        await stop.wait()
        await server.close()
        follow.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await follow
    finally:
        await core.db.dispose()
    return 0
