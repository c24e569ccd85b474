"""Charts of the indicators, drawn once by matplotlib: SVG inline in the pages, PNG in the
monitoring report.

No pyplot (its global state is not for a web server): each chart is a `Figure` of its own on the
Agg canvas. Text is drawn as paths (`svg.fonttype = "path"`), so the page gets shapes rather than
text from the data, and DejaVu Sans, bundled with matplotlib, has Cyrillic. Outputs carry no
date or random ids, so the same data give the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.core.cache import cache
from django.utils.translation import get_language

from nastavnik.indicators.numbers import number_text

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@functools.cache
def _figure_class() -> type[Figure]:
    """matplotlib, set up on the first chart drawn: importing it costs every process that
    loads the URLs (web workers, management commands) a third of a second."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import rcParams
    from matplotlib.figure import Figure

    rcParams.update(
        {
            "font.family": "DejaVu Sans",
            "font.size": 10,
            "svg.fonttype": "path",
            "svg.hashsalt": "nastavnik",
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return Figure


Format = Literal["svg", "png"]
# A chart is drawn once for its data and kept a day.
CACHED = 24 * 3600
_SIZE = re.compile(r'\s(?:width|height)="[\d.]+pt"')
# The page's Content-Security-Policy refuses inline styles (a <style> element, a style attribute),
# so an inline chart carries its styling as SVG presentation attributes instead.
_STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')

STUDENTS = "#2f6f9f"
TEACHERS = "#d9822b"
TARGET = "#444444"
BEFORE = "#9bb7d0"
AFTER = "#2f6f9f"
SATISFACTION = "#3a8f5c"


@dataclass(frozen=True)
class Chart:
    title: str
    draw: Callable[[Figure], None]
    # Everything the drawing depends on, for the cache: the same data give the same picture.
    key: str
    height: float = 3.2
    # The share of the width left of the axes, for the labels of horizontal bars.
    left: float = 0.08
    # Room above the axes for the legend.
    top: float = 0.86

    def render(self, fmt: Format) -> bytes:
        key = f"{fmt}|{get_language()}|{self.height}|{self.left}|{self.top}|{self.key}"
        digest = hashlib.sha256(key.encode()).hexdigest()
        return cache.get_or_set(f"indicators-chart:{digest}", lambda: self._render(fmt), CACHED)

    def _render(self, fmt: Format) -> bytes:
        figure = _figure_class()(figsize=(7.0, self.height), dpi=150 if fmt == "png" else 100)
        self.draw(figure)
        # Fixed margins rather than tight_layout, which draws the figure once more to measure.
        bottom = min(0.45, 0.55 / self.height)
        figure.subplots_adjust(left=self.left, right=0.97, top=self.top, bottom=bottom)
        out = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        figure.savefig(out, format=fmt, metadata=metadata)
        return out.getvalue()

    def svg(self) -> str:
        """The <svg> element alone, to put into a page."""
        text = self.render("svg").decode()
        svg = text[text.index("<svg") :]
        # Scale with the page: the viewBox keeps the proportions.
        svg = _SIZE.sub("", svg, count=2).replace("<svg ", '<svg width="100%" ', 1)
        return _without_inline_styles(svg)

    def png(self) -> bytes:
        return self.render("png")


def _attributes(declarations: str) -> str:
    pairs = (d.split(":", 1) for d in declarations.split(";") if ":" in d)
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in pairs)


def _without_inline_styles(svg: str) -> str:
    """matplotlib's `*{…}` rule becomes attributes of the root, which every element inherits
    unless it sets its own; each style attribute becomes the attributes it declares."""
    rules = _STYLE_ELEMENT.search(svg)
    svg = _STYLE_ELEMENT.sub("", svg)
    if rules:
        body = rules.group(1)
        declarations = body[body.find("{") + 1 : body.rfind("}")]
        svg = svg.replace("<svg ", "<svg" + _attributes(declarations) + " ", 1)
    return _STYLE_ATTRIBUTE.sub(lambda m: _attributes(m.group(1)), svg)


def _num(value: float, decimals: int | None = None) -> str:
    """In the active language's digits («20,5»); whole numbers without decimals."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    return number_text(value, decimals)


def _wrap(label: str, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


# --- Coverage against the target over the years ----------------------------------------------


@dataclass(frozen=True)
class CoveragePoint:
    label: str  # «2025/2026»
    students: float | None
    teachers: float | None
    students_target: int | None
    teachers_target: int | None


def coverage_chart(points: Sequence[CoveragePoint], labels: dict[str, str]) -> Chart:
    """`labels`: the translated words "students", "teachers", "target", "percent"."""

    def draw(figure: Figure) -> None:
        axes = figure.subplots()
        xs = range(len(points))
        width = 0.38
        students = [p.students or 0 for p in points]
        teachers = [p.teachers or 0 for p in points]
        axes.bar(
            [x - width / 2 for x in xs], students, width, color=STUDENTS, label=labels["students"]
        )
        axes.bar(
            [x + width / 2 for x in xs], teachers, width, color=TEACHERS, label=labels["teachers"]
        )
        for x, p in zip(xs, points, strict=True):
            if p.students_target is not None:
                axes.hlines(p.students_target, x - width, x, colors=TARGET, linestyles="dashed")
            if p.teachers_target is not None:
                axes.hlines(p.teachers_target, x, x + width, colors=TARGET, linestyles="dashed")
        axes.plot([], [], color=TARGET, linestyle="dashed", label=labels["target"])
        for x, value in zip(xs, students, strict=True):
            axes.annotate(_num(value), (x - width / 2, value), ha="center", va="bottom", fontsize=8)
        for x, value in zip(xs, teachers, strict=True):
            axes.annotate(_num(value), (x + width / 2, value), ha="center", va="bottom", fontsize=8)
        axes.set_xticks(list(xs), [p.label for p in points])
        axes.set_ylim(0, 110)
        axes.set_ylabel(labels["percent"])
        axes.legend(loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, fontsize=8, ncols=3)

    return Chart(labels["title"], draw, key=repr((points, sorted(labels.items()))))


# --- Satisfaction by form ----------------------------------------------------------------------


def bar_chart(title: str, rows: Sequence[tuple[str, float]], scale_max: float) -> Chart:
    """Horizontal bars: the mean satisfaction of each form on its 1–`scale_max` scale."""

    def draw(figure: Figure) -> None:
        axes = figure.subplots()
        names = [_wrap(name) for name, _value in rows][::-1]
        values = [value for _name, value in rows][::-1]
        axes.barh(names, values, color=SATISFACTION)
        for y, value in enumerate(values):
            axes.annotate(
                _num(value, 1),
                (value, y),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
        axes.set_xlim(0, scale_max)

    return Chart(
        title,
        draw,
        key=repr((title, rows, scale_max)),
        height=max(1.6, 0.55 * len(rows) + 0.8),
        left=0.36,
        top=0.95,
    )


# --- Before and after, per parameter -----------------------------------------------------------


def before_after_chart(
    title: str, rows: Sequence[tuple[str, float, float]], labels: tuple[str, str]
) -> Chart:
    """Pairs of horizontal bars: the mean at entry and at exit of each parameter."""

    def draw(figure: Figure) -> None:
        axes = figure.subplots()
        ordered = list(rows)[::-1]
        ys = range(len(ordered))
        height = 0.38
        axes.barh(
            [y + height / 2 for y in ys],
            [r[1] for r in ordered],
            height,
            color=BEFORE,
            label=labels[0],
        )
        axes.barh(
            [y - height / 2 for y in ys],
            [r[2] for r in ordered],
            height,
            color=AFTER,
            label=labels[1],
        )
        axes.set_yticks(list(ys), [_wrap(r[0]) for r in ordered])
        axes.set_xlim(0, 100)
        axes.set_xlabel("%")
        axes.legend(loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, fontsize=8, ncols=2)

    return Chart(
        title,
        draw,
        key=repr((title, rows, labels)),
        height=max(1.8, 0.6 * len(rows) + 0.9),
        left=0.36,
    )
