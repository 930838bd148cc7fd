"""Interview charts in the house style of :mod:`cc_analysis.plots`, for shapes it does not have.

Owns the participant-by-theme dot plot, the saturation curve with its random-order band and the
stacked pain point / need / goal / praise bars per theme. Matplotlib is imported when a chart
is drawn: most interview work (ingest, the CLI) draws none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .saturation import Saturation

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure


def _no_snippets(ax: Any, title: str) -> Figure:
    ax.text(0.5, 0.5, "No coded snippets", ha="center", va="center", color="#6b7280")
    ax.set_axis_off()
    ax.set_title(title)
    return ax.figure


def participant_matrix_plot(matrix: pd.DataFrame, title: str = "Who raised which theme") -> Figure:
    """Who raised which theme, as a dot plot that stays readable for 10-40 participants:
    themes as rows (their labels written out, wrapped, never rotated), participants as
    columns, a dot where a participant raised the theme, its size and number the coded
    snippets. ``matrix`` is participant (rows) by theme (columns), as ``Synthesis.matrix``."""
    import textwrap

    import matplotlib.pyplot as plt

    from ..plots import PALETTE

    n_people, n_themes = matrix.shape
    fig, ax = plt.subplots(figsize=(min(16.0, max(6.0, 0.3 * n_people + 3.2)),
                                    max(2.5, 0.34 * n_themes + 1.4)))
    if not n_people or not n_themes:
        return _no_snippets(ax, title)
    values = np.nan_to_num(matrix.to_numpy(dtype=float), nan=0.0).T  # themes x participants
    theme_at, person_at = np.nonzero(values)
    counts = values[theme_at, person_at]
    biggest = max(1.0, counts.max(initial=0))
    ax.scatter(person_at, theme_at, s=60 + 240 * counts / biggest, color=PALETTE[0],
               alpha=0.85, linewidths=0, zorder=3)
    if len(counts) <= 600:
        for x, y, v in zip(person_at, theme_at, counts, strict=True):
            ax.text(x, y, f"{v:.0f}", ha="center", va="center", fontsize=7, color="white",
                    zorder=4)
    ax.set_xticks(range(n_people), [str(p) for p in matrix.index],
                  fontsize=8 if n_people <= 24 else 6.5)
    # at most two lines a label, so rows never overlap
    ax.set_yticks(range(n_themes), ["\n".join(textwrap.wrap(
        textwrap.shorten(str(t), 56, placeholder="…"), 28)) or str(t)
        for t in matrix.columns], fontsize=8)
    ax.set_xlim(-0.6, n_people - 0.4)
    ax.set_ylim(n_themes - 0.5, -0.5)  # the first theme (most raised) on top
    ax.xaxis.tick_top()
    ax.tick_params(axis="both", length=0)
    ax.grid(True, color="#e5e7eb", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.set_title(title, pad=22)
    return fig


def saturation_plot(sat: Saturation, title: str = "Themes found as interviews are added") -> Figure:
    """Cumulative themes in interview order, with the random-order band."""
    import matplotlib.pyplot as plt

    from ..plots import ACCENT, PALETTE

    c = sat.curve
    fig, ax = plt.subplots()
    if c.empty:
        return _no_snippets(ax, title)
    ax.fill_between(c["interviews"], c["random_lo"], c["random_hi"], color=ACCENT, alpha=0.12,
                    linewidth=0, label="random orders (10th-90th pct)")
    ax.plot(c["interviews"], c["cumulative_themes"], marker="o", color=ACCENT, linewidth=2,
            markersize=4 if len(c) > 30 else 6, label="in date order")
    if sat.reached_at is not None:
        ax.axvline(sat.reached_at, color=PALETTE[1], linestyle="--", linewidth=1.2,
                   label=f"saturation ({sat.reached_at} interviews)")
    ax.set_xlabel("interviews")
    ax.set_ylabel("distinct themes")
    ax.set_ylim(bottom=0)
    ax.legend(loc="lower right")
    ax.set_title(title)
    return fig


def kinds_plot(kinds: pd.DataFrame, title: str = "What participants said, by theme") -> Figure:
    """Stacked horizontal bars: snippets per theme split into pain point / need / goal /
    praise / other."""
    import matplotlib.pyplot as plt

    from ..plots import MUTED, PALETTE

    colors = {"pain point": PALETTE[3], "need": PALETTE[1], "goal": PALETTE[0],
              "praise": PALETTE[2], "other": MUTED}
    k = kinds.iloc[::-1]
    fig, ax = plt.subplots(figsize=(8, max(2.2, 0.38 * len(k) + 1.2)))
    if k.empty:
        return _no_snippets(ax, title)
    left = np.zeros(len(k))
    for kind in k.columns:
        ax.barh(k.index.astype(str), k[kind], left=left, color=colors.get(kind, MUTED),
                label=kind)
        left += k[kind].to_numpy()
    ax.grid(axis="x", color="#e5e7eb")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("snippets")
    ax.legend(loc="lower right", ncols=5, fontsize=8)
    ax.set_title(title)
    return fig

