"""The typed questions of the form: name, NIK, birth date, phone number, kecamatan, kelurahan."""

from __future__ import annotations

from bot.domain.nik import NikError, parse_nik
from bot.domain.validators import InputError, parse_birth_date, parse_name, parse_phone
from bot.domain.wilayah import KECAMATAN, find_by_slug, kelurahan_of, slug
from bot.engine.messages import Button, InboundKind
from bot.i18n import format_date
from dialogs.base import Turn
from dialogs.registration.form import Filled, Form, Invalid, Outcome, Slot

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


TYPED_SLOTS: tuple[Slot, ...] = (
    Slot("full_name", InboundKind.TEXT, _ask_name, _accept_name),
    Slot("nik", InboundKind.TEXT, _ask_nik, _accept_nik),
    Slot("birth_date", InboundKind.TEXT, _ask_birth_date, _accept_birth_date),
    Slot("phone", InboundKind.TEXT, _ask_phone, _accept_phone),
    Slot("kecamatan", InboundKind.TEXT, _ask_kecamatan, _accept_kecamatan),
    Slot("kelurahan", InboundKind.TEXT, _ask_kelurahan, _accept_kelurahan),
)
