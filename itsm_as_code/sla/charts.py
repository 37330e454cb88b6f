"""The report's charts as plain shapes; the template draws them as inline SVG.

Geometry is computed here, where it can be tested; the template only loops over
rectangles, lines and labels, and escapes every label (service names come from records).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from itsm_as_code.percent import percent_text
from itsm_as_code.sla.figures import MonthFigures, ServiceFigures

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 36  # margins around the plot area


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "middle"
    css: str = "label"


@dataclass(frozen=True)
class Polyline:
    points: str
    css: str


@dataclass
class Chart:
    title: str
    width: int = WIDTH
    height: int = HEIGHT
    rects: list[Rect] = field(default_factory=list)
    lines: list[Polyline] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    grid: list[float] = field(default_factory=list)  # y of horizontal grid lines
    legend: list[tuple[str, str]] = field(default_factory=list)  # (css, label)
    empty: bool = False


def _plot() -> tuple[float, float]:
    return WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


def _y_axis(chart: Chart, top: float, unit: str, steps: int = 4) -> None:
    _, height = _plot()
    for step in range(steps + 1):
        y = TOP + height - height * step / steps
        chart.grid.append(y)
        chart.texts.append(Text(LEFT - 6, y + 4, f"{top * step / steps:g}{unit}", "end"))


def compliance(months: list[MonthFigures]) -> Chart:
    """Grouped bars per month: response and resolution compliance, 0..100%."""
    chart = Chart("SLA compliance per month",
                  legend=[("response", "response"), ("resolution", "resolution")])
    chart.empty = not months
    width, height = _plot()
    _y_axis(chart, 100, "%")
    slot = width / max(len(months), 1)
    bar = min(slot * 0.35, 28)
    for index, month in enumerate(months):
        centre = LEFT + slot * (index + 0.5)
        for offset, metric, value in ((-bar, "response", month.response_compliance_percent),
                                      (0.0, "resolution", month.resolution_compliance_percent)):
            if value is None:
                continue
            top = TOP + height * (1 - value / 100)
            chart.rects.append(Rect(round(centre + offset, 1), round(top, 1), round(bar, 1),
                                    round(TOP + height - top, 1), metric,
                                    f"{month.month} {metric}: {value:g}%"))
        chart.texts.append(Text(round(centre, 1), HEIGHT - BOTTOM + 16, month.month))
    return chart


def mttr_trend(months: list[MonthFigures]) -> Chart:
    """Lines per month: mean time to resolve in wall-clock and in working hours."""
    chart = Chart("Mean time to resolve per month (hours)",
                  legend=[("wall", "wall-clock"), ("working", "working time")])
    series = {"wall": [m.mttr_wall_seconds for m in months],
              "working": [m.mttr_working_seconds for m in months]}
    values = [value for found in series.values() for value in found if value is not None]
    chart.empty = not values
    width, height = _plot()
    top = _nice(max(values, default=3600) / 3600)
    _y_axis(chart, top, "h")
    slot = width / max(len(months), 1)
    for css, found in series.items():
        points = []
        for index, (month, value) in enumerate(zip(months, found, strict=True)):
            if value is None:
                continue
            x = LEFT + slot * (index + 0.5)
            y = TOP + height * (1 - value / 3600 / top)
            points.append(f"{x:.1f},{y:.1f}")
            chart.rects.append(Rect(round(x - 3, 1), round(y - 3, 1), 6, 6, css,
                                    f"{month.month} {css}: {value / 3600:.1f} h"))
        if points:
            chart.lines.append(Polyline(" ".join(points), css))
    for index, month in enumerate(months):
        chart.texts.append(Text(round(LEFT + slot * (index + 0.5), 1), HEIGHT - BOTTOM + 16,
                                month.month))
    return chart


def availability(services: list[ServiceFigures]) -> Chart:
    """A horizontal bar per service, on a scale from just below the lowest value to 100%."""
    rows = [(s.name, s.figures.availability_percent) for s in services
            if s.figures.availability_percent is not None]
    row_height = 22
    chart = Chart("Availability per service", height=TOP + BOTTOM + row_height * max(
        len(rows), 1))
    chart.empty = not rows
    low = min([99.0, *(math.floor(value) for _, value in rows)])
    left, width = 170, WIDTH - 170 - 70
    for index, (service, value) in enumerate(rows):
        y = TOP + index * row_height
        share = (value - low) / (100 - low) if low < 100 else 1.0
        chart.texts.append(Text(left - 8, y + 15, service, "end"))
        chart.rects.append(Rect(left, y + 3, round(max(share * width, 1), 1), row_height - 6,
                                "availability", f"{service}: {percent_text(value, 3)}"))
        chart.texts.append(Text(left + width + 6, y + 15, percent_text(value, 3), "start"))
    bottom = TOP + row_height * max(len(rows), 1)
    chart.texts += [Text(left, bottom + 16, f"{low:g}%", "start"),
                    Text(left + width, bottom + 16, "100%", "end")]
    return chart


def _nice(value: float) -> float:
    """The smallest of 1, 2, 5 x 10^n at or above `value`: a readable top for an axis."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(step * power for step in (1.0, 2.0, 5.0, 10.0) if step * power >= value)
