"""The typed questions of the form: name, NIK, birth date, phone number, kecamatan, kelurahan."""

from __future__ import annotations

from dataclasses import replace

from bot.domain.language.choices import match_choice
from bot.domain.nik import NikError, parse_nik
from bot.domain.validators import InputError, parse_birth_date, parse_name, parse_phone
from bot.domain.wilayah import KECAMATAN, find_by_slug, kelurahan_of, slug
from bot.engine.annotate import photo_marks
from bot.engine.messages import Button, InboundKind
from bot.i18n import format_date
from dialogs.base import Turn
from dialogs.registration.form import Filled, Form, Invalid, Outcome, Slot, offers_reading

# --- asking -------------------------------------------------------------------------------


async def _ask_name(turn: Turn, form: Form) -> None:
    question = turn.t("reg-ask-name", helper=form.who)
    if offers_reading(turn) and not form.has("ktp"):
        # In the same bubble: the photo sent now is read, and she only confirms (reading.py).
        question += "\n" + turn.t("reg-ask-name-photo-hint")
        turn.say_text(question)
        # The web chat shows its camera and gallery buttons for a reply marked so.
        turn.replies[-1] = replace(turn.replies[-1], extra=photo_marks("ktp"))
        return
    turn.say_text(question)


async def _ask_nik(turn: Turn, form: Form) -> None:
    turn.say("reg-ask-nik", helper=form.who)


async def _ask_birth_date(turn: Turn, form: Form) -> None:
    nik = parse_nik(form.data.get("nik", ""))
    if isinstance(nik, NikError) or turn.state.get("birth_manual"):
        turn.say("reg-ask-birthdate", helper=form.who)
        return
    turn.say(
        "reg-confirm-birthdate",
        date=format_date(turn.catalog, nik.birth_date),
        helper=form.who,
        buttons=[turn.button("birth:yes", "btn-correct"), turn.button("birth:no", "btn-wrong")],
    )


async def _ask_phone(turn: Turn, form: Form) -> None:
    known = turn.inbound.channel_phone or turn.state.get("channel_phone")
    if known and not turn.state.get("phone_manual"):
        turn.state["channel_phone"] = known
        turn.say(
            "reg-confirm-phone",
            phone=known,
            helper=form.who,
            buttons=[
                turn.button("phone:yes", "btn-use-number"),
                turn.button("phone:no", "btn-other-number"),
            ],
        )
        return
    turn.say("reg-ask-phone", ask_contact=True, helper=form.who)


async def _ask_kecamatan(turn: Turn, form: Form) -> None:
    turn.say(
        "reg-ask-kecamatan",
        helper=form.who,
        buttons=[Button(f"kec:{slug(k)}", k) for k in KECAMATAN],
    )


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
        turn.say("reg-ask-birthdate", helper=form.who)
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
        turn.say("reg-ask-phone", ask_contact=True, helper=form.who)
        return None
    raw = turn.inbound.contact_phone if turn.inbound.kind is InboundKind.CONTACT else turn.text
    phone = parse_phone(raw or "")
    return Invalid(phone) if isinstance(phone, InputError) else Filled(phone)


PLACE_YES = "place:yes"
PLACE_NO = "place:no"
BOTH = "kel-kec:"  # a kelurahan offered at the kecamatan step: it fills both
_ALL_KELURAHAN = {kel: kec for kec, names in KECAMATAN.items() for kel in names}


def _place_buttons(turn: Turn) -> list[Button]:
    return [turn.button(PLACE_YES, "btn-yes"), turn.button(PLACE_NO, "btn-place-no")]


def _pending_place(turn: Turn, step: str) -> dict[str, str] | None:
    """Return (and forget) the place offered with "Maksud Bapak/Ibu …?" at this step."""
    pending = turn.state.pop("place_pending", None)
    return pending if isinstance(pending, dict) and pending.get("step") == step else None


def _confirm_place(turn: Turn, step: str, **place: str) -> None:
    """Ask "Maksud Bapak/Ibu Cipondoh?" with Ya/Bukan, keeping the guess for the answer."""
    turn.state["place_pending"] = {"step": step, **place}
    if step == "kecamatan" and place.get("kelurahan"):
        turn.say("reg-place-did-you-mean-both", buttons=_place_buttons(turn), **place)
    else:
        turn.say("reg-place-did-you-mean", place=place[step], buttons=_place_buttons(turn))


def _offer_places(turn: Turn, prefix: str, names: tuple[str, ...]) -> None:
    turn.say("reg-place-which", buttons=[Button(f"{prefix}{slug(n)}", n) for n in names])


def _both(turn: Turn, kecamatan: str, kelurahan: str) -> Filled:
    """Fill the kecamatan and the kelurahan typed at the kecamatan step."""
    turn.say("reg-place-both", kecamatan=kecamatan, kelurahan=kelurahan)
    return Filled(kecamatan, also={"kelurahan": kelurahan})


async def _accept_kecamatan(turn: Turn, form: Form) -> Outcome:
    choice = turn.choice() or ""
    pending = _pending_place(turn, "kecamatan")
    if choice == PLACE_YES and pending:
        if pending.get("kelurahan"):
            return _both(turn, pending["kecamatan"], pending["kelurahan"])
        return Filled(pending["kecamatan"])
    if choice == PLACE_NO:  # "bukan, larangan": the right one may follow the no
        named = match_choice(turn.text, tuple(KECAMATAN)) if turn.text else None
        if named and named.value and named.sure:
            return Filled(named.value)
        await _ask_kecamatan(turn, form)
        return None
    if choice.startswith("kec:"):
        name = find_by_slug(tuple(KECAMATAN), choice.removeprefix("kec:"))
        return Filled(name) if name else Invalid("reg-error-kecamatan")
    if choice.startswith(BOTH):
        kelurahan = find_by_slug(tuple(_ALL_KELURAHAN), choice.removeprefix(BOTH))
        if kelurahan:
            return _both(turn, _ALL_KELURAHAN[kelurahan], kelurahan)
    if not turn.text:
        return Invalid("reg-error-kecamatan")
    match = match_choice(turn.text, tuple(KECAMATAN))
    if match.value and match.sure:
        return Filled(match.value)
    if match.value:
        _confirm_place(turn, "kecamatan", kecamatan=match.value)
        return None
    if match.candidates:
        _offer_places(turn, "kec:", match.candidates)
        return None
    # A kelurahan typed here names its kecamatan too ("petir" is in Cipondoh).
    kel = match_choice(turn.text, tuple(_ALL_KELURAHAN))
    if kel.value and kel.sure:
        return _both(turn, _ALL_KELURAHAN[kel.value], kel.value)
    if kel.value:
        _confirm_place(turn, "kecamatan", kecamatan=_ALL_KELURAHAN[kel.value], kelurahan=kel.value)
        return None
    if kel.candidates:
        _offer_places(turn, BOTH, kel.candidates)
        return None
    return Invalid("reg-error-kecamatan")


async def _accept_kelurahan(turn: Turn, form: Form) -> Outcome:
    names = kelurahan_of(form.data.get("kecamatan", ""))
    choice = turn.choice() or ""
    pending = _pending_place(turn, "kelurahan")
    if choice == PLACE_YES and pending:
        return Filled(pending["kelurahan"])
    if choice == PLACE_NO:
        named = match_choice(turn.text, names) if turn.text else None
        if named and named.value and named.sure:
            return Filled(named.value)
        await _ask_kelurahan(turn, form)
        return None
    if choice.startswith("kel:"):
        name = find_by_slug(names, choice.removeprefix("kel:"))
        return Filled(name) if name else Invalid("reg-error-kelurahan")
    if not turn.text:
        return Invalid("reg-error-kelurahan")
    match = match_choice(turn.text, names)
    if match.value and match.sure:
        return Filled(match.value)
    if match.value:
        _confirm_place(turn, "kelurahan", kelurahan=match.value)
        return None
    if match.candidates:
        _offer_places(turn, "kel:", match.candidates)
        return None
    return Invalid("reg-error-kelurahan")


TYPED_SLOTS: tuple[Slot, ...] = (
    Slot("full_name", InboundKind.TEXT, _ask_name, _accept_name),
    Slot("nik", InboundKind.TEXT, _ask_nik, _accept_nik),
    Slot("birth_date", InboundKind.TEXT, _ask_birth_date, _accept_birth_date),
    Slot("phone", InboundKind.TEXT, _ask_phone, _accept_phone),
    Slot("kecamatan", InboundKind.TEXT, _ask_kecamatan, _accept_kecamatan),
    Slot("kelurahan", InboundKind.TEXT, _ask_kelurahan, _accept_kelurahan),
)
