"""Bar and line charts drawn on the server as inline SVG: no script, no style attribute, no CDN.

Colours are SVG presentation attributes (allowed by a strict CSP, unlike `style=`), each at least
3:1 against white (WCAG 1.4.11). Every bar and point carries a <title> with its value; the table
beside each chart holds the same figures for screen readers and copying.
"""
from __future__ import annotations

import math

from markupsafe import Markup, escape

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 60, 16, 20, 80  # room for the y labels, the week labels and the legend
TEXT = "#1b1f24"
GRID = "#8c959f"
PALETTE = ("#0b5cad", "#b45309", "#15803d", "#7c3aed", "#be123c", "#0e7490", "#4d7c0f", "#a21caf", "#1e3a8a",
           "#9a3412", "#334155")


def _nice_max(value: float) -> float:
    """The smallest 1, 2 or 5 × 10^k at or above `value` (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def _number(value: float) -> str:
    """`2`, `0.25`, `1.5`: ticks are quarters of a 1-2-5 maximum, values have one decimal."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _frame(chart_id: str, title: str, labels: list[str], top: float, unit: str) -> list[str]:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = [f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-labelledby="{escape(chart_id)}-title" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{escape(chart_id)}-title">{escape(title)}</title>']
    for n in range(5):
        value = top * n / 4
        y = TOP + plot_h - plot_h * n / 4
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" '
                     f'stroke-width="{1 if n else 1.5}"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="14" fill="{TEXT}">'
                     f'{escape(_number(value))}</text>')
    parts.append(f'<text x="4" y="{TOP + 4}" font-size="13" fill="{TEXT}" dominant-baseline="hanging">'
                 f'{escape(unit)}</text>')
    step = max(1, math.ceil(len(labels) / 13))  # at most ~13 week labels fit
    slot = plot_w / max(len(labels), 1)
    for i, label in enumerate(labels):
        if i % step == 0:
            x = LEFT + slot * (i + .5)
            parts.append(f'<text x="{x:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle" font-size="13" '
                         f'fill="{TEXT}">{escape(label.split("-", 1)[-1])}</text>')
    return parts


def _legend(names: list[str]) -> list[str]:
    parts, x, y = [], LEFT, HEIGHT - 30
    for i, name in enumerate(names):
        colour = PALETTE[i % len(PALETTE)]
        parts.append(f'<rect x="{x}" y="{y - 12}" width="14" height="14" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="{y}" font-size="14" fill="{TEXT}">{escape(name)}</text>')
        x += 32 + 8 * len(name) + (6 * sum(1 for ch in name if ord(ch) > 0x2e80))  # wide characters are wider
        if x > WIDTH - 120:
            x, y = LEFT, y + 18
    return parts


def bar_chart(chart_id: str, title: str, labels: list[str], series: list[tuple[str, list]], unit: str) -> Markup:
    """Grouped bars: one group per label (week), one bar per series."""
    top = _nice_max(max((v or 0 for _, values in series for v in values), default=0))
    parts = _frame(chart_id, title, labels, top, unit)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(labels), 1)
    bar_w = slot * .8 / max(len(series), 1)
    for s, (name, values) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        for i, value in enumerate(values):
            if not value:
                continue
            height = plot_h * value / top
            x = LEFT + slot * i + slot * .1 + bar_w * s
            parts.append(f'<rect class="bar" x="{x:.1f}" y="{TOP + plot_h - height:.1f}" width="{bar_w:.1f}" '
                         f'height="{height:.1f}" fill="{colour}"><title>{escape(labels[i])} {escape(name)}: '
                         f'{escape(_number(value))}</title></rect>')
    parts += _legend([name for name, _ in series]) + ["</svg>"]
    return Markup("".join(parts))  # noqa: S704 -- every text and id above went through escape(); the rest are numbers


def line_chart(chart_id: str, title: str, labels: list[str], series: list[tuple[str, list]], unit: str,
               top: float | None = None) -> Markup:
    """One line per series, broken where a week has no value; a dot on every value."""
    top = top or _nice_max(max((v or 0 for _, values in series for v in values), default=0))
    parts = _frame(chart_id, title, labels, top, unit)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(labels), 1)
    for s, (name, values) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        points = [(LEFT + slot * (i + .5), TOP + plot_h - plot_h * v / top, i, v)
                  for i, v in enumerate(values) if v is not None]
        runs: list[list[tuple]] = []
        for point in points:
            if runs and point[2] == runs[-1][-1][2] + 1:
                runs[-1].append(point)
            else:
                runs.append([point])
        for run in runs:
            if len(run) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in run)
                parts.append(f'<polyline class="line" points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for x, y, i, v in points:
            parts.append(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}">'
                         f'<title>{escape(labels[i])} {escape(name)}: {escape(_number(v))}</title></circle>')
    parts += _legend([name for name, _ in series]) + ["</svg>"]
    return Markup("".join(parts))  # noqa: S704 -- every text and id above went through escape(); the rest are numbers
