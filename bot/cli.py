"""The ``tlive-bot`` command line.

Importing this module stays cheap: every command imports what it needs when it runs, so a quick
one (``faq ask``, ``faq eval``) does not pay for the web server, the console or the channels.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.faq.matcher import FaqIndex
    from bot.faq.model import FaqEntry
    from bot.storage.uow import UnitOfWorkFactory
    from bot.usecases.faq import FaqCases

Handler = Callable[["Settings", argparse.Namespace], Coroutine[Any, Any, int]]
# The commands defined here. The console's (user, token, report) are added from bot.console.cli,
# whose package loads the web framework: only when the command line may name one of them.
_OWN_COMMANDS = frozenset({"serve", "migrate", "chat", "purge", "rekey", "faq", "rasa-actions"})


def main(argv: Sequence[str] | None = None) -> int:
    """Run one sub-command and return its exit status."""
    import asyncio

    from bot.config import ConfigError, load_settings

    words = list(sys.argv[1:] if argv is None else argv)
    parser = _parser(words)
    args = parser.parse_args(words)
    if not hasattr(args, "handler"):
        parser.print_help()
        return 2
    needs_secret = args.needs_secret(args) if callable(args.needs_secret) else args.needs_secret
    try:
        settings = load_settings(require_secret=needs_secret)
    except ConfigError as exc:
        print(f"tlive-bot: configuration error: {exc}", file=sys.stderr)
        return 2
    from bot import logs

    # The terminal chat is for people: only problems should interrupt the conversation.
    logs.configure("WARNING" if args.handler is _chat else settings.log_level)
    try:
        if args.handler is _serve:
            return _serve_sync(settings, args)
        return asyncio.run(args.handler(settings, args))
    except Exception as exc:
        if not _startup_failure(exc):
            raise
        print(f"tlive-bot: {_explain(exc, settings)}", file=sys.stderr)
        return 2


def _startup_failure(exc: Exception) -> bool:
    """Tell whether an error means the address or the database could not be used."""
    if isinstance(exc, OSError):
        return True
    # Only a command that opened the database can fail with its error; others never load it.
    sql_errors = sys.modules.get("sqlalchemy.exc")
    return sql_errors is not None and isinstance(exc, sql_errors.DBAPIError)


def _explain(exc: Exception, settings: Settings) -> str:
    """Say in one line which setting made start-up fail."""
    import errno
    import socket

    detail = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": ")
    listening = isinstance(exc, socket.gaierror) or getattr(exc, "errno", None) in (
        errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES,
    )  # fmt: skip
    if listening:
        return f"TLIVE_HOST/TLIVE_PORT: cannot listen on {settings.host}:{settings.port} ({detail})"
    return f"TLIVE_DATABASE_URL: cannot use the database ({detail})"


def _first_word(words: Sequence[str]) -> str | None:
    """Return the command a command line names (its first word that is not an option)."""
    return next((w for w in words if not w.startswith("-")), None)


def _parser(words: Sequence[str] = ()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tlive-bot", description="Asisten Tangerang LIVE")
    sub = parser.add_subparsers(metavar="COMMAND")

    def command(name: str, handler: Handler | Callable[..., int], help_text: str, *,
                needs_secret: bool = True) -> argparse.ArgumentParser:  # fmt: skip
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=handler, needs_secret=needs_secret)
        return p

    serve = command("serve", _serve, "serve the web chat, console, API and channels")
    serve.add_argument("--workers", type=int, default=1, help="processes sharing the port")
    command("migrate", _migrate, "create or upgrade the database schema and load the default FAQ")
    chat = command("chat", _chat, "talk to the bot in this terminal (/photo PATH sends a picture)")
    chat.add_argument("--session", default=None, help="conversation name (default: your user)")

    command("purge", _purge, "destroy document images and abandoned drafts past retention")
    rasa = command(
        "rasa-actions", _rasa_actions, "serve a Rasa assistant's custom actions ([rasa] extra)"
    )
    rasa.add_argument("--host", default=None, help="listen address (TLIVE_RASA_ACTIONS_HOST)")
    rasa.add_argument("--port", type=int, default=None, help="port (TLIVE_RASA_ACTIONS_PORT, 5055)")
    command("rekey", _rekey, "re-encrypt stored data with TLIVE_SECRET_KEY (old keys in "
            "TLIVE_SECRET_KEY_PREVIOUS)")  # fmt: skip

    faq = sub.add_parser("faq", help="manage the FAQ").add_subparsers(metavar="ACTION")
    imp = faq.add_parser("import", help="upsert entries from a YAML file")
    imp.add_argument("file", type=Path)
    imp.add_argument("--replace", action="store_true", help="make the file the whole FAQ")
    imp.set_defaults(handler=_faq_import, needs_secret=True)
    exp = faq.add_parser("export", help="write the FAQ to a YAML file")
    exp.add_argument("file", type=Path)
    exp.set_defaults(handler=_faq_export, needs_secret=True)
    ask = faq.add_parser("ask", help="show what the bot would answer")
    ask.add_argument("text")
    ask.add_argument("--json", action="store_true")
    ask.set_defaults(handler=_faq_ask, needs_secret=True)
    ev = faq.add_parser(
        "eval", help="measure the FAQ on a question file (expected id TAB question; - off-topic)"
    )
    ev.add_argument("file", type=Path, help="question file (TSV)")
    ev.add_argument("--faq", type=Path, default=None,
                    help="FAQ YAML file to measure instead of the database's FAQ")  # fmt: skip
    ev.add_argument("--mistakes", action="store_true", help="list every question not got right")
    # With --faq the database is not opened, so no secret key is needed.
    ev.set_defaults(handler=_faq_eval, needs_secret=_reads_database)
    if _first_word(words) not in _OWN_COMMANDS:
        # Only a command line that may name one of them loads these (not `faq ask`).
        from bot.console.cli import register_console_commands
        from integrations.citysystems.cli import register_webhook_commands

        register_webhook_commands(sub)
        register_console_commands(sub)
    return parser


def _serve_sync(settings: Settings, args: argparse.Namespace) -> int:
    from bot.serve import serve

    return serve(settings, workers=args.workers)


async def _serve(settings: Settings, args: argparse.Namespace) -> int:  # pragma: no cover
    raise AssertionError("serve runs synchronously")


async def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    from bot.crypto import Keyring
    from bot.services.faq import seed_default
    from bot.storage.db import Database
    from bot.storage.migrate import upgrade
    from bot.storage.uow import UnitOfWorkFactory

    db = Database(settings.database_url)
    keys = Keyring(settings.secret_key, settings.previous_secret_keys)
    try:
        await upgrade(db.engine, keys)  # some revisions convert stored data with the keys
        added = await seed_default(UnitOfWorkFactory(db, keys))
    finally:
        await db.dispose()
    print(f"database is up to date; default FAQ entries added: {added}")
    return 0


async def _chat(settings: Settings, args: argparse.Namespace) -> int:
    from integrations.terminal import run_terminal_chat

    return await run_terminal_chat(settings, session=args.session)


async def _rasa_actions(settings: Settings, args: argparse.Namespace) -> int:
    """Serve Rasa's custom actions over this service's use cases."""
    try:
        from integrations.rasa.server import serve_actions
    except ImportError:
        print("tlive-bot: rasa-sdk is not installed: pip install 'tangerang-live-bot[rasa]'",
              file=sys.stderr)  # fmt: skip
        return 2
    host = args.host or settings.rasa_actions_host
    return await serve_actions(settings, host, args.port or settings.rasa_actions_port)


async def _purge(settings: Settings, args: argparse.Namespace) -> int:
    from bot.usecases.privacy import purge_expired
    from bot.usecases.reminders import schedule_of

    async with _uow_factory(settings) as factory:
        result = await purge_expired(
            factory, settings.retention_days, outbox_days=settings.outbox_retention_days,
            reminder_horizon=schedule_of(settings).horizon,
        )  # fmt: skip
    print(
        f"purged images of {result.documents} documents, {result.drafts} abandoned drafts "
        f"and {result.outbox} sent messages"
    )
    return 0


async def _rekey(settings: Settings, args: argparse.Namespace) -> int:
    from bot.crypto import Keyring
    from bot.usecases.rekey import reencrypt_all

    if not settings.previous_secret_keys:
        print("tlive-bot: TLIVE_SECRET_KEY_PREVIOUS: set it to the old key(s)", file=sys.stderr)
        return 2
    async with _uow_factory(settings) as factory:
        keys = Keyring(settings.secret_key, settings.previous_secret_keys)
        counts = await reencrypt_all(factory, keys)
    print("re-encrypted: " + ", ".join(f"{table} {n}" for table, n in counts.items()))
    print("now remove TLIVE_SECRET_KEY_PREVIOUS and restart the service")
    return 0


def _faq_cases(factory: UnitOfWorkFactory) -> FaqCases:
    from bot.services.faq import FaqService
    from bot.usecases.faq import FaqCases

    return FaqCases(factory, FaqService(factory))


async def _faq_import(settings: Settings, args: argparse.Namespace) -> int:
    import asyncio

    from bot.faq.admin.errors import FaqAdminError
    from bot.services.accounts import Actor, Role

    try:
        text = await asyncio.to_thread(Path(args.file).read_text, encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"tlive-bot: {exc}", file=sys.stderr)
        return 1
    # The same use case as the console's import: same checks, same audit entry.
    cli = Actor(type="system", id=None, name="cli", role=Role.ADMIN)
    try:
        async with _uow_factory(settings) as factory:
            result = await _faq_cases(factory).import_yaml(cli, None, text,
                                                           replace_all=args.replace)  # fmt: skip
    except FaqAdminError as exc:
        print(f"tlive-bot: {args.file}: {exc}", file=sys.stderr)
        return 1
    print(f"created {result.created}, updated {result.updated}, deleted {result.deleted}")
    return 0


async def _faq_export(settings: Settings, args: argparse.Namespace) -> int:
    from bot.faq.model import dump_faq

    async with _uow_factory(settings) as factory:
        entries = await _faq_cases(factory).entries()
    dump_faq(entries, args.file)
    print(f"exported {len(entries)} entries to {args.file}")
    return 0


def _reads_database(args: argparse.Namespace) -> bool:
    """Tell whether ``faq eval`` measures the database's FAQ (rather than a YAML file)."""
    return args.faq is None


def _build_index(entries: Sequence[FaqEntry]) -> FaqIndex:
    """Build the index the bot would answer from (its published entries): the one place."""
    from bot.faq.matcher import FaqIndex

    return FaqIndex.build(entries)


async def _faq_index(settings: Settings) -> FaqIndex:
    """Return the index the bot answers from: the published FAQ and its stored text vectors."""
    from bot.services.faq import FaqService

    async with _uow_factory(settings) as factory:
        service = FaqService(factory)
        await service.reload()
    return service.index


async def _faq_ask(settings: Settings, args: argparse.Namespace) -> int:
    import json

    from bot.faq.semantic import packaged_encoder

    # The encoder's weights load while the database is opened and read (~0.2 s of the start).
    packaged_encoder().preload()
    index = await _faq_index(settings)
    match = index.ask(args.text)
    if args.json:
        print(json.dumps(match.to_dict(), ensure_ascii=False))
        return 0
    entry = index.entry(match.faq_id) if match.faq_id else None
    print(f"answer: {match.faq_id or '(none: offer the helpdesk)'}  score={match.score:.3f}")
    if entry:
        print(entry.answer)
    for alt in match.alternatives:
        print(f"  alternative {alt.faq_id}  score={alt.score:.3f}")
    return 0


async def _faq_eval(settings: Settings, args: argparse.Namespace) -> int:
    from bot.faq.evaluation import evaluate, read_questions
    from bot.faq.model import load_faq

    try:
        questions = read_questions(args.file)
        from_file = load_faq(args.faq) if args.faq is not None else None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        print(f"tlive-bot: {_one_line(exc)}", file=sys.stderr)
        return 2
    index = _build_index(from_file) if from_file is not None else await _faq_index(settings)
    unknown = sorted({i for q in questions for i in q.expected if i not in index})
    if unknown:
        # Still measured (they count as not answered right), but likely a typo in the file.
        print(f"tlive-bot: {args.file}: not published in this FAQ: {', '.join(unknown)}",
              file=sys.stderr)  # fmt: skip
    report = evaluate(index, questions)
    for line in report.lines():
        print(line)
    if args.mistakes:
        mistakes = report.mistakes()
        print(f"mistakes             {len(mistakes):>6}  (expected, answered, question)")
        for o in mistakes:
            expected = "+".join(o.question.expected) or "-"
            print(f"{expected}\t{'+'.join(o.answered) or '-'}\t{o.question.text}")
    return 0


def _one_line(exc: Exception) -> str:
    """Return an error's message as one line (a YAML error spans several)."""
    return " ".join(str(exc).split()) or type(exc).__name__


@asynccontextmanager
async def _uow_factory(settings: Settings) -> AsyncIterator[UnitOfWorkFactory]:
    """Open the database for a one-shot command and close it afterwards."""
    from bot.crypto import Keyring
    from bot.storage.db import Database
    from bot.storage.uow import UnitOfWorkFactory

    db = Database(settings.database_url)
    try:
        yield UnitOfWorkFactory(db, Keyring(settings.secret_key, settings.previous_secret_keys))
    finally:
        await db.dispose()


if __name__ == "__main__":
    sys.exit(main())
