"""Route each turn: global commands first (any step), then the active flow, else the menu."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.engine.messages import InboundKind
from bot.i18n import Catalog
from dialogs import faq, handoff, menu, privacy, registration, status
from dialogs.base import HELP, MENU, RESUME, Turn

Command = Callable[[Turn], Awaitable[None]]
COMMAND_WORDS = ("menu", "cancel", "help", "register", "status", "faq", "agent", "mydata", "erase")
_UNUSABLE = {
    InboundKind.STICKER: "unsupported-sticker",
    InboundKind.LOCATION: "unsupported-location",
    InboundKind.UNSUPPORTED: "unsupported-other",
}


class Router:
    """Decide which dialog answers a turn."""

    def __init__(self, catalog: Catalog) -> None:
        # Words citizens type for each global command live in the catalog, like all text.
        self._words: dict[str, str] = {}
        for command in COMMAND_WORDS:
            for word in catalog.text(f"keywords-{command}").split(","):
                self._words[_normal(word)] = command
        self._buttons: dict[str, Command] = {
            MENU: self._menu,
            HELP: self._help,
            RESUME: self._resume,
            "menu:register": registration.start,
            "reg:resubmit": registration.start,
            "menu:status": status.show,
            "menu:faq": faq.start,
            "agent": handoff.request,
            handoff.LEAVE: self._leave_queue,
            "privacy:erase": privacy.ask_erase,
        }
        self._commands: dict[str, Command] = {
            "menu": self._menu,
            "cancel": self._cancel,
            "help": self._help,
            "register": registration.start,
            "status": status.show,
            "faq": faq.start,
            "agent": handoff.request,
            "mydata": privacy.show,
            "erase": privacy.ask_erase,
        }

    def photo_kind(self, flow: str | None, step: str | None) -> str | None:
        """Return which photo a conversation at this flow and step is waiting for."""
        return registration.photo_kind(flow, step)

    async def handle(self, turn: Turn) -> None:
        """Answer one turn."""
        if turn.conv.mode == "agent":
            await handoff.relay(turn)
            return  # A person holds this chat; the bot stays silent.
        if turn.inbound.kind is InboundKind.VOICE:
            await handoff.voice(turn)
            return
        if turn.conv.mode == "queued" and self._photo_for_agent(turn):
            await handoff.keep_photo(turn)
            turn.say("handoff-photo-kept")
            await self._resume(turn)
            return
        unusable = _UNUSABLE.get(turn.inbound.kind)
        if unusable is not None:
            turn.say(unusable)
            await self._resume(turn)
            return
        command = self._command(turn)
        if command is not None:
            await command(turn)
        elif turn.conv.flow == registration.FLOW:
            await registration.handle(turn)
        elif turn.conv.flow == faq.FLOW:
            await faq.handle(turn)
        elif turn.conv.flow == privacy.FLOW:
            await privacy.handle(turn)
        elif turn.inbound.kind is InboundKind.PHOTO:
            turn.say("photo-unexpected")
            menu.show(turn, greet=False)
        elif turn.text:
            await self._free_text(turn)
        else:
            menu.show(turn)

    async def _free_text(self, turn: Turn) -> None:
        """Answer text outside any flow: a sure FAQ answer, a sure intent, suggestions, the menu."""
        if handoff.asks_for_person(turn):
            await handoff.request(turn, "asked")
            return
        if faq.answer_if_sure(turn):
            return
        understood = await self._understood(turn)
        if understood is not None:
            await understood(turn)
        elif not faq.suggest(turn):
            menu.show(turn)

    async def _understood(self, turn: Turn) -> Command | None:
        """Ask the optional language-understanding service what free text means."""
        intents = turn.services.intents
        if intents is None or not turn.text:
            return None
        command = await intents.command(turn.text)
        return self._commands.get(command) if command else None

    def _command(self, turn: Turn) -> Command | None:
        choice = turn.choice()
        if choice and choice.startswith(handoff.RATING_PREFIX):
            return self._rate
        if choice in self._buttons:
            return self._buttons[choice]
        if turn.inbound.kind is InboundKind.TEXT:
            word = self._words.get(_normal(turn.text))
            if word is not None:
                return self._commands[word]
        return None

    async def _menu(self, turn: Turn) -> None:
        menu.show(turn)

    async def _cancel(self, turn: Turn) -> None:
        if turn.conv.flow == registration.FLOW:
            turn.go(None)
            turn.say("reg-paused", buttons=menu.buttons(turn))
        else:
            menu.show(turn, greet=False)

    async def _help(self, turn: Turn) -> None:
        buttons = [turn.button(RESUME, "btn-resume")] if turn.conv.flow else []
        buttons += [turn.button("agent", "btn-agent"), turn.button(MENU, "btn-menu")]
        turn.say("help-text", buttons=buttons)

    async def resume(self, turn: Turn) -> None:
        """Continue where the citizen was: ask the current step again, or show the menu."""
        await self._resume(turn)

    def _photo_for_agent(self, turn: Turn) -> bool:
        """Tell whether a photo sent while waiting for a person is meant for them."""
        return turn.inbound.kind is InboundKind.PHOTO and not self.photo_kind(
            turn.conv.flow, turn.conv.step
        )

    async def _rate(self, turn: Turn) -> None:
        await handoff.rate(turn)
        await self._resume(turn)

    async def _leave_queue(self, turn: Turn) -> None:
        await handoff.leave(turn)
        await self._resume(turn)

    async def _resume(self, turn: Turn) -> None:
        if turn.conv.flow == registration.FLOW:
            await registration.reprompt(turn)
        elif turn.conv.flow == faq.FLOW:
            await faq.start(turn)
        else:
            menu.show(turn, greet=False)


def _normal(text: str) -> str:
    return " ".join("".join(c for c in text.casefold() if c.isalnum() or c in " /").split())
