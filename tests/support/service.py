"""Run the real service (``tlive-bot serve``) as a subprocess on a free port."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
SERVE = ("-m", "bot.cli", "serve")


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Service:
    """The service as a city would run it: migrate once, then serve until stopped."""

    # What a process manager sends to stop it.
    stop_signal = signal.SIGTERM
    # What answers 200 once it serves (rasa-sdk's action endpoint has /health).
    ready_path = "/readyz"

    def __init__(self, env: dict[str, str], data_dir: Path, command: Sequence[str] = SERVE) -> None:
        self.port = free_port()
        self.data_dir = data_dir
        self.command = list(command)  # the Python arguments that serve
        self.env = {
            **os.environ,
            "TLIVE_DATA_DIR": str(data_dir),
            "TLIVE_HOST": "127.0.0.1",
            "TLIVE_PORT": str(self.port),
            "TLIVE_LOG_LEVEL": "INFO",
            # The KTP is read by Tesseract (~0.5 s), not a RapidOCR process (~500 MB).
            "TLIVE_KTP_OCR": "tesseract",
            # The channels' stand-ins serve their APIs and media over plain http on 127.0.0.1.
            "TLIVE_ALLOW_HTTP_FOR_TESTS": "1",
            "TLIVE_WHATSAPP_MEDIA_HOSTS": "127.0.0.1",
            **env,
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = data_dir / "service.log"

    @property
    def url(self) -> str:
        """Return the base URL."""
        return f"http://127.0.0.1:{self.port}"

    def cli(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run a ``tlive-bot`` command with the service's settings."""
        return subprocess.run(
            [sys.executable, "-m", "bot.cli", *args], env=self.env, cwd=ROOT, input=stdin,
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip

    async def start(self, *, migrate: bool = True) -> None:
        """Migrate (optionally), start serving and wait until /readyz answers."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if migrate:
            done = await asyncio.to_thread(self.cli, "migrate")
            assert done.returncode == 0, done.stderr
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: ASYNC220 - returns at once; waiting is async
            [sys.executable, *self.command], env=self.env, cwd=ROOT,
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        # Generous: on a loaded 2-core CI machine, start-up (imports, OpenCV, migrations) is slow.
        deadline = time.monotonic() + 90
        async with aiohttp.ClientSession() as http:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"service exited early:\n{self.log()}")
                try:
                    async with http.get(f"{self.url}{self.ready_path}") as resp:
                        if resp.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        raise TimeoutError(f"service did not become ready:\n{self.log()}")

    async def stop(self) -> int | None:
        """Stop the service the way a process manager would (``stop_signal``); return its code."""
        if self.process is None:
            return None
        self.process.send_signal(self.stop_signal)
        try:
            code = await asyncio.to_thread(self.process.wait, 15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = await asyncio.to_thread(self.process.wait)
        self.process = None
        return code

    async def restart(self) -> None:
        """Stop and start again on the same port and data."""
        await self.stop()
        await self.start(migrate=False)

    def log(self) -> str:
        """Return what the service printed."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
