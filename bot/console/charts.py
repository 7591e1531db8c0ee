"""Chart geometry for the report page, drawn as inline SVG by the templates (no scripts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.services.reports import Bucket

WIDTH = 960
HEIGHT = 260
PLOT_TOP = 10
PLOT_BOTTOM = 220
PLOT_LEFT = 40
BAR_CHART_WIDTH = 520
BAR_ROW = 30
BAR_LEFT = 190
BAR_WIDTH = 270


@dataclass(frozen=True, slots=True)
class Rect:
    """One rectangle of a chart, with the tooltip shown on hover."""

    x: float
    y: float
    w: float
    h: float
    css: str
    title: str


@dataclass(frozen=True, slots=True)
class Label:
    """A text label at a point."""

    x: float
    y: float
    text: str
    anchor: str = "middle"


@dataclass(frozen=True, slots=True)
class Chart:
    """An SVG chart: its size, rectangles, labels and grid lines."""

    width: int
    height: int
    rects: list[Rect]
    labels: list[Label]
    grid: list[Label]


def _nice_max(value: int) -> int:
    for step in (5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000):
        if value <= step:
            return step
    return value


def daily(days: dict[date, Bucket], titles: dict[str, str]) -> Chart:
    """Stack approved, rejected and waiting requests per day of submission."""
    ordered = sorted(days.items())
    top = _nice_max(max((bucket.submitted for _, bucket in ordered), default=0))
    plot_h = PLOT_BOTTOM - PLOT_TOP
    slot = (WIDTH - PLOT_LEFT) / max(len(ordered), 1)
    bar_w = max(slot * 0.7, 1.0)
    rects: list[Rect] = []
    labels: list[Label] = []
    every = max(len(ordered) // 10, 1)
    for i, (day, bucket) in enumerate(ordered):
        x = PLOT_LEFT + i * slot + (slot - bar_w) / 2
        y = float(PLOT_BOTTOM)
        for css, count in (
            ("approved", bucket.approved), ("rejected", bucket.rejected),
            ("pending", bucket.pending),
        ):  # fmt: skip
            if count:
                h = plot_h * count / top
                y -= h
                title = f"{day.isoformat()} · {titles[css]}: {count}"
                rects.append(Rect(round(x, 1), round(y, 1), round(bar_w, 1), round(h, 1), css,
                                  title))  # fmt: skip
        if i % every == 0:
            labels.append(Label(round(x + bar_w / 2, 1), PLOT_BOTTOM + 18, day.strftime("%d/%m")))
    grid = [
        Label(PLOT_LEFT - 6, round(PLOT_BOTTOM - plot_h * f, 1), f"{top * f:g}", "end")
        for f in (0, 0.25, 0.5, 0.75, 1)
    ]
    return Chart(WIDTH, HEIGHT, rects, labels, grid)


def bars(values: list[tuple[str, int]], css: str) -> Chart:
    """Draw one horizontal bar per labelled value."""
    top = max((value for _, value in values), default=0) or 1
    rects: list[Rect] = []
    labels: list[Label] = []
    for i, (label, value) in enumerate(values):
        y = i * BAR_ROW + 4
        w = BAR_WIDTH * value / top
        rects.append(Rect(BAR_LEFT, y, round(w, 1), BAR_ROW - 10, css, f"{label}: {value}"))
        labels.append(Label(BAR_LEFT - 8, y + BAR_ROW / 2, label, "end"))
        labels.append(Label(round(BAR_LEFT + w + 8, 1), y + BAR_ROW / 2, str(value), "start"))
    return Chart(BAR_CHART_WIDTH, max(len(values), 1) * BAR_ROW + 8, rects, labels, [])
