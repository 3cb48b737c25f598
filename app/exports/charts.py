"""Charts for the reports: one drawing function per kind of chart, each giving a matplotlib Figure
that `svg` writes for the page (text kept as text, with a title and description for screen readers)
and `png` for DOCX, from the same drawing.

No pyplot: a Figure made directly is in no global registry and is gone with its last reference, so
nothing is left open between requests. Matplotlib's settings are global, so every drawing and
writing happens inside one lock with the settings below, and they are restored afterwards.
"""
from __future__ import annotations

import io
import re
import textwrap
import threading
from contextlib import contextmanager
from functools import lru_cache
from xml.sax.saxutils import escape

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.ticker import FuncFormatter, MaxNLocator

from app.exports.common import xml_text

# Colours that stay apart for people with colour-vision deficiencies (Okabe and Ito).
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7")
# Fonts tried in turn for each character, among those installed: Latin, Arabic, Hebrew, Ethiopic, …
FONTS = ("DejaVu Sans", "Noto Sans", "Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans Ethiopic",
         "Noto Sans Devanagari", "Noto Sans Tamil", "Noto Sans CJK SC", "Droid Sans Fallback")
WIDTH = 4.2  # inches (403 px): shrunk to a 360-px phone, the text is still 13 px high
FONT_SIZE = 12
LABEL_WIDTH = 18  # characters before a category's label wraps
PNG_DPI = 200

_LOCK = threading.RLock()


@lru_cache(maxsize=1)
def _fonts() -> tuple[list[str], frozenset[int]]:
    """The installed fonts of FONTS, and every character one of them can draw."""
    installed, covered = [], set()
    known = {entry.name for entry in font_manager.fontManager.ttflist}
    for name in FONTS:
        if name in known:
            installed.append(name)
            path = font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
            covered.update(FT2Font(path).get_charmap())
    return installed, frozenset(covered)


def drawable(text: str) -> bool:
    """Whether the chart's fonts have every character of `text` (else a PNG would show boxes)."""
    covered = _fonts()[1]
    return all(ord(char) in covered or char.isspace() for char in text)


def _printable(text: str) -> str:
    covered = _fonts()[1]
    return "".join(char if ord(char) in covered or char.isspace() else "?" for char in xml_text(text))


@contextmanager
def _settings():
    # The generic family last: a browser without these fonts draws the SVG's text in its own.
    style = {"font.family": [*_fonts()[0], "sans-serif"], "font.size": FONT_SIZE, "text.parse_math": False,
             "svg.fonttype": "none", "svg.hashsalt": "charts", "axes.spines.top": False,
             "axes.spines.right": False, "axes.edgecolor": "#505a5f", "axes.labelcolor": "#0b0c0c",
             "xtick.color": "#0b0c0c", "ytick.color": "#0b0c0c", "legend.frameon": False}
    with _LOCK, matplotlib.rc_context(style):
        yield


def _figure(height: float) -> Figure:
    figure = Figure(figsize=(WIDTH, height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _wrapped(label: str) -> str:
    lines = textwrap.wrap(_printable(label), LABEL_WIDTH) or [""]
    return "\n".join(lines[:3]) + ("…" if len(lines) > 3 else "")


def bars(categories: list[str], series: list[tuple[str, list[int | None]]], *, hidden_mark: str = "–") -> Figure:
    """Horizontal bars, one group per category (top to bottom as given), one bar per series, each
    with its figure at its end; a None value (a hidden figure) is drawn as no bar, marked."""
    count = max(len(categories), 1)
    band = 0.8 / max(len(series), 1)
    with _settings():
        figure = _figure(0.9 + count * (0.28 * len(series) + 0.25) + (0.3 if len(series) > 1 else 0))
        axes = figure.add_subplot()
        for index, (name, values) in enumerate(series):
            positions = [number + (index - (len(series) - 1) / 2) * band for number in range(len(categories))]
            drawn = axes.barh(positions, [value or 0 for value in values], height=band * 0.92,
                              color=COLOURS[index % len(COLOURS)], label=_printable(name))
            axes.bar_label(drawn, labels=[hidden_mark if value is None else str(value) for value in values],
                           padding=3, fontsize=FONT_SIZE - 1)
        axes.set_yticks(range(len(categories)), [_wrapped(label) for label in categories])
        axes.set_ylim(len(categories) - 0.5, -0.5)  # the first category on top
        axes.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        axes.margins(x=0.12)
        axes.set_xlim(left=0)
        if len(series) > 1:
            _legend(figure, len(series))
    return figure


def _legend(figure: Figure, count: int) -> None:
    figure.legend(loc="outside lower center", ncols=count, fontsize=FONT_SIZE - 2, handlelength=1.2,
                  columnspacing=1.0, handletextpad=0.4)


def timeline(labels: list[str], series: list[tuple[str, list[int]]]) -> Figure:
    """Counts per period as steps, one line per series, periods labelled on the horizontal axis."""
    with _settings():
        figure = _figure(3.6)
        axes = figure.add_subplot()
        positions = list(range(len(labels)))
        for index, (name, values) in enumerate(series):
            axes.step(positions, values, where="mid", color=COLOURS[index % len(COLOURS)], linewidth=2,
                      marker="o" if len(labels) <= 40 else None, markersize=4, label=_printable(name))
        axes.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        axes.xaxis.set_major_formatter(FuncFormatter(
            lambda value, _position: _printable(labels[int(value)]) if 0 <= int(value) < len(labels) else ""))
        axes.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        axes.set_ylim(bottom=0)
        if len(labels) == 1:
            axes.set_xlim(-1, 1)
        _legend(figure, len(series))
    return figure


_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def svg(figure: Figure, title: str, description: str) -> bytes:
    """The figure as SVG, its text as text, named by a <title> and described by a <desc>."""
    buffer = io.StringIO()
    with _settings():
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    opening = _SVG_OPEN.search(text)
    head = opening.group(0)[:-1] + ' role="img" aria-labelledby="chart-title chart-desc">'
    named = (f'<title id="chart-title">{escape(xml_text(title))}</title>'
             f'<desc id="chart-desc">{escape(xml_text(description))}</desc>')
    return (text[:opening.start()] + head + named + text[opening.end():]).encode("utf-8")


def png(figure: Figure) -> bytes:
    """The same figure as PNG, sharp enough to print."""
    buffer = io.BytesIO()
    with _settings():
        figure.savefig(buffer, format="png", dpi=PNG_DPI)
    return buffer.getvalue()
