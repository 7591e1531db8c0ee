"""A KTP photo sent before the typed questions: the bot reads it and offers what it read.

Today's form asks name, NIK and birth date first and the KTP photo later. A citizen who sends
the photo at the name (or NIK) question instead gets it accepted as the KTP photo, checked as
at the photo step; when the reading is sure (NIK structure valid, the printed birth date the
one the NIK encodes, clear lines), the bot shows "Nama … NIK … Tanggal lahir …, benar?" with
*Benar* / *Ubah*: one tap instead of three answers. "iya", "bener", "salah" typed work too.
When the reading is unsure, or she says *Ubah*, the questions are asked as before, and the
photo stays (it is not asked for again). A KTP photo sent at its own step, after the typing,
whose sure reading differs from the typed NIK, brings "Pakai data dari KTP?" instead.
The reading comes from the photo check's own Tesseract pass; the verifier's fuller reading
(RapidOCR) runs after the photo is stored.
"""

from __future__ import annotations

from datetime import date

from bot.domain.nik import parse_nik
from bot.engine.messages import InboundKind
from bot.i18n import format_date
from bot.photos.guides import fix_url
from bot.services.photos import CheckedPhoto
from bot.services.registration_drafts import attach_photo, photo_kinds
from dialogs.base import Turn
from dialogs.flow import FlowName
from dialogs.registration import photos
from dialogs.registration.form import Form, Slot, Stage, offers_reading

READ_YES = "read:yes"
READ_NO = "read:no"
OFFER = "ktp_offer"  # conversation state (encrypted): what was offered
# The questions at which a photo is taken as the KTP photo (nothing the card says typed yet).
EARLY_STEPS = ("full_name", "nik")
FIELDS = ("full_name", "nik", "birth_date")


def wants_photo_first(turn: Turn, form: Form, slot: Slot) -> bool:
    """Tell whether a photo sent at this typed question should be read as the KTP."""
    return (
        turn.inbound.kind is InboundKind.PHOTO
        and bool(turn.inbound.photo)
        and slot.name in EARLY_STEPS
        and not form.has("ktp")
        and offers_reading(turn)
    )


async def photo_first(turn: Turn, form: Form, slot: Slot) -> None:
    """Take the photo as the KTP photo, then offer what it says (or go on asking)."""
    verdict = turn.prechecked
    if verdict is None or verdict.kind != "ktp":
        verdict = await turn.services.photos.check(turn.inbound.photo or b"", "ktp")
    if not verdict.accepted:
        key = next(p.key for p in verdict.problems if p.hard)
        # What was wrong, with the picture of this mistake; then the question she is at.
        turn.say(key, image_url=fix_url(key, "ktp"), helper=form.who)
        await slot.ask(turn, form)
        return
    registrations = turn.services.registrations
    await attach_photo(turn.uow, form.reg, verdict, form.data.get("nik"))
    registrations.set_field(turn.uow, form.reg, "document_type", "ktp")
    form.data["document_type"] = "ktp"
    form.documents.add("ktp")
    photos.accepted(turn, form, "ktp", verdict.warnings(form.data.get("nik")))
    offered = _offer_of(verdict.ocr_nik, verdict.ocr_name, verdict.ocr_birth_date)
    if not verdict.ocr_confident or offered is None:
        turn.say("reg-read-unsure", helper=form.who)  # typing, as before
        await _next(turn, form)
        return
    turn.state[OFFER] = offered
    turn.go(FlowName.REGISTRATION, Stage.READ)
    show_offer(turn, form)


def _offer_of(nik: str | None, name: str | None, born: str | None) -> dict[str, str] | None:
    """Return the fields to offer, or None unless NIK and name are there and agree in date."""
    parsed = parse_nik(nik or "")
    if not nik or not name or isinstance(parsed, str):
        return None
    offered = {"full_name": name, "nik": nik}
    if born and born == parsed.birth_date.isoformat():
        offered["birth_date"] = born
    return offered


def offer_correction(turn: Turn, form: Form, verdict: CheckedPhoto) -> bool:
    """After the KTP photo at its own step: offer the card's data when the typed NIK differs.

    Returns whether an offer was made (the form then waits for Pakai / Tetap). A surely read
    NIK one digit off the typed one is far more often a typing slip than another person's card.
    """
    if not offers_reading(turn) or not verdict.ocr_confident:
        return False
    offered = _offer_of(verdict.ocr_nik, verdict.ocr_name, verdict.ocr_birth_date)
    if offered is None:
        return False
    # Only a differing NIK: a typed name unlike the card's is as often the name she goes by,
    # and the verifier sees that difference anyway.
    typed_nik = form.data.get("nik")
    if not typed_nik or typed_nik == offered["nik"]:
        return False
    turn.state[OFFER] = {**offered, "correction": "yes"}
    turn.go(FlowName.REGISTRATION, Stage.READ)
    show_offer(turn, form)
    return True


def show_offer(turn: Turn, form: Form) -> None:
    """Ask "Nama … NIK … benar?" with Benar / Ubah (or, correcting, Pakai / Tetap)."""
    offered = turn.state.get(OFFER) or {}
    born = offered.get("birth_date")
    nik = offered.get("nik", "")
    correction = offered.get("correction") == "yes"
    turn.say(
        "reg-read-correction" if correction else "reg-read-offer",
        name=offered.get("full_name", "-"),
        nik=" ".join((nik[:6], nik[6:12], nik[12:])) if len(nik) == 16 else nik,
        birth=format_date(turn.catalog, date.fromisoformat(born)) if born else "-",
        helper=form.who,
        buttons=[
            turn.button(READ_YES, "btn-read-use" if correction else "btn-read-yes"),
            turn.button(READ_NO, "btn-read-keep" if correction else "btn-read-change"),
        ],
    )


async def handle_offer(turn: Turn, form: Form) -> None:
    """Fill the fields she confirmed, or go on to the questions."""
    offered = turn.state.get(OFFER)
    choice = turn.choice()
    if not isinstance(offered, dict):
        await _next(turn, form)
        return
    correction = offered.get("correction") == "yes"
    if choice == READ_YES:
        _fill(turn, form, offered)
        form.documents = await photo_kinds(turn.uow, form.reg)
        turn.state.pop(OFFER, None)
        turn.say("reg-read-corrected" if correction else "reg-read-thanks", helper=form.who)
        await _next(turn, form)
    elif choice == READ_NO:
        turn.state.pop(OFFER, None)
        turn.say("reg-read-kept" if correction else "reg-read-type-instead", helper=form.who)
        await _next(turn, form)
    else:
        turn.say("reg-error-choice")
        show_offer(turn, form)


def _fill(turn: Turn, form: Form, offered: dict[str, str]) -> None:
    """Store the fields confirmed from the card.

    A changed NIK normally voids the KTP photo (it was checked against the old NIK); here the
    photo is the very card the new NIK was read from, so it stays, with what was read off it.
    """
    registrations = turn.services.registrations
    for name in FIELDS:
        value = offered.get(name)
        if value and registrations.data(turn.uow, form.reg).get(name) != value:
            registrations.set_field(turn.uow, form.reg, name, value, read_off_photo=True)
    form.data = registrations.data(turn.uow, form.reg)


async def _next(turn: Turn, form: Form) -> None:
    from dialogs.registration.steps import ask_next  # steps imports the slots, which import us

    await ask_next(turn, form)
