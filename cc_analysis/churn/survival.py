"""How long customers stay: Kaplan-Meier curves and log-rank tests with late entry.

Owns the descriptive survival analysis of the per-account table ``AccountPeriods.survival()``
(entry, duration, event): accounts older than the analysis window are observed only from their
tenure at the window start, and both the curves and the test honour that.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter
from lifelines.statistics import StatisticalResult
from scipy import stats

from .features import BREAKDOWNS


def logrank_test(survival: pd.DataFrame, by: str) -> StatisticalResult:
    """Log-rank test across the groups of ``by``, with delayed entry.

    lifelines' log-rank functions assume everyone is followed from time 0. Accounts that started
    before the analysis window are only observed from their tenure at the window start, so the
    risk set at tenure t here is ``entry < t <= duration`` (the same risk set as the Kaplan-Meier
    curves with ``entry``). Without late entries this equals lifelines'
    ``multivariate_logrank_test``. Returns a lifelines ``StatisticalResult``.
    """
    d = survival.dropna(subset=[by])
    groups = d[by].astype(str).to_numpy()
    levels = sorted(set(groups))
    entry = d["entry"].to_numpy(float)
    dur = d["duration"].to_numpy(float)
    ev = d["event"].to_numpy().astype(bool)
    times = np.unique(dur[ev])
    k = len(levels)
    at_risk = np.zeros((k, len(times)))
    deaths = np.zeros((k, len(times)))
    for i, g in enumerate(levels):
        m = groups == g
        at_risk[i] = (np.searchsorted(np.sort(entry[m]), times, side="left")
                      - np.searchsorted(np.sort(dur[m]), times, side="left"))
        hit = np.searchsorted(times, dur[m & ev])
        deaths[i] = np.bincount(hit, minlength=len(times))
    N, D = at_risk.sum(0), deaths.sum(0)
    ok = N > 0
    at_risk, deaths, N, D = at_risk[:, ok], deaths[:, ok], N[ok], D[ok]
    expected = (at_risk * D / N).sum(1)
    share = at_risk / N
    w = np.where(N > 1, D * (N - D) / np.maximum(N - 1, 1), 0.0)
    V = np.einsum("t,it,jt->ij", w, share, -share)
    V[np.diag_indices(k)] += (w * share).sum(1)
    diff = deaths.sum(1) - expected
    if k < 2:
        stat, p = 0.0, 1.0
    else:
        stat = float(diff[:-1] @ np.linalg.pinv(V[:-1, :-1]) @ diff[:-1])
        p = float(stats.chi2.sf(stat, k - 1))
    return StatisticalResult(p, stat, test_name="logrank_test_delayed_entry",
                             degrees_of_freedom=k - 1, null_distribution="chi squared")


def kaplan_meier(survival: pd.DataFrame, by: str) -> dict[str, KaplanMeierFitter]:
    """One lifelines Kaplan-Meier fitter per group of ``by`` (late entry honoured)."""
    out = {}
    for g, part in survival.groupby(by, observed=True, sort=True):
        out[str(g)] = KaplanMeierFitter(label=str(g)).fit(
            part["duration"], part["event"], entry=part["entry"]
        )
    return out


def km_table(
    survival: pd.DataFrame, by: Sequence[str] = ("plan", "billing_term", "segment"),
    at_months: Sequence[int] = (12, 24),
) -> pd.DataFrame:
    """Per group: accounts, churned, Kaplan-Meier retention at ``at_months`` and the log-rank p."""
    rows = []
    for dim in by:
        if dim not in survival:
            continue
        test = logrank_test(survival, dim)
        for g, kmf in kaplan_meier(survival, dim).items():
            part = survival[survival[dim].astype(str) == g]
            row = {"dimension": BREAKDOWNS.get(dim, dim), "group": g, "accounts": len(part),
                   "churned": int(part["event"].sum())}
            for m in at_months:
                row[f"retained_{m}m"] = float(kmf.survival_function_at_times(m).iloc[0])
            row["logrank_p"] = float(test.p_value)
            rows.append(row)
    return pd.DataFrame(rows)

