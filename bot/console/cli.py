"""``tlive-bot user``, ``token`` and ``report``: console accounts, API tokens and the recap."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.config import Settings

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
async def _core(settings: Settings) -> AsyncIterator[Any]:
    from bot.crypto import Keyring
    from bot.storage.db import Database
    from bot.storage.uow import UnitOfWorkFactory

    db = Database(settings.database_url)
    try:
        yield UnitOfWorkFactory(db, Keyring(settings.secret_key))
    finally:
        await db.dispose()


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
    from bot.services.accounts import MIN_PASSWORD_LENGTH, AccountError, create_user

    password = read_password()
    if password is None:
        return 1
    async with _core(settings) as uow_factory:
        try:
            user = await create_user(uow_factory, args.name, password, args.role)
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
    from bot.services.accounts import list_users

    async with _core(settings) as uow_factory, uow_factory() as uow:
        users = await list_users(uow)
    for user in users:
        state = "active" if user.active else "inactive"
        last = user.last_login_at.isoformat(timespec="minutes") if user.last_login_at else "-"
        print(f"{user.username:24} {user.role:9} {state:8} last login {last}")
    return 0


async def _user_active(settings: Settings, args: argparse.Namespace) -> int:
    from bot.console.sessions import end_user_sessions
    from bot.services.accounts import AccountError, Actor, Role, find_user, set_active

    cli = Actor(type="system", id=None, name="cli", role=Role.ADMIN)
    async with _core(settings) as uow_factory, uow_factory() as uow:
        user = await find_user(uow, args.name)
        if user is None:
            print(f"tlive-bot: no user {args.name!r}", file=sys.stderr)
            return 1
        try:
            await set_active(uow, user.id, args.active, cli)
        except AccountError as exc:  # pragma: no cover - the CLI is never the user itself
            print(f"tlive-bot: {exc.code}", file=sys.stderr)
            return 1
        if not args.active:
            await end_user_sessions(uow, user.id)
        await uow.commit()
    print(f"user {user.username} {'activated' if args.active else 'deactivated'}")
    return 0


async def _token_create(settings: Settings, args: argparse.Namespace) -> int:
    from bot.services.accounts import AccountError, create_token

    async with _core(settings) as uow_factory:
        try:
            token, raw = await create_token(uow_factory, args.name, args.role)
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
    from bot.services.accounts import list_tokens

    async with _core(settings) as uow_factory, uow_factory() as uow:
        tokens = await list_tokens(uow)
    for token in tokens:
        state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
        print(f"{token.id:5} {token.name:24} {token.role:9} {state}")
    return 0


async def _token_revoke(settings: Settings, args: argparse.Namespace) -> int:
    from bot.services.accounts import AccountError, Actor, Role, revoke_token

    cli = Actor(type="system", id=None, name="cli", role=Role.ADMIN)
    async with _core(settings) as uow_factory, uow_factory() as uow:
        try:
            token = await revoke_token(uow, args.id, cli)
        except AccountError:
            print(f"tlive-bot: no token {args.id}", file=sys.stderr)
            return 1
        await uow.commit()
    print(f"token {token.id} ({token.name}) revoked")
    return 0


async def _report(settings: Settings, args: argparse.Namespace) -> int:
    from bot.i18n import Catalog
    from bot.services import reports

    try:
        start, end = reports.parse_range(args.date_from, args.date_to, reports.today_wib())
    except reports.RangeError as exc:
        catalog = Catalog()
        print(f"tlive-bot: {catalog.text(str(exc))}", file=sys.stderr)
        return 2
    catalog = Catalog()
    async with _core(settings) as uow_factory:
        async with uow_factory() as uow:
            report = await reports.build_report(uow, settings, start, end)
        async with uow_factory() as uow:
            uow.audit.record(
                "report.exported", actor_type="system", actor_name="cli", target_type="report",
                target_id=f"{start.isoformat()}..{end.isoformat()}",
                details={"format": "csv+xlsx", "from": start.isoformat(), "to": end.isoformat(),
                         "requests": report.total.submitted},
            )  # fmt: skip
            await uow.commit()
    args.out.mkdir(parents=True, exist_ok=True)
    for extension, write in (("csv", reports.to_csv), ("xlsx", reports.to_xlsx)):
        path = args.out / reports.filename(report, extension)
        path.write_bytes(write(report, catalog))
        print(path)
    return 0
