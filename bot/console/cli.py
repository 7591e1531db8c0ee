"""``tlive-bot user``, ``token`` and ``report``: console accounts, API tokens and the recap."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.config import Settings

if TYPE_CHECKING:
    from bot.core import Core
    from bot.services.accounts import Actor

# The values of bot.services.accounts.Role, spelled out so building the parser stays cheap.
ROLES = ("verifier", "agent", "admin")


def register_console_commands(sub: Any) -> None:
    """Add the user, token and report commands to the ``tlive-bot`` parser."""
    user = sub.add_parser("user", help="manage console accounts").add_subparsers(metavar="ACTION")
    add = user.add_parser("add", help="add an account (password from stdin or prompted)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.set_defaults(handler=_user_add, needs_secret=True)
    lst = user.add_parser("list", help="list accounts")
    lst.set_defaults(handler=_user_list, needs_secret=True)
    for action, active in (("deactivate", False), ("activate", True)):
        p = user.add_parser(action, help=f"{action} an account")
        p.add_argument("name")
        p.set_defaults(handler=_user_active, needs_secret=True, active=active)

    token = sub.add_parser("token", help="manage API tokens").add_subparsers(metavar="ACTION")
    create = token.add_parser("create", help="create a bearer token (printed once)")
    create.add_argument("name")
    create.add_argument("--role", required=True, choices=ROLES)
    create.set_defaults(handler=_token_create, needs_secret=True)
    tl = token.add_parser("list", help="list tokens (never their values)")
    tl.set_defaults(handler=_token_list, needs_secret=True)
    revoke = token.add_parser("revoke", help="revoke a token by id")
    revoke.add_argument("id", type=int)
    revoke.set_defaults(handler=_token_revoke, needs_secret=True)

    report = sub.add_parser(
        "report", help="write the verification recap as CSV and XLSX",
        description="write the verification recap (Rekapitulasi) as CSV and XLSX",
    )  # fmt: skip
    report.add_argument("--from", dest="date_from", help="first day, YYYY-MM-DD (WIB)")
    report.add_argument("--to", dest="date_to", help="last day, YYYY-MM-DD (default: today)")
    report.add_argument("--out", type=Path, default=Path("."), help="output folder")
    report.set_defaults(handler=_report, needs_secret=True)


@asynccontextmanager
async def command_core(settings: Settings) -> AsyncIterator[Core]:
    """Yield a core for one command (no photo reading), its database closed afterwards."""
    from bot.core import build_core

    core = build_core(settings, ocr=False)
    try:
        yield core
    finally:
        await core.db.dispose()


def read_password(stdin: Any = None) -> str | None:
    """Read a new password: the first line of piped stdin, else prompted twice."""
    stream = stdin or sys.stdin
    if not stream.isatty():
        return stream.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password (again): ") != first:
        print("tlive-bot: the passwords differ", file=sys.stderr)
        return None
    return first


async def _user_add(settings: Settings, args: argparse.Namespace) -> int:
    from bot.services.accounts import MIN_PASSWORD_LENGTH, AccountError

    password = read_password()
    if password is None:
        return 1
    async with command_core(settings) as core:
        try:
            user = await core.account_cases.create_user(args.name, password, args.role)
        except AccountError as exc:
            messages = {
                "password_short": f"the password needs at least {MIN_PASSWORD_LENGTH} characters",
                "password_long": "the password is too long",
                "username_taken": "that username exists already",
                "username_invalid": "use 2–48 lower-case letters, digits, '.', '_' or '-'",
            }
            print(f"tlive-bot: {messages.get(exc.code, exc.code)}", file=sys.stderr)
            return 1
    print(f"user {user.username} added with role {user.role}")
    return 0


async def _user_list(settings: Settings, args: argparse.Namespace) -> int:
    async with command_core(settings) as core:
        users = await core.account_cases.users()
    for user in users:
        state = "active" if user.active else "inactive"
        last = user.last_login_at.isoformat(timespec="minutes") if user.last_login_at else "-"
        print(f"{user.username:24} {user.role:9} {state:8} last login {last}")
    return 0


def cli_actor() -> Actor:
    """Return who a command acts as in the audit log: the command line, as an admin."""
    from bot.services.accounts import Actor, Role

    return Actor(type="system", id=None, name="cli", role=Role.ADMIN)


async def _user_active(settings: Settings, args: argparse.Namespace) -> int:
    from bot.services.accounts import AccountError

    async with command_core(settings) as core:
        user = await core.account_cases.find_user(args.name)
        if user is None:
            print(f"tlive-bot: no user {args.name!r}", file=sys.stderr)
            return 1
        try:
            await core.account_cases.set_active(cli_actor(), user.id, args.active)
        except AccountError as exc:  # pragma: no cover - the CLI is never the user itself
            print(f"tlive-bot: {exc.code}", file=sys.stderr)
            return 1
    print(f"user {user.username} {'activated' if args.active else 'deactivated'}")
    return 0


async def _token_create(settings: Settings, args: argparse.Namespace) -> int:
    from bot.services.accounts import AccountError

    async with command_core(settings) as core:
        try:
            token, raw = await core.account_cases.create_token(args.name, args.role)
        except AccountError as exc:
            print(f"tlive-bot: {exc.code}", file=sys.stderr)
            return 1
    print(raw)
    print(
        f"token {token.id} ({token.name}, role {token.role}) created; it is shown only now, "
        "store it safely",
        file=sys.stderr,
    )
    return 0


async def _token_list(settings: Settings, args: argparse.Namespace) -> int:
    async with command_core(settings) as core:
        tokens = await core.account_cases.tokens()
    for token in tokens:
        state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
        print(f"{token.id:5} {token.name:24} {token.role:9} {state}")
    return 0


async def _token_revoke(settings: Settings, args: argparse.Namespace) -> int:
    from bot.services.accounts import AccountError

    async with command_core(settings) as core:
        try:
            token = await core.account_cases.revoke_token(cli_actor(), args.id)
        except AccountError:
            print(f"tlive-bot: no token {args.id}", file=sys.stderr)
            return 1
    print(f"token {token.id} ({token.name}) revoked")
    return 0


async def _report(settings: Settings, args: argparse.Namespace) -> int:
    from bot.domain.days import today_wib
    from bot.i18n import Catalog
    from bot.services import reports
    from bot.storage.types import utcnow

    try:
        start, end = reports.parse_range(args.date_from, args.date_to, today_wib(utcnow()))
    except reports.RangeError as exc:
        print(f"tlive-bot: {Catalog().text(str(exc))}", file=sys.stderr)
        return 2
    async with command_core(settings) as core:
        written = await core.review_cases.export(cli_actor(), start, end, ("csv", "xlsx"), ip=None)
    args.out.mkdir(parents=True, exist_ok=True)
    for extension, body in written.files.items():
        path = args.out / reports.filename(written.report, extension)
        path.write_bytes(body)
        print(path)
    return 0
