"""Stacked bar panels drawn as plain shapes, written as SVG text and as a PNG (Pillow).

The progress chart is a grid of small stacked bar charts: rectangles, lines
and horizontal text. Drawing them directly costs milliseconds where a
plotting library's import alone took most of a second of every run; the same
shapes make both files, so the PNG and the SVG show the same thing. Every bar
in the SVG names its panel, category, series and count (a tooltip, and data
attributes a test or a tool can read).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

FONT_FAMILY = "DejaVu Sans, Arial, Helvetica, sans-serif"
INK = "#222222"
GRID = "#e3e3e3"


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str
    outline: str | None = None
    tip: str | None = None  # the bar's tooltip in the SVG
    data: tuple[tuple[str, str], ...] = ()  # data-* attributes in the SVG


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # the baseline's height
    text: str
    size: int
    anchor: str = "middle"  # start, middle or end
    bold: bool = False


@dataclass(frozen=True)
class Panel:
    """One small chart: ``bars[category][series]`` counts, stacked in ``series`` order."""

    title: str
    categories: list[str]
    bars: dict[str, dict[str, int]]


def stacked_panels(
    title: str,
    panels: list[Panel],
    series: dict[str, str],  # name -> colour, bottom of the stack first
    size: tuple[int, int],
    y_label: str,
) -> list[Rect | Line | Text]:
    """The shapes of ``panels`` in a grid of up to three columns, with a title on top and
    one legend for the series below."""
    width, height = size
    columns = min(3, max(1, len(panels)))
    rows = -(-len(panels) // columns) or 1
    top, bottom, left, right, gap_x, gap_y = 46, 56, 12, 12, 28, 26
    cell_w = (width - left - right - gap_x * (columns - 1)) / columns
    cell_h = (height - top - bottom - gap_y * (rows - 1)) / rows
    shapes: list[Rect | Line | Text] = [
        Rect(0, 0, width, height, "#ffffff"),
        Text(width / 2, 26, title, 16, bold=True),
    ]
    for number, panel in enumerate(panels):
        x = left + (number % columns) * (cell_w + gap_x)
        y = top + (number // columns) * (cell_h + gap_y)
        shapes += _panel(panel, series, x, y, cell_w, cell_h, y_label)
    shapes += _legend(series, width, height - 18)
    return shapes


def _panel(
    panel: Panel, series: dict[str, str], x: float, y: float, w: float, h: float, y_label: str
) -> list[Rect | Line | Text]:
    axis_left, axis_top, axis_bottom = x + 44, y + 22, y + h - 34
    axis_w, axis_h = x + w - axis_left, axis_bottom - axis_top
    totals = [sum(panel.bars[c].values()) for c in panel.categories]
    ticks = nice_ticks(max(totals, default=0))
    scale = axis_h / ticks[-1]
    shapes: list[Rect | Line | Text] = [
        Text(x + w / 2, y + 14, panel.title, 13, bold=True),
        Text(x + 4, axis_top - 9, y_label, 10, anchor="start"),
    ]
    for tick in ticks:
        level = axis_bottom - tick * scale
        shapes += [
            Line(axis_left, level, axis_left + axis_w, level, GRID),
            Text(axis_left - 5, level + 4, str(tick), 10, anchor="end"),
        ]
    slot = axis_w / max(1, len(panel.categories))
    bar_w = max(1.0, slot * 0.7)
    label_lines = _category_labels(panel.categories, slot)
    for number, category in enumerate(panel.categories):
        centre = axis_left + slot * (number + 0.5)
        level = axis_bottom
        for name, colour in series.items():
            count = panel.bars[category].get(name, 0)
            if not count:
                continue
            shapes.append(
                Rect(
                    centre - bar_w / 2,
                    level - count * scale,
                    bar_w,
                    count * scale,
                    colour,
                    tip=f"{panel.title}, {category}: {name} {count}",
                    data=(
                        ("panel", panel.title),
                        ("category", category),
                        ("series", name),
                        ("count", str(count)),
                    ),
                )
            )
            level -= count * scale
        for line_number, text in enumerate(label_lines[number]):
            shapes.append(Text(centre, axis_bottom + 15 + 12 * line_number, text, 10))
    shapes.append(Rect(axis_left, axis_top, axis_w, axis_h, "none", outline=INK))
    return shapes


def nice_ticks(top: int) -> list[int]:
    """Whole-number ticks from 0 to at least ``top``: steps of 1, 2 or 5 times a power of
    ten, at most six intervals (actions are counted, never halved)."""
    top = max(int(top), 1)
    for power in range(0, 12):
        for base in (1, 2, 5):
            step = base * 10**power
            if math.ceil(top / step) <= 6:
                return list(range(0, step * math.ceil(top / step) + 1, step))
    raise ValueError(f"{top} is too large to chart")


def _category_labels(categories: list[str], slot: float) -> list[list[str]]:
    """Each category's label as lines under its bar: split at spaces when one line is
    wider than its slot, and only every n-th shown when even that does not fit."""
    per_char = 6.2  # a 10-pixel sans-serif character, roughly
    lines = [c.split(" ") if len(c) * per_char > slot else [c] for c in categories]
    widest = max((len(part) for parts in lines for part in parts), default=0) * per_char
    every = max(1, math.ceil(widest / max(slot, 1)))
    return [parts if n % every == 0 else [] for n, parts in enumerate(lines)]


def _legend(series: dict[str, str], width: float, baseline: float) -> list[Rect | Line | Text]:
    per_char, swatch, spacing = 6.6, 14, 22
    widths = [swatch + 6 + len(name) * per_char for name in series]
    x = (width - sum(widths) - spacing * (len(widths) - 1)) / 2
    shapes: list[Rect | Line | Text] = []
    for (name, colour), entry in zip(series.items(), widths, strict=True):
        shapes += [
            Rect(x, baseline - 11, swatch, swatch - 2, colour),
            Text(x + swatch + 6, baseline, name, 11, anchor="start"),
        ]
        x += entry + spacing
    return shapes


def to_svg(shapes: list[Rect | Line | Text], size: tuple[int, int]) -> str:
    """The shapes as an SVG document: same size, same order, text left as text."""
    width, height = size
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family={quoteattr(FONT_FAMILY)}>',
    ]
    for shape in shapes:
        if isinstance(shape, Rect):
            data = "".join(f" data-{key}={quoteattr(value)}" for key, value in shape.data)
            stroke = f' stroke="{shape.outline}"' if shape.outline else ""
            tag = (
                f'<rect x="{shape.x:.1f}" y="{shape.y:.1f}" width="{shape.width:.1f}" '
                f'height="{shape.height:.1f}" fill="{shape.fill}"{stroke}{data}'
            )
            tip = f"<title>{escape(shape.tip)}</title></rect>" if shape.tip else "/>"
            parts.append(tag + (">" + tip if shape.tip else tip))
        elif isinstance(shape, Line):
            parts.append(
                f'<line x1="{shape.x1:.1f}" y1="{shape.y1:.1f}" x2="{shape.x2:.1f}" '
                f'y2="{shape.y2:.1f}" stroke="{shape.colour}"/>'
            )
        else:
            weight = ' font-weight="bold"' if shape.bold else ""
            parts.append(
                f'<text x="{shape.x:.1f}" y="{shape.y:.1f}" font-size="{shape.size}" '
                f'text-anchor="{shape.anchor}" fill="{INK}"{weight}>{escape(shape.text)}</text>'
            )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def save_png(shapes: list[Rect | Line | Text], size: tuple[int, int], path: Path) -> None:
    """The shapes drawn with Pillow and its own font (no font is looked up on the machine,
    so every machine draws the same picture)."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", size, "#ffffff")
    draw = ImageDraw.Draw(image)
    fonts: dict[int, object] = {}
    for shape in shapes:
        if isinstance(shape, Rect):
            left, top = round(shape.x), round(shape.y)  # a bar under a pixel high is one
            box = [
                left,
                top,
                max(left, round(shape.x + shape.width) - 1),
                max(top, round(shape.y + shape.height) - 1),
            ]
            fill = None if shape.fill == "none" else shape.fill
            draw.rectangle(box, fill=fill, outline=shape.outline)
        elif isinstance(shape, Line):
            draw.line([shape.x1, shape.y1, shape.x2, shape.y2], fill=shape.colour)
        else:
            if shape.size not in fonts:
                fonts[shape.size] = ImageFont.load_default(size=shape.size)
            _draw_text(draw, shape, fonts[shape.size])
    image.save(path, format="PNG", optimize=False)


def _draw_text(draw, text: Text, font) -> None:
    """Word by word: Pillow's own font has a space a third as wide as a reader expects
    ("no target" read as "notarget"), so each gap is drawn a third of the size wide."""
    words = text.text.split(" ")
    gap = text.size / 3
    widths = [font.getlength(word) for word in words]
    total = sum(widths) + gap * (len(words) - 1)
    x = text.x - {"start": 0, "middle": total / 2, "end": total}[text.anchor]
    for word, width in zip(words, widths, strict=True):
        for dx in (0, 1) if text.bold else (0,):  # Pillow's font has no bold face
            draw.text((round(x) + dx, round(text.y)), word, fill=INK, font=font, anchor="ls")
        x += width + gap
