"""What each theme weighs: prevalence, trends, score impact, reach and breakdowns.

Owns the measures per theme, from a ``doc_themes`` frame (doc_id, theme) and the documents:
prevalence per quarter with Wilson intervals; emerging and declining themes (two-proportion
test, Benjamini-Hochberg adjusted); NPS impact (points NPS would move without the theme's
detractors, shared by each theme's ridge-estimated effect, bootstrap interval); CSAT / rating
impact (Welch); reach (accounts and ARR); the share of documents raising a theme per group.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..stats import bh_adjust, wilson_interval


def prevalence(doc_themes: pd.DataFrame, docs: pd.DataFrame, quarters: Sequence[str]
               ) -> pd.DataFrame:
    """Share of documents mentioning each theme per quarter, with Wilson 95% intervals.

    ``doc_themes``: doc_id, theme; ``docs``: doc_id, quarter (all documents, the denominators).
    """
    totals = docs[docs["quarter"].isin(quarters)].groupby("quarter")["doc_id"].nunique()
    d = doc_themes.merge(docs[["doc_id", "quarter"]], on="doc_id")
    counts = d[d["quarter"].isin(quarters)].groupby(["theme", "quarter"])["doc_id"].nunique()
    rows = []
    for theme in sorted(doc_themes["theme"].unique()):
        for q in quarters:
            n, x = int(totals.get(q, 0)), int(counts.get((theme, q), 0))
            lo, hi = wilson_interval(x, n) if n else (float("nan"), float("nan"))
            rows.append({"theme": theme, "quarter": q, "docs": x, "total": n,
                         "share": x / n if n else float("nan"), "ci_low": lo, "ci_high": hi})
    return pd.DataFrame(rows)


def trends(prev: pd.DataFrame, quarter: str, baseline_quarters: int = 4, alpha: float = 0.05,
           min_ratio: float = 1.5) -> pd.DataFrame:
    """Emerging and declining themes: the quarter's share against the previous quarters'.

    Two-proportion z test of the quarter against the pooled ``baseline_quarters`` before it,
    Benjamini-Hochberg adjusted across themes. ``emerging``: significantly up and at least
    ``min_ratio`` times the baseline share (or absent before); ``declining``: significantly down
    to at most 1/``min_ratio`` of it.
    """
    qs = sorted(prev["quarter"].unique())
    if quarter not in qs:
        raise ValueError(f"{quarter} not in the prevalence table")
    base_qs = qs[max(0, qs.index(quarter) - baseline_quarters): qs.index(quarter)]
    rows = []
    for theme, g in prev.groupby("theme"):
        now = g[g["quarter"] == quarter].iloc[0]
        base = g[g["quarter"].isin(base_qs)]
        x0, n0 = int(base["docs"].sum()), int(base["total"].sum())
        x1, n1 = int(now["docs"]), int(now["total"])
        p0 = x0 / n0 if n0 else float("nan")
        p1 = x1 / n1 if n1 else float("nan")
        pooled = (x0 + x1) / (n0 + n1) if n0 + n1 else 0.0
        se = math.sqrt(pooled * (1 - pooled) * (1 / max(n0, 1) + 1 / max(n1, 1)))
        z = (p1 - p0) / se if se > 0 else 0.0
        rows.append({"theme": theme, "share": p1, "baseline_share": p0, "change": p1 - p0,
                     "ratio": p1 / p0 if p0 > 0 else float("inf") if p1 > 0 else 1.0,
                     "z": z, "p": 2 * stats.norm.sf(abs(z)), "docs": x1})
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out["p_adjusted"] = bh_adjust(out["p"].to_numpy())
    sig = out["p_adjusted"] < alpha
    out["trend"] = np.where(sig & (out["change"] > 0) & (out["ratio"] >= min_ratio), "emerging",
                            np.where(sig & (out["change"] < 0) & (out["ratio"] <= 1 / min_ratio),
                                     "declining", "stable"))
    return out.sort_values(["trend", "p_adjusted"]).reset_index(drop=True)


def _score_effects(scores: np.ndarray, X: np.ndarray, ridge: float = 1.0) -> np.ndarray:
    """Per-theme effect on the 0-10 score: ridge regression of score on theme indicators
    (the intercept is not penalised). Co-mentioned themes share the blame by their own effect,
    so boilerplate that rides along with complaints gets little."""
    A = np.hstack([np.ones((len(X), 1)), X])
    penalty = ridge * np.eye(A.shape[1])
    penalty[0, 0] = 0.0
    return np.linalg.solve(A.T @ A + penalty, A.T @ scores)[1:]


def nps_impact(responses: pd.DataFrame, doc_themes: pd.DataFrame, n_boot: int = 300,
               seed: int = 42, min_mentions: int = 5) -> pd.DataFrame:
    """How many NPS points each theme costs, with a bootstrap 95% interval.

    ``responses``: doc_id, score: the quarter's NPS responses, all of them (with or without a
    comment; the denominator of NPS). ``nps_impact`` is the rise in NPS if the theme's
    detractors were not detractors. A detractor who raises several themes is shared among
    them in proportion to each theme's estimated (negative) effect on the score, from a ridge
    regression of score on theme mentions (``effect``, in score points), so a theme that merely
    co-occurs with complaints is not blamed for them. ``naive_impact`` is the plain version
    (every detractor mentioning the theme counts in full), for comparison.
    """
    scores = responses["score"].astype(float).to_numpy()
    n = len(scores)
    cols = ["theme", "nps_impact", "ci_low", "ci_high", "effect", "naive_impact"]
    if n == 0 or doc_themes.empty:
        return pd.DataFrame(columns=cols)
    pos = {d: i for i, d in enumerate(responses["doc_id"])}
    dt = doc_themes[doc_themes["doc_id"].isin(pos)]
    counts = dt["theme"].value_counts()
    themes = sorted(counts[counts >= min_mentions].index)
    if not themes:
        return pd.DataFrame(columns=cols)
    X = np.zeros((n, len(themes)))
    col = {t: j for j, t in enumerate(themes)}
    for d, t in zip(dt["doc_id"], dt["theme"], strict=True):
        if t in col:
            X[pos[d], col[t]] = 1.0
    det = scores <= 6

    def impacts(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        s, x, dd = scores[idx], X[idx], det[idx]
        effect = _score_effects(s, x)
        blame = x * np.clip(-effect, 0, None)  # only harmful themes take blame
        total = blame.sum(axis=1, keepdims=True)
        share = np.divide(blame, total, out=np.zeros_like(blame), where=total > 0)
        return 100 * (share * dd[:, None]).sum(axis=0) / len(idx), effect

    point, effect = impacts(np.arange(n))
    rng = np.random.default_rng(seed)
    boot = np.array([impacts(rng.integers(0, n, n))[0] for _ in range(n_boot)])
    lo, hi = np.percentile(boot, [2.5, 97.5], axis=0)
    naive = 100 * (X * det[:, None]).sum(axis=0) / n
    out = pd.DataFrame({
        "theme": themes, "nps_impact": point, "ci_low": lo, "ci_high": hi, "effect": effect,
        "naive_impact": naive, "mentions": X.sum(axis=0).astype(int),
        "detractors": (X * det[:, None]).sum(axis=0).astype(int),
        "mean_score_with": [scores[X[:, j] == 1].mean() for j in range(len(themes))],
    })
    return out.sort_values("nps_impact", ascending=False).reset_index(drop=True)


def score_impact(docs: pd.DataFrame, doc_themes: pd.DataFrame, score_kind: str) -> pd.DataFrame:
    """Mean score of documents mentioning a theme minus the rest (Welch 95% interval).

    ``docs``: doc_id, score, score_kind (e.g. ``csat`` tickets or ``rating`` reviews).
    """
    d = docs[(docs["score_kind"] == score_kind) & docs["score"].notna()]
    rows = []
    for theme, g in doc_themes.groupby("theme"):
        has = d["doc_id"].isin(set(g["doc_id"]))
        a, b = d.loc[has, "score"].astype(float), d.loc[~has, "score"].astype(float)
        if len(a) < 3 or len(b) < 3:
            continue
        diff = a.mean() - b.mean()
        va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
        se = math.sqrt(va + vb)
        dof = (va + vb) ** 2 / ((va**2) / (len(a) - 1) + (vb**2) / (len(b) - 1)) if se else 1
        t = stats.t.ppf(0.975, dof) if se else 0
        rows.append({"theme": theme, "score_kind": score_kind, "n_with": len(a),
                     "mean_with": a.mean(), "mean_without": b.mean(), "difference": diff,
                     "ci_low": diff - t * se, "ci_high": diff + t * se})
    return pd.DataFrame(rows).sort_values("difference").reset_index(drop=True)


def breakdown(doc_themes: pd.DataFrame, docs: pd.DataFrame, by: str) -> pd.DataFrame:
    """Share of documents mentioning each theme within each group of ``by`` (rows: themes)."""
    d = docs[docs[by].notna()]
    totals = d.groupby(by)["doc_id"].nunique()
    m = doc_themes.merge(d[["doc_id", by]], on="doc_id")
    counts = m.groupby(["theme", by])["doc_id"].nunique().unstack(fill_value=0)
    return (counts / totals).fillna(0.0).reindex(columns=totals.index)


def reach(doc_themes: pd.DataFrame, docs: pd.DataFrame, accounts: pd.DataFrame) -> pd.DataFrame:
    """Distinct accounts and their ARR per theme."""
    m = doc_themes.merge(docs[["doc_id", "account_id"]], on="doc_id").dropna(subset=["account_id"])
    m = m.drop_duplicates(["theme", "account_id"]).merge(
        accounts[["account_id", "arr"]], on="account_id", how="left")
    return (m.groupby("theme").agg(accounts=("account_id", "nunique"), arr=("arr", "sum"))
            .sort_values("accounts", ascending=False).reset_index())
