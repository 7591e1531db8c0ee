"""Fraud signals raised when a request is sent: one phone for many NIKs, the same photo for
another NIK, a KTP photographed off a screen. Hints in the flags, never a refusal."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from bot.core import Core
from bot.storage.models import PhotoHash
from tests.console.support import Seeded, add_token, client_for, seed_registration
from tests.photos import factory, real_faces
from tests.photos.test_fingerprint import screen_photo


def _jpeg(im: Image.Image, quality: int = 88) -> bytes:
    out = io.BytesIO()
    im.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def _portrait(who: str) -> bytes:
    return next(d for w, v, d in real_faces.variants() if w == who and v == "plain")


async def _send(core: Core, nik: str, *, phone: str = "+6281234567890",
                images: dict[str, bytes] | None = None) -> Seeded:  # fmt: skip
    seeded = await seed_registration(core, status="draft", nik=nik, images=images)
    async with core.uow() as uow:
        reg = await uow.registrations.get(seeded.id)
        assert reg is not None
        data = uow.registrations.read_data(reg)
        uow.registrations.write_data(reg, {**data, "phone": phone})
        await core.services.registrations.submit(uow, reg)
        await uow.commit()
    return seeded


async def _flags(core: Core, registration_id: int) -> dict[str, object]:
    async with core.uow() as uow:
        reg = await uow.registrations.get(registration_id)
        assert reg is not None
        return dict(reg.flags or {})


def _nik(serial: int) -> str:
    return f"367101450190{serial:04d}"


async def test_one_phone_behind_many_niks_is_flagged_at_the_threshold(
    settings_factory: object, database_url: str
) -> None:
    from tests.conftest import migrated_core

    core = await migrated_core(settings_factory(database_url=database_url,  # type: ignore[operator]
                                                fraud_phone_niks=3))  # fmt: skip
    try:
        first = await _send(core, _nik(1), phone="+628111000111")
        second = await _send(core, _nik(2), phone="+628111000111")
        again = await _send(core, _nik(2), phone="+628111000111")  # same NIK: not a new one
        other = await _send(core, _nik(4), phone="+628222000222")
        assert "shared_phone" not in await _flags(core, again.id)
        third = await _send(core, _nik(3), phone="+628111000111")
        assert (await _flags(core, third.id))["shared_phone"] == 3
        # The waiting requests with that number are flagged too; another number is not.
        assert (await _flags(core, first.id))["shared_phone"] == 3
        assert (await _flags(core, second.id))["shared_phone"] == 3
        assert "shared_phone" not in await _flags(core, other.id)
    finally:
        await core.db.dispose()


async def test_the_same_selfie_for_another_nik_is_flagged_on_both(any_core: Core) -> None:
    ktp = _jpeg(factory.ktp_photo())
    selfie = _portrait("astronaut")
    first = await _send(any_core, _nik(1), images={"ktp": ktp, "selfie": selfie})
    # The same picture, recompressed and shrunk as a chat app forwards it, for another NIK.
    forwarded = Image.open(io.BytesIO(selfie))
    forwarded = forwarded.resize((forwarded.width * 3 // 4, forwarded.height * 3 // 4))
    second = await _send(any_core, _nik(2), images={"selfie": _jpeg(forwarded, 60)})
    assert (await _flags(any_core, second.id))["same_selfie_photo"] == [first.reference]
    assert (await _flags(any_core, first.id))["same_selfie_photo"] == [second.reference]
    # Another person's selfie is not; nor is the same person's photo for the same NIK.
    third = await _send(any_core, _nik(3), images={"selfie": _portrait("hopper")})
    assert "same_selfie_photo" not in await _flags(any_core, third.id)
    same_nik = await _send(any_core, _nik(3), images={"selfie": _portrait("hopper")})
    assert "same_selfie_photo" not in await _flags(any_core, same_nik.id)

    async def kinds() -> list[str]:
        async with any_core.uow() as uow:
            rows = (await uow.session.execute(
                select(PhotoHash).where(PhotoHash.registration_id == first.id)
            )).scalars().all()  # fmt: skip
        return sorted(r.kind for r in rows)

    assert await kinds() == ["ktp"] * 4 + ["selfie"] * 4
    # Sent again (a rejected request corrected), its old hashes are replaced, not added to.
    async with any_core.uow() as uow:
        reg = await uow.registrations.get(first.id)
        assert reg is not None
        await any_core.services.registrations.submit(uow, reg)
        await uow.commit()
    assert await kinds() == ["ktp"] * 4 + ["selfie"] * 4


async def test_a_ktp_photographed_off_a_screen_is_a_hint_in_the_api(any_core: Core) -> None:
    screen = _jpeg(screen_photo(factory.ktp_photo()), 85)
    shot = await _send(any_core, _nik(5), images={"ktp": screen, "selfie": _portrait("hopper")})
    plain = await _send(any_core, _nik(6), images={"ktp": _jpeg(factory.ktp_photo(seed=4)),
                                                  "selfie": _portrait("astronaut")})  # fmt: skip
    flags = await _flags(any_core, shot.id)
    assert flags["ktp_screen_photo"] >= 2.5  # type: ignore[operator]
    assert "ktp_screen_photo" not in await _flags(any_core, plain.id)
    token = await add_token(any_core, "verifier")
    async with client_for(any_core) as client:
        resp = await client.get(f"/api/v1/registrations/{shot.id}",
                                headers={"Authorization": f"Bearer {token}"})  # fmt: skip
        body = await resp.json()
        assert resp.status == 200 and body["status"] == "submitted"  # not refused
        assert body["flags"]["ktp_screen_photo"] >= 2.5


async def test_photo_hashes_go_with_the_photos_and_an_erasure_takes_the_lookup_hashes_and_notes(
    any_core: Core,
) -> None:
    from bot.services.accounts import Actor, Role
    from bot.services.privacy import erase_citizen
    from bot.storage.models import ReviewNote

    kepala = Actor(type="user", id="1", name="kepala", role=Role.ADMIN)
    sent = await _send(any_core, _nik(7), images={"ktp": _jpeg(factory.ktp_photo()),
                                                 "selfie": _portrait("hopper")})  # fmt: skip
    await any_core.desk_cases.add_note(kepala, sent.id, "Nama di KTP SITI", ip=None)  # type: ignore[union-attr]
    await any_core.review_cases.decide(kepala, sent.id, approve=True, reason=None, note=None,
                                       ip=None)  # fmt: skip

    async def count(model: type, registration_id: int) -> int:
        async with any_core.uow() as uow:
            rows = await uow.session.execute(
                select(model).where(model.registration_id == registration_id)  # type: ignore[attr-defined]
            )
            return len(rows.scalars().all())

    assert await count(PhotoHash, sent.id) == 8
    async with any_core.uow() as uow:
        [selfie] = [d for d in await uow.documents.list_for(sent.id) if d.kind == "selfie"]
        await uow.documents.purge(selfie)  # the retention rule's purge of one photo
        await uow.commit()
    assert await count(PhotoHash, sent.id) == 4  # the KTP's hash stays while its photo does
    async with any_core.uow() as uow:
        conv = await uow.conversations.get(sent.conversation_id)
        assert conv is not None
        await erase_citizen(uow, conv)
        await uow.commit()
    assert await count(PhotoHash, sent.id) == 0
    assert await count(ReviewNote, sent.id) == 0
    async with any_core.uow() as uow:
        reg = await uow.registrations.get(sent.id)
        assert reg is not None and reg.status == "approved"  # the decision record stays
        assert (reg.nik_hash, reg.phone_hash, reg.name_hash) == (None, None, None)
