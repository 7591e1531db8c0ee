"""Face comparison after the photos are stored: flags on the registration, off the chat's path."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.core import Core
from bot.services.faces import FaceComparisons
from bot.services.photos import CheckedPhoto
from bot.services.registration_drafts import attach_photo
from bot.storage.types import utcnow
from tests.conftest import migrated_core
from tests.console.support import seed_registration
from tests.photos import factory, real_faces


@pytest.fixture
async def core(settings_factory: Any, sqlite_url: str) -> AsyncIterator[Core]:
    """Yield a migrated core with the face comparison on (the other tests' is off)."""
    built = await migrated_core(settings_factory(database_url=sqlite_url, face_comparison=True))
    yield built
    assert built.faces is not None
    await built.faces.drain()
    await built.db.dispose()


def _checked(kind: str, data: bytes) -> CheckedPhoto:
    return CheckedPhoto(
        kind=kind, accepted=True, problems=(), clean_jpeg=data, width=1, height=1,
        checks={}, ocr_nik=None,
    )  # fmt: skip


async def _flags(core: Core, registration_id: int) -> dict[str, object]:
    async with core.uow() as uow:
        reg = await uow.registrations.get(registration_id)
        assert reg is not None
        return dict(reg.flags or {})


async def test_storing_the_selfie_compares_it_with_the_ktp_after_the_commit(core: Core) -> None:
    seeded = await seed_registration(core, images={"ktp": factory.good_ktp_jpeg()})
    async with core.uow() as uow:
        reg = await uow.registrations.get(seeded.id)
        assert reg is not None
        await attach_photo(uow, reg, _checked("selfie", factory.good_selfie_jpeg()), None)
        await uow.commit()
    assert core.faces is not None
    await core.faces.drain()
    flags = await _flags(core, seeded.id)
    assert flags["face_band"] == "same" and flags["face_mismatch"] is False
    assert isinstance(flags["face_similarity"], float)
    assert flags["card_face_band"] == "same"  # the card held in the selfie is this KTP
    assert set(flags["face_boxes"]) == {"ktp", "selfie", "card"}  # type: ignore[arg-type]


async def test_another_persons_selfie_is_flagged_and_a_new_photo_drops_the_old_result(
    core: Core,
) -> None:
    seeded = await seed_registration(core, images={"ktp": factory.good_ktp_jpeg()})
    hopper = real_faces.variant_jpeg("hopper", "plain")
    async with core.uow() as uow:
        reg = await uow.registrations.get(seeded.id)
        assert reg is not None
        await attach_photo(uow, reg, _checked("selfie", hopper), None)
        await uow.commit()
    assert core.faces is not None
    await core.faces.drain()
    assert (await _flags(core, seeded.id))["face_mismatch"] is True
    async with core.uow() as uow:  # the KTP is taken again: the old comparison is gone at once
        reg = await uow.registrations.get(seeded.id)
        assert reg is not None
        await attach_photo(uow, reg, _checked("ktp", factory.good_ktp_jpeg()), None)
        flags = dict(reg.flags)
    assert "face_similarity" not in flags and "face_mismatch" not in flags


async def test_no_face_in_a_photo_stores_a_null_similarity(core: Core) -> None:
    seeded = await seed_registration(
        core, images={"ktp": factory.good_ktp_jpeg(), "selfie": factory.no_face_selfie_jpeg()}
    )
    assert core.faces is not None
    await core.faces.run(seeded.id)
    flags = await _flags(core, seeded.id)
    assert flags["face_similarity"] is None and flags["face_mismatch"] is False


async def test_switched_off_nothing_is_compared(settings_factory: object, sqlite_url: str) -> None:
    core = await migrated_core(settings_factory(database_url=sqlite_url, face_comparison=False))  # type: ignore[operator]
    try:
        seeded = await seed_registration(core, images={"ktp": factory.good_ktp_jpeg()})
        async with core.uow() as uow:
            reg = await uow.registrations.get(seeded.id)
            assert reg is not None
            await attach_photo(uow, reg, _checked("selfie", factory.good_selfie_jpeg()), None)
            await uow.commit()
        assert isinstance(core.faces, FaceComparisons)
        await core.faces.drain()
        assert "face_similarity" not in await _flags(core, seeded.id)
    finally:
        await core.db.dispose()


def test_only_the_five_point_model_is_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    import dlib

    from bot.photos import compare_faces

    loaded: list[str] = []
    real = dlib.shape_predictor

    def recording(path: str) -> object:
        loaded.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(compare_faces, "_models", None)
    monkeypatch.setattr(dlib, "shape_predictor", recording)
    compare_faces.compare(factory.good_ktp_jpeg(), factory.good_selfie_jpeg())
    assert loaded == ["shape_predictor_5_face_landmarks.dat"]


async def test_a_resubmission_that_keeps_both_photos_compares_them_again(core: Core) -> None:
    rejected = await seed_registration(
        core, status="rejected", decided_at=utcnow(), reject_reason="data_mismatch",
        images={"ktp": factory.good_ktp_jpeg(), "selfie": factory.good_selfie_jpeg()},
    )  # fmt: skip
    async with core.uow() as uow:
        old = await uow.registrations.get(rejected.id)
        assert old is not None
        draft = await core.services.registrations.resubmit(uow, old)
        await uow.commit()
    assert core.faces is not None
    await core.faces.drain()
    assert (await _flags(core, draft.id))["face_band"] == "same"


async def test_a_comparison_past_its_time_bound_stores_nothing(
    core: Core, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def slow(ktp: bytes, selfie: bytes) -> object:
        time.sleep(0.5)
        raise AssertionError("its result must not be used")

    monkeypatch.setattr("bot.services.faces.compare", slow)
    monkeypatch.setattr("bot.services.faces.TIMEOUT", 0.05)
    seeded = await seed_registration(
        core, images={"ktp": factory.good_ktp_jpeg(), "selfie": factory.good_selfie_jpeg()}
    )
    assert core.faces is not None
    await core.faces.run(seeded.id)
    assert "face_similarity" not in await _flags(core, seeded.id)
    assert "face comparison timed out" in caplog.text and "SITI" not in caplog.text
