"""Charts in one consistent style for notebooks and reports.

Owns the matplotlib style (colours, fonts, grid) and the few chart shapes the reports use:
a quarterly trend with its confidence band, a horizontal bar chart and a grouped bar chart.
Every function returns the Figure so a notebook can show it and a test can inspect it.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

PALETTE = ["#1f4e79", "#e07b39", "#3a923a", "#c03d3e", "#8c6bb1", "#6b8e9f", "#b8860b", "#7f7f7f"]
ACCENT, MUTED = PALETTE[0], "#9aa5b1"


def use_style() -> None:
    """Apply the house style to every later figure."""
    mpl.rcParams.update(
        {
            "figure.figsize": (8, 4),
            "figure.dpi": 110,
            "savefig.dpi": 110,
            "axes.prop_cycle": mpl.cycler(color=PALETTE),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "axes.grid.axis": "y",
            "grid.color": "#e5e7eb",
            "grid.linewidth": 0.8,
            "axes.titleweight": "bold",
            "axes.titlesize": 12,
            "axes.titlelocation": "left",
            "axes.labelsize": 10,
            "font.size": 10,
            "legend.frameon": False,
            "figure.autolayout": True,
        }
    )


def _percent_axis(ax: plt.Axes, as_percent: bool) -> None:
    if as_percent:
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))


def trend(
    frame: pd.DataFrame,
    x: str,
    y: str,
    *,
    lo: str | None = None,
    hi: str | None = None,
    title: str = "",
    ylabel: str = "",
    as_percent: bool = False,
    highlight: str | None = None,
) -> Figure:
    """A quarterly line with an optional confidence band; ``highlight`` marks one x value."""
    fig, ax = plt.subplots()
    xs = frame[x].astype(str).tolist()
    ax.plot(xs, frame[y], marker="o", color=ACCENT, linewidth=2)
    if lo and hi:
        ax.fill_between(
            xs, frame[lo], frame[hi], color=ACCENT, alpha=0.15, linewidth=0, label="95% CI"
        )
        ax.legend(loc="best")
    if highlight is not None and highlight in xs:
        i = xs.index(highlight)
        ax.scatter([xs[i]], [frame[y].iloc[i]], s=120, color=PALETTE[1], zorder=3)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    _percent_axis(ax, as_percent)
    return fig


def small_multiples(
    frame: pd.DataFrame,
    x: str,
    panels: Sequence[tuple[str, str, bool]],
    *,
    lo_suffix: str = "_ci_low",
    hi_suffix: str = "_ci_high",
    ncols: int = 3,
    highlight: str | None = None,
) -> Figure:
    """Several quarterly trends side by side: ``panels`` is (column, title, as_percent)."""
    nrows = -(-len(panels) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4 * ncols, 2.8 * nrows), squeeze=False)
    xs = frame[x].astype(str).tolist()
    for ax, (col, title, pct) in zip(axes.flat, panels, strict=False):
        ax.plot(xs, frame[col], marker="o", color=ACCENT, linewidth=1.8)
        if col + lo_suffix in frame and col + hi_suffix in frame:
            ax.fill_between(
                xs,
                frame[col + lo_suffix],
                frame[col + hi_suffix],
                color=ACCENT,
                alpha=0.15,
                linewidth=0,
            )
        if highlight in xs:
            i = xs.index(highlight)
            ax.scatter([xs[i]], [frame[col].iloc[i]], s=60, color=PALETTE[1], zorder=3)
        ax.set_title(title, fontsize=10)
        ax.tick_params(axis="x", labelrotation=45, labelsize=8)
        _percent_axis(ax, pct)
    for ax in list(axes.flat)[len(panels) :]:
        ax.set_visible(False)
    return fig


def hbar(
    series: pd.Series,
    *,
    title: str = "",
    xlabel: str = "",
    as_percent: bool = False,
    color: str = ACCENT,
    annotate: bool = True,
) -> Figure:
    """Horizontal bars, largest at the top."""
    s = series.sort_values()
    fig, ax = plt.subplots(figsize=(8, max(2.2, 0.38 * len(s) + 1)))
    ax.barh(s.index.astype(str), s.values, color=color)
    ax.grid(axis="x", color="#e5e7eb")
    ax.grid(axis="y", visible=False)
    if as_percent:
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    if annotate:
        fmt = (lambda v: f"{100 * v:.1f}%") if as_percent else (lambda v: f"{v:,.0f}")
        for i, v in enumerate(s.values):
            ax.text(v, i, " " + fmt(v), va="center", fontsize=9)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    return fig


def grouped_bars(
    frame: pd.DataFrame, *, title: str = "", ylabel: str = "", as_percent: bool = False
) -> Figure:
    """One group per row of ``frame``, one bar per column."""
    fig, ax = plt.subplots()
    frame.plot(kind="bar", ax=ax, width=0.8, rot=0)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.set_xlabel("")
    _percent_axis(ax, as_percent)
    if not as_percent:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    return fig


def scatter_labeled(frame: pd.DataFrame, x: str, y: str, label: str, *, title: str = "",
                    xlabel: str = "", ylabel: str = "", x_percent: bool = False,
                    size: str | None = None, top: int = 12) -> Figure:
    """Points with their names: e.g. impact (y) against prevalence (x) per theme."""
    fig, ax = plt.subplots(figsize=(8, 5))
    sizes = 30 + 300 * frame[size] / frame[size].max() if size else 50
    ax.scatter(frame[x], frame[y], s=sizes, color=ACCENT, alpha=0.7)
    for _, r in frame.nlargest(top, y).iterrows():
        ax.annotate(str(r[label])[:32], (r[x], r[y]), fontsize=8, xytext=(4, 3),
                    textcoords="offset points")
    if x_percent:
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return fig


def heatmap(frame: pd.DataFrame, *, title: str = "", fmt: str = "{:.0f}",
            cmap: str = "Blues") -> Figure:
    """A labelled heatmap of a small table (rows x columns), values printed in the cells."""
    fig, ax = plt.subplots(figsize=(1.3 * len(frame.columns) + 3, 0.38 * len(frame) + 1.5))
    im = ax.imshow(frame.to_numpy(dtype=float), cmap=cmap, aspect="auto")
    ax.set_xticks(range(len(frame.columns)), [str(c) for c in frame.columns], rotation=30,
                  ha="right")
    ax.set_yticks(range(len(frame.index)), [str(i)[:40] for i in frame.index])
    ax.grid(False)
    hi = np.nanmax(frame.to_numpy(dtype=float)) if frame.size else 0
    for (i, j), v in np.ndenumerate(frame.to_numpy(dtype=float)):
        ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=8,
                color="white" if v > 0.6 * hi else "#222")
    fig.colorbar(im, ax=ax, shrink=0.6)
    ax.set_title(title)
    return fig
