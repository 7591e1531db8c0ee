"""The web console for verifiers, helpdesk agents and admins: a nested app at ``/console/``.

Importing this package stays cheap (the CLI imports ``bot.console.cli``); the web parts load
when :func:`setup` runs.
"""

from __future__ import annotations

from aiohttp import web


def setup(app: web.Application) -> None:
    """Mount the console at ``/console/`` on the main application."""
    from bot.console.app import setup as mount

    mount(app)
