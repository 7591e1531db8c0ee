"""The form as a whole: its questions in order, the summary, and going back to edit an answer."""

from __future__ import annotations

from datetime import date

from bot.domain.language.numbers import group_phone
from bot.i18n import format_date, format_datetime
from dialogs import menu
from dialogs.base import MENU, Turn
from dialogs.flow import FlowName
from dialogs.registration.form import Form, Slot, Stage
from dialogs.registration.photos import PHOTO_SLOTS
from dialogs.registration.questions import TYPED_SLOTS
from dialogs.registration.understanding import Move, field_named, move_in

SLOTS: tuple[Slot, ...] = (*TYPED_SLOTS, *PHOTO_SLOTS)
SLOT_BY_NAME = {slot.name: slot for slot in SLOTS}
EDIT_PREFIX = "edit:"
# "Continue", offered when the form is paused; a typed "lanjut" picks it (see Turn.choice).
CONTINUE = "reg:continue"


async def ask_next(turn: Turn, form: Form) -> None:
    """Ask the first unanswered question, or show the summary once all are answered."""
    # After an edit every slot is filled again, so this leads straight back to the summary.
    pending = next((slot for slot in SLOTS if not form.has(slot.name)), None)
    if pending is None:
        turn.go(FlowName.REGISTRATION, Stage.SUMMARY)
        show_summary(turn, form)
        return
    turn.go(FlowName.REGISTRATION, pending.name)
    await pending.ask(turn, form)


def show_summary(turn: Turn, form: Form) -> None:
    """Show every answer with the choice to send, edit or pause."""
    data = form.data
    doc_label = turn.t("btn-doc-resi" if data.get("document_type") == "resi" else "btn-doc-ktp")
    turn.say(
        "reg-summary",
        name=data.get("full_name", "-"),
        nik=data.get("nik", "-"),
        birth=format_date(turn.catalog, date.fromisoformat(data["birth_date"]))
        if data.get("birth_date")
        else "-",
        phone=group_phone(data["phone"]) if data.get("phone") else "-",
        kecamatan=data.get("kecamatan", "-"),
        kelurahan=data.get("kelurahan", "-"),
        document=doc_label,
        helper=form.who,
        buttons=[
            turn.button("summary:send", "btn-send"),
            turn.button("summary:edit", "btn-edit"),
            turn.button("summary:cancel", "btn-cancel"),
        ],
    )


async def handle_summary(turn: Turn, form: Form) -> None:
    """Send the request, open the edit menu, or pause, as the citizen chose."""
    field = _field_to_change(turn)
    if field is not None:
        await edit(turn, form, field)
        return
    choice = turn.choice()
    if choice is None and (move := move_in(turn)) is not None:
        choice = "summary:edit" if move[0] is not Move.CONTINUE else None
    registrations = turn.services.registrations
    if choice == "summary:send":
        await registrations.submit(turn.uow, form.reg)
        turn.go(None)
        deadline = registrations.deadline(form.reg.submitted_at or turn.now)
        turn.say(
            "reg-submitted",
            reference=form.reg.reference,
            hours=turn.services.settings.verification_sla_hours,
            deadline=format_datetime(turn.catalog, deadline),
            helper=form.who,
            name=form.data.get("full_name", ""),
            buttons=[
                turn.button(menu.STATUS, "btn-status"),
                # The same chat may register a family member next, with its own consent.
                turn.button(menu.REGISTER_OTHER, "btn-register-other"),
                turn.button(MENU, "btn-menu"),
            ],
        )
    elif choice == "summary:edit":
        turn.go(FlowName.REGISTRATION, Stage.EDIT)
        show_edit_menu(turn)
    elif choice == "summary:cancel":
        pause(turn)
    else:
        turn.say("reg-error-choice")
        show_summary(turn, form)


def pause(turn: Turn) -> None:
    """Leave the form; the draft is kept, and "lanjut" (or the button) continues it."""
    turn.go(None)
    turn.say("reg-paused", buttons=[turn.button(CONTINUE, "btn-continue-registration"),
                                    *menu.buttons(turn)])  # fmt: skip


def _field_to_change(turn: Turn) -> str | None:
    """Return the field named in "nik salah", "ganti no hp" (a change of one answer)."""
    move = move_in(turn) if turn.text else None
    return move[1] if move and move[0] is Move.CHANGE else None


def show_edit_menu(turn: Turn) -> None:
    """Offer every question of the form to answer again."""
    turn.say(
        "reg-ask-edit",
        buttons=[turn.button(f"{EDIT_PREFIX}{slot.name}", f"field-{slot.name}") for slot in SLOTS],
    )


async def handle_edit_choice(turn: Turn, form: Form) -> None:
    """Ask again the question the citizen picked from the edit menu."""
    choice = turn.choice() or ""
    named = _field_to_change(turn) or (field_named(turn.text) if turn.text else None)
    if not choice and named:
        choice = f"{EDIT_PREFIX}{named}"
    move = move_in(turn) if not choice and turn.text else None
    if move is not None and move[0] is not Move.CHANGE:
        await ask_next(turn, form)  # back (or on) from the edit choices
        return
    if not choice.startswith(EDIT_PREFIX) or choice.removeprefix(EDIT_PREFIX) not in SLOT_BY_NAME:
        turn.say("reg-error-choice")
        show_edit_menu(turn)
        return
    await edit(turn, form, choice.removeprefix(EDIT_PREFIX))


async def edit(turn: Turn, form: Form, name: str) -> None:
    """Go back to question ``name`` (an unknown name continues the form)."""
    slot = SLOT_BY_NAME.get(name)
    if slot is None:
        await ask_next(turn, form)
        return
    turn.state.pop("birth_manual", None)
    turn.state.pop("phone_manual", None)
    turn.go(FlowName.REGISTRATION, slot.name)
    await slot.ask(turn, form)
