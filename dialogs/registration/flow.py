"""Registration's entry and steps: consent first, then one question per slot, then the summary."""

from __future__ import annotations

from bot.domain.chat_mode import ChatMode
from bot.engine.messages import InboundKind
from bot.services.registration import Status
from dialogs import faq, handoff, menu, status
from dialogs.base import AGENT, Turn
from dialogs.flow import FlowName
from dialogs.registration.form import Form, Invalid, Slot, Stage, open_form
from dialogs.registration.steps import (
    EDIT_PREFIX,
    SLOT_BY_NAME,
    ask_next,
    edit,
    handle_edit_choice,
    handle_summary,
    show_edit_menu,
    show_summary,
)

MAX_FAILURES = handoff.FAILURE_LIMIT


async def start(turn: Turn) -> None:
    """Begin or continue registration: consent first, then the first unanswered question."""
    services = turn.services.registrations
    latest = await services.latest(turn.uow, turn.conv)
    if latest is not None and status.already_sent(turn, latest):
        return  # sent already: she hears where it stands, not the form again
    if not await services.has_consent(turn.uow, turn.conv):
        turn.go(FlowName.REGISTRATION, Stage.CONSENT)
        turn.say(
            "consent-text",
            days=turn.services.settings.retention_days,
            buttons=[
                turn.button("consent:yes", "btn-agree"),
                turn.button("consent:no", "btn-disagree"),
            ],
        )
        return
    if latest is not None and latest.status == Status.REJECTED:
        draft = await services.resubmit(turn.uow, latest)
        turn.say(
            "reg-resubmit-intro", reason=turn.t(f"reject-reason-{latest.reject_reason or 'other'}")
        )
    else:
        draft = await services.draft(turn.uow, turn.conv) or await services.start_draft(
            turn.uow, turn.conv
        )
        if draft.created_at < turn.now and (await open_form(turn, draft)).data:
            turn.say("reg-welcome-back")
    await ask_next(turn, await open_form(turn, draft))


async def handle(turn: Turn) -> None:
    """Read the answer to the current step and move on."""
    if turn.conv.step == Stage.CONSENT:
        await _handle_consent(turn)
    elif (form := await _open_draft(turn)) is None:
        return
    elif turn.conv.step == Stage.SUMMARY:
        await handle_summary(turn, form)
    elif turn.conv.step == Stage.EDIT:
        await handle_edit_choice(turn, form)
    elif (slot := SLOT_BY_NAME.get(turn.conv.step or "")) is not None:
        await _handle_slot(turn, form, slot)
    else:
        await ask_next(turn, form)


async def reprompt(turn: Turn) -> None:
    """Ask the current question again (after help, status or an FAQ answer)."""
    if turn.conv.step == Stage.CONSENT:
        await start(turn)
    elif (form := await _open_draft(turn)) is None:
        return
    elif turn.conv.step == Stage.SUMMARY:
        show_summary(turn, form)
    elif turn.conv.step == Stage.EDIT:
        show_edit_menu(turn)
    elif (slot := SLOT_BY_NAME.get(turn.conv.step or "")) is not None:
        await slot.ask(turn, form)
    else:
        await ask_next(turn, form)


async def pause(turn: Turn) -> None:
    """Leave the form on "batal": the draft is kept for later."""
    turn.go(None)
    turn.say("reg-paused", buttons=menu.buttons(turn))


async def _open_draft(turn: Turn) -> Form | None:
    """Return the open draft's form; without one, start over (it was submitted or erased)."""
    draft = await turn.services.registrations.draft(turn.uow, turn.conv)
    if draft is None:
        await start(turn)
        return None
    return await open_form(turn, draft)


async def _handle_consent(turn: Turn) -> None:
    choice = turn.choice()
    if choice == "consent:yes":
        await turn.services.registrations.give_consent(turn.uow, turn.conv)
        turn.say("consent-thanks")
        await start(turn)
    elif choice == "consent:no":
        turn.go(None)
        turn.say("consent-declined", buttons=menu.buttons(turn))
    else:
        turn.say(
            "reg-error-choice",
            buttons=[
                turn.button("consent:yes", "btn-agree"),
                turn.button("consent:no", "btn-disagree"),
            ],
        )


async def _handle_slot(turn: Turn, form: Form, slot: Slot) -> None:
    choice = turn.choice() or ""
    if choice.startswith(EDIT_PREFIX):
        await edit(turn, form, choice.removeprefix(EDIT_PREFIX))
        return
    if slot.kind is InboundKind.TEXT and turn.inbound.kind is InboundKind.PHOTO:
        turn.say("reg-error-text-expected")
        await slot.ask(turn, form)
        return
    outcome = await slot.accept(turn, form)
    if outcome is None:
        return
    if isinstance(outcome, Invalid):
        if slot.kind is InboundKind.TEXT and await faq.answer_if_confident(turn):
            await slot.ask(turn, form)
            return
        await _refuse(turn, form, slot, outcome)
        return
    turn.state.get("failures", {}).pop(slot.name, None)
    handoff.solved(turn)
    if slot.kind is not InboundKind.PHOTO:
        turn.services.registrations.set_field(turn.uow, form.reg, slot.name, outcome.value)
        form.data = turn.services.registrations.data(turn.uow, form.reg)
    else:
        form.documents.add(slot.name)
    if outcome.notes and slot.kind is InboundKind.PHOTO:
        lines = [turn.t("photo-ok-with-warning"), *(f"• {turn.t(key)}" for key in outcome.notes)]
        turn.say_text("\n".join(lines))
    else:
        for note in outcome.notes:
            turn.say(note)
    await ask_next(turn, form)


async def _refuse(turn: Turn, form: Form, slot: Slot, outcome: Invalid) -> None:
    """Say what was wrong and ask again; the third failure in a row calls a person."""
    failures = turn.state.setdefault("failures", {})
    failures[slot.name] = count = failures.get(slot.name, 0) + 1
    by_bot = turn.conv.mode == ChatMode.BOT
    escalate = count == MAX_FAILURES and by_bot
    buttons = list(outcome.buttons)
    if count > MAX_FAILURES and by_bot:
        buttons.append(turn.button(AGENT, "btn-agent"))
    if escalate and outcome.buttons:  # the way-out buttons must stay on the last message
        await handoff.escalate(turn, "failures", key="handoff-failures", offer_resume=False)
    turn.say(outcome.key, buttons=buttons, **outcome.args)
    if escalate and not outcome.buttons:
        await handoff.escalate(turn, "failures", key="handoff-failures", offer_resume=False)
    if not outcome.buttons:
        await slot.ask(turn, form)
