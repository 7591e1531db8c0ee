"""The Rekapitulasi: numbers per day, outcome, reason, kecamatan, channel and age group."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.core import Core
from bot.services import reports
from bot.services.reports import RangeError
from tests.conftest import SECRET
from tests.console.support import seed_registration
from tests.support.service import Service

# Two WIB days: 2026-11-02 and 2026-11-03 (09:00 WIB = 02:00 UTC).
DAY1 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
DAY2 = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 5, 2, 0, tzinfo=UTC)


async def _seed(core: Core) -> None:
    h = timedelta(hours=1)
    # Day 1: decided after 1 h, 2 h, 3 h and 30 h (late); one still waiting (late by now).
    await seed_registration(core, submitted_at=DAY1, status="approved", decided_at=DAY1 + h)
    await seed_registration(core, submitted_at=DAY1, status="rejected", decided_at=DAY1 + 2 * h,
                            reject_reason="ktp_blurry", kecamatan="Benda",
                            kelurahan="Benda")  # fmt: skip
    await seed_registration(core, submitted_at=DAY1, status="rejected", decided_at=DAY1 + 3 * h,
                            reject_reason="ktp_blurry", channel="telegram")  # fmt: skip
    await seed_registration(core, submitted_at=DAY1, status="approved",
                            decided_at=DAY1 + 30 * h, birth_date="1970-03-01")  # fmt: skip
    await seed_registration(core, submitted_at=DAY1 + 5 * h)
    # Day 2: one decided after 4 h with another reason.
    await seed_registration(core, submitted_at=DAY2, status="rejected", decided_at=DAY2 + 4 * h,
                            reject_reason="other", channel="whatsapp")  # fmt: skip
    # Outside the range, and a draft inside it: neither is counted.
    await seed_registration(core, submitted_at=DAY1 - timedelta(days=3))
    await seed_registration(core, submitted_at=DAY1, status="draft")


async def _report(core: Core, start: date = date(2026, 11, 2),
                  end: date = date(2026, 11, 4)) -> reports.Report:  # fmt: skip
    return await core.review_cases.report(start, end, now=NOW)


async def test_report_numbers(any_core: Core) -> None:
    await _seed(any_core)
    report = await _report(any_core)
    total = report.total
    assert (total.submitted, total.approved, total.rejected, total.pending) == (6, 2, 3, 1)
    # Decision times 1, 2, 3, 30, 4 h → sorted 1 2 3 4 30: median 3, p90 = 4 + 0.6 × 26.
    assert total.median_hours == pytest.approx(3.0)
    assert total.p90_hours == pytest.approx(19.6)
    assert total.sla_breaches == 2  # decided after 30 h, and the one still waiting
    day1, day2, day3 = (report.days[date(2026, 11, d)] for d in (2, 3, 4))
    assert (day1.submitted, day1.approved, day1.rejected, day1.pending) == (5, 2, 2, 1)
    assert day1.median_hours == pytest.approx(2.5) and day1.sla_breaches == 2
    assert (day2.submitted, day2.rejected, day2.median_hours) == (1, 1, pytest.approx(4.0))
    assert (day3.submitted, day3.median_hours) == (0, None)
    assert report.reasons["ktp_blurry"] == 2 and report.reasons["other"] == 1
    assert report.reasons["not_ktp"] == 0
    assert report.kecamatan["Benda"].submitted == 1 and report.kecamatan["Cipondoh"].submitted == 5
    assert {k: b.submitted for k, b in report.channels.items()} == {
        "web": 4, "telegram": 1, "whatsapp": 1,
    }  # fmt: skip
    assert report.age_groups["35-44"].submitted == 5 and report.age_groups["45-59"].submitted == 1
    assert len(report.rows) == 6 and report.rows[0].submitted_at == DAY1


async def test_sla_breaches_follow_the_setting(settings_factory: object, sqlite_url: str) -> None:
    from tests.conftest import migrated_core

    core = await migrated_core(
        settings_factory(database_url=sqlite_url, verification_sla_hours=2)  # type: ignore[operator]
    )
    try:
        await _seed(core)
        report = await _report(core)
    finally:
        await core.db.dispose()
    assert report.sla_hours == 2
    assert report.total.sla_breaches == 4  # 3 h, 30 h and 4 h are late, and the waiting one


async def test_csv_holds_every_table(core: Core) -> None:
    await _seed(core)
    report = await _report(core)
    text = reports.to_csv(report, core.catalog).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))  # Indonesian Excel: ; and 2,5
    assert rows[0][:4] == ["Bagian", "Kelompok", "Diajukan", "Disetujui"]
    by_key = {(r[0], r[1]): r[2:] for r in rows[1:]}
    assert by_key[("total", "Total")] == ["6", "2", "3", "1", "3", "19,6", "2"]
    assert by_key[("day", "2026-11-02")] == ["5", "2", "2", "1", "2,5", "21,9", "2"]
    assert by_key[("day", "2026-11-04")] == ["0", "0", "0", "0", "", "", "0"]
    assert by_key[("reason", "Foto KTP buram")][2] == "2"
    assert by_key[("channel", "telegram")][0] == "1"


async def test_xlsx_has_a_sheet_per_table_and_every_request(core: Core) -> None:
    await _seed(core)
    report = await _report(core)
    book = load_workbook(io.BytesIO(reports.to_xlsx(report, core.catalog)), read_only=True)
    assert book.sheetnames == [
        "Ringkasan", "Per hari", "Alasan penolakan", "Per kecamatan", "Per kanal",
        "Per kelompok usia", "Per petugas verifikasi", "Helpdesk", "Daftar permintaan",
    ]  # fmt: skip
    days = list(book["Per hari"].iter_rows(values_only=True))
    assert days[0][:3] == ("Kelompok", "Diajukan", "Disetujui")
    assert days[1] == ("2026-11-02", 5, 2, 2, 1, 2.5, 21.9, 2)
    rows = list(book["Daftar permintaan"].iter_rows(values_only=True))
    assert len(rows) == 7
    assert rows[1][1] == datetime(2026, 11, 2, 9, 0)  # WIB wall-clock time
    statuses = sorted(r[3] for r in rows[1:])
    assert statuses.count("Ditolak") == 3 and statuses.count("Menunggu verifikasi") == 1


def test_percentile_interpolates() -> None:
    assert reports.percentile([], 0.5) is None
    assert reports.percentile([5.0], 0.9) == 5.0
    assert reports.percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert reports.percentile([10.0, 0.0], 0.9) == pytest.approx(9.0)


def test_parse_range() -> None:
    today = date(2026, 11, 29)
    assert reports.parse_range(None, None, today) == (date(2026, 10, 31), today)
    assert reports.parse_range("2026-11-01", "2026-11-02", today) == (
        date(2026, 11, 1), date(2026, 11, 2),
    )  # fmt: skip
    for bad in (("kemarin", None), ("2026-11-05", "2026-11-01"), ("2024-01-01", "2026-01-01")):
        with pytest.raises(RangeError):
            reports.parse_range(*bad, today)


async def test_cli_report_writes_the_same_files(tmp_path: Path, settings_factory: object) -> None:
    from tests.conftest import migrated_core

    data = tmp_path / "svc"
    service = Service({"TLIVE_SECRET_KEY": SECRET}, data)
    data.mkdir()
    done = await asyncio.to_thread(service.cli, "migrate")
    assert done.returncode == 0, done.stderr
    core = await migrated_core(
        settings_factory(data_dir=data, database_url=f"sqlite+aiosqlite:///{data / 'tlive.db'}")  # type: ignore[operator]
    )
    try:
        await _seed(core)
        expected = await _report(core)
    finally:
        await core.db.dispose()
    out = tmp_path / "out"
    done = await asyncio.to_thread(
        service.cli, "report", "--from", "2026-11-02", "--to", "2026-11-04", "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "rekap-verifikasi_2026-11-02_2026-11-04.csv", "rekap-verifikasi_2026-11-02_2026-11-04.xlsx",
    ]  # fmt: skip
    text = (out / names[0]).read_text(encoding="utf-8-sig")
    assert "total;Total;6;2;3;1;3;19,6;2" in text
    assert expected.total.submitted == 6
    book = load_workbook(out / names[1], read_only=True)
    assert list(book["Per hari"].iter_rows(values_only=True))[2][:2] == ("2026-11-03", 1)
    bad = await asyncio.to_thread(service.cli, "report", "--from", "kemarin")
    assert bad.returncode == 2 and "Tanggal tidak valid" in bad.stderr
