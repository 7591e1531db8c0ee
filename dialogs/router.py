"""Route each turn: global commands first (any step), then the active flow, else the menu."""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.chat_mode import ChatMode
from bot.domain.language.commands import CommandWords
from bot.domain.language.intents import Understood
from bot.domain.references import find_reference
from bot.engine.messages import InboundKind
from bot.helpdesk.hours import HelpdeskHours
from bot.i18n import Catalog
from dialogs import faq, handoff, menu, voice
from dialogs.base import AGENT, HELP, MENU, RESUME, Turn
from dialogs.flow import Action, Command, Flow, Trigger

# Every global command has its words in the catalog (``keywords-<command>``).
COMMAND_WORDS: tuple[str, ...] = tuple(Command)
_UNUSABLE = {
    InboundKind.STICKER: "unsupported-sticker",
    InboundKind.LOCATION: "unsupported-location",
    InboundKind.UNSUPPORTED: "unsupported-other",
}


class Router:
    """Decide which dialog answers a turn."""

    def __init__(
        self, catalog: Catalog, flows: Iterable[Flow], triggers: Iterable[Trigger] = ()
    ) -> None:
        self._flows: dict[str, Flow] = {}
        for flow in flows:
            if flow.name in self._flows:
                raise ValueError(f"flow {flow.name} registered twice")
            self._flows[flow.name] = flow
        own = (
            Trigger(self._menu, Command.MENU, (MENU,)),
            Trigger(self._cancel, Command.CANCEL),
            Trigger(self._help, Command.HELP, (HELP,)),
            Trigger(self._resume, buttons=(RESUME,)),
            Trigger(handoff.request, Command.AGENT, (AGENT,)),
            Trigger(self._leave_queue, buttons=(handoff.LEAVE,)),
            Trigger(self._continue, Command.CONTINUE),
            *voice.TRIGGERS,
        )
        self._commands: dict[str, Action] = {}
        self._buttons: dict[str, Action] = {}
        for trigger in (*own, *(t for f in self._flows.values() for t in f.triggers), *triggers):
            _add(self._commands, (trigger.command,) if trigger.command else (), trigger.action)
            _add(self._buttons, trigger.buttons, trigger.action)
        # Words citizens type for each global command live in the catalog, like all text.
        self._words: dict[str, str] = {}
        for command in Command:  # in enum order, so a word shared by two goes to the later one
            if command not in self._commands:
                continue
            for word in catalog.text(f"keywords-{command}").split(","):
                self._words[_normal(word)] = command
        # The same words, understood with typos and inside sentences.
        self._understood_words = CommandWords(
            {c: catalog.text(f"keywords-{c}").split(",") for c in self._commands}
        )

    def photo_kind(self, flow: str | None, step: str | None) -> str | None:
        """Return which photo a conversation at this flow and step is waiting for."""
        active = self._flows.get(flow or "")
        return active.photo_kind(step) if active is not None else None

    async def handle(self, turn: Turn) -> None:
        """Answer one turn."""
        turn.global_command = self._run_understood
        if turn.conv.mode == ChatMode.AGENT:
            await handoff.relay(turn)
            return  # A person holds this chat; the bot stays silent.
        if turn.inbound.kind is InboundKind.VOICE:
            await handoff.voice(turn)
            return
        if turn.conv.mode == ChatMode.QUEUED and self._photo_for_agent(turn):
            turn.say(await handoff.keep_photo(turn))  # "kept" only when it was stored
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
        elif (active := self._active(turn)) is not None:
            await active.handle(turn)
        elif turn.inbound.kind is InboundKind.PHOTO:
            turn.say("photo-unexpected")
            menu.show(turn, greet=False)
        elif turn.text:
            await self._free_text(turn)
        else:
            menu.show(turn)

    async def resume(self, turn: Turn) -> None:
        """Continue where the citizen was: ask the current step again, or show the menu."""
        await self._resume(turn)

    def _active(self, turn: Turn) -> Flow | None:
        """Return the flow the conversation is in, if any."""
        return self._flows.get(turn.conv.flow or "")

    async def _free_text(self, turn: Turn) -> None:
        """Answer text outside any flow: a sure FAQ answer, a sure intent, suggestions, the menu."""
        if handoff.asks_for_person(turn):
            await handoff.request(turn, "asked")
            return
        if await self._run_understood(turn):
            return
        matches = turn.services.faq.ask_all(turn.text)  # once: answering and suggesting share it
        if await faq.answer_and_act(turn, matches):
            return
        if not (matches and faq.suggest(turn, matches[0])):
            menu.show(turn)

    def _command(self, turn: Turn) -> Action | None:
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

    async def _run_understood(self, turn: Turn) -> bool:
        """Run what free text asks for (a global command, an FAQ entry); False when nothing.

        With a Rasa server configured its confident intent decides; unsure, slow or down, the
        built-in words do (typos and whole sentences understood), as without Rasa.
        """
        if turn.inbound.kind is not InboundKind.TEXT or not turn.text:
            return False
        intents = turn.services.intents
        understood = await intents.understand(turn.text) if intents is not None else None
        if understood is not None and await self._run(turn, understood):
            return True
        command = self._understood_words.read(turn.text)
        if command is None:
            return False
        # The same entity Rasa would give: "cek status TL-7KQ4M9" names one of her requests.
        reference = find_reference(turn.text)
        entities = {"reference": reference} if reference else {}
        return await self._run(turn, Understood(command=command, entities=entities))

    async def _run(self, turn: Turn, understood: Understood) -> bool:
        """Start the dialog ``understood`` names; False when there is no such command or entry."""
        if understood.faq_id is not None:
            if not await faq.answer_entry(turn, understood.faq_id):
                return False
            if turn.conv.flow not in (None, faq.FLOW):
                await self._resume(turn)  # answered inside the form: its question again
            return True
        action = self._commands.get(understood.command or "")
        if action is None:
            return False
        turn.entities = dict(understood.entities)
        await action(turn)
        return True

    async def _menu(self, turn: Turn) -> None:
        menu.show(turn)

    async def _continue(self, turn: Turn) -> None:
        """Go on where the citizen stopped: the current step, else the paused registration."""
        active = self._active(turn)
        if active is not None:
            # "lanjut" may answer the step's own question (a yes); else ask it again.
            await (active.handle(turn) if turn.choice() is not None else self._resume(turn))
            return
        register = self._commands.get(Command.REGISTER)
        if register is not None and await turn.services.registrations.draft(turn.uow, turn.conv):
            await register(turn)
        else:
            menu.show(turn, greet=False)

    async def _cancel(self, turn: Turn) -> None:
        active = self._active(turn)
        if active is not None:
            await active.cancel(turn)
        else:
            menu.show(turn, greet=False)

    async def _help(self, turn: Turn) -> None:
        buttons = [turn.button(RESUME, "btn-resume")] if turn.conv.flow else []
        buttons += [turn.button(AGENT, "btn-agent"), turn.button(MENU, "btn-menu")]
        setting = voice.setting_button(turn)
        if setting is not None:
            buttons.append(setting)
        turn.say_text(help_text(turn), buttons=buttons)

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
        active = self._active(turn)
        if active is not None:
            await active.reprompt(turn)
        else:
            menu.show(turn, greet=False)


def help_text(turn: Turn) -> str:
    """Return "bantuan": how to use the bot, voice included, and how to reach the helpdesk."""
    settings = turn.services.settings
    lines = [turn.t("help-text")]
    if turn.services.speech.enabled:
        lines.append(turn.t("help-voice"))
    if settings.helpdesk_phone:
        lines.append(turn.t("help-phone", phone=settings.helpdesk_phone))
    if settings.helpdesk_whatsapp:
        lines.append(turn.t("help-whatsapp", number=settings.helpdesk_whatsapp))
    hours = HelpdeskHours(settings.helpdesk_hours, settings.helpdesk_days)
    first, last = hours.days[0], hours.days[-1]
    days = turn.t(f"weekday-{first}")
    if last != first:
        days = turn.t("help-days", first=days, last=turn.t(f"weekday-{last}"))
    lines.append(
        turn.t(
            "help-hours", days=days,
            opens=hours.opens.strftime("%H.%M"), closes=hours.closes.strftime("%H.%M"),
        )
    )  # fmt: skip
    return "\n".join(lines)


def _add(table: dict[str, Action], keys: Iterable[str], action: Action) -> None:
    """Add ``action`` under each key; a key claimed twice is a wiring mistake."""
    for key in keys:
        if key in table:
            raise ValueError(f"{key!r} is claimed by two triggers")
        table[key] = action


def _normal(text: str) -> str:
    return " ".join("".join(c for c in text.casefold() if c.isalnum() or c in " /").split())
