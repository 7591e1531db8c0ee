"""Registration's entry and steps: consent first, then one question per slot, then the summary."""

from __future__ import annotations

from bot.domain.chat_mode import ChatMode
from bot.domain.language.names import looks_like_sentence
from bot.engine.messages import Button, InboundKind
from bot.services.photos import CheckedPhoto
from bot.services.registration import Status
from bot.services.registration_drafts import photo_kinds
from bot.storage.models import Registration
from dialogs import faq, handoff, menu, status
from dialogs.base import AGENT, Turn
from dialogs.flow import Command, FlowName
from dialogs.registration import photos, reading, steps
from dialogs.registration.form import Form, Invalid, Slot, Stage, helper_word, open_form
from dialogs.registration.steps import (
    EDIT_PREFIX,
    SLOT_BY_NAME,
    SLOTS,
    ask_next,
    edit,
    handle_edit_choice,
    handle_summary,
    show_edit_menu,
    show_summary,
)
from dialogs.registration.understanding import (
    Move,
    Whom,
    asks_something,
    command_in,
    document_in,
    move_in,
    whom_in,
)

MAX_FAILURES = handoff.FAILURE_LIMIT


async def start(turn: Turn) -> None:
    """Begin or continue registration: whose it is and consent first, then the questions.

    One chat may register several people, one after another: an open draft is continued,
    a rejected request is sent again, and "Daftarkan orang lain" opens a new request.
    """
    services = turn.services.registrations
    draft = await services.draft(turn.uow, turn.conv)
    choice = turn.choice()
    whom = whom_in(turn.text, asked=False) if turn.text else None
    if draft is not None:
        form = await open_form(turn, draft)
        asked_for = Whom.FAMILY if choice == menu.REGISTER_OTHER else whom
        if asked_for is not None and (asked_for is Whom.FAMILY) != form.helper:
            # One open request at a time: she hears whose it is before its next question, so
            # "daftar buat ibu" never silently carries on with her own form (or the reverse).
            turn.say("reg-finish-open-first", helper=form.who)
        elif draft.created_at < turn.now and form.data:
            turn.say("reg-welcome-back")
        await ask_next(turn, form)
        return
    another = choice == menu.REGISTER_OTHER or whom is Whom.FAMILY
    if not another:
        requests = await services.requests(turn.uow, turn.conv)
        redo = await services.to_redo(turn.uow, turn.conv) if choice == menu.RESUBMIT else None
        latest = redo or (requests[0] if requests else None)
        if latest is not None and latest.status == Status.REJECTED:
            await _resubmit(turn, latest)
            return
        if latest is not None and status.already_sent(turn, latest):
            return  # sent already: she hears where it stands, not the form again
    # Whose registration it is comes with the consent (one tap): herself, or a family member.
    # "Daftarkan orang lain" or "daftar buat ibu saya" already said so.
    _ask_consent(turn, whom=Whom.FAMILY if another else whom)


async def _resubmit(turn: Turn, rejected: Registration) -> None:
    """Open a rejected request again, keeping what need not be redone."""
    draft = await turn.services.registrations.resubmit(turn.uow, rejected)
    turn.say(
        "reg-resubmit-intro",
        reason=turn.t(f"reject-reason-{rejected.reject_reason or 'other'}"),
        reference=rejected.reference,
    )
    await ask_next(turn, await open_form(turn, draft))


CONSENT_FAMILY = "consent:family"  # agrees, registering a family member (who allowed it)


def _ask_consent(turn: Turn, *, whom: Whom | None, full: bool = False) -> None:
    """Ask consent, worded for whose data it is; when not known yet, ask that with it.

    Unknown: the consent in one bubble ("Baca selengkapnya" under it), then one question with
    "Untuk diri sendiri" / "Membantu keluarga" / "Tidak setuju": each of the first two agrees,
    so the self path has no extra tap (and WhatsApp keeps its three reply buttons).
    """
    turn.go(FlowName.REGISTRATION, Stage.CONSENT)
    if whom is None:
        turn.state.pop("whom", None)
    else:
        turn.state["whom"] = str(whom)
    days = turn.services.settings.retention_days
    key = "consent-full" if full else "consent-short"
    more = [] if full else [turn.button(CONSENT_MORE, "btn-read-more")]
    if whom is None:
        turn.say(key, days=days, helper="any", buttons=more)
        turn.say("consent-ask-whom", buttons=_consent_buttons(turn, None))
    else:
        helper = helper_word(whom is Whom.FAMILY)
        turn.say(key, days=days, helper=helper, buttons=[*_consent_buttons(turn, whom), *more])


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
    elif turn.conv.step == Stage.READ:
        await reading.handle_offer(turn, form)
    elif (slot := SLOT_BY_NAME.get(turn.conv.step or "")) is not None:
        await _handle_slot(turn, form, slot)
    else:
        await ask_next(turn, form)


async def reprompt(turn: Turn) -> None:
    """Ask the current question again (after help, status or an FAQ answer)."""
    if turn.conv.step == Stage.CONSENT:
        _ask_consent(turn, whom=_whom_asked(turn))
    elif (form := await _open_draft(turn)) is None:
        return
    elif turn.conv.step == Stage.SUMMARY:
        show_summary(turn, form)
    elif turn.conv.step == Stage.EDIT:
        show_edit_menu(turn)
    elif turn.conv.step == Stage.READ:
        reading.show_offer(turn, form)
    elif (slot := SLOT_BY_NAME.get(turn.conv.step or "")) is not None:
        await slot.ask(turn, form)
    else:
        await ask_next(turn, form)


async def pause(turn: Turn) -> None:
    """Leave the form on "batal": the draft is kept for later."""
    steps.pause(turn)


async def continue_paused(turn: Turn) -> bool:
    """Continue a paused registration when the text says so ("lanjut", "lanjutkan").

    For the router: call it for free text outside any flow; it returns whether it answered.
    """
    if turn.conv.flow or not turn.text:
        return False
    move = move_in(turn)
    if move is None or move[0] is not Move.CONTINUE:
        return False
    if await turn.services.registrations.draft(turn.uow, turn.conv) is None:
        return False
    await start(turn)
    return True


async def _open_draft(turn: Turn) -> Form | None:
    """Return the open draft's form; without one, start over (it was submitted or erased)."""
    draft = await turn.services.registrations.draft(turn.uow, turn.conv)
    if draft is None:
        await start(turn)
        return None
    return await open_form(turn, draft)


CONSENT_MORE = "consent:more"
# Typed instead of tapping "Baca selengkapnya".
_READ_MORE_WORDS = frozenset({"selengkapnya", "lengkap", "lengkapnya", "baca", "detail", "rincian"})


def _asks_full_consent(turn: Turn) -> bool:
    if turn.choice() == CONSENT_MORE:
        return True
    return bool(_READ_MORE_WORDS & set(turn.text.casefold().split()))


def _consent_buttons(turn: Turn, whom: Whom | None) -> list[Button]:
    """Return the consent's answers: agree (for whom, when not known yet) or disagree."""
    if whom is None:
        agree = [
            turn.button("consent:yes", "btn-whom-self"),
            turn.button(CONSENT_FAMILY, "btn-whom-family"),
        ]
    else:
        agree = [turn.button("consent:yes", "btn-agree")]
    return [*agree, turn.button("consent:no", "btn-disagree")]


def _whom_asked(turn: Turn) -> Whom | None:
    """Return whose registration the consent step is for, when already known."""
    said = turn.state.get("whom")
    return Whom(said) if said in tuple(Whom) else None


async def _handle_consent(turn: Turn) -> None:
    choice = turn.choice()
    asked = _whom_asked(turn)
    if choice is None and turn.text and not _asks_full_consent(turn):
        # "sendiri", "buat ibu saya", "bantu bapak": agreeing, and saying for whom (which
        # wins over what an earlier tap said: she knows whose data she is about to send).
        typed = whom_in(turn.text, asked=True)
        if typed is not None:
            choice, asked = (CONSENT_FAMILY if typed is Whom.FAMILY else "consent:yes"), typed
    if _asks_full_consent(turn):
        _ask_consent(turn, whom=asked, full=True)
    elif choice in ("consent:yes", CONSENT_FAMILY):
        helper = choice == CONSENT_FAMILY or asked is Whom.FAMILY
        # Each request has its own consent and reference, so a chat can register several.
        draft = await turn.services.registrations.begin(turn.uow, turn.conv, helper=helper)
        turn.state.pop("whom", None)
        turn.say("consent-thanks", helper=helper_word(helper))
        await ask_next(turn, await open_form(turn, draft))
    elif choice == "consent:no":
        turn.state.pop("whom", None)
        turn.go(None)
        turn.say("consent-declined", buttons=menu.buttons(turn))
    elif turn.text and (move := move_in(turn)) is not None and move[0] is Move.BACK:
        menu.show(turn, greet=False)
    elif turn.text and (meaning := await _other_meaning(turn)) is not None:
        if meaning == ASK_AGAIN:
            _ask_consent(turn, whom=asked)
    else:
        turn.say("reg-error-choice", buttons=_consent_buttons(turn, asked))


async def _handle_slot(turn: Turn, form: Form, slot: Slot) -> None:
    choice = turn.choice() or ""
    if choice.startswith(EDIT_PREFIX):
        await edit(turn, form, choice.removeprefix(EDIT_PREFIX))
        return
    if not choice and turn.text and await _navigate(turn, form, slot):
        return
    if reading.wants_photo_first(turn, form, slot):
        await reading.photo_first(turn, form, slot)  # the KTP sent first: read it for her
        return
    if slot.kind is InboundKind.TEXT and turn.inbound.kind is InboundKind.PHOTO:
        turn.say("reg-error-text-expected")
        await slot.ask(turn, form)
        return
    photo_step = slot.kind is InboundKind.PHOTO
    if photo_step and not choice and turn.text and await _photo_text(turn, form, slot):
        return
    outcome = await slot.accept(turn, form)
    if outcome is None:
        return
    if isinstance(outcome, Invalid):
        typed = slot.kind is InboundKind.TEXT and turn.text
        meaning = await _other_meaning(turn, slot, form) if typed else None
        if meaning == ASK_AGAIN:
            await slot.ask(turn, form)
        if meaning is not None:
            return
        await _refuse(turn, form, slot, outcome)
        return
    turn.state.get("failures", {}).pop(slot.name, None)
    handoff.solved(turn)
    if slot.kind is not InboundKind.PHOTO:
        registrations = turn.services.registrations
        registrations.set_field(turn.uow, form.reg, slot.name, outcome.value)
        for name, value in outcome.also.items():
            registrations.set_field(turn.uow, form.reg, name, value)
        form.data = registrations.data(turn.uow, form.reg)
        form.documents = await photo_kinds(turn.uow, form.reg)  # a new NIK voids the KTP photo
    else:
        form.documents.add(slot.name)
    if slot.kind is InboundKind.PHOTO:
        photos.accepted(turn, form, slot.name, outcome.notes)
        verdict = outcome.value if isinstance(outcome.value, CheckedPhoto) else None
        if slot.name == "ktp" and verdict and reading.offer_correction(turn, form, verdict):
            return  # "the card says …: use it?" before the next question
    else:
        if slot.name == "full_name":
            turn.say("reg-name-noted", name=outcome.value)
        for note in outcome.notes:
            turn.say(note, helper=form.who)
    await ask_next(turn, form)


async def _navigate(turn: Turn, form: Form, slot: Slot) -> bool:
    """Go back a step, or to the answer she wants to change; return whether the text asked so."""
    move = move_in(turn)
    if move is None:
        return False
    kind, field = move
    if kind is Move.BACK:
        index = SLOTS.index(slot)
        if index == 0:
            turn.say("reg-back-first")
            await slot.ask(turn, form)
        else:
            await edit(turn, form, SLOTS[index - 1].name)
    elif kind is Move.CHANGE and field is not None:
        await edit(turn, form, field)
    elif kind is Move.CHANGE:
        turn.go(FlowName.REGISTRATION, Stage.EDIT)
        show_edit_menu(turn)
    else:
        await slot.ask(turn, form)  # "lanjut": go on with this step
    return True


async def _photo_text(turn: Turn, form: Form, slot: Slot) -> bool:
    """Understand text at a photo step; return whether it was answered (not a failed try)."""
    chosen = document_in(turn.text) if slot.name == "ktp" else None
    if chosen is not None and chosen != photos.document(form, "ktp"):
        turn.say("reg-resi-chosen" if chosen == "resi" else "reg-ktp-chosen")
        await photos.choose_document(turn, form, chosen)
        return True
    if chosen is not None:
        photos.remind(turn, form, slot.name)
        return True
    meaning = await _other_meaning(turn, slot, form)
    if meaning == ASK_AGAIN:
        photos.remind(turn, form, slot.name)
    return meaning is not None


ASK_AGAIN = "ask-again"  # answered (a question): ask the step's question again
DONE = "done"  # carried out (a command): the step is left as the command left it


async def _other_meaning(
    turn: Turn, slot: Slot | None = None, form: Form | None = None
) -> str | None:
    """Answer text that is not the answer to the step: a command said in other words, or a
    question (the FAQ's answer, else a short hint). Nothing here counts as a failed try."""
    if await _run_command(turn):
        return DONE
    if await faq.answer_if_confident(turn):
        return ASK_AGAIN
    if slot is not None and slot.name == "full_name" and looks_like_sentence(turn.text):
        turn.say("reg-name-hint", helper=form.who if form is not None else "no")
        return ASK_AGAIN
    if asks_something(turn.text):
        turn.say("reg-question-unknown")
        return ASK_AGAIN
    return None


async def _run_command(turn: Turn) -> bool:
    """Carry out a global command said in other words; return whether there was one."""
    if getattr(turn, "global_command", None) is not None:
        return bool(await turn.run_global_command())  # the router's, with every command
    command = command_in(turn)  # without a router (or before it is wired): the form's own
    if command == Command.CANCEL:
        await pause(turn)
    elif command == Command.AGENT:
        await handoff.request(turn, "asked")
    elif command == Command.MENU:
        menu.show(turn, greet=False)
    else:
        return False
    return True


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
    args = {"helper": form.who, **outcome.args}  # errors name whose KTP to look at
    turn.say(outcome.key, buttons=buttons, image_url=outcome.image_url, **args)
    if escalate and not outcome.buttons:
        await handoff.escalate(turn, "failures", key="handoff-failures", offer_resume=False)
    if not outcome.buttons and outcome.ask_again:
        await slot.ask(turn, form)
