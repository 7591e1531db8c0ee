"""A KTP photo sent before the typed questions: the bot reads it and offers what it read.

Today's form asks name, NIK and birth date first and the KTP photo later. A citizen who sends
the photo at the name (or NIK) question instead gets it accepted as the KTP photo, checked as
at the photo step; when the reading is sure (NIK structure valid, the printed birth date the
one the NIK encodes, clear lines), the bot shows "Nama … NIK … Tanggal lahir …, benar?" with
*Benar* / *Ubah*: one tap instead of three answers. "iya", "bener", "salah" typed work too.
When the reading is unsure, or she says *Ubah*, the questions are asked as before, and the
photo stays (it is not asked for again). The reading comes from the photo check's own
Tesseract pass; the verifier's fuller reading (RapidOCR) runs after the photo is stored.
"""

from __future__ import annotations

from datetime import date

from bot.domain.nik import parse_nik
from bot.engine.messages import InboundKind
from bot.i18n import format_date
from bot.photos.guides import fix_url
from bot.services.registration_drafts import attach_photo
from dialogs.base import Turn
from dialogs.flow import FlowName
from dialogs.registration import photos
from dialogs.registration.form import Form, Slot, Stage

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


def offers_reading(turn: Turn) -> bool:
    """Tell whether a KTP photo sent before the questions can be read and offered."""
    return turn.services.settings.ktp_ocr_offer and turn.services.photos.reads_text


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


def show_offer(turn: Turn, form: Form) -> None:
    """Ask "Nama … NIK … benar?" with Benar / Ubah."""
    offered = turn.state.get(OFFER) or {}
    born = offered.get("birth_date")
    nik = offered.get("nik", "")
    turn.say(
        "reg-read-offer",
        name=offered.get("full_name", "-"),
        nik=" ".join((nik[:6], nik[6:12], nik[12:])) if len(nik) == 16 else nik,
        birth=format_date(turn.catalog, date.fromisoformat(born)) if born else "-",
        helper=form.who,
        buttons=[turn.button(READ_YES, "btn-read-yes"), turn.button(READ_NO, "btn-read-change")],
    )


async def handle_offer(turn: Turn, form: Form) -> None:
    """Fill the fields she confirmed, or go on to the questions."""
    offered = turn.state.get(OFFER)
    choice = turn.choice()
    if not isinstance(offered, dict):
        await _next(turn, form)
        return
    if choice == READ_YES:
        registrations = turn.services.registrations
        for name in FIELDS:
            value = offered.get(name)
            if value and form.data.get(name) != value:
                registrations.set_field(turn.uow, form.reg, name, value)
        form.data = registrations.data(turn.uow, form.reg)
        turn.state.pop(OFFER, None)
        turn.say("reg-read-thanks", helper=form.who)
        await _next(turn, form)
    elif choice == READ_NO:
        turn.state.pop(OFFER, None)
        turn.say("reg-read-type-instead", helper=form.who)
        await _next(turn, form)
    else:
        turn.say("reg-error-choice")
        show_offer(turn, form)


async def _next(turn: Turn, form: Form) -> None:
    from dialogs.registration.steps import ask_next  # steps imports the slots, which import us

    await ask_next(turn, form)
