"""The review page's KTP rows: what was read beside the row cut from the photo, and whether it
agrees; crops need the session's photo key, are audited like the photo, and the API carries
only the agreement."""

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
from tests.console.support import add_token, add_user, client_for, login, seed_registration
from tests.photos.ktp_samples import sample
from tests.photos.test_ocr import needs_tesseract

pytestmark = needs_tesseract


@pytest.fixture
async def core(settings_factory: Any, database_url: str) -> AsyncIterator[Core]:
    """A core that reads KTP photos with Tesseract (fast) after they are stored."""
    built = await migrated_core(settings_factory(database_url=database_url, ktp_ocr="tesseract"))
    yield built
    assert built.ktp_readings is not None
    await built.ktp_readings.drain()
    built.ktp_readings.reader.close()
    await built.db.dispose()


async def _read(core: Core, *, typed_nik_slip: bool = True) -> tuple[int, Any]:
    s = sample(6)
    typed = s.nik[:5] + ("9" if s.nik[5] != "9" else "8") + s.nik[6:] if typed_nik_slip else s.nik
    seeded = await seed_registration(
        core, nik=typed, full_name=s.name, birth_date=s.born.isoformat(),
        images={"ktp": s.jpeg, "selfie": sample(7).jpeg},
    )  # fmt: skip
    assert core.ktp_readings is not None
    await core.ktp_readings.run(seeded.id)
    return seeded.id, s


async def _views(core: Core) -> int:
    async with core.uow() as uow:
        stmt = select(func.count(AuditEntry.id)).where(AuditEntry.action == "document.viewed")
        return int(await uow.session.scalar(stmt) or 0)


def _crop_urls(html: str) -> dict[str, str]:
    found = re.findall(
        r'<li class="ktp-row[^"]*" id="ktp-read-(\w+)">\s*<img class="ktp-crop" src="([^"]+)"', html
    )
    return {field: src.replace("&amp;", "&") for field, src in found}


async def test_the_review_page_shows_each_row_read_with_its_crop_and_agreement(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    registration_id, s = await _read(core)
    async with client_for(core) as client:
        await login(client, "siti")
        html = await (await client.get(f"/console/registrations/{registration_id}")).text()
        assert 'id="ktp-read"' in html
        assert re.search(rf'id="ktp-read-full_name-value">{s.name}<', html)
        assert re.search(rf'id="ktp-read-nik-value">{s.nik}<', html)
        assert "digit berbeda di posisi 6" in html
        assert re.search(r'id="ktp-read-nik-agreement">≠ berbeda', html)
        assert re.search(r'id="ktp-read-full_name-agreement">✓ sama', html)
        assert re.search(r'id="ktp-read-birth_date-agreement">✓ sama', html)
        crops = _crop_urls(html)
        assert set(crops) == {"nik", "full_name", "birth_date"}
        before = await _views(core)
        for url in crops.values():
            resp = await client.get(url)
            assert resp.status == 200 and resp.headers["Content-Type"] == "image/jpeg"
            assert "no-store" in resp.headers["Cache-Control"]
            row = Image.open(io.BytesIO(await resp.read()))
            assert row.width > 3 * row.height  # a row of print, level, not the whole card
        assert await _views(core) == before + 3  # each crop is a view of the KTP, audited


async def test_a_crop_needs_the_sessions_key_and_a_well_formed_box(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    await add_user(core, "budi", "verifier")
    await add_user(core, "agen", "agent")
    registration_id, _ = await _read(core)
    async with client_for(core) as client:
        await login(client, "siti")
        html = await (await client.get(f"/console/registrations/{registration_id}")).text()
        url = _crop_urls(html)["nik"]
        before = await _views(core)
        no_key = re.sub(r"k=[^&]+", "k=", url)
        assert (await client.get(no_key)).status == 404
        bad_box = re.sub(r"q=[^&]+", "q=1,2,3", url)
        assert (await client.get(bad_box)).status == 400
        assert (await client.get(re.sub(r"q=[^&]+", "q=1,2,3,4,5,6,7,99999", url))).status == 400
        assert await _views(core) == before  # refused before anything was read or audited
    async with client_for(core) as other:  # another verifier's session: the key is not hers
        await login(other, "budi")
        assert (await other.get(url)).status == 404
    async with client_for(core) as agent:
        await login(agent, "agen")
        assert (await agent.get(url, allow_redirects=False)).status in (302, 303, 403, 404)
    async with client_for(core) as anonymous:
        resp = await anonymous.get(url, allow_redirects=False)
        assert resp.status in (302, 303, 401, 403)


async def test_without_a_reading_the_partial_shows_nothing(core: Core) -> None:
    await add_user(core, "siti", "verifier")
    seeded = await seed_registration(core)
    async with client_for(core) as client:
        await login(client, "siti")
        html = await (await client.get(f"/console/registrations/{seeded.id}")).text()
        assert 'id="ktp-read"' not in html


async def test_the_api_carries_the_agreement_not_the_values_read(core: Core) -> None:
    token = await add_token(core, "verifier")
    registration_id, s = await _read(core)
    async with client_for(core) as client:
        resp = await client.get(
            f"/api/v1/registrations/{registration_id}",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert resp.status == 200
        body = await resp.json()
        text = await resp.text()
    agreement = body["flags"]["ocr_fields"]
    assert agreement["nik"] == "differs" and agreement["nik_digits_differ"] == [6]
    assert agreement["full_name"] == "same" and agreement["birth_date"] == "same"
    assert s.nik not in text, text  # the name typed is the name read: it is there already
