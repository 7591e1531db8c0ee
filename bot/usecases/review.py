"""Reviewing registrations: the queue, claims, audited views, decisions and the recap.

Deciding a registration happens here, in :meth:`ReviewCases.decide`, in one unit of work: the
citizen's conversation and the registration are locked (in that order, the order the
conversation engine uses), the decision is recorded once (a second or concurrent one is refused
with ``DecisionError``), the citizen's message is stored and queued on their channel through
``Delivery``, the audit entry is added and ``RegistrationDecided`` is published. After the
commit, and only then, the event bus hands the published events to the subscribers
``bot.core._subscribe`` wires: ``MessagesQueued`` (published by ``Delivery``) wakes the outbox,
which pushes the message to Telegram or WhatsApp (web chat citizens read it on their next
poll); ``RegistrationDecided`` is there for whoever subscribes to it. A refused or failed
decision rolls everything back and publishes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from bot.config import Settings
from bot.domain.days import day_bounds, today_wib
from bot.domain.events import RegistrationDecided
from bot.domain.nik import mask_nik
from bot.domain.search import parse_query
from bot.i18n import Catalog
from bot.services import reports
from bot.services.accounts import Actor
from bot.services.decisions import (
    CLAIM_MINUTES,
    DOCUMENT_KINDS,
    DUE_FILTERS,
    DUE_SOON_HOURS,
    FRAUD_FLAGS,
    PER_PAGE,
    Claim,
    QueueFilter,
    QueueItem,
    Review,
    active_claim,
    actor_names,
    audit_registration,
    decided_by,
    release_claim,
    sla_of,
    take_claim,
)
from bot.services.delivery import Delivery
from bot.services.helpdesk_report import build_helpdesk_report
from bot.services.notifications import decision_reply
from bot.services.registration import DecisionError, RegistrationService, Status
from bot.storage.models import Registration
from bot.storage.repositories.paging import Page
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory
from bot.usecases.desk import reopenable_until

EXPORT_WRITERS = {"csv": reports.to_csv, "xlsx": reports.to_xlsx}
_REVIEWED = (Status.SUBMITTED, Status.APPROVED, Status.REJECTED)


@dataclass(frozen=True, slots=True)
class Export:
    """A recap written in one or more formats (format → file body)."""

    report: reports.Report
    files: dict[str, bytes]


class ReviewCases:
    """What verifiers (console users or API tokens) do with registrations."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        settings: Settings,
        catalog: Catalog,
        delivery: Delivery,
        registrations: RegistrationService,
    ) -> None:
        self._uow = uow
        self._settings = settings
        self._catalog = catalog
        self._delivery = delivery
        self._registrations = registrations

    # --- the queue -------------------------------------------------------------------------

    async def queue(
        self,
        flt: QueueFilter,
        *,
        page: int = 1,
        per_page: int = PER_PAGE,
        now: datetime | None = None,
        viewer: Actor | None = None,
    ) -> Page[QueueItem]:
        """Return a page of registrations: waiting ones oldest first, decided ones newest first.

        With ``viewer``, the items she skipped (parked) say so.
        """
        now = now or utcnow()
        status, since, until = self._due_window(flt, now)
        terms = parse_query(flt.q) if flt.q else None
        if terms is not None and terms.empty:
            return Page([], 0, 1, 1)  # nothing typed can name a request
        async with self._uow() as uow:
            hashes = (
                uow.registrations.search_hashes(nik=terms.nik, phone=terms.phone, name=terms.name)
                if terms is not None
                else None
            )
            found = await uow.review_queue.page(
                status=status, kecamatan=flt.kecamatan, channel=flt.channel, since=since,
                until=until, page=page, per_page=per_page,
                reference=terms.reference if terms is not None else None, hashes=hashes,
                flags=FRAUD_FLAGS if flt.flag == "fraud" else (flt.flag,) if flt.flag else (),
            )  # fmt: skip
            names = await actor_names(
                uow, [key for r in found.items for key in (active_claim(r, now), r.decided_by)]
            )
            parked = (
                await uow.review_queue.parked_by(viewer.key, [r.id for r in found.items])
                if viewer is not None
                else set()
            )
            return found.map(lambda reg: self._item(uow, reg, now, names, parked=reg.id in parked))

    def _due_window(
        self, flt: QueueFilter, now: datetime
    ) -> tuple[str, datetime | None, datetime | None]:
        """Return the status and submission-time bounds the filter's dates and deadline ask."""
        since, until = day_bounds(flt.date_from, flt.date_to)
        if flt.due not in DUE_FILTERS:
            return flt.status, since, until
        # Deadlines are sent + SLA hours: a deadline window is a window of sending times.
        late = now - timedelta(hours=self._settings.verification_sla_hours)
        if flt.due == "overdue":
            return Status.SUBMITTED, since, min(until, late) if until else late
        soon = late + timedelta(hours=DUE_SOON_HOURS)
        start = max(since, late) if since else late
        return Status.SUBMITTED, start, min(until, soon) if until else soon

    async def counts(self, now: datetime | None = None) -> dict[str, int]:
        """Count waiting, overdue, soon due and today's decided requests for the home page."""
        now = now or utcnow()
        overdue_before = now - timedelta(hours=self._settings.verification_sla_hours)
        soon_before = overdue_before + timedelta(hours=DUE_SOON_HOURS)
        today, _ = day_bounds(today_wib(now), None)
        assert today is not None
        async with self._uow() as uow:
            decided = await uow.review_queue.decided_since(today)
            waiting = await uow.review_queue.waiting_counts(
                overdue_before=overdue_before, soon_before=soon_before, flags=FRAUD_FLAGS
            )
            return {
                **waiting,
                "approved_today": decided.get(Status.APPROVED, 0),
                "rejected_today": decided.get(Status.REJECTED, 0),
            }

    async def next_waiting(self, actor: Actor, *, now: datetime | None = None) -> int | None:
        """Claim and return the oldest waiting request nobody else holds (None: none left).

        The ones the actor skipped come last. The claim is taken here, atomically: of two
        verifiers asking at the same moment, each gets a different request.
        """
        now = now or utcnow()
        until = now + timedelta(minutes=CLAIM_MINUTES)
        tried: set[int] = set()
        async with self._uow() as uow:
            while candidates := await uow.review_queue.next_candidates(actor.key, now, skip=tried):
                for candidate in candidates:
                    tried.add(candidate)
                    if await uow.review_queue.try_claim(candidate, actor.key, now, until):
                        await uow.commit()
                        return candidate
        return None

    # --- one request -----------------------------------------------------------------------

    async def claim(
        self, actor: Actor, registration_id: int, *, now: datetime | None = None
    ) -> Claim:
        """Claim a waiting request for a few minutes unless someone else holds it."""
        async with self._uow() as uow:
            reg = await uow.registrations.get(registration_id, lock=True)
            if reg is None:
                raise DecisionError("not_found")
            held = await _named(uow, take_claim(reg, actor.key, now or utcnow()))
            await uow.commit()
        return held

    async def skip(self, actor: Actor, registration_id: int, *, ip: str | None = None) -> None:
        """Give up one's claim on a request and park it: "next" offers it again only last."""
        async with self._uow() as uow:
            reg = await uow.registrations.get(registration_id, lock=True)
            if reg is None or reg.status != Status.SUBMITTED:
                return
            release_claim(reg, actor.key)
            await uow.review_queue.park(reg.id, actor.key, utcnow())
            audit_registration(
                uow, actor, "registration.skipped", reg, ip, {"registration_id": reg.id}
            )
            await uow.commit()

    async def release_claims(
        self, actor: Actor, *, ip: str | None, why: str, holder: str | None = None
    ) -> int:
        """Release every claim the actor (or ``holder``, a key) holds; audited; return how many.

        Called when she signs out, or when an admin deactivates her account.
        """
        async with self._uow() as uow:
            released = await uow.review_queue.release_all(holder or actor.key, utcnow())
            for reg in released:
                audit_registration(uow, actor, "registration.released", reg, ip,
                                   {"registration_id": reg.id, "why": why,
                                    "holder": holder or actor.key})  # fmt: skip
            await uow.commit()
        return len(released)

    async def open(
        self,
        actor: Actor,
        registration_id: int,
        *,
        ip: str | None,
        claim_it: bool,
        now: datetime | None = None,
    ) -> Review | None:
        """Load a request for review, claim it if asked, and audit the view.

        A request someone else holds is returned as ``taken`` without its personal data (and
        the view is not audited, as nothing personal was shown).
        """
        now = now or utcnow()
        async with self._uow() as uow:
            reg = await uow.registrations.get(registration_id, lock=claim_it)
            if reg is None or reg.status == Status.DRAFT:
                return None
            held = await _named(uow, take_claim(reg, actor.key, now)) if claim_it else None
            sla = sla_of(self._settings, reg, now)
            if held is not None and held.holder is not None and not held.mine:
                return Review(reg, {}, {}, [], held, sla)
            if held is not None and held.mine:
                # Opening a parked request on purpose puts it back in her "next" order.
                await uow.review_queue.unpark(reg.id, actor.key)
            documents = {d.kind: d for d in await uow.documents.list_for(reg.id)}
            earlier = [
                other
                for other in await uow.registrations.for_citizen(reg.citizen_id)
                if other.id != reg.id and other.status != Status.DRAFT
            ]
            same_nik = (
                await uow.review_queue.same_nik(reg.nik_hash, exclude=reg.id, statuses=_REVIEWED)
                if reg.nik_hash
                else []
            )
            audit_registration(
                uow, actor, "registration.viewed", reg, ip, {"registration_id": reg.id}
            )
            decider = (await actor_names(uow, [reg.decided_by])).get(reg.decided_by or "")
            notes = await uow.desk.notes(reg.id)
            reopen_until = reopenable_until(self._settings, reg, now)
            review = Review(reg, uow.registrations.read_data(reg), documents, earlier, held, sla,
                            decided_by_name=decider, same_nik=same_nik, notes=notes,
                            reopenable_until=reopen_until)  # fmt: skip
            await uow.commit()
        return review

    async def view_document(
        self, actor: Actor, registration_id: int, kind: str, *, ip: str | None
    ) -> bytes | None:
        """Return a document image (None when unknown or purged) and audit that it was seen."""
        if kind not in DOCUMENT_KINDS:
            return None
        async with self._uow() as uow:
            document = await uow.documents.get(registration_id, kind)
            image = await uow.documents.read(document) if document is not None else None
            if image is None:
                return None
            reg = await uow.registrations.get(registration_id)
            uow.audit.record(
                "document.viewed", actor_type=actor.type, actor_id=actor.id,
                actor_name=actor.name, target_type="registration",
                target_id=reg.reference if reg else str(registration_id), ip=ip,
                details={"registration_id": registration_id, "kind": kind},
            )  # fmt: skip
            await uow.commit()
        return image

    async def decide(
        self,
        actor: Actor,
        registration_id: int,
        *,
        approve: bool,
        reason: str | None,
        note: str | None,
        ip: str | None,
        override_duplicate: bool = False,
    ) -> QueueItem:
        """Record a decision once, tell the citizen on their channel and audit it, atomically.

        Raises ``DecisionError``: not_found, already_decided, not_submitted, claimed,
        invalid_reason, note_required, duplicate_nik (approving while another waiting or
        approved request has the same NIK, without ``override_duplicate``),
        override_note_required (the override needs a note saying why). A second (or retried)
        decision changes nothing and notifies nobody.
        """
        now = utcnow()
        async with self._uow() as uow:
            # Conversation first, then the registration: the engine locks in this order too.
            conv_id = await uow.review_queue.conversation_of(registration_id)
            conv = await uow.conversations.get(conv_id, lock=True) if conv_id is not None else None
            reg = await uow.registrations.get(registration_id, lock=True)
            if reg is None:
                raise DecisionError("not_found")
            holder = active_claim(reg, now)
            if reg.status == Status.SUBMITTED and holder is not None and holder != actor.key:
                raise DecisionError("claimed")
            overridden = False
            if approve and reg.status == Status.SUBMITTED:
                overridden = await _check_duplicates(uow, reg, override_duplicate, note)
            decision = await self._registrations.decide(
                uow, registration_id, approve=approve, reason=reason, note=note,
                actor=decided_by(actor),
            )  # fmt: skip
            reg = decision.registration
            conv = conv or decision.conversation
            if conv is not None:
                reply = decision_reply(self._catalog, self._settings, reg)
                await self._delivery.deliver(uow, conv, reply)
            sla = sla_of(self._settings, reg, now)
            details: dict[str, object] = {
                "registration_id": reg.id, "reason": reg.reject_reason,
                "has_note": bool(reg.decision_note), "notified": conv is not None,
                "sla_overdue": bool(sla and sla.overdue),
            }  # fmt: skip
            if overridden:
                reg.flags = {**(reg.flags or {}), "duplicate_override": True}
                details["duplicate_override"] = True
            await uow.review_queue.unpark(reg.id)
            audit_registration(uow, actor, f"registration.{reg.status}", reg, ip, details)
            uow.publish(RegistrationDecided(reg.id, reg.status))
            item = self._item(uow, reg, now, {decided_by(actor): actor.name})
            await uow.commit()
        return item

    # --- the recap -------------------------------------------------------------------------

    async def report(
        self, start: date, end: date, *, now: datetime | None = None
    ) -> reports.Report:
        """Count the requests submitted from ``start`` to ``end`` (inclusive, WIB dates)."""
        since, until = day_bounds(start, end)
        assert since is not None and until is not None
        async with self._uow() as uow:
            rows = await uow.review_queue.cohort(since, until)
            names = await actor_names(uow, {row[8] for row in rows})
            claims = await uow.helpdesk.claims_between(since, until)
            ratings = await uow.helpdesk.ratings_between(since, until)
        report = reports.build_report(
            rows, self._settings.verification_sla_hours, start, end, now=now or utcnow(),
            names=names,
        )  # fmt: skip
        report.helpdesk = build_helpdesk_report(claims, ratings)
        return report

    async def export(
        self, actor: Actor, start: date, end: date, formats: Sequence[str], *, ip: str | None
    ) -> Export:
        """Write the recap in ``formats`` (csv, xlsx); every export is audited."""
        report = await self.report(start, end)
        files = {fmt: EXPORT_WRITERS[fmt](report, self._catalog) for fmt in formats}
        span = f"{start.isoformat()}..{end.isoformat()}"
        async with self._uow() as uow:
            uow.audit.record(
                "report.exported", actor_type=actor.type, actor_id=actor.id,
                actor_name=actor.name, target_type="report", target_id=span, ip=ip,
                details={"format": "+".join(formats), "from": start.isoformat(),
                         "to": end.isoformat(), "requests": report.total.submitted},
            )  # fmt: skip
            await uow.commit()
        return Export(report, files)

    # --- helpers ---------------------------------------------------------------------------

    def _item(
        self,
        uow: UnitOfWork,
        reg: Registration,
        now: datetime,
        names: dict[str, str],
        *,
        parked: bool = False,
    ) -> QueueItem:
        holder = active_claim(reg, now)
        return QueueItem(
            registration=reg,
            nik_masked=mask_nik(uow.registrations.read_data(reg).get("nik", "")),
            sla=sla_of(self._settings, reg, now),
            claimed_by=holder,
            claimed_by_name=names.get(holder or ""),
            decided_by_name=names.get(reg.decided_by or ""),
            parked=parked,
        )


async def _check_duplicates(
    uow: UnitOfWork, reg: Registration, override: bool, note: str | None
) -> bool:
    """Refuse to approve a request flagged ``duplicate_nik`` while the other request waits or
    was approved.

    Unless overridden, with a note saying why (the note stays with the staff: an approval
    does not show it to the citizen). Return whether the override was used.
    """
    if not reg.nik_hash or not (reg.flags or {}).get("duplicate_nik"):
        return False
    others = await uow.review_queue.same_nik(
        reg.nik_hash, exclude=reg.id, statuses=(Status.SUBMITTED, Status.APPROVED)
    )
    if not others:
        return False
    if not override:
        raise DecisionError("duplicate_nik", others=[other.reference for other in others])
    if not (note or "").strip():
        raise DecisionError("override_note_required")
    return True


async def _named(uow: UnitOfWork, claim: Claim) -> Claim:
    """Return the claim with its holder's name."""
    names = await actor_names(uow, [claim.holder])
    return replace(claim, holder_name=names.get(claim.holder or ""))
