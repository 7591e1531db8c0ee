"""The flows the router knows, and the other dialogs' triggers: register a new flow here."""

from __future__ import annotations

from dialogs import faq, menu, privacy, registration, status
from dialogs.base import Turn
from dialogs.flow import Command, DialogFlow, Flow, FlowName, Trigger

# The FAQ dialog keeps its module free of router wiring; its flow is described here.
FAQ_FLOW = DialogFlow(
    FlowName.FAQ,
    handle=faq.handle,
    reprompt=faq.start,
    triggers=(Trigger(faq.start, Command.FAQ, (menu.FAQ,)),),
)


def registered_flows() -> tuple[Flow, ...]:
    """Return every flow, one line each."""
    return (
        registration.FLOW,
        FAQ_FLOW,
        privacy.FLOW,
    )


async def register_other(turn: Turn) -> None:
    """Offer to register someone else: the FAQ's answer on it with its *Daftarkan orang lain*.

    Inside a form (or with no such entry) it does what that button does: registration, which
    says whose open request comes first.
    """
    if turn.conv.flow in (None, FlowName.FAQ) and await faq.offer(turn, faq.Act.REGISTER_OTHER):
        return
    await registration.start(turn)


def other_triggers() -> tuple[Trigger, ...]:
    """Return the triggers of dialogs that are not flows (they answer in one turn)."""
    return (*status.TRIGGERS, Trigger(register_other, Command.REGISTER_OTHER))
