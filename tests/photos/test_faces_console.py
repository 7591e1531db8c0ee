"""The review page shows both faces cut at the same size with the band; crops are audited views."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select

from bot.core import Core
from bot.storage.models import AuditEntry
from tests.conftest import migrated_core
from tests.console.support import add_user, client_for, login, seed_registration
from tests.photos import factory, real_faces


@pytest.fixture
async def core(settings_factory: Any, sqlite_url: str) -> AsyncIterator[Core]:
    """Yield a migrated core with the face comparison on (the other tests' is off)."""
    built = await migrated_core(settings_factory(database_url=sqlite_url, face_comparison=True))
    yield built
    assert built.faces is not None
    await built.faces.drain()
    await built.db.dispose()


async def _compared(core: Core, selfie: bytes) -> int:
    seeded = await seed_registration(
        core, images={"ktp": factory.good_ktp_jpeg(), "selfie": selfie}
    )
    assert core.faces is not None
    await core.faces.run(seeded.id)
    return seeded.id


async def _views(core: Core) -> int:
    async with core.uow() as uow:
        stmt = select(func.count(AuditEntry.id)).where(AuditEntry.action == "document.viewed")
        return int(await uow.session.scalar(stmt) or 0)


async def test_same_person_shows_wajah_mirip_and_two_faces_of_one_size(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    registration_id = await _compared(core, factory.good_selfie_jpeg())
    async with client_for(core) as client:
        await login(client, "siti")
        html = await (await client.get(f"/console/registrations/{registration_id}")).text()
        assert re.search(r'id="flag-face">Wajah mirip · skor 0\.\d\d<', html)
        assert "Foto di KTP yang dipegang mirip foto KTP" in html
        sizes = set()
        for which in ("ktp", "selfie", "card"):
            src = re.search(rf'<img id="face-{which}" src="([^"]+)"', html)
            assert src is not None, which
            resp = await client.get(src.group(1).replace("&amp;", "&"))
            assert resp.status == 200 and resp.headers["Content-Type"] == "image/jpeg"
            sizes.add(Image.open(io.BytesIO(await resp.read())).size)
        assert sizes == {(240, 240)}
        bad = src.group(1).replace("&amp;", "&").split("&face=")[0] + "&face=1,2,x,4"
        assert (await client.get(bad)).status == 400
    assert await _views(core) == 3  # each crop is a viewing of the photo, audited


async def test_another_person_is_flagged_wajah_berbeda_periksa(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    registration_id = await _compared(core, real_faces.variant_jpeg("hopper", "plain"))
    async with client_for(core) as client:
        await login(client, "siti")
        html = await (await client.get(f"/console/registrations/{registration_id}")).text()
    assert 'class="warn" id="flag-face">Wajah berbeda, periksa' in html
    assert "Skor dari model komputer, bukan keputusan" in html


async def test_without_a_comparison_the_page_shows_no_face_flag(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    seeded = await seed_registration(core)
    async with client_for(core) as client:
        await login(client, "siti")
        html = await (await client.get(f"/console/registrations/{seeded.id}")).text()
    assert 'id="flag-face"' not in html and 'id="faces"' not in html
