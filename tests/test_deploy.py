"""The deployment files in deploy/ name only routes, settings and commands the code has."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from aiohttp import web

from bot.app import build_app
from bot.cli import _OWN_COMMANDS
from bot.config import Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
NGINX = DEPLOY / "nginx" / "tlive.conf"
ENV_EXAMPLE = DEPLOY / "tlive.env.example"
UNITS = sorted((DEPLOY / "systemd").glob("*.service")) + sorted(
    (DEPLOY / "systemd").glob("*.target")
)
# Served by the app but kept off the internet on purpose (probes and metrics).
INTERNAL = {"/healthz", "/readyz", "/metrics"}
_LOCATION = re.compile(r"^\s*location\s+(=\s*)?(\S+)\s*\{(.*?)^\s*\}", re.M | re.S)
_VARIABLE = re.compile(r"\bTLIVE_[A-Z0-9_]+")

MakeSettings = Callable[..., Settings]


def _locations() -> dict[tuple[str, bool], str]:
    """Return each nginx location: (path, exact match?) → body."""
    text = NGINX.read_text()
    return {(m.group(2), bool(m.group(1))): m.group(3) for m in _LOCATION.finditer(text)}


def _app_paths(settings_factory: MakeSettings) -> list[str]:
    """Return the paths and prefixes the app serves with every channel on."""
    settings = settings_factory(
        public_url="https://asisten.example.go.id", telegram_token="123456789:" + "A" * 35,
        telegram_webhook_secret="s" * 32, whatsapp_token="t", whatsapp_phone_number_id="1",
        whatsapp_app_secret="a", whatsapp_verify_token="v", voice=False,
    )  # fmt: skip
    return _paths(build_app(settings))


def _paths(app: web.Application) -> list[str]:
    paths = []
    for resource in app.router.resources():
        info = resource.get_info()
        if isinstance(resource, web.PrefixedSubAppResource):
            paths += _paths(info["app"])  # their routes carry the prefix already
        elif isinstance(resource, web.StaticResource):
            paths.append(str(info["prefix"]).rstrip("/") + "/")
        else:
            paths.append(str(info.get("path") or info.get("formatter")))
    return paths


def _settings_fields() -> set[str]:
    return {f"TLIVE_{name.upper()}" for name in Settings.model_fields}


def test_every_proxied_nginx_location_is_something_the_app_serves(
    settings_factory: MakeSettings,
) -> None:
    served = _app_paths(settings_factory)
    for (path, exact), body in _locations().items():
        if "proxy_pass" not in body:
            continue
        if exact:
            assert path in served, f"nginx passes {path}, the app has no such route"
        else:
            assert any(p.startswith(path) or path.startswith(p) for p in served), path


def test_every_route_of_the_app_is_passed_by_nginx_or_kept_inside_on_purpose(
    settings_factory: MakeSettings,
) -> None:
    locations = _locations()
    proxied = [(p, exact) for (p, exact), body in locations.items() if "proxy_pass" in body]
    for path in _app_paths(settings_factory):
        if path in INTERNAL:
            assert "proxy_pass" not in locations[path, True], f"{path} must not be public"
            continue
        assert any(path == p if exact else path.startswith(p) for p, exact in proxied), path


def test_the_webhooks_pass_and_the_web_chat_api_is_rate_limited() -> None:
    locations = _locations()
    for webhook in ("/webhooks/telegram", "/webhooks/whatsapp"):
        assert "proxy_pass" in locations[webhook, True]
    assert "limit_req zone=" in locations["/webchat/api/", False]
    text = NGINX.read_text()
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in text
    assert re.search(r"listen 443 ssl", text) and "ssl_certificate " in text


def test_the_env_example_sets_only_real_settings_and_loads(tmp_path: Path) -> None:
    text = ENV_EXAMPLE.read_text()
    named = set(_VARIABLE.findall(text))
    assert named and named <= _settings_fields(), named - _settings_fields()
    values = dict(
        line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#")
    )
    overrides = {name.removeprefix("TLIVE_").lower(): value for name, value in values.items()}
    settings = load_settings(**overrides)
    assert settings.redis_url and settings.database_url.startswith("postgresql+asyncpg://")


def test_the_units_run_real_commands_with_real_settings() -> None:
    commands = set()
    for unit in UNITS:
        text = unit.read_text()
        unknown = set(_VARIABLE.findall(text)) - _settings_fields()
        assert not unknown, f"{unit.name}: {unknown}"
        commands |= set(re.findall(r"^ExecStart=\S*/tlive-bot (\w+)", text, re.M))
    assert commands == {"serve", "migrate"} and commands <= _OWN_COMMANDS


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze missing")
def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    venv = Path(shutil.which("tlive-bot") or ROOT / ".venv" / "bin" / "tlive-bot").parent.parent
    names = []
    for unit in UNITS:
        # This machine's install and user instead of /opt/tlive and the tlive account.
        text = unit.read_text().replace("/opt/tlive/.venv", str(venv))
        text = re.sub(r"^(User|Group)=tlive$", r"\1=root", text, flags=re.M)
        name = unit.name.replace("@.service", "@8101.service")
        (tmp_path / name).write_text(text)
        names.append(str(tmp_path / name))
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *names],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0 and "Unknown" not in done.stderr, done.stderr


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx not installed")
def test_nginx_accepts_the_site(tmp_path: Path) -> None:
    site = NGINX.read_text()
    for pem in ("fullchain.pem", "privkey.pem"):
        site = site.replace(
            f"/etc/letsencrypt/live/asisten.example.go.id/{pem}", str(tmp_path / pem)
        )
    (tmp_path / "site.conf").write_text(site)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=asisten.example.go.id", "-keyout", str(tmp_path / "privkey.pem"),
         "-out", str(tmp_path / "fullchain.pem")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{\n include {tmp_path}/site.conf;\n}}\n"
    )
    done = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
