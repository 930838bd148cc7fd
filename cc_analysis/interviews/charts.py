"""Interview charts in the house style of :mod:`cc_analysis.plots`, for shapes it does not have.

Owns the participant-by-theme matrix, the saturation curve with its random-order band and the
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
    """Participant-by-theme matrix as a heatmap (cells: coded snippets)."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import LinearSegmentedColormap

    from ..plots import PALETTE

    rows, cols = matrix.shape
    fig, ax = plt.subplots(figsize=(max(6, 0.55 * cols + 2.5), max(2.5, 0.28 * rows + 1.8)))
    if not rows or not cols:
        return _no_snippets(ax, title)
    cmap = LinearSegmentedColormap.from_list("house", ["#ffffff", PALETTE[0]])
    values = matrix.to_numpy(dtype=float)
    ax.imshow(values, cmap=cmap, aspect="auto", vmin=0, vmax=max(1.0, values.max(initial=0)))
    ax.set_xticks(range(cols), [str(c) for c in matrix.columns], rotation=40, ha="right")
    ax.set_yticks(range(rows), [str(i) for i in matrix.index], fontsize=8)
    ax.grid(False)
    if rows * cols <= 600:
        for (i, j), v in np.ndenumerate(values):
            if v:
                ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=7,
                        color="white" if v > values.max() / 2 else "#1f2937")
    ax.set_title(title)
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

