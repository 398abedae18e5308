"""Server-side SVG charts: no script, no remote asset, colours from classes so they print.

Colours come from CSS classes (static/css/dashboard.css), never inline styles, which the
Content-Security-Policy forbids. Each chart is drawn from the same numbers its page prints in
a table beneath it, and each bar links where its number does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

PALETTE_SIZE = 12


@dataclass(frozen=True)
class Bar:
    """One bar of a bar chart."""

    label: str
    value: int
    href: str = ""
    colour: str = ""


@dataclass(frozen=True)
class Stack:
    """One coloured part of every column of a monthly chart."""

    label: str
    values: Sequence[int]
    hrefs: Sequence[str]
    colour: str = ""


def _linked(href: str, inner: str) -> str:
    return f'<a href="{escape(href)}">{inner}</a>' if href else inner


def _colour(colour: str, index: int) -> str:
    return escape(colour or f"c-{index % PALETTE_SIZE}")


def _svg(title: str, width: int, height: int, body: str) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def bar_chart(title: str, bars: Sequence[Bar], width: int = 480) -> Markup:
    """Draw horizontal bars, one per row, with the label left and the number right."""
    row, label_w, number_w = 26, 130, 44
    height = max(row * len(bars), row)
    top = max((b.value for b in bars), default=0) or 1
    span = width - label_w - number_w
    parts = []
    for i, bar in enumerate(bars):
        y = i * row
        length = round(span * bar.value / top, 1)
        rect = (
            f'<rect class="bar {_colour(bar.colour, i)}" x="{label_w}" y="{y + 5}" '
            f'width="{length}" height="{row - 10}"><title>{escape(bar.label)}：{bar.value}</title>'
            "</rect>"
        )
        parts.append(
            f'<text class="label" x="{label_w - 8}" y="{y + row / 2 + 4}" text-anchor="end">'
            f"{escape(bar.label)}</text>"
            + _linked(bar.href, rect)
            + f'<text class="number" x="{label_w + length + 6}" y="{y + row / 2 + 4}">'
            f"{bar.value}</text>"
        )
    return _svg(title, width, height, "".join(parts))


def column_chart(
    title: str, labels: Sequence[str], stacks: Sequence[Stack], width: int = 640
) -> Markup:
    """Draw one stacked column per label (month), a legend below, the totals on top."""
    left, bottom, top_pad, legend_row = 32, 22, 16, 18
    legend_rows = (len(stacks) + 3) // 4
    height = 200 + legend_rows * legend_row
    plot_h = 200 - bottom - top_pad
    totals = [sum(s.values[i] for s in stacks) for i in range(len(labels))]
    peak = max(totals, default=0) or 1
    slot = (width - left) / max(len(labels), 1)
    parts = [
        f'<line class="axis" x1="{left}" y1="{200 - bottom}" x2="{width}" y2="{200 - bottom}"/>',
        f'<text class="tick" x="{left - 4}" y="{top_pad + 4}" text-anchor="end">{peak}</text>',
        f'<text class="tick" x="{left - 4}" y="{200 - bottom}" text-anchor="end">0</text>',
    ]
    for i, label in enumerate(labels):
        x, base = left + i * slot + slot * 0.2, 200 - bottom
        for j, stack in enumerate(stacks):
            value = stack.values[i]
            if not value:
                continue
            h = round(plot_h * value / peak, 1)
            base -= h
            rect = (
                f'<rect class="bar {_colour(stack.colour, j)}" x="{x:.1f}" y="{base:.1f}" '
                f'width="{slot * 0.6:.1f}" height="{h}"><title>{escape(label)} '
                f"{escape(stack.label)}：{value}</title></rect>"
            )
            parts.append(_linked(stack.hrefs[i], rect))
        centre = left + i * slot + slot / 2
        if totals[i]:
            parts.append(
                f'<text class="number" x="{centre:.1f}" y="{base - 3:.1f}" '
                f'text-anchor="middle">{totals[i]}</text>'
            )
        parts.append(
            f'<text class="tick" x="{centre:.1f}" y="{200 - 6}" text-anchor="middle">'
            f"{escape(label[-2:])}</text>"
        )
    for j, stack in enumerate(stacks):
        lx, ly = left + (j % 4) * (width - left) / 4, 200 + (j // 4) * legend_row + 4
        parts.append(
            f'<rect class="{_colour(stack.colour, j)}" x="{lx:.1f}" y="{ly}" width="10" '
            f'height="10"/><text class="legend" x="{lx + 14:.1f}" y="{ly + 9}">'
            f"{escape(stack.label)}</text>"
        )
    return _svg(title, width, height, "".join(parts))
