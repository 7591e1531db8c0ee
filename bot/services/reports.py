"""The SOP's Rekapitulasi: requests submitted in a date range and what became of them.

Every number is about the cohort of requests *submitted* in the range (dates in WIB), so the
daily rows, the per-kecamatan/channel/age-group rows and the totals all add up. Times to decision
are in hours; the SLA is breached when a request was decided after its deadline or is still
waiting past it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot.domain.stats import percentile
from bot.domain.wilayah import KECAMATAN
from bot.i18n import WIB, Catalog
from bot.services import helpdesk_report
from bot.services.excel_csv import write_csv
from bot.services.helpdesk_report import HelpdeskReport
from bot.services.registration import RejectReason, Status

MAX_DAYS = 366
DEFAULT_DAYS = 30
AGE_GROUPS = ("<17", "17-24", "25-34", "35-44", "45-59", "60+")
CHANNELS = ("web", "telegram", "whatsapp")
SECTIONS = ("total", "day", "reason", "kecamatan", "channel", "age_group", "decider")


@dataclass(slots=True)
class Bucket:
    """Counts and decision times of one group of requests."""

    submitted: int = 0
    approved: int = 0
    rejected: int = 0
    pending: int = 0
    sla_breaches: int = 0
    hours: list[float] = field(default_factory=list)

    def add(self, status: str, hours: float | None, breached: bool) -> None:
        """Count one request."""
        self.submitted += 1
        if status == Status.APPROVED:
            self.approved += 1
        elif status == Status.REJECTED:
            self.rejected += 1
        else:
            self.pending += 1
        if hours is not None:
            self.hours.append(hours)
        self.sla_breaches += breached

    @property
    def median_hours(self) -> float | None:
        """Return the median time to decision."""
        return percentile(self.hours, 0.5)

    @property
    def p90_hours(self) -> float | None:
        """Return the 90th-percentile time to decision."""
        return percentile(self.hours, 0.9)


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One request in the detail sheet (no personal data)."""

    reference: str
    submitted_at: datetime
    decided_at: datetime | None
    status: str
    reason: str | None
    hours: float | None
    sla_breached: bool
    kecamatan: str | None
    channel: str
    age_group: str | None
    decided_by: str | None = None  # the verifier's (or API token's) name


@dataclass(slots=True)
class Report:
    """The recap of one date range."""

    start: date
    end: date
    generated_at: datetime
    sla_hours: int
    total: Bucket = field(default_factory=Bucket)
    days: dict[date, Bucket] = field(default_factory=dict)
    reasons: dict[str, int] = field(default_factory=dict)
    kecamatan: dict[str, Bucket] = field(default_factory=dict)
    channels: dict[str, Bucket] = field(default_factory=dict)
    age_groups: dict[str, Bucket] = field(default_factory=dict)
    # Per verifier (by name): the decisions she took on this cohort and how fast.
    deciders: dict[str, Bucket] = field(default_factory=dict)
    rows: list[ReportRow] = field(default_factory=list)
    # The helpdesk over the same dates: waits for an agent and citizens' ratings.
    helpdesk: HelpdeskReport = field(default_factory=HelpdeskReport)


class RangeError(ValueError):
    """A date range that cannot be reported on; the message is a catalog key."""


def parse_range(raw_from: str | None, raw_to: str | None, today: date) -> tuple[date, date]:
    """Read an inclusive date range (ISO dates); default: the last 30 days."""
    try:
        end = date.fromisoformat(raw_to) if raw_to else today
        start = date.fromisoformat(raw_from) if raw_from else end - timedelta(DEFAULT_DAYS - 1)
    except ValueError:
        raise RangeError("console-report-error-date") from None
    if start > end:
        raise RangeError("console-report-error-order")
    if (end - start).days >= MAX_DAYS:
        raise RangeError("console-report-error-long")
    return start, end


def build_report(
    rows: Iterable[Sequence[Any]], sla_hours: int, start: date, end: date, *, now: datetime,
    names: Mapping[str, str] | None = None,
) -> Report:  # fmt: skip
    """Count the requests submitted from ``start`` to ``end`` (inclusive, WIB dates).

    ``rows`` are the cohort's requests as ``ReviewQueue.cohort`` returns them (the last value,
    who decided, as a ``user:<id>``/``token:<id>`` key, is named through ``names``). Every
    kecamatan of the city is listed, those with no request too.
    """
    sla = timedelta(hours=sla_hours)
    report = Report(start=start, end=end, generated_at=now, sla_hours=sla_hours)
    report.days = {start + timedelta(d): Bucket() for d in range((end - start).days + 1)}
    report.reasons = {reason.value: 0 for reason in RejectReason}
    report.channels = {channel: Bucket() for channel in CHANNELS}
    report.age_groups = {group: Bucket() for group in AGE_GROUPS}
    report.kecamatan = {name: Bucket() for name in KECAMATAN}
    for ref, submitted, decided, status, reason, kecamatan, channel, group, key in rows:
        if submitted is None:  # excluded by the query; keeps the types honest
            continue
        hours = (decided - submitted).total_seconds() / 3600 if decided else None
        breached = (decided or now) - submitted > sla
        decider = (names or {}).get(key, key) if key and status != Status.SUBMITTED else None
        row = ReportRow(ref, submitted, decided, status, reason, hours, breached,
                        kecamatan, channel, group, decider)  # fmt: skip
        report.rows.append(row)
        _count(report, row)
    return report


def _count(report: Report, row: ReportRow) -> None:
    buckets = (
        report.total,
        report.days.setdefault(row.submitted_at.astimezone(WIB).date(), Bucket()),
        report.kecamatan.setdefault(row.kecamatan or "-", Bucket()),
        report.channels.setdefault(row.channel, Bucket()),
        report.age_groups.setdefault(row.age_group or "-", Bucket()),
    )
    for bucket in buckets:
        bucket.add(row.status, row.hours, row.sla_breached)
    if row.decided_by:
        report.deciders.setdefault(row.decided_by, Bucket()).add(
            row.status, row.hours, row.sla_breached
        )
    if row.status == Status.REJECTED:
        key = row.reason or RejectReason.OTHER.value
        report.reasons[key] = report.reasons.get(key, 0) + 1


def _hours(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def bucket_columns(catalog: Catalog) -> list[str]:
    """Return the headings of a bucket's columns."""
    return [
        catalog.text(f"console-report-col-{name}")
        for name in ("submitted", "approved", "rejected", "pending", "median", "p90", "breaches")
    ]


def bucket_values(bucket: Bucket) -> list[int | float | None]:
    """Return a bucket's values in the order of :func:`bucket_columns`."""
    return [
        bucket.submitted, bucket.approved, bucket.rejected, bucket.pending,
        _hours(bucket.median_hours), _hours(bucket.p90_hours), bucket.sla_breaches,
    ]  # fmt: skip


def decider_columns(catalog: Catalog) -> list[str]:
    """Return the headings of the per-verifier table."""
    return [
        catalog.text(f"console-report-col-{name}")
        for name in ("decided", "approved", "rejected", "median", "p90", "breaches")
    ]


def decider_values(bucket: Bucket) -> list[int | float | None]:
    """Return a verifier's values in the order of :func:`decider_columns`."""
    return [
        bucket.submitted, bucket.approved, bucket.rejected, _hours(bucket.median_hours),
        _hours(bucket.p90_hours), bucket.sla_breaches,
    ]  # fmt: skip


def reason_label(catalog: Catalog, reason: str) -> str:
    """Return the console's label of a rejection reason."""
    key = f"console-reason-{reason}"
    return catalog.text(key) if catalog.has(key) else reason


def sections(
    report: Report, catalog: Catalog
) -> Iterator[tuple[str, str, list[tuple[str, list[int | float | None]]]]]:
    """Yield (section id, title, rows of (label, values)) for the tables of the report."""
    yield (
        "total",
        catalog.text("console-report-section-total"),
        [(catalog.text("console-report-total-label"), bucket_values(report.total))],
    )
    yield (
        "day",
        catalog.text("console-report-section-day"),
        [(day.isoformat(), bucket_values(bucket)) for day, bucket in sorted(report.days.items())],
    )
    yield (
        "reason",
        catalog.text("console-report-section-reason"),
        [(reason_label(catalog, reason), [count]) for reason, count in report.reasons.items()],
    )
    for section, data in (
        ("kecamatan", report.kecamatan), ("channel", report.channels),
        ("age_group", report.age_groups),
    ):  # fmt: skip
        yield (
            section,
            catalog.text(f"console-report-section-{section}"),
            [(label, bucket_values(bucket)) for label, bucket in ordered(section, data)],
        )
    yield (
        "decider",
        catalog.text("console-report-section-decider"),
        [(name, decider_values(bucket)) for name, bucket in sorted(report.deciders.items())],
    )


def ordered(section: str, data: dict[str, Bucket]) -> list[tuple[str, Bucket]]:
    """Return a table's groups in reading order (age groups youngest first, others by name)."""
    if section == "age_group":
        rank = {group: i for i, group in enumerate(AGE_GROUPS)}
        return sorted(data.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0]))
    return sorted(data.items())


def filename(report: Report, extension: str) -> str:
    """Return the download name, e.g. ``rekap-verifikasi_2026-11-01_2026-11-30.xlsx``."""
    return f"rekap-verifikasi_{report.start.isoformat()}_{report.end.isoformat()}.{extension}"


def to_csv(report: Report, catalog: Catalog) -> bytes:
    """Write the report as one CSV table: section, label, then the bucket columns.

    For Excel on Indonesian settings: ``;`` between fields, decimal commas, UTF-8 with a BOM
    (``bot.services.excel_csv``). Rejection reasons fill only the "rejected" column; a
    verifier's row puts her decisions under "submitted" and leaves "pending" empty.
    """
    table: list[list[object]] = [
        [catalog.text("console-report-col-section"), catalog.text("console-report-col-label"),
         *bucket_columns(catalog)]
    ]  # fmt: skip
    for section, _title, rows in sections(report, catalog):
        for label, values in rows:
            cells: list[object] = list(values)
            if section == "reason":
                cells = [None, None, cells[0], None, None, None, None]
            elif section == "decider":
                cells = [*cells[:3], None, *cells[3:]]
            table.append([section, label, *cells])
    return write_csv(table)


def to_xlsx(report: Report, catalog: Catalog) -> bytes:
    """Write the report as a workbook: a summary, one sheet per table, and every request."""
    book = Workbook(write_only=True)
    summary = book.create_sheet(catalog.text("console-report-sheet-summary"))
    for key, value in (
        ("console-report-meta-from", report.start.isoformat()),
        ("console-report-meta-to", report.end.isoformat()),
        ("console-report-meta-sla", report.sla_hours),
        ("console-report-meta-generated",
         report.generated_at.astimezone(WIB).strftime("%Y-%m-%d %H:%M WIB")),
    ):  # fmt: skip
        summary.append([catalog.text(key), value])
    summary.append([])
    _heading(summary, ["", *bucket_columns(catalog)])
    summary.append([catalog.text("console-report-total-label"), *bucket_values(report.total)])
    for section, title, rows in sections(report, catalog):
        if section == "total":
            continue
        sheet = book.create_sheet(title[:31])
        if section == "reason":
            _heading(sheet, [catalog.text("console-report-col-label"),
                             catalog.text("console-report-col-rejected")])  # fmt: skip
        elif section == "decider":
            _heading(sheet, [catalog.text("console-report-col-decider"),
                             *decider_columns(catalog)])  # fmt: skip
        else:
            _heading(sheet, [catalog.text("console-report-col-label"), *bucket_columns(catalog)])
        for label, values in rows:
            sheet.append([label, *values])
    helpdesk = book.create_sheet(catalog.text("console-report-section-helpdesk")[:31])
    _heading(helpdesk, [catalog.text("console-report-helpdesk-col-agent"),
                        *helpdesk_report.columns(catalog.text)])  # fmt: skip
    helpdesk.append([catalog.text("console-report-total-label"),
                     *helpdesk_report.values(report.helpdesk.total)])  # fmt: skip
    for name, stats in report.helpdesk.agents.items():
        helpdesk.append([name, *helpdesk_report.values(stats)])
    detail = book.create_sheet(catalog.text("console-report-sheet-rows"))
    _heading(detail, [catalog.text(f"console-report-row-{name}") for name in (
        "reference", "submitted", "decided", "status", "reason", "hours", "breach",
        "kecamatan", "channel", "age_group", "decided_by")])  # fmt: skip
    for row in report.rows:
        detail.append([
            row.reference, _local(row.submitted_at), _local(row.decided_at),
            catalog.text(f"console-status-{row.status}"),
            reason_label(catalog, row.reason) if row.reason else None,
            _hours(row.hours), catalog.text("console-yes" if row.sla_breached else "console-no"),
            row.kecamatan, row.channel, row.age_group, row.decided_by,
        ])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _heading(sheet: WriteOnlyWorksheet, values: list[str]) -> None:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)


def _local(value: datetime | None) -> datetime | None:
    # Excel has no time zones: write Jakarta wall-clock time without tzinfo.
    return None if value is None else value.astimezone(WIB).replace(tzinfo=None)
