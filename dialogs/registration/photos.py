"""The photo steps of the form: the KTP-el (or its receipt) and the selfie holding it."""

from __future__ import annotations

from bot.engine.messages import InboundKind
from bot.services.registration_drafts import attach_photo
from dialogs.base import Turn
from dialogs.registration.form import PHOTO_KINDS, Acceptor, Filled, Form, Invalid, Outcome, Slot

EXAMPLE_KTP = "/static/examples/contoh-foto-ktp.jpg"
EXAMPLE_SELFIE = "/static/examples/contoh-selfie-ktp.jpg"
USE_KTP = "doc:ktp"
USE_RESI = "doc:resi"


async def _ask_ktp(turn: Turn, form: Form) -> None:
    # KTP-el is the common case; resi holders switch with one tap instead of a separate question.
    if form.data.get("document_type") == "resi":
        turn.say("reg-ask-resi-photo", image_url=EXAMPLE_KTP,
                 buttons=[turn.button(USE_KTP, "btn-use-ktp")])  # fmt: skip
    else:
        turn.say("reg-ask-ktp-photo", image_url=EXAMPLE_KTP,
                 buttons=[turn.button(USE_RESI, "btn-use-resi")])  # fmt: skip


async def _ask_selfie(turn: Turn, form: Form) -> None:
    turn.say("reg-ask-selfie", image_url=EXAMPLE_SELFIE)


def _photo_acceptor(kind: str) -> Acceptor:
    async def accept(turn: Turn, form: Form) -> Outcome:
        inbound = turn.inbound
        choice = turn.choice()
        registrations = turn.services.registrations
        if kind == "ktp" and choice in (USE_KTP, USE_RESI):
            document_type = choice.removeprefix("doc:")
            registrations.set_field(turn.uow, form.reg, "document_type", document_type)
            form.data["document_type"] = document_type
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
        typed_nik = form.data.get("nik")
        await attach_photo(turn.uow, form.reg, verdict, typed_nik)
        if kind == "ktp" and "document_type" not in form.data:
            registrations.set_field(turn.uow, form.reg, "document_type", "ktp")
        return Filled(True, verdict.warnings(typed_nik))

    return accept


def photo_kind(step: str | None) -> str | None:
    """Return which photo the form waits for at ``step``, if any."""
    return step if step in PHOTO_KINDS else None


PHOTO_SLOTS: tuple[Slot, ...] = (
    Slot("ktp", InboundKind.PHOTO, _ask_ktp, _photo_acceptor("ktp")),
    Slot("selfie", InboundKind.PHOTO, _ask_selfie, _photo_acceptor("selfie")),
)
