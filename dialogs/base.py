"""What every dialog works with: the turn (one inbound message) and how to answer it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.engine.messages import Button, Inbound, InboundKind, Reply
from bot.i18n import Catalog
from bot.storage.models import Conversation, Message

if TYPE_CHECKING:
    from bot.services.container import Services
    from bot.services.photos import CheckedPhoto
    from bot.storage.uow import UnitOfWork

# Button ids understood everywhere.
RESUME = "resume"
MENU = "menu"
HELP = "help"
AGENT = "agent"  # ask for a person (the helpdesk)


@dataclass
class Turn:
    """One inbound message being answered, with everything a dialog may touch."""

    inbound: Inbound
    conv: Conversation
    state: dict[str, Any]
    uow: UnitOfWork
    services: Services
    catalog: Catalog
    now: datetime
    replies: list[Reply] = field(default_factory=list)
    # The photo of this message, already checked before the transaction began (see engine).
    prechecked: CheckedPhoto | None = None
    # This message's entry in the history (None when the bot acts on its own, e.g. a resume).
    message: Message | None = None
    # Set by the router: run the global command free text asks for ("dftar", "sy mau ngomong
    # sama orang"), returning whether there was one. Flows call it once the text is not an
    # answer to their question, so an answer always wins over a look-alike command.
    global_command: Callable[[Turn], Awaitable[bool]] | None = None
    # What the understood text names besides its intent (a Rasa entity such as "reference").
    entities: dict[str, str] = field(default_factory=dict)

    async def run_global_command(self) -> bool:
        """Run the global command this text asks for, in any words; False when it asks none."""
        return self.global_command is not None and await self.global_command(self)

    @property
    def text(self) -> str:
        """Return the typed text, trimmed (empty for photos and buttons)."""
        return self.inbound.text.strip() if self.inbound.kind is InboundKind.TEXT else ""

    def t(self, key: str, /, **args: object) -> str:
        """Return a catalog string."""
        return self.catalog.text(key, **args)

    def button(self, button_id: str, key: str, /, **args: object) -> Button:
        """Return a button whose label is a catalog string."""
        return Button(button_id, self.catalog.text(key, **args))

    def say(
        self,
        key: str,
        /,
        *,
        buttons: tuple[Button, ...] | list[Button] = (),
        image_url: str | None = None,
        ask_contact: bool = False,
        **args: object,
    ) -> None:
        """Queue a reply made from a catalog string."""
        self.say_text(
            self.catalog.text(key, **args),
            buttons=buttons,
            image_url=image_url,
            ask_contact=ask_contact,
        )

    def say_text(
        self,
        text: str,
        /,
        *,
        buttons: tuple[Button, ...] | list[Button] = (),
        image_url: str | None = None,
        ask_contact: bool = False,
    ) -> None:
        """Queue a reply whose text is already formatted."""
        self.replies.append(
            Reply(text=text, buttons=tuple(buttons), image_url=image_url, ask_contact=ask_contact)
        )

    def go(self, flow: str | None, step: str | None = None) -> None:
        """Move the conversation to a flow and step (None, None = the main menu)."""
        # Plain strings in the row, whether named by an enum member or not.
        self.conv.flow = None if flow is None else str(flow)
        self.conv.step = None if step is None else str(step)

    def choice(self) -> str | None:
        """Return the button id the citizen chose: tapped, or typed as a number, a label (small
        typos allowed) or a yes/no when the buttons offer one ("iya betul", "ga mau")."""
        if self.inbound.kind is InboundKind.BUTTON:
            return self.inbound.button_id
        offered: list[list[str]] = self.state.get("buttons", [])
        text = " ".join(self.text.casefold().split())
        if not text or not offered:
            return None
        if text.isdigit() and 1 <= int(text) <= len(offered):
            return offered[int(text) - 1][0]
        exact = next((bid for bid, label in offered if _plain(label) == _plain(text)), None)
        if exact is not None:
            return exact
        answer = _yes_no_button(text, [bid for bid, _ in offered])
        if answer is not None:
            return answer
        return _typed_label(text, offered)


def _plain(label: str) -> str:
    """Reduce a label to letters and digits, so '✅ Setuju' matches 'setuju'."""
    return "".join(c for c in label.casefold() if c.isalnum())


# Buttons a plain yes or no picks when offered (besides ids ending ":yes" and ":no").
_YES_BUTTONS = ("summary:send", "faq:helpful", "reg:continue")
_NO_BUTTONS = ("summary:edit", "faq:unhelpful")


def _yes_no_button(text: str, ids: list[str]) -> str | None:
    """Return the one offered yes (or no) button that a typed yes (or no) answers."""
    from bot.domain.language.yesno import read_yes_no

    yes = [bid for bid in ids if bid.endswith(":yes") or bid in _YES_BUTTONS]
    no = [bid for bid in ids if bid.endswith(":no") or bid in _NO_BUTTONS]
    if not yes and not no:
        return None
    said = read_yes_no(text)
    picked = yes if said is True else no if said is False else []
    return picked[0] if len(picked) == 1 else None


def _typed_label(text: str, offered: list[list[str]]) -> str | None:
    """Return the button whose label the text names with small typos, when sure."""
    from bot.domain.language.choices import match_choice

    labels = [_bare(label) for _, label in offered]
    longest = max(len(label.split()) for label in labels)
    if "?" in text or len(text.split()) > longest + 1:
        return None  # a sentence that names a button ("cara cek status") asks something else
    match = match_choice(text, labels)
    if match.value is None or not match.sure or labels.count(match.value) != 1:
        return None
    return offered[labels.index(match.value)][0]


def _bare(label: str) -> str:
    """Drop the emoji and marks around a label ("✅ Setuju" → "Setuju")."""
    return " ".join("".join(c if c.isalnum() else " " for c in label).split())
