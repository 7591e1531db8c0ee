"""Registration (the SOP's step 1) as a form: consent, one question per slot, a summary."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.domain.nik import NikError, parse_nik
from bot.domain.validators import InputError, parse_birth_date, parse_name, parse_phone
from bot.domain.wilayah import KECAMATAN, find_by_slug, kelurahan_of, slug
from bot.engine.messages import Button, InboundKind
from bot.i18n import format_date, format_datetime
from bot.services.registration import Status
from bot.storage.models import Registration
from dialogs import faq, handoff, menu
from dialogs.base import MENU, Turn

FLOW = "registration"
CONSENT = "consent"
SUMMARY = "summary"
EDIT = "edit"
MAX_FAILURES = handoff.FAILURE_LIMIT
EXAMPLE_KTP = "/static/examples/contoh-foto-ktp.jpg"
EXAMPLE_SELFIE = "/static/examples/contoh-selfie-ktp.jpg"


@dataclass
class Form:
    """The draft being filled and its decrypted fields."""

    reg: Registration
    data: dict[str, Any]
    documents: set[str] = field(default_factory=set)

    def has(self, slot: str) -> bool:
        """Tell whether a slot already has an answer."""
        return slot in self.documents if slot in ("ktp", "selfie") else slot in self.data


@dataclass(frozen=True, slots=True)
class Filled:
    """A valid answer, with extra notes (catalog keys) to tell the citizen."""

    value: Any
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Invalid:
    """A refused answer: what was wrong (catalog key) and optional way-out buttons."""

    key: str
    args: dict[str, object] = field(default_factory=dict)
    buttons: tuple[Button, ...] = ()


Outcome = Filled | Invalid | None  # None: the slot asked a follow-up itself
Asker = Callable[[Turn, Form], Awaitable[None]]
Acceptor = Callable[[Turn, Form], Awaitable[Outcome]]


@dataclass(frozen=True, slots=True)
class Slot:
    """One question of the form: how to ask it and how to read the answer."""

    name: str
    kind: InboundKind
    ask: Asker
    accept: Acceptor


# --- asking -------------------------------------------------------------------------------


async def _ask_name(turn: Turn, form: Form) -> None:
    turn.say("reg-ask-name")


async def _ask_nik(turn: Turn, form: Form) -> None:
    turn.say("reg-ask-nik")


async def _ask_birth_date(turn: Turn, form: Form) -> None:
    nik = parse_nik(form.data.get("nik", ""))
    if isinstance(nik, NikError) or turn.state.get("birth_manual"):
        turn.say("reg-ask-birthdate")
        return
    turn.say(
        "reg-confirm-birthdate",
        date=format_date(turn.catalog, nik.birth_date),
        buttons=[turn.button("birth:yes", "btn-correct"), turn.button("birth:no", "btn-wrong")],
    )


async def _ask_phone(turn: Turn, form: Form) -> None:
    known = turn.inbound.channel_phone or turn.state.get("channel_phone")
    if known and not turn.state.get("phone_manual"):
        turn.state["channel_phone"] = known
        turn.say(
            "reg-confirm-phone",
            phone=known,
            buttons=[
                turn.button("phone:yes", "btn-use-number"),
                turn.button("phone:no", "btn-other-number"),
            ],
        )
        return
    turn.say("reg-ask-phone", ask_contact=True)


async def _ask_kecamatan(turn: Turn, form: Form) -> None:
    turn.say("reg-ask-kecamatan", buttons=[Button(f"kec:{slug(k)}", k) for k in KECAMATAN])


async def _ask_kelurahan(turn: Turn, form: Form) -> None:
    kecamatan = form.data.get("kecamatan", "")
    turn.say(
        "reg-ask-kelurahan",
        kecamatan=kecamatan,
        buttons=[Button(f"kel:{slug(k)}", k) for k in kelurahan_of(kecamatan)],
    )


async def _ask_ktp(turn: Turn, form: Form) -> None:
    # KTP-el is the common case; resi holders switch with one tap instead of a separate question.
    if form.data.get("document_type") == "resi":
        turn.say("reg-ask-resi-photo", image_url=EXAMPLE_KTP,
                 buttons=[turn.button("doc:ktp", "btn-use-ktp")])  # fmt: skip
    else:
        turn.say("reg-ask-ktp-photo", image_url=EXAMPLE_KTP,
                 buttons=[turn.button("doc:resi", "btn-use-resi")])  # fmt: skip


async def _ask_selfie(turn: Turn, form: Form) -> None:
    turn.say("reg-ask-selfie", image_url=EXAMPLE_SELFIE)


# --- reading answers ----------------------------------------------------------------------


async def _accept_name(turn: Turn, form: Form) -> Outcome:
    name = parse_name(turn.text)
    return Invalid(name) if isinstance(name, InputError) else Filled(name)


async def _accept_nik(turn: Turn, form: Form) -> Outcome:
    nik = parse_nik(turn.text)
    if isinstance(nik, NikError):
        return Invalid(nik)
    notes = () if nik.in_kota_tangerang else ("reg-note-nik-outside",)
    turn.state.pop("birth_manual", None)
    if form.data.get("birth_date") and form.data["birth_date"] != nik.birth_date.isoformat():
        # A corrected NIK invalidates the birth date confirmed for the old one.
        form.data.pop("birth_date")
    return Filled(nik.value, notes)


async def _accept_birth_date(turn: Turn, form: Form) -> Outcome:
    nik = parse_nik(form.data.get("nik", ""))
    choice = turn.choice()
    if choice == "birth:yes" and not isinstance(nik, NikError):
        return Filled(nik.birth_date.isoformat())
    if choice == "birth:no":
        turn.state["birth_manual"] = True
        turn.say("reg-ask-birthdate")
        return None
    typed = parse_birth_date(turn.text)
    if isinstance(typed, InputError):
        return Invalid(typed)
    if not isinstance(nik, NikError) and typed != nik.birth_date:
        return Invalid(
            "birthdate-mismatch",
            {"nik_date": format_date(turn.catalog, nik.birth_date)},
            (turn.button("edit:nik", "btn-fix-nik"),),
        )
    return Filled(typed.isoformat())


async def _accept_phone(turn: Turn, form: Form) -> Outcome:
    choice = turn.choice()
    known = turn.state.get("channel_phone")
    if choice == "phone:yes" and known:
        phone = parse_phone(known)
        return Filled(phone) if not isinstance(phone, InputError) else Invalid(phone)
    if choice == "phone:no":
        turn.state["phone_manual"] = True
        turn.say("reg-ask-phone", ask_contact=True)
        return None
    raw = turn.inbound.contact_phone if turn.inbound.kind is InboundKind.CONTACT else turn.text
    phone = parse_phone(raw or "")
    return Invalid(phone) if isinstance(phone, InputError) else Filled(phone)


def _place_answer(turn: Turn, prefix: str, names: tuple[str, ...]) -> str | None:
    choice = turn.choice()
    if choice and choice.startswith(prefix):
        return find_by_slug(names, choice.removeprefix(prefix))
    return find_by_slug(names, turn.text) if turn.text else None


async def _accept_kecamatan(turn: Turn, form: Form) -> Outcome:
    name = _place_answer(turn, "kec:", tuple(KECAMATAN))
    return Filled(name) if name else Invalid("reg-error-kecamatan")


async def _accept_kelurahan(turn: Turn, form: Form) -> Outcome:
    name = _place_answer(turn, "kel:", kelurahan_of(form.data.get("kecamatan", "")))
    return Filled(name) if name else Invalid("reg-error-kelurahan")


def _photo_acceptor(kind: str) -> Acceptor:
    async def accept(turn: Turn, form: Form) -> Outcome:
        inbound = turn.inbound
        choice = turn.choice()
        if kind == "ktp" and choice in ("doc:ktp", "doc:resi"):
            turn.services.registrations.set_field(
                turn.uow, form.reg, "document_type", choice.removeprefix("doc:")
            )
            form.data["document_type"] = choice.removeprefix("doc:")
            await _ask_ktp(turn, form)
            return None
        if inbound.photo_too_large:
            return Invalid("photo-too-big")
        if inbound.kind is not InboundKind.PHOTO or not inbound.photo:
            return Invalid("reg-error-photo-expected")
        verdict = turn.prechecked
        if verdict is None or verdict.kind != kind:
            verdict = await turn.services.photos.check(inbound.photo, kind)
        if not verdict.accepted:
            return Invalid(next(p.key for p in verdict.problems if p.hard))
        await turn.uow.documents.put(
            form.reg.id, kind, verdict.clean_jpeg or b"", mime="image/jpeg",
            width=verdict.width, height=verdict.height, checks=verdict.checks,
        )  # fmt: skip
        typed_nik = form.data.get("nik")
        form.reg.flags = {**form.reg.flags, **verdict.registration_flags(typed_nik)}
        if kind == "ktp" and "document_type" not in form.data:
            turn.services.registrations.set_field(turn.uow, form.reg, "document_type", "ktp")
        return Filled(True, verdict.warnings(typed_nik))

    return accept


def photo_kind(flow: str | None, step: str | None) -> str | None:
    """Return which photo the conversation waits for at this step, if any."""
    return step if flow == FLOW and step in ("ktp", "selfie") else None


SLOTS: tuple[Slot, ...] = (
    Slot("full_name", InboundKind.TEXT, _ask_name, _accept_name),
    Slot("nik", InboundKind.TEXT, _ask_nik, _accept_nik),
    Slot("birth_date", InboundKind.TEXT, _ask_birth_date, _accept_birth_date),
    Slot("phone", InboundKind.TEXT, _ask_phone, _accept_phone),
    Slot("kecamatan", InboundKind.TEXT, _ask_kecamatan, _accept_kecamatan),
    Slot("kelurahan", InboundKind.TEXT, _ask_kelurahan, _accept_kelurahan),
    Slot("ktp", InboundKind.PHOTO, _ask_ktp, _photo_acceptor("ktp")),
    Slot("selfie", InboundKind.PHOTO, _ask_selfie, _photo_acceptor("selfie")),
)
SLOT_BY_NAME = {slot.name: slot for slot in SLOTS}


# --- the flow -----------------------------------------------------------------------------


async def start(turn: Turn) -> None:
    """Begin or continue registration: consent first, then the first unanswered question."""
    services = turn.services.registrations
    latest = await services.latest(turn.uow, turn.conv)
    if latest is not None and latest.status == Status.SUBMITTED:
        turn.go(None)
        turn.say(
            "reg-already-submitted",
            reference=latest.reference,
            since=format_datetime(turn.catalog, latest.submitted_at or turn.now),
            buttons=menu.buttons(turn),
        )
        return
    if latest is not None and latest.status == Status.APPROVED:
        turn.go(None)
        turn.say("reg-already-approved", buttons=menu.buttons(turn))
        return
    if not await services.has_consent(turn.uow, turn.conv):
        turn.go(FLOW, CONSENT)
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
        if draft.created_at < turn.now and (await _form(turn, draft)).data:
            turn.say("reg-welcome-back")
    await _ask_next(turn, await _form(turn, draft))


async def handle(turn: Turn) -> None:
    """Read the answer to the current step and move on."""
    if turn.conv.step == CONSENT:
        await _handle_consent(turn)
    elif (form := await _open_form(turn)) is None:
        return
    elif turn.conv.step == SUMMARY:
        await _handle_summary(turn, form)
    elif turn.conv.step == EDIT:
        await _handle_edit_choice(turn, form)
    elif (slot := SLOT_BY_NAME.get(turn.conv.step or "")) is not None:
        await _handle_slot(turn, form, slot)
    else:
        await _ask_next(turn, form)


async def reprompt(turn: Turn) -> None:
    """Ask the current question again (after help, status or an FAQ answer)."""
    if turn.conv.step == CONSENT:
        await start(turn)
    elif (form := await _open_form(turn)) is None:
        return
    elif turn.conv.step == SUMMARY:
        _show_summary(turn, form)
    elif turn.conv.step == EDIT:
        _show_edit_menu(turn)
    elif (slot := SLOT_BY_NAME.get(turn.conv.step or "")) is not None:
        await slot.ask(turn, form)
    else:
        await _ask_next(turn, form)


async def _open_form(turn: Turn) -> Form | None:
    """Return the open draft's form; without one, start over (it was submitted or erased)."""
    draft = await turn.services.registrations.draft(turn.uow, turn.conv)
    if draft is None:
        await start(turn)
        return None
    return await _form(turn, draft)


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
    if turn.choice() and (turn.choice() or "").startswith("edit:"):
        await _edit(turn, form, (turn.choice() or "").removeprefix("edit:"))
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
    await _ask_next(turn, form)


async def _refuse(turn: Turn, form: Form, slot: Slot, outcome: Invalid) -> None:
    """Say what was wrong and ask again; the third failure in a row calls a person."""
    failures = turn.state.setdefault("failures", {})
    failures[slot.name] = count = failures.get(slot.name, 0) + 1
    escalate = count == MAX_FAILURES and turn.conv.mode == "bot"
    buttons = list(outcome.buttons)
    if count > MAX_FAILURES and turn.conv.mode == "bot":
        buttons.append(turn.button("agent", "btn-agent"))
    if escalate and outcome.buttons:  # the way-out buttons must stay on the last message
        await handoff.escalate(turn, "failures", key="handoff-failures", offer_resume=False)
    turn.say(outcome.key, buttons=buttons, **outcome.args)
    if escalate and not outcome.buttons:
        await handoff.escalate(turn, "failures", key="handoff-failures", offer_resume=False)
    if not outcome.buttons:
        await slot.ask(turn, form)


async def _ask_next(turn: Turn, form: Form) -> None:
    # After an edit every slot is filled again, so this leads straight back to the summary.
    pending = next((slot for slot in SLOTS if not form.has(slot.name)), None)
    if pending is None:
        turn.go(FLOW, SUMMARY)
        _show_summary(turn, form)
        return
    turn.go(FLOW, pending.name)
    await pending.ask(turn, form)


def _show_summary(turn: Turn, form: Form) -> None:
    data = form.data
    doc_label = turn.t("btn-doc-resi" if data.get("document_type") == "resi" else "btn-doc-ktp")
    turn.say(
        "reg-summary",
        name=data.get("full_name", "-"),
        nik=data.get("nik", "-"),
        birth=format_date(turn.catalog, date.fromisoformat(data["birth_date"]))
        if data.get("birth_date")
        else "-",
        phone=data.get("phone", "-"),
        kecamatan=data.get("kecamatan", "-"),
        kelurahan=data.get("kelurahan", "-"),
        document=doc_label,
        buttons=[
            turn.button("summary:send", "btn-send"),
            turn.button("summary:edit", "btn-edit"),
            turn.button("summary:cancel", "btn-cancel"),
        ],
    )


async def _handle_summary(turn: Turn, form: Form) -> None:
    choice = turn.choice()
    if choice == "summary:send":
        await turn.services.registrations.submit(turn.uow, form.reg)
        turn.go(None)
        deadline = turn.services.registrations.deadline(form.reg.submitted_at or turn.now)
        turn.say(
            "reg-submitted",
            reference=form.reg.reference,
            hours=turn.services.settings.verification_sla_hours,
            deadline=format_datetime(turn.catalog, deadline),
            buttons=[turn.button("menu:status", "btn-status"), turn.button(MENU, "btn-menu")],
        )
    elif choice == "summary:edit":
        turn.go(FLOW, EDIT)
        _show_edit_menu(turn)
    elif choice == "summary:cancel":
        turn.go(None)
        turn.say("reg-paused", buttons=menu.buttons(turn))
    else:
        turn.say("reg-error-choice")
        _show_summary(turn, form)


def _show_edit_menu(turn: Turn) -> None:
    turn.say(
        "reg-ask-edit",
        buttons=[turn.button(f"edit:{slot.name}", f"field-{slot.name}") for slot in SLOTS],
    )


async def _handle_edit_choice(turn: Turn, form: Form) -> None:
    choice = turn.choice() or ""
    if not choice.startswith("edit:") or choice.removeprefix("edit:") not in SLOT_BY_NAME:
        turn.say("reg-error-choice")
        _show_edit_menu(turn)
        return
    await _edit(turn, form, choice.removeprefix("edit:"))


async def _edit(turn: Turn, form: Form, name: str) -> None:
    slot = SLOT_BY_NAME.get(name)
    if slot is None:
        await _ask_next(turn, form)
        return
    turn.state.pop("birth_manual", None)
    turn.state.pop("phone_manual", None)
    turn.go(FLOW, slot.name)
    await slot.ask(turn, form)


async def _form(turn: Turn, reg: Registration) -> Form:
    documents = {d.kind for d in await turn.uow.documents.list_for(reg.id) if d.purged_at is None}
    return Form(reg=reg, data=turn.services.registrations.data(turn.uow, reg), documents=documents)
