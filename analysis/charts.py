"""Charts as server-rendered inline SVG: no script, no external resource, print-friendly.

Every chart carries ``role="img"``, a ``<title>`` and a ``<desc>`` referenced by
``aria-labelledby``; the page puts the table it draws next to it (the table is the
text alternative with the exact values). Colours are SVG presentation attributes
(the CSP forbids inline ``style``), chosen to stay apart in greyscale print too.
Right-to-left pages get mirrored charts: labels on the right, bars growing leftwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
LABEL_WIDTH = 210
VALUE_WIDTH = 64
ROW = 24
BAR = 16
PAD = 8
MAX_LABEL = 27  # at 13 px sans-serif (~7 px a character) what fits in LABEL_WIDTH - PAD

#: Fills by series name; unknown names fall back to the first.
FILLS = {
    "raw": "#4a5568",
    "weighted": "#1f5fbf",
    "reference": "#b7791f",
    "negative": "#b42318",
    "neutral": "#98a2b3",
    "positive": "#18794e",
    "none": "#e4e7ec",
}


@dataclass(frozen=True)
class Bar:
    """One bar: a label, a value in [0, max] or None (hidden), and its series name."""

    label: str
    value: float | None
    series: str = "raw"


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def _format(value: float | None, percent: bool, hidden: str) -> str:
    if value is None:
        return hidden
    return f"{value * 100:.0f} %" if percent else f"{value:g}"


class _Canvas:
    """Coordinates that mirror for right-to-left pages."""

    def __init__(self, rtl: bool):
        self.rtl = rtl

    def x(self, x: float, width: float = 0.0) -> float:
        return WIDTH - x - width if self.rtl else x

    def anchor(self, anchor: str) -> str:
        if not self.rtl:
            return anchor
        return {"start": "end", "end": "start"}.get(anchor, anchor)


def _open(chart_id: str, title: str, description: str, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'id="{chart_id}" preserveAspectRatio="xMinYMin meet" font-size="13" font-family="sans-serif">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[Bar],
    *,
    max_value: float = 1.0,
    percent: bool = True,
    rtl: bool = False,
    hidden: str = "–",
    groups: int = 1,
) -> Markup:
    """A horizontal bar chart; with `groups` > 1, consecutive bars form one category
    (the first bar of a group carries the category label), e.g. raw and weighted.

    :param description: the text alternative's summary (the table next to it has the values).
    :param hidden: the marker drawn for a withheld value (the pages' translated marker).
    """
    canvas = _Canvas(rtl)
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 2 * PAD
    categories = max(1, -(-len(bars) // groups))
    height = PAD * 2 + categories * (ROW * groups + PAD)
    parts = _open(chart_id, title, description, height)
    direction = ' direction="rtl"' if rtl else ""
    y = PAD
    for index, bar in enumerate(bars):
        position = index % groups
        if position == 0 and index:
            y += PAD
        fill = FILLS.get(bar.series, FILLS["raw"])
        if position == 0:
            parts.append(
                f'<text x="{canvas.x(LABEL_WIDTH - PAD):.1f}" y="{y + BAR - 3}" '
                f'text-anchor="{canvas.anchor("end")}"{direction}>{escape(_short(bar.label))}</text>'
            )
        start = LABEL_WIDTH
        if bar.value is not None and max_value > 0:
            length = max(0.0, min(bar.value / max_value, 1.0)) * plot
            parts.append(
                f'<rect x="{canvas.x(start, length):.1f}" y="{y}" width="{length:.1f}" height="{BAR}" '
                f'fill="{fill}" class="bar {escape(bar.series)}"/>'
            )
            value_x = start + length + 4
        else:
            value_x = start + 4
        parts.append(
            f'<text x="{canvas.x(value_x):.1f}" y="{y + BAR - 3}" '
            f'text-anchor="{canvas.anchor("start")}"{direction}>{escape(_format(bar.value, percent, hidden))}</text>'
        )
        y += ROW
    parts.append(
        f'<line x1="{canvas.x(LABEL_WIDTH):.1f}" x2="{canvas.x(LABEL_WIDTH):.1f}" y1="{PAD / 2}" '
        f'y2="{height - PAD / 2}" stroke="#344054" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every interpolated text is escaped above)


def stacked_chart(
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[tuple[str, Sequence[tuple[str, float | None]]]],
    *,
    rtl: bool = False,
    hidden: str = "–",
) -> Markup:
    """Horizontal 100 % stacked bars: one row per category, segments ``(series, share)``.

    A row with any withheld share shows the marker instead of a bar (a partial bar
    would let the hidden part be measured).
    """
    canvas = _Canvas(rtl)
    plot = WIDTH - LABEL_WIDTH - 2 * PAD
    height = PAD * 2 + len(rows) * (ROW + PAD)
    parts = _open(chart_id, title, description, height)
    direction = ' direction="rtl"' if rtl else ""
    y = PAD
    for label, segments in rows:
        parts.append(
            f'<text x="{canvas.x(LABEL_WIDTH - PAD):.1f}" y="{y + BAR - 3}" '
            f'text-anchor="{canvas.anchor("end")}"{direction}>{escape(_short(label))}</text>'
        )
        if any(share is None for _, share in segments):
            parts.append(
                f'<text x="{canvas.x(LABEL_WIDTH + 4):.1f}" y="{y + BAR - 3}" '
                f'text-anchor="{canvas.anchor("start")}"{direction}>{escape(hidden)}</text>'
            )
        else:
            start = LABEL_WIDTH
            for series, share in segments:
                length = max(0.0, min(float(share or 0.0), 1.0)) * plot
                if length > 0:
                    parts.append(
                        f'<rect x="{canvas.x(start, length):.1f}" y="{y}" width="{length:.1f}" '
                        f'height="{BAR}" fill="{FILLS.get(series, FILLS["raw"])}" class="bar {escape(series)}" '
                        f'stroke="#ffffff" stroke-width="1"/>'
                    )
                start += length
        y += ROW + PAD
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every interpolated text is escaped above)


def legend(items: Sequence[tuple[str, str]]) -> Markup:
    """A small HTML legend: ``(series, translated label)`` pairs, swatches as inline SVG."""
    entries = "".join(
        f'<li><svg width="12" height="12" aria-hidden="true" focusable="false"><rect width="12" height="12" '
        f'fill="{FILLS.get(series, FILLS["raw"])}" stroke="#344054" stroke-width="1"/></svg> {escape(label)}</li>'
        for series, label in items
    )
    return Markup(f"<ul class=\"legend\">{entries}</ul>")  # noqa: S704 (labels escaped above)
