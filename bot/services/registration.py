"""Registration rules: drafts, consent, submission, decisions and resubmission."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, ClassVar

from bot.config import Settings
from bot.domain.events import PhotoAttached
from bot.domain.nik import NikError, parse_nik
from bot.services import webhooks
from bot.services.fraud import flag_fraud_signals
from bot.services.ktp_reading import refresh_agreement
from bot.storage.models import Citizen, Consent, Conversation, Registration
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWork
from bot.usecases.errors import Refused

log = logging.getLogger(__name__)

CONSENT_PURPOSE = "registration"
CONSENT_VERSION = "consent-registration-v1"
CONSENT_VERSION_HELPER = "consent-registration-helper-v1"


class Status(StrEnum):
    """Where a registration stands."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


class RejectReason(StrEnum):
    """Why a verifier rejected a request (the SOP's reasons)."""

    KTP_BLURRY = "ktp_blurry"
    KTP_UNREADABLE = "ktp_unreadable"
    FACE_NOT_VISIBLE = "face_not_visible"
    SELFIE_WITHOUT_KTP = "selfie_without_ktp"
    DATA_MISMATCH = "data_mismatch"
    NOT_KTP = "not_ktp"
    OTHER = "other"


# What a resubmission must redo after each rejection reason.
REDO_DOCUMENTS: dict[RejectReason, tuple[str, ...]] = {
    RejectReason.KTP_BLURRY: ("ktp",),
    RejectReason.KTP_UNREADABLE: ("ktp",),
    RejectReason.FACE_NOT_VISIBLE: ("selfie",),
    RejectReason.SELFIE_WITHOUT_KTP: ("selfie",),
    RejectReason.DATA_MISMATCH: (),
    RejectReason.NOT_KTP: ("ktp", "selfie"),
    RejectReason.OTHER: (),
}


class DecisionError(Refused):
    """A decision that cannot be recorded (not found, not submitted, already decided…)."""

    statuses: ClassVar[Mapping[str, int]] = {
        "not_found": 404, "already_decided": 409, "not_submitted": 409, "claimed": 409,
        "invalid_reason": 422, "note_required": 422, "duplicate_nik": 409,
        "override_note_required": 422,
    }  # fmt: skip


@dataclass(frozen=True, slots=True)
class Decision:
    """A recorded verification decision."""

    registration: Registration
    conversation: Conversation | None


def _forget_what_the_old_nik_vouched_for(
    reg: Registration, data: dict[str, Any], nik_value: str, *, read_off_photo: bool = False
) -> None:
    """Drop the birth date and KTP photo checks that belonged to a NIK just replaced.

    ``read_off_photo``: the new NIK is the one the stored KTP photo shows, so the photo, its
    checks and its reading stay; only its NIK no longer differs from the typed one.
    """
    nik = parse_nik(nik_value)
    birth = data.get("birth_date")
    if birth and (isinstance(nik, NikError) or birth != nik.birth_date.isoformat()):
        data.pop("birth_date")
    if read_off_photo:
        flags = {**(reg.flags or {}), "ocr_nik_mismatch": False}
        if isinstance(warnings := flags.get("ktp_warnings"), list):
            flags["ktp_warnings"] = [w for w in warnings if w != "ktp-nik-mismatch"]
        reg.flags = flags
        return
    flags = {k: v for k, v in (reg.flags or {}).items()
             if k not in ("ocr_nik_mismatch", "ktp_warnings", "ocr_fields")}  # fmt: skip
    data.pop("ocr", None)  # what was read off the photo that goes with it
    # The photo is deleted where the draft's photos are read (that needs the database).
    flags["ktp_outdated"] = True
    reg.flags = flags


def age_group(birth: date, today: date) -> str:
    """Return the reporting age group of a birth date."""
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    for upper, label in ((17, "<17"), (25, "17-24"), (35, "25-34"), (45, "35-44"), (60, "45-59")):
        if age < upper:
            return label
    return "60+"


class RegistrationService:
    """Create, fill, submit and decide registrations inside a caller's unit of work."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def deadline(self, submitted_at: datetime) -> datetime:
        """Return when the SOP says a request must be decided."""
        return submitted_at + timedelta(hours=self._settings.verification_sla_hours)

    async def give_consent(
        self,
        uow: UnitOfWork,
        conv: Conversation,
        *,
        helper: bool = False,
        reference: str | None = None,
    ) -> Citizen:
        """Record consent, creating the citizen if needed.

        A helper (registering a family member) agrees for the data of the person she registers,
        who agreed to it: the text she saw says so, and its version records which one it was.
        """
        citizen = await self._citizen(uow, conv)
        version = CONSENT_VERSION_HELPER if helper else CONSENT_VERSION
        uow.citizens.add_consent(
            Consent(
                citizen_id=citizen.id, conversation_id=conv.id, channel=conv.channel,
                purpose=CONSENT_PURPOSE, text_version=version, given_at=utcnow(),
            )
        )  # fmt: skip
        details: dict[str, Any] = {"version": version, "channel": conv.channel}
        if reference is not None:
            details["reference"] = reference
        uow.audit.record(
            "consent.given", actor_type="citizen", actor_id=str(citizen.id),
            target_type="citizen", target_id=str(citizen.id), details=details,
        )  # fmt: skip
        return citizen

    async def begin(self, uow: UnitOfWork, conv: Conversation, *, helper: bool) -> Registration:
        """Open a new request with its own consent (one chat may register several people)."""
        await self._citizen(uow, conv)
        reg = await self.start_draft(uow, conv, helper=helper)
        await self.give_consent(uow, conv, helper=helper, reference=reg.reference)
        return reg

    async def draft(self, uow: UnitOfWork, conv: Conversation) -> Registration | None:
        """Return the chat's open draft, if any (its sent requests stay as they are)."""
        if conv.citizen_id is None:
            return None
        return await uow.registrations.newest_draft_for_citizen(conv.citizen_id)

    async def latest(self, uow: UnitOfWork, conv: Conversation) -> Registration | None:
        """Return the citizen's most recent registration."""
        if conv.citizen_id is None:
            return None
        return await uow.registrations.latest_for_citizen(conv.citizen_id)

    async def requests(self, uow: UnitOfWork, conv: Conversation) -> list[Registration]:
        """Return each request of the chat once, newest first, as it stands now.

        A resubmission shares its request's reference, so only the newest of a reference counts.
        """
        if conv.citizen_id is None:
            return []
        seen: set[str] = set()
        current = []
        for reg in await uow.registrations.for_citizen(conv.citizen_id):
            if reg.reference not in seen:
                seen.add(reg.reference)
                current.append(reg)
        return current

    async def to_redo(self, uow: UnitOfWork, conv: Conversation) -> Registration | None:
        """Return the newest rejected request of the chat not sent again yet, if any."""
        rejected = (r for r in await self.requests(uow, conv) if r.status == Status.REJECTED)
        return next(rejected, None)

    async def start_draft(
        self, uow: UnitOfWork, conv: Conversation, *, helper: bool = False
    ) -> Registration:
        """Open a new draft for a citizen who has consented (``helper``: for a family member)."""
        assert conv.citizen_id is not None
        reg = uow.registrations.add(
            Registration(
                reference=await uow.registrations.new_reference(), citizen_id=conv.citizen_id,
                conversation_id=conv.id, channel=conv.channel, status=Status.DRAFT,
                flags={"helper": helper},
                created_at=utcnow(), updated_at=utcnow(),
            )
        )  # fmt: skip
        await uow.registrations.flush()  # its id binds the encrypted fields
        uow.registrations.write_data(reg, {})
        return reg

    def data(self, uow: UnitOfWork, reg: Registration) -> dict[str, Any]:
        """Return the draft's personal fields."""
        return uow.registrations.read_data(reg)

    def set_field(
        self, uow: UnitOfWork, reg: Registration, name: str, value: Any, *,
        read_off_photo: bool = False,
    ) -> None:  # fmt: skip
        """Store one answered field and refresh the plain columns and flags derived from it.

        A changed NIK also drops what was checked against the old one: a birth date it does not
        encode (asked again, from the new NIK) and the KTP photo with its checks (asked again:
        the card must show the new NIK; see ``registration_drafts.photo_kinds``), unless the
        value was ``read_off_photo``: the stored KTP photo shows it, and stays.
        """
        data = uow.registrations.read_data(reg)
        previous = data.get(name)
        data[name] = value
        if name == "nik" and previous and previous != value:
            _forget_what_the_old_nik_vouched_for(reg, data, value, read_off_photo=read_off_photo)
        uow.registrations.write_data(reg, data)
        if name in ("kecamatan", "kelurahan", "document_type"):
            setattr(reg, name, value)
        if name == "kecamatan":
            reg.kelurahan = None
            data.pop("kelurahan", None)
            uow.registrations.write_data(reg, data)
        reg.flags = self._flags(reg.flags, data)
        refresh_agreement(reg, data, name)  # the KTP reading against the new answer
        reg.updated_at = utcnow()

    def _flags(self, flags: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        flags = dict(flags)
        nik = parse_nik(data["nik"]) if data.get("nik") else None
        if nik is not None and not isinstance(nik, str):
            flags["nik_outside_city"] = not nik.in_kota_tangerang
            birth = data.get("birth_date")
            flags["birth_date_mismatch"] = bool(birth) and birth != nik.birth_date.isoformat()
        return flags

    async def submit(self, uow: UnitOfWork, reg: Registration) -> None:
        """Send a complete draft to the verification queue."""
        data = uow.registrations.read_data(reg)
        now = utcnow()
        reg.status = Status.SUBMITTED
        reg.submitted_at = now
        if data.get("birth_date"):
            reg.age_group = age_group(date.fromisoformat(data["birth_date"]), now.date())
        await self._flag_duplicates(uow, reg)
        await flag_fraud_signals(uow, reg, self._settings)
        uow.audit.record(
            "registration.submitted", actor_type="citizen", actor_id=str(reg.citizen_id),
            target_type="registration", target_id=reg.reference, details={"channel": reg.channel},
        )  # fmt: skip
        await webhooks.registration_changed(uow, reg)

    async def _flag_duplicates(self, uow: UnitOfWork, reg: Registration) -> None:
        """Flag ``duplicate_nik`` on this request and the waiting ones with the same NIK.

        The same NIK in another waiting or approved request is a fraud signal (or a request
        sent twice): the verifier sees both, and approving one needs an explicit override.
        """
        if not reg.nik_hash:
            return
        await uow.review_queue.serialise_nik(reg.nik_hash)
        others = await uow.review_queue.same_nik(
            reg.nik_hash, exclude=reg.id, statuses=(Status.SUBMITTED, Status.APPROVED)
        )
        if not others:
            return
        reg.flags = {**(reg.flags or {}), "duplicate_nik": True}
        for other in others:
            if other.status == Status.SUBMITTED and not (other.flags or {}).get("duplicate_nik"):
                other.flags = {**(other.flags or {}), "duplicate_nik": True}

    async def resubmit(self, uow: UnitOfWork, rejected: Registration) -> Registration:
        """Start a new draft from a rejected request, keeping what need not be redone.

        The draft keeps the request's reference number (the one she was told) and points at
        the rejected request, which stays as it was for the verifier console.
        """
        conv = (
            await uow.conversations.get(rejected.conversation_id)
            if rejected.conversation_id
            else None
        )
        draft = uow.registrations.add(
            Registration(
                reference=rejected.reference, citizen_id=rejected.citizen_id,
                conversation_id=conv.id if conv else None, channel=rejected.channel,
                status=Status.DRAFT, flags={}, kecamatan=rejected.kecamatan,
                kelurahan=rejected.kelurahan, document_type=rejected.document_type,
                resubmission_of=rejected.id, created_at=utcnow(), updated_at=utcnow(),
            )
        )  # fmt: skip
        await uow.registrations.flush()  # its id binds the encrypted fields
        data = uow.registrations.read_data(rejected)
        uow.registrations.write_data(draft, data)
        draft.flags = self._flags({"helper": bool((rejected.flags or {}).get("helper"))}, data)
        redo = REDO_DOCUMENTS.get(RejectReason(rejected.reject_reason or "other"), ())
        for document in await uow.documents.list_for(rejected.id):
            if document.kind not in redo and document.purged_at is None:
                await uow.documents.copy(document, draft.id)
        uow.publish(PhotoAttached(draft.id, "copied"))  # compare the kept photos' faces too
        return draft

    async def decide(
        self,
        uow: UnitOfWork,
        registration_id: int,
        *,
        approve: bool,
        reason: str | None,
        note: str | None,
        actor: str,
    ) -> Decision:
        """Record a verifier's decision once; a second decision is refused."""
        reg = await uow.registrations.get(registration_id, lock=True)
        if reg is None:
            raise DecisionError("not_found")
        if reg.status != Status.SUBMITTED:
            # The API tells the caller where the request stands now.
            raise DecisionError(
                "already_decided" if reg.decided_at else "not_submitted", status=reg.status,
                decided_at=reg.decided_at.isoformat() if reg.decided_at else None,
            )  # fmt: skip
        if not approve:
            try:
                RejectReason(reason or "")
            except ValueError:
                raise DecisionError("invalid_reason") from None
            if reason == RejectReason.OTHER and not (note or "").strip():
                raise DecisionError("note_required")
        reg.status = Status.APPROVED if approve else Status.REJECTED
        reg.decided_at = utcnow()
        reg.decided_by = actor
        reg.reject_reason = None if approve else reason
        reg.decision_note = (note or "").strip() or None
        reg.claimed_by = None
        reg.claimed_until = None
        conv = await uow.conversations.get(reg.conversation_id) if reg.conversation_id else None
        await webhooks.registration_changed(uow, reg)  # same transaction as the decision
        return Decision(registration=reg, conversation=conv)

    async def _citizen(self, uow: UnitOfWork, conv: Conversation) -> Citizen:
        if conv.citizen_id is not None:
            citizen = await uow.citizens.get(conv.citizen_id)
            if citizen is not None:
                return citizen
        citizen = await uow.citizens.new()
        conv.citizen_id = citizen.id
        return citizen
