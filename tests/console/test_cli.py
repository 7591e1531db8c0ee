"""``tlive-bot user …`` and ``token …``: accounts and tokens from the command line."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import aiohttp
import pytest

from bot.console import cli
from bot.services.accounts import Role
from tests.conftest import SECRET
from tests.support.service import Service


@pytest.fixture
async def service(tmp_path: Path) -> Service:
    """Return a migrated (not started) service whose CLI the tests call."""
    svc = Service({"TLIVE_SECRET_KEY": SECRET}, tmp_path / "data")
    svc.data_dir.mkdir(parents=True)
    done = await asyncio.to_thread(svc.cli, "migrate")
    assert done.returncode == 0, done.stderr
    return svc


async def _cli(service: Service, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    done = await asyncio.to_thread(service.cli, *args, stdin=stdin)
    return done.returncode, done.stdout, done.stderr


def test_cli_roles_match_the_service() -> None:
    assert tuple(role.value for role in Role) == cli.ROLES


def test_password_is_read_from_a_pipe() -> None:
    assert cli.read_password(io.StringIO("rahasia-sekali-123\nignored\n")) == "rahasia-sekali-123"


async def test_user_add_and_sign_in(service: Service) -> None:
    code, out, err = await _cli(service, "user", "add", "Siti", "--role", "verifier",
                                stdin="rahasia-sekali-123\n")  # fmt: skip
    assert code == 0, err
    assert "user siti added with role verifier" in out
    code, _, err = await _cli(service, "user", "add", "siti", "--role", "admin",
                              stdin="rahasia-sekali-456\n")  # fmt: skip
    assert code == 1 and "exists already" in err
    code, _, err = await _cli(service, "user", "add", "budi", "--role", "agent", stdin="pendek\n")
    assert code == 1 and "at least 10 characters" in err
    code, _, err = await _cli(service, "user", "add", "budi", "--role", "boss", stdin="x" * 12)
    assert code == 2 and "invalid choice" in err
    code, out, _ = await _cli(service, "user", "list")
    assert code == 0 and "siti" in out and "verifier" in out and "budi" not in out
    await service.start(migrate=False)
    try:
        jar = aiohttp.CookieJar(unsafe=True)  # the service listens on an IP address
        async with aiohttp.ClientSession(cookie_jar=jar) as http:
            page = await (await http.get(f"{service.url}/console/login")).text()
            csrf = page.split('name="csrf" value="')[1].split('"')[0]
            resp = await http.post(f"{service.url}/console/login", data={
                "csrf": csrf, "username": "siti", "password": "rahasia-sekali-123"})  # fmt: skip
            assert resp.status == 200 and "Selamat datang, siti" in await resp.text()
    finally:
        await service.stop()
    code, out, _ = await _cli(service, "user", "deactivate", "siti")
    assert code == 0 and "deactivated" in out
    code, _, err = await _cli(service, "user", "deactivate", "nobody")
    assert code == 1 and "no user" in err


async def test_token_create_prints_it_once_and_it_works(service: Service) -> None:
    code, out, err = await _cli(service, "token", "create", "sistem dukcapil", "--role", "admin")
    assert code == 0, err
    token = out.strip()
    assert token.startswith("tlv_") and "shown only now" in err and token not in err
    code, listed, _ = await _cli(service, "token", "list")
    assert code == 0 and "sistem dukcapil" in listed and token not in listed
    await service.start(migrate=False)
    try:
        async with aiohttp.ClientSession() as http:
            headers = {"Authorization": f"Bearer {token}"}
            async with http.get(f"{service.url}/api/v1/registrations", headers=headers) as resp:
                assert resp.status == 200
                assert (await resp.json())["items"] == []
            token_id = listed.split()[0]
            code, out, _ = await _cli(service, "token", "revoke", token_id)
            assert code == 0 and "revoked" in out
            async with http.get(f"{service.url}/api/v1/registrations", headers=headers) as resp:
                assert resp.status == 401
    finally:
        await service.stop()
    code, _, err = await _cli(service, "token", "create", "!!", "--role", "admin")
    assert code == 1 and "token_name_invalid" in err
