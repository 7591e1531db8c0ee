"""Claims and decisions name who acted by kind and id (``user:<id>``, ``token:<id>``), never by a
name a token could share with a user (issue 15, finding 7)."""

from __future__ import annotations

import re

from bot.core import Core
from tests.console.support import add_token, add_user, client_for, login, seed_registration


def _auth(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


async def test_a_token_named_like_a_verifier_cannot_decide_what_she_holds(any_core: Core) -> None:
    core = any_core
    await add_user(core, "siti", "verifier")
    token = await add_token(core, "verifier", name="siti")
    seeded = await seed_registration(core)
    async with client_for(core) as client:
        assert (await login(client, "siti")).status == 200
        page = await client.get(f"/console/registrations/{seeded.id}")  # she claims it
        assert page.status == 200
        decided = await client.post(
            f"/api/v1/registrations/{seeded.id}/decision", headers=_auth(token),
            json={"decision": "approve"},
        )  # fmt: skip
        assert decided.status == 409 and (await decided.json())["error"] == "claimed"
    async with core.uow() as uow:
        reg = await uow.registrations.get(seeded.id)
    assert reg is not None and reg.status == "submitted"


async def test_the_record_keeps_who_decided_by_id_and_shows_the_name(any_core: Core) -> None:
    core = any_core
    await add_user(core, "siti", "verifier")
    await add_user(core, "budi", "verifier")
    siti = await core.account_cases.find_user("siti")
    assert siti is not None
    token = await add_token(core, "verifier", name="sistem-dukcapil")
    by_user, by_token = await seed_registration(core), await seed_registration(core)
    async with client_for(core) as client, client_for(core) as budi:
        assert (await login(client, "siti")).status == 200
        page = await (await client.get(f"/console/registrations/{by_user.id}")).text()
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        assert (await login(budi, "budi")).status == 200
        queue = await (await budi.get("/console/queue")).text()
        assert ">siti<" in queue.replace("\n", "").replace(" ", "")  # held by her, by name
        done = await client.post(
            f"/console/registrations/{by_user.id}/decision",
            data={"csrf": csrf, "decision": "approve"}, allow_redirects=False,
        )  # fmt: skip
        assert done.status == 302
        shown = await (await client.get(f"/console/registrations/{by_user.id}")).text()
        assert "user:" not in shown and "siti" in shown
        api = await client.post(
            f"/api/v1/registrations/{by_token.id}/decision", headers=_auth(token),
            json={"decision": "approve"},
        )  # fmt: skip
        body = await api.json()
        assert api.status == 200 and re.fullmatch(r"token:\d+", body["decided_by"])
        assert body["decided_by_name"] == "sistem-dukcapil"
        read = await client.get(f"/api/v1/registrations/{by_user.id}", headers=_auth(token))
        assert (await read.json())["decided_by"] == f"user:{siti.id}"
        assert (await read.json())["decided_by_name"] == "siti"
