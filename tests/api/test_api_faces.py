"""``/api/v1/registrations/{id}`` carries the face comparison aid: a score and a mismatch flag."""

from __future__ import annotations

from bot.core import Core
from tests.console.support import add_token, client_for, seed_registration


async def test_detail_carries_face_similarity_and_mismatch_from_the_flags(core: Core) -> None:
    token = await add_token(core, "verifier")
    compared = await seed_registration(core, flags={"face_similarity": 0.31, "face_mismatch": True})
    unseen = await seed_registration(core, chat_id="2")
    headers = {"Authorization": f"Bearer {token}"}
    async with client_for(core) as client:
        resp = await client.get(f"/api/v1/registrations/{compared.id}", headers=headers)
        body = await resp.json()
        assert (body["face_similarity"], body["face_mismatch"]) == (0.31, True)
        resp = await client.get(f"/api/v1/registrations/{unseen.id}", headers=headers)
        body = await resp.json()
        assert (body["face_similarity"], body["face_mismatch"]) == (None, False)
