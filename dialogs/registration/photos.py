"""The photo steps of the form: the KTP-el (or its receipt) and the selfie holding it."""

from __future__ import annotations

from bot.engine.messages import Button, InboundKind
from bot.photos.guides import fix_url, guide_url
from bot.services.registration_drafts import attach_photo
from dialogs.base import Turn
from dialogs.registration.form import PHOTO_KINDS, Acceptor, Filled, Form, Invalid, Outcome, Slot

# Shown before each photo step: the good photo above the common mistakes.
EXAMPLE_KTP = guide_url("ktp")
EXAMPLE_SELFIE = guide_url("selfie")
USE_KTP = "doc:ktp"
USE_RESI = "doc:resi"


def document(form: Form, kind: str) -> str:
    """Return what the photo of step ``kind`` shows: "ktp", "resi" or "selfie"."""
    if kind != "ktp":
        return kind
    return "resi" if form.data.get("document_type") == "resi" else "ktp"


def switch_buttons(turn: Turn, form: Form, kind: str) -> tuple[Button, ...]:
    """Return the button that switches between KTP-el and receipt (KTP step only)."""
    if kind != "ktp":
        return ()
    if document(form, kind) == "resi":
        return (turn.button(USE_KTP, "btn-use-ktp"),)
    return (turn.button(USE_RESI, "btn-use-resi"),)


async def _ask_ktp(turn: Turn, form: Form) -> None:
    # KTP-el is the common case; resi holders switch with one tap instead of a separate question.
    key = "reg-ask-resi-photo" if document(form, "ktp") == "resi" else "reg-ask-ktp-photo"
    turn.say(key, image_url=EXAMPLE_KTP, buttons=switch_buttons(turn, form, "ktp"), helper=form.who)


async def _ask_selfie(turn: Turn, form: Form) -> None:
    turn.say("reg-ask-selfie", image_url=EXAMPLE_SELFIE, helper=form.who)


async def choose_document(turn: Turn, form: Form, document_type: str) -> None:
    """Switch the KTP step to the KTP-el or its receipt and ask for that photo."""
    turn.services.registrations.set_field(turn.uow, form.reg, "document_type", document_type)
    form.data["document_type"] = document_type
    await _ask_ktp(turn, form)


def remind(turn: Turn, form: Form, kind: str) -> None:
    """Say in one line which photo is awaited (after an answer to a question)."""
    turn.say(
        f"reg-photo-reminder-{document(form, kind)}",
        buttons=switch_buttons(turn, form, kind),
        helper=form.who,
    )


def accepted(turn: Turn, form: Form, kind: str, notes: tuple[str, ...]) -> None:
    """Say that the photo is accepted, with what to mind next time, if anything."""
    lines = [turn.t(f"reg-photo-accepted-{document(form, kind)}")]
    if notes:
        lines += [turn.t("reg-photo-warnings-intro"), *(f"• {turn.t(key)}" for key in notes)]
    turn.say_text("\n".join(lines))


def _photo_acceptor(kind: str) -> Acceptor:
    async def accept(turn: Turn, form: Form) -> Outcome:
        inbound = turn.inbound
        choice = turn.choice()
        registrations = turn.services.registrations
        if kind == "ktp" and choice in (USE_KTP, USE_RESI):
            await choose_document(turn, form, choice.removeprefix("doc:"))
            return None

        def refused(key: str) -> Invalid:
            buttons = switch_buttons(turn, form, kind)
            # The picture of this very mistake beside the good photo, with the reason as caption.
            return Invalid(key, buttons=buttons, image_url=fix_url(key, kind), ask_again=False)

        if inbound.photo_too_large:
            return refused("photo-too-big")
        if inbound.kind is not InboundKind.PHOTO or not inbound.photo:
            return refused(f"reg-photo-hint-{document(form, kind)}")
        verdict = turn.prechecked
        if verdict is None or verdict.kind != kind:
            verdict = await turn.services.photos.check(inbound.photo, kind)
        if not verdict.accepted:
            return refused(next(p.key for p in verdict.problems if p.hard))
        typed_nik = form.data.get("nik")
        await attach_photo(turn.uow, form.reg, verdict, typed_nik)
        if kind == "ktp" and "document_type" not in form.data:
            registrations.set_field(turn.uow, form.reg, "document_type", "ktp")
        # The verdict is the answer: the KTP's reading may be offered next (reading.py).
        return Filled(verdict, verdict.warnings(typed_nik))

    return accept


def photo_kind(step: str | None) -> str | None:
    """Return which photo the form waits for at ``step``, if any."""
    return step if step in PHOTO_KINDS else None


PHOTO_SLOTS: tuple[Slot, ...] = (
    Slot("ktp", InboundKind.PHOTO, _ask_ktp, _photo_acceptor("ktp")),
    Slot("selfie", InboundKind.PHOTO, _ask_selfie, _photo_acceptor("selfie")),
)
