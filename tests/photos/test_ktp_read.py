"""Reading a stored KTP photo: both engines, models inside the package, nothing downloaded,
the memory-capped worker process with its Tesseract fallback, and the result kept encrypted."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import textwrap
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.core import Core
from bot.photos.read_ktp import model_paths, rapidocr_available, read_ktp
from bot.services.ktp_reading import KtpReader
from bot.storage.models import Registration
from tests.conftest import migrated_core
from tests.console.support import seed_registration
from tests.photos.ktp_samples import sample
from tests.photos.test_ocr import needs_tesseract

ROOT = Path(__file__).resolve().parents[2]
needs_rapidocr = pytest.mark.skipif(not rapidocr_available(), reason="rapidocr not installed")


@needs_rapidocr
def test_the_default_models_are_inside_the_installed_package() -> None:
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    paths = model_paths()
    names = {p.name for p in paths}
    assert any("det" in n for n in names) and any("rec" in n for n in names)
    for path in paths:
        assert path.resolve().is_relative_to(site / "rapidocr"), path
        assert path.stat().st_size > 100_000  # a real model, not a pointer to download one


@needs_rapidocr
def test_rapidocr_reads_a_card_with_the_network_cut_and_downloads_nothing(tmp_path: Path) -> None:
    """In a fresh process whose sockets refuse to connect, with an empty home directory."""
    home = tmp_path / "home"
    home.mkdir()
    before = {p.name: p.stat().st_size for p in model_paths()}
    child = textwrap.dedent(
        """
        import json, socket, sys
        def refuse(*args, **kwargs):
            raise OSError("network is cut in this test")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        from bot.photos.read_ktp import read_ktp
        from tests.photos.ktp_samples import sample
        s = sample(5)
        f = read_ktp(s.jpeg, "rapidocr").fields
        print(json.dumps([f.nik == s.nik, f.full_name == s.name, f.birth_date == s.born]))
        """
    )
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
           "OMP_NUM_THREADS": "1", "XDG_CACHE_HOME": str(home / ".cache")}  # fmt: skip
    out = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=240, check=True)  # fmt: skip
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [True, True, True]
    assert {p.name: p.stat().st_size for p in model_paths()} == before
    # ONNX Runtime leaves a small device-id file under ~/.cache; no model, nothing large.
    written = [p for p in home.rglob("*") if p.is_file()]
    assert not [p for p in written if p.suffix in (".onnx", ".pdmodel", ".pth", ".bin")]
    assert all(p.stat().st_size < 1_000_000 for p in written), written


@needs_tesseract
def test_tesseract_reads_a_tilted_card() -> None:
    s = sample(2, "rotate")
    fields = read_ktp(s.jpeg, "tesseract").fields
    assert (fields.nik, fields.full_name, fields.birth_date) == (s.nik, s.name, s.born)


@needs_rapidocr
@needs_tesseract
async def test_a_worker_process_out_of_memory_falls_back_to_tesseract() -> None:
    s = sample(1)
    reader = KtpReader("rapidocr", timeout=120, memory_mb=400)  # too small for the models
    try:
        reading = await reader.read(s.jpeg)
    finally:
        reader.close()
    assert reading is not None and reading.engine == "tesseract"
    assert reading.fields.nik == s.nik


async def test_reading_switched_off_reads_nothing() -> None:
    reader = KtpReader("off")
    assert await reader.read(sample(0).jpeg) is None
    reader.close()


@pytest.fixture
async def reading_core(settings_factory: Any, database_url: str) -> AsyncIterator[Core]:
    """A core that reads KTP photos with Tesseract after they are stored."""
    built = await migrated_core(settings_factory(database_url=database_url, ktp_ocr="tesseract"))
    yield built
    assert built.ktp_readings is not None
    await built.ktp_readings.drain()
    built.ktp_readings.reader.close()
    await built.db.dispose()


@needs_tesseract
async def test_the_reading_is_stored_encrypted_with_its_agreement_in_the_flags(
    reading_core: Core,
) -> None:
    s = sample(4)
    typed_nik = s.nik[:-1] + ("1" if s.nik[-1] != "1" else "2")  # one digit typed wrong
    seeded = await seed_registration(
        reading_core, nik=typed_nik, full_name=s.name.title(),
        birth_date=s.born.isoformat(), images={"ktp": s.jpeg},
    )  # fmt: skip
    assert reading_core.ktp_readings is not None
    await reading_core.ktp_readings.run(seeded.id)
    async with reading_core.uow() as uow:
        reg = await uow.registrations.get(seeded.id)
        assert reg is not None
        summary = reg.flags["ocr_fields"]
        data = uow.registrations.read_data(reg)
        raw = await uow.session.get(Registration, seeded.id)
    assert summary["nik"] == "differs" and summary["nik_digits_differ"] == [16]
    assert summary["full_name"] == "same" and summary["birth_date"] == "same"
    assert summary["engine"] == "tesseract" and len(summary["boxes"]["nik"]) == 8
    assert data["ocr"]["nik"] == s.nik and data["ocr"]["full_name"] == s.name
    assert s.nik not in json.dumps(reg.flags) and s.name not in json.dumps(reg.flags)
    assert raw is not None and s.name.encode() not in (raw.data_enc or b"")  # encrypted

    # The citizen corrects her NIK in the chat: the agreement follows at once.
    async with reading_core.uow() as uow:
        reg = await uow.registrations.get(seeded.id, lock=True)
        assert reg is not None
        reading_core.services.registrations.set_field(uow, reg, "full_name", "Someone Else")
        assert reg.flags["ocr_fields"]["full_name"] == "differs"


def test_the_service_starts_without_loading_rapidocr_or_its_process(tmp_path: Path) -> None:
    """RapidOCR (~300 MB) and its worker process come with the first KTP read, not before."""
    probe = textwrap.dedent(
        f"""
        import asyncio, json, multiprocessing, sys
        from bot.config import load_settings
        from tests.conftest import SECRET, migrated_core
        from tests.console.support import client_for

        async def main():
            settings = load_settings(
                data_dir={str(tmp_path / "data")!r}, secret_key=SECRET, ktp_ocr="rapidocr",
                database_url="sqlite+aiosqlite:///{tmp_path / "t.db"}",
            )
            core = await migrated_core(settings)
            async with client_for(core) as client:  # the app started: its lifetime runs
                assert (await client.get("/healthz")).status < 500
                started = multiprocessing.active_children()
            await core.db.dispose()
            heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("rapidocr", "onnxruntime"))
            print(json.dumps([heavy, len(started), core.ktp_readings.reader._process is None]))

        asyncio.run(main())
        """
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT,
                         timeout=120, check=True)  # fmt: skip
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [[], 0, True]
