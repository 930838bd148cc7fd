"""Churn charts: retention triangles, forest plots of hazard ratios, Kaplan-Meier curves,
calibration and voice-to-churn.

Owns the ``plot_*`` functions; each takes a table another step produced and returns a
matplotlib ``Figure`` in the house style (``cc_analysis.plots``).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import plots
from .features import BREAKDOWNS
from .narrative import format_p
from .survival import kaplan_meier, logrank_test


def plot_cohort_heatmap(matrix: pd.DataFrame, title: str = "Cohort retention") -> Figure:
    """A retention triangle as a heatmap with the percentage in each cell."""
    plots.use_style()
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.45 * len(matrix) + 1.2)))
    values = matrix.to_numpy(dtype=float)
    finite = values[np.isfinite(values)]
    lo, hi = (finite.min(), finite.max()) if finite.size else (0.0, 1.0)
    img = ax.imshow(values, cmap="Blues", vmin=min(lo, 0.5), vmax=max(hi, 1.0), aspect="auto")
    for (i, j), v in np.ndenumerate(values):
        if np.isfinite(v):
            ax.text(j, i, f"{v:.0%}", ha="center", va="center", fontsize=8,
                    color="white" if v > 0.8 * max(hi, 1.0) else "#1f2937")
    ax.set_xticks(range(matrix.shape[1]), [str(c) for c in matrix.columns])
    ax.set_yticks(range(matrix.shape[0]), [str(c) for c in matrix.index])
    ax.set_xlabel("quarters since start")
    ax.grid(False)
    ax.set_title(title)
    fig.colorbar(img, ax=ax, format=lambda v, _: f"{v:.0%}", shrink=0.8)
    return fig



def plot_forest(
    table: pd.DataFrame, ax: plt.Axes | None = None, title: str = "",
    label: str = "label", hr: str = "hazard_ratio", lo: str = "ci_low", hi: str = "ci_high",
    significant: str | None = None,
) -> Figure:
    """Hazard ratios with intervals on a log axis; clear drivers in colour (CI excludes 1, or
    the ``significant`` column when given, e.g. after a false-discovery-rate correction)."""
    plots.use_style()
    t = table.dropna(subset=[hr]).iloc[::-1]
    if ax is None:
        fig, ax = plt.subplots(figsize=(8.5, max(2.5, 0.34 * len(t) + 1.2)))
    else:
        fig = ax.figure
    y = np.arange(len(t))
    clear = t[significant].to_numpy(bool) if significant else np.ones(len(t), bool)
    sig_up = (t[lo] > 1).to_numpy() & clear
    sig_down = (t[hi] < 1).to_numpy() & clear
    colours = np.where(sig_up, plots.PALETTE[3], np.where(sig_down, plots.PALETTE[2], plots.MUTED))
    ax.hlines(y, t[lo], t[hi], colors=colours, linewidth=2)
    ax.scatter(t[hr], y, color=colours, zorder=3, s=28)
    ax.axvline(1.0, color="#4b5563", linewidth=1, linestyle="--")
    ax.set_xscale("log")
    ax.set_yticks(y, [str(v) for v in t[label]], fontsize=8.5)
    span = (min(float(t[lo].min()), 1.0) / 1.15, max(float(t[hi].max()), 1.0) * 1.15)
    ticks = [v for v in (0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5, 10, 20) if
             span[0] <= v <= span[1]]
    if len(ticks) > 8:
        ticks = [v for v in ticks if v not in (0.3, 0.7, 1.5, 3, 20)]
    ax.set_xticks(ticks)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:g}x"))
    ax.xaxis.set_minor_formatter(plt.NullFormatter())
    ax.set_xlim(*span)
    ax.set_ylim(-0.6, len(t) - 0.4)
    ax.grid(axis="x", color="#e5e7eb")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("hazard ratio (95% CI); red = more churn, green = less")
    ax.set_title(title)
    return fig



def plot_km(
    survival: pd.DataFrame, by: str, ax: plt.Axes | None = None, title: str | None = None
) -> Figure:
    """Kaplan-Meier retention curves by group with 95% bands and the log-rank p in the title."""
    plots.use_style()
    if ax is None:
        fig, ax = plt.subplots()
    else:
        fig = ax.figure
    for i, kmf in enumerate(kaplan_meier(survival, by).values()):
        kmf.plot_survival_function(ax=ax, color=plots.PALETTE[i % len(plots.PALETTE)],
                                   ci_alpha=0.12, linewidth=2)
    p = logrank_test(survival, by).p_value
    name = BREAKDOWNS.get(by, by)
    ax.set_title(title or f"Accounts retained by {name.lower()} (log-rank {format_p(p)})")
    ax.set_xlabel("months since the account started")
    ax.set_ylabel("still a customer")
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.legend(title=name, loc="lower left")
    return fig



def plot_calibration(calibration: pd.DataFrame, title: str = "Calibration on held-out months"
                     ) -> Figure:
    """Predicted vs observed monthly churn per decile of predicted risk, one line per model."""
    plots.use_style()
    fig, ax = plt.subplots(figsize=(6, 4.5))
    top = 0.0
    for i, (model, part) in enumerate(calibration.groupby("model", sort=False)):
        c = plots.PALETTE[i]
        ax.errorbar(part["predicted"], part["observed"],
                    yerr=[part["observed"] - part["ci_low"], part["ci_high"] - part["observed"]],
                    fmt="o-", color=c, label=model, capsize=2, linewidth=1.5, markersize=4)
        top = max(top, part["predicted"].max(), part["observed"].max())
    ax.plot([0, top], [0, top], color=plots.MUTED, linestyle="--", linewidth=1, label="perfect")
    ax.set_xlabel("predicted monthly churn")
    ax.set_ylabel("observed monthly churn")
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.1%}"))
    ax.legend()
    ax.set_title(title)
    return fig



def plot_voice(voice: pd.DataFrame, title: str = "Voice to churn: who says what, and leaves",
               min_churned: int = 5) -> Figure:
    """Forest plot of the adjusted hazard ratio per theme and NPS category; coloured only when
    significant after the false-discovery-rate correction. Themes with fewer than
    ``min_churned`` churns among the accounts raising them are left out of the chart (their
    intervals are too wide to read; they stay in the table)."""
    t = voice[voice["churned"] >= min_churned].copy()
    t["label"] = np.where(t["kind"] == "theme",
                          t["label"].str.replace(r"^Raised '(.*)' in the last 6 months$",
                                                 r"Raised '\1'", regex=True), t["label"])
    return plot_forest(t, title=title, hr="adjusted_hr", significant="significant")

