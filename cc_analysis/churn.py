"""Churn: who leaves, how fast, why (with honest uncertainty), and who is at risk now.

Owns every churn analysis beyond the headline rates, whose definitions live in
``metrics.churn_by_quarter`` and are reused here, never restated:

- **Descriptive**: churn breakdowns by plan, billing term, segment and region; logo and revenue
  churn by quarter and segment; cohort retention (logo and revenue) by start quarter;
  Kaplan-Meier curves with log-rank tests (lifelines), left truncation handled.
- **The account-period table** (``account_periods``): one row per account and calendar month at
  risk. Every feature of month *t* is computed from data dated strictly before the first day of
  *t*; the event is churn (``end_date``) within *t*. Accounts still active are censored at the
  last complete month; accounts that started before the analysis window enter it late (left
  truncation on the tenure time scale). The same code scores the accounts active today.
- **Drivers**: ``ChurnCoxFitter`` (time-varying Cox PH, estimates identical to lifelines';
  hazard ratios, CIs, a proportional-hazards check, plain-words sentences, a forest plot) and
  ``ChurnClassifier`` (gradient boosting), compared out of sample (``evaluate``: ROC AUC,
  concordance, calibration, permutation importances).
- **Voice-to-churn** (``voice_to_churn``): hazard ratio per feedback theme and NPS category,
  adjusted for account, behaviour and the other themes. Themes come in as a generic
  ``doc_themes`` frame (account_id, created_at, theme), e.g. from ``topics``.
- **At-risk accounts** (``at_risk_accounts``): current accounts ranked by churn probability over
  the next months with their top reasons and the ARR at stake.
- ``analyze`` runs all of it on the store's tables; ``analyze_file`` runs the driver analysis on
  any one-row-per-account export (the ``cc-analysis churn`` command), coercing messy columns and
  reporting what it coerced.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from lifelines import CoxPHFitter, CoxTimeVaryingFitter, KaplanMeierFitter
from lifelines.statistics import StatisticalResult
from lifelines.utils import concordance_index
from matplotlib.figure import Figure
from scipy import stats
from tqdm import tqdm  # plain bars: tqdm.auto warns inside papermill kernels without ipywidgets

from . import plots
from .metrics import churn_by_quarter, naive_timestamps, wilson_interval
from .periods import Quarter

BREAKDOWNS = {
    "plan": "Plan",
    "billing_term": "Billing term",
    "segment": "Segment",
    "region": "Region",
}

# Feature windows (calendar months before the month in which churn is measured).
USAGE_WINDOW = 3  # usage trend: mean active users of the last 3 months vs the 3 before
USAGE_DECLINE = 0.30  # "usage fell" = last 3 months at least 30% below the 3 before
TICKET_WINDOW = 3  # tickets opened in the last 3 months (and how many are still open)
UNRESOLVED_MIN = 2
SUPPORT_WINDOW = 6  # resolution times and CSAT of tickets solved in the last 6 months
SLOW_RESOLUTION_H = 72.0
VOICE_WINDOW = 6  # a theme counts as raised for 6 months
NPS_WINDOW = 12  # latest NPS answer of the last 12 months
HORIZON_MONTHS = 3  # at-risk accounts: probability of churning within the next quarter
_LOOKBACK = max(2 * USAGE_WINDOW, TICKET_WINDOW, SUPPORT_WINDOW, VOICE_WINDOW, NPS_WINDOW)
_NO_MONTH = np.iinfo(np.int64).max // 4
NPS_LEVELS = ("promoter", "passive", "detractor", "no response")


# =================================================================================================
# Descriptive
# =================================================================================================
def churn_breakdown(
    accounts: pd.DataFrame,
    quarter: str,
    by: Sequence[str] = tuple(BREAKDOWNS),
    fy_start_month: int = 1,
) -> pd.DataFrame:
    """Logo and revenue churn of one quarter for each group of each ``by`` column.

    Columns: dimension, group, accounts_start, churned, logo_churn_rate, arr_start,
    arr_churned, revenue_churn_rate.
    """
    rows = []
    for col in by:
        if col not in accounts:
            continue
        for group, part in accounts.groupby(col, dropna=False):
            r = churn_by_quarter(part, [quarter], fy_start_month).iloc[0]
            rows.append(
                {
                    "dimension": BREAKDOWNS.get(col, col),
                    "group": "(blank)" if pd.isna(group) else str(group),
                    **r.drop(["quarter", "new_accounts", "accounts_end"]).to_dict(),
                }
            )
    return pd.DataFrame(rows)


def arr_lost_by(
    accounts: pd.DataFrame, quarter: str, by: str, fy_start_month: int = 1
) -> pd.Series:
    """ARR lost to churn in one quarter per group of ``by``, largest first."""
    table = churn_breakdown(accounts, quarter, [by], fy_start_month)
    return table.set_index("group")["arr_churned"].sort_values(ascending=False)


def churn_by_quarter_and(
    accounts: pd.DataFrame, quarters: Sequence[str], by: str = "segment", fy_start_month: int = 1
) -> pd.DataFrame:
    """``metrics.churn_by_quarter`` for every group of ``by`` plus ``All``: a long table.

    Columns: ``by``, quarter, accounts_start, churned, logo_churn_rate, arr_start, arr_churned,
    revenue_churn_rate, new_accounts, accounts_end.
    """
    parts = [churn_by_quarter(accounts, quarters, fy_start_month).assign(**{by: "All"})]
    for group, part in accounts.groupby(by, dropna=False):
        name = "(blank)" if pd.isna(group) else str(group)
        parts.append(churn_by_quarter(part, quarters, fy_start_month).assign(**{by: name}))
    out = pd.concat(parts, ignore_index=True)
    return out[[by, *[c for c in out.columns if c != by]]]


def cohort_retention(
    accounts: pd.DataFrame,
    usage_monthly: pd.DataFrame | None,
    cohorts: Sequence[str],
    as_of: Any,
    fy_start_month: int = 1,
) -> pd.DataFrame:
    """Logo and revenue retention of each start-quarter cohort at the end of later quarters.

    A cohort is the accounts whose ``start_date`` falls in the quarter. At the end of the
    cohort's quarter + k (k = 0, 1, ...; only quarters that ended by ``as_of``):
    ``logo_retention`` = share of the cohort not churned by then (``end_date`` after that day);
    ``revenue_retention`` = the cohort's MRR in that quarter's last month / the sum of each
    account's first MRR (net of expansion and contraction, like NRR; NaN without usage data).
    Only pass cohorts that started inside the observed window: accounts lost before the data
    begins are not in the exports, so older cohorts would look better than they were.
    """
    as_of = pd.Timestamp(as_of)
    start, end = naive_timestamps(accounts["start_date"]), naive_timestamps(accounts["end_date"])
    end = end.where(end <= as_of)  # a churn after as_of is not known yet
    mrr = None
    if usage_monthly is not None and len(usage_monthly):
        u = usage_monthly[["account_id", "month", "mrr"]].copy()
        u["month"] = naive_timestamps(u["month"]).dt.to_period("M").dt.to_timestamp()
        u = u[u["month"] <= as_of].sort_values("month")
        mrr = u.groupby(["account_id", "month"])["mrr"].sum()
        first_mrr = u.groupby("account_id")["mrr"].first()
    rows = []
    for label in cohorts:
        cq = Quarter.parse(label, fy_start_month)
        lo, hi = pd.Timestamp(cq.start), pd.Timestamp(cq.end_exclusive)
        members = accounts.loc[((start >= lo) & (start < hi)).to_numpy(), "account_id"]
        in_cohort = accounts["account_id"].isin(members).to_numpy()
        n = len(members)
        base = float(first_mrr.reindex(members).fillna(0).sum()) if mrr is not None else np.nan
        k, q = 0, cq
        while n and pd.Timestamp(q.end) <= as_of:
            q_end = pd.Timestamp(q.end_exclusive)
            alive = int((end[in_cohort].isna() | (end[in_cohort] >= q_end)).sum())
            rev = np.nan
            if mrr is not None and base > 0:
                last = pd.Timestamp(q.end).replace(day=1)
                now = mrr.reindex(pd.MultiIndex.from_product([members, [last]])).fillna(0)
                rev = float(now.sum()) / base
            rows.append(
                {
                    "cohort": cq.label,
                    "quarter": q.label,
                    "quarters_since_start": k,
                    "accounts": n,
                    "active": alive,
                    "logo_retention": alive / n,
                    "start_mrr": base,
                    "revenue_retention": rev,
                }
            )
            k, q = k + 1, q + 1
    cols = ["cohort", "quarter", "quarters_since_start", "accounts", "active", "logo_retention",
            "start_mrr", "revenue_retention"]
    return pd.DataFrame(rows, columns=cols)


def cohort_matrix(table: pd.DataFrame, value: str = "logo_retention") -> pd.DataFrame:
    """Cohorts as rows, quarters since start as columns (the usual retention triangle)."""
    m = table.pivot(index="cohort", columns="quarters_since_start", values=value)
    return m.rename_axis(index="cohort", columns="quarters since start")


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


# =================================================================================================
# The account-period table
# =================================================================================================
def _month_index(values: Any) -> np.ndarray:
    """Months since year 0 (``year * 12 + month - 1``); missing dates become ``_NO_MONTH``."""
    ts = naive_timestamps(pd.Series(values) if not isinstance(values, pd.Series) else values)
    idx = ts.dt.year * 12 + ts.dt.month - 1
    return idx.fillna(_NO_MONTH).astype(np.int64).to_numpy()


def _month_start(index: int) -> pd.Timestamp:
    return pd.Timestamp(year=int(index) // 12, month=int(index) % 12 + 1, day=1)


def _month_starts(index: np.ndarray) -> np.ndarray:
    """Vectorised ``_month_start``: datetime64[ns] first days of the months."""
    return (index - 1970 * 12).astype("datetime64[M]").astype("datetime64[ns]")


def _tidy_category(values: pd.Series) -> pd.Series:
    """Trim text and merge case variants ('Monthly', 'monthly') into their commonest spelling."""
    s = values.astype("string").str.strip().replace("", pd.NA)
    key = s.str.lower()
    spelling = s.groupby(key).agg(lambda x: x.value_counts().index[0])
    return key.map(spelling).fillna("(blank)").astype(str)


def data_end(*frames_and_columns: tuple[pd.DataFrame | None, str]) -> pd.Timestamp:
    """Latest timestamp over the given (frame, column) pairs."""
    ends = []
    for frame, col in frames_and_columns:
        if frame is not None and col in frame and len(frame):
            ends.append(naive_timestamps(frame[col]).max())
    ends = [e for e in ends if pd.notna(e)]
    if not ends:
        raise ValueError("no dated rows to tell where the data ends")
    return max(ends)


MIN_THEME_ACCOUNTS = 30  # a theme raised by fewer accounts cannot carry a hazard ratio
MAX_THEMES = 25  # the most widely raised themes enter the model; the rest would overfit it


def _safe_exp(x: float) -> float:
    """exp that saturates at inf instead of raising (a separated covariate has a huge coef)."""
    return math.exp(x) if x < 700 else math.inf


def account_themes(
    doc_themes: pd.DataFrame | None, feedback: pd.DataFrame | None = None,
    min_accounts: int = MIN_THEME_ACCOUNTS, max_themes: int = MAX_THEMES,
) -> pd.DataFrame | None:
    """Normalise document themes to one row per (account_id, created_at, theme).

    Only themes raised by at least ``min_accounts`` accounts are kept, at most ``max_themes``
    of them (the most widely raised): a fine-grained topic model yields many small topics,
    and a rare indicator has no estimable hazard ratio.

    Accepts frames that already have ``account_id`` and ``created_at`` or that identify the
    document by ``doc_id`` (as ``topics`` does) or by ``source`` + ``source_id``; those are
    joined to the store's ``feedback`` table. Documents without an account (app reviews) drop.
    """
    if doc_themes is None or not len(doc_themes):
        return None
    cols = set(doc_themes.columns)
    if {"account_id", "created_at", "theme"} <= cols:
        out = doc_themes
    else:
        if feedback is None:
            raise ValueError("doc_themes lacks account_id/created_at: pass the feedback table")
        key = ["doc_id"] if "doc_id" in cols else ["source", "source_id"]
        if not set(key) <= cols:
            raise KeyError("doc_themes needs account_id+created_at, doc_id or source+source_id")
        fb = feedback[[*key, "account_id", "created_at"]].copy()
        left = doc_themes.drop(columns=[c for c in ("account_id", "created_at") if c in cols])
        out = left.assign(**{k: left[k].astype(str) for k in key}).merge(
            fb.assign(**{k: fb[k].astype(str) for k in key}), on=key, how="inner"
        )
    keep = ["account_id", "created_at", "theme"] + (["theme_label"] if "theme_label" in out else [])
    out = out[keep].dropna(subset=["account_id", "created_at", "theme"])
    out = out.assign(theme=out["theme"].astype(str), created_at=naive_timestamps(out["created_at"]))
    reach = out.groupby("theme")["account_id"].nunique()
    keep_themes = reach[reach >= min_accounts].sort_values(ascending=False).head(max_themes)
    out = out[out["theme"].isin(keep_themes.index)]
    return out.reset_index(drop=True)


@dataclass
class AccountPeriods:
    """The account-month table and the same features for the accounts active at the cutoff.

    ``frame``: one row per account and month at risk: account_id, month, tenure_start,
    tenure_stop (months since the start month; the row covers (start, stop]), event (1 = churned
    in that month), the account's attributes and the features (see ``FEATURES``).
    ``current``: one row per account still active at ``cutoff`` with the features as of the
    cutoff (what a model scores today), plus account_name and the accounts table's ARR.
    """

    frame: pd.DataFrame
    current: pd.DataFrame
    first_month: pd.Timestamp
    last_month: pd.Timestamp
    cutoff: pd.Timestamp  # data dated on or after this instant is ignored
    themes: list[str] = field(default_factory=list)
    theme_labels: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def survival(self) -> pd.DataFrame:
        """One row per account: entry (tenure at entering the window), duration, event, attributes.

        Derived from ``frame`` so the descriptive survival curves use exactly the model's
        at-risk definition.
        """
        f = self.frame
        g = f.groupby("account_id", observed=True, sort=False)
        out = pd.DataFrame(
            {
                "entry": g["tenure_start"].min(),
                "duration": g["tenure_stop"].max(),
                "event": g["event"].max(),
            }
        )
        attrs = [c for c in BREAKDOWNS if c in f]
        first = f.drop_duplicates("account_id").set_index("account_id")[attrs]
        return out.join(first).reset_index()


FEATURES = {
    "arr": "ARR from the previous month's MRR (x12)",
    "active_users_3m": "mean active users over the last 3 months",
    "usage_change": "relative change in mean active users: last 3 months vs the 3 before",
    "usage_decline": "active users of the last 3 months at least 30% below the 3 before",
    "seat_utilisation": "active users / licensed seats in the previous month",
    "features_used": "key features used (used_* flags) in the previous month",
    "tickets_3m": "tickets opened in the last 3 months",
    "unresolved_3m": "of those, still unresolved on the first day of the month",
    "unresolved_2plus": "2 or more of them unresolved",
    "resolution_h_6m": "mean resolution hours of tickets solved in the last 6 months",
    "slow_resolution": "that mean above 72 hours",
    "csat_6m": "mean CSAT (1-5) of tickets solved in the last 6 months",
    "poor_csat": "any CSAT of 1-2 among them",
    "nps_score": "latest NPS score of the last 12 months",
    "nps_category": "promoter / passive / detractor / no response (latest, 12 months)",
    "theme:<id>": "account raised the theme in the last 6 months",
}


class _Dense:
    """Per-account, per-month arrays and trailing-window sums over them."""

    def __init__(self, n: int, m_lo: int, width: int):
        self.n, self.m_lo, self.width = n, m_lo, width

    def col(self, months: np.ndarray) -> np.ndarray:
        return months - self.m_lo

    def counts(self, a: np.ndarray, m: np.ndarray, w: np.ndarray | None = None) -> np.ndarray:
        ok = (a >= 0) & (m >= self.m_lo) & (m < self.m_lo + self.width)
        flat = a[ok] * self.width + (m[ok] - self.m_lo)
        vals = None if w is None else w[ok]
        out = np.bincount(flat, weights=vals, minlength=self.n * self.width)
        return out.reshape(self.n, self.width).astype(float)

    @staticmethod
    def window(arr: np.ndarray, a: np.ndarray, c: np.ndarray, k: int) -> np.ndarray:
        """Sum over columns [c - k, c - 1] for each (a, c) pair (the k months before month c)."""
        cs = np.zeros((arr.shape[0], arr.shape[1] + 1))
        np.cumsum(arr, axis=1, out=cs[:, 1:])
        return cs[a, c] - cs[a, c - k]


def account_periods(
    accounts: pd.DataFrame,
    usage_monthly: pd.DataFrame | None = None,
    tickets: pd.DataFrame | None = None,
    nps_responses: pd.DataFrame | None = None,
    doc_themes: pd.DataFrame | None = None,
    *,
    start: Any = None,
    as_of: Any = None,
    theme_labels: Mapping[str, str] | None = None,
    progress: bool = False,
) -> AccountPeriods:
    """Build the leakage-free account-month table (see ``AccountPeriods`` and ``FEATURES``).

    ``start``: first month at risk (default: the first month with tickets, NPS or feedback, since
    support and voice features do not exist before that; else 6 months after usage starts).
    ``as_of``: the last day of data to use (default: the latest date in the inputs). The table
    ends with the last complete month on or before ``as_of``; anything dated after that month,
    including churn, is ignored, so a past quarter's analysis never sees later data.
    ``doc_themes``: (account_id, created_at, theme) rows, see ``account_themes``.
    """
    notes: list[str] = []
    acc = accounts.drop_duplicates("account_id").reset_index(drop=True)
    s_m = _month_index(acc["start_date"])
    end_ts = naive_timestamps(acc["end_date"])
    if as_of is None:
        as_of = data_end(
            (acc, "start_date"), (acc, "end_date"), (usage_monthly, "month"),
            (tickets, "created_at"), (nps_responses, "submitted_at"),
        )
        if usage_monthly is not None and len(usage_monthly):
            # a usage row for a month covers that whole month
            last_usage = naive_timestamps(usage_monthly["month"]).max() + pd.offsets.MonthEnd(0)
            as_of = max(as_of, last_usage)
    as_of = pd.Timestamp(as_of).normalize()
    last = int(_month_index(pd.Series([as_of]))[0])
    if (as_of + pd.Timedelta(days=1)).month == as_of.month:
        last -= 1  # as_of is mid-month: the last complete month is the previous one
    cutoff = _month_start(last + 1)

    bad = (s_m == _NO_MONTH) | (end_ts.notna() & (end_ts < naive_timestamps(acc["start_date"])))
    if bad.any():
        notes.append(f"{int(bad.sum())} accounts without a valid start/end date left out")
    churn_m = np.where(end_ts.notna() & (end_ts < cutoff), _month_index(end_ts), _NO_MONTH)

    if start is None:
        firsts = [
            _month_index(f[c]).min()
            for f, c in ((tickets, "created_at"), (nps_responses, "submitted_at"),
                         (doc_themes, "created_at"))
            if f is not None and len(f)
        ]
        if firsts:
            first = int(min(firsts))
        elif usage_monthly is not None and len(usage_monthly):
            first = int(_month_index(usage_monthly["month"]).min()) + 2 * USAGE_WINDOW
        else:
            first = int(s_m[~bad].min()) + 1
    else:
        first = int(_month_index(pd.Series([pd.Timestamp(str(start))]))[0])
    first = min(first, last)
    m_lo, width = first - _LOOKBACK, (last + 1) - (first - _LOOKBACK) + 1
    dense = _Dense(len(acc), m_lo, width)
    index = pd.Index(acc["account_id"].astype(str))

    # rows at risk: months t with start month < t <= churn month, inside [first, last]
    f_m = np.maximum(s_m + 1, first)
    l_m = np.minimum(churn_m, last)
    n_rows = np.where(bad, 0, np.maximum(l_m - f_m + 1, 0))
    a_idx = np.repeat(np.arange(len(acc)), n_rows)
    offsets = np.repeat(np.cumsum(n_rows) - n_rows, n_rows)
    t_idx = f_m[a_idx] + (np.arange(len(a_idx)) - offsets)
    # current accounts: not churned before the cutoff, started before the cutoff month
    cur = np.flatnonzero(~bad & (churn_m == _NO_MONTH) & (s_m <= last))
    a_all = np.concatenate([a_idx, cur])
    t_all = np.concatenate([t_idx, np.full(len(cur), last + 1)])

    feats = _period_features(
        dense, index, a_all, t_all, cutoff, usage_monthly, tickets, nps_responses, doc_themes,
        progress,
    )
    themes = sorted(c.removeprefix("theme:") for c in feats if c.startswith("theme:"))
    labels = dict(theme_labels or {})
    if doc_themes is not None and "theme_label" in doc_themes:
        found = doc_themes.drop_duplicates("theme").set_index("theme")["theme_label"]
        labels = {**found.astype(str).to_dict(), **labels}

    # categoricals built from per-account codes: hashing millions of strings is the slow part
    ids = pd.Index(acc["account_id"].astype(str))
    base = {
        "account_id": pd.Categorical.from_codes(a_all, categories=ids),
        "month": _month_starts(t_all),
        "tenure_start": (t_all - s_m[a_all] - 1).astype(np.int32),
        "tenure_stop": (t_all - s_m[a_all]).astype(np.int32),
        "event": (t_all == churn_m[a_all]).astype(np.int8),
    }
    for col in BREAKDOWNS:
        if col in acc:
            codes, levels = pd.factorize(_tidy_category(acc[col]), sort=True)
            base[col] = pd.Categorical.from_codes(codes[a_all], categories=levels)
    table = pd.DataFrame({**base, **feats})
    n_panel = len(a_idx)
    frame = table.iloc[:n_panel].reset_index(drop=True)
    current = table.iloc[n_panel:].drop(columns="event").reset_index(drop=True)
    current["account_id"] = current["account_id"].astype(str)
    current.insert(1, "account_name", acc["account_name"].to_numpy()[cur]
                   if "account_name" in acc else "")
    current["arr_now"] = pd.to_numeric(acc["arr"], errors="coerce").to_numpy()[cur] \
        if "arr" in acc else np.nan
    return AccountPeriods(
        frame=frame,
        current=current,
        first_month=_month_start(first),
        last_month=_month_start(last),
        cutoff=cutoff,
        themes=themes,
        theme_labels={t: labels.get(t, t.replace("_", " ")) for t in themes},
        notes=notes,
    )


def _period_features(
    dense: _Dense,
    index: pd.Index,
    a: np.ndarray,
    t: np.ndarray,
    cutoff: pd.Timestamp,
    usage: pd.DataFrame | None,
    tickets: pd.DataFrame | None,
    nps_responses: pd.DataFrame | None,
    doc_themes: pd.DataFrame | None,
    progress: bool,
) -> dict[str, np.ndarray]:
    """Features of each (account a, month t) from data dated before the first day of t."""
    c = dense.col(t)
    n_pairs = len(a)
    out: dict[str, np.ndarray] = {}

    def acc_idx(values: pd.Series) -> np.ndarray:
        return index.get_indexer(values.astype(str))

    # ---- usage (a month's row is known once the month is over, so rows of months < t)
    if usage is not None and len(usage):
        u = usage[naive_timestamps(usage["month"]) < cutoff]
        ua, um = acc_idx(u["account_id"]), _month_index(u["month"])
        users = pd.to_numeric(u["active_users"], errors="coerce").to_numpy(dtype=float)
        seen = dense.counts(ua, um) > 0
        active = np.where(seen, dense.counts(ua, um, np.nan_to_num(users)), np.nan)
        last3 = _Dense.window(np.nan_to_num(active), a, c, USAGE_WINDOW)
        prev3 = _Dense.window(np.nan_to_num(active), a, c - USAGE_WINDOW, USAGE_WINDOW)
        n6 = _Dense.window(seen.astype(float), a, c, 2 * USAGE_WINDOW)
        n3 = _Dense.window(seen.astype(float), a, c, USAGE_WINDOW)
        full = n6 == 2 * USAGE_WINDOW
        with np.errstate(divide="ignore", invalid="ignore"):
            out["active_users_3m"] = np.where(n3 > 0, last3 / np.maximum(n3, 1), np.nan)
            change = np.where(full & (prev3 > 0), last3 / prev3 - 1.0, np.nan)
        out["usage_change"] = change
        out["usage_decline"] = np.nan_to_num(change, nan=0.0) <= -USAGE_DECLINE
        prev = active[a, c - 1]
        if "licensed_seats" in u:
            seats = dense.counts(
                ua, um, pd.to_numeric(u["licensed_seats"], errors="coerce").fillna(0).to_numpy()
            )[a, c - 1]
            with np.errstate(divide="ignore", invalid="ignore"):
                out["seat_utilisation"] = np.where(seats > 0, prev / seats, np.nan)
        flags = [col for col in u.columns if str(col).startswith("used_")]
        if flags:
            used = u[flags].astype("boolean").fillna(False).astype(int).sum(axis=1).to_numpy()
            nf = dense.counts(ua, um, used.astype(float))[a, c - 1]
            out["features_used"] = np.where(np.isnan(prev), np.nan, nf)
        if "mrr" in u:
            mrr = pd.to_numeric(u["mrr"], errors="coerce").fillna(0).to_numpy()
            m_prev = dense.counts(ua, um, mrr)[a, c - 1]
            out["arr"] = np.where(np.isnan(prev), np.nan, 12.0 * m_prev)

    # ---- support tickets
    if tickets is not None and len(tickets):
        tk = tickets[(naive_timestamps(tickets["created_at"]) < cutoff).to_numpy()]
        ta, tm = acc_idx(tk["account_id"]), _month_index(tk["created_at"])
        created = naive_timestamps(tk["created_at"]).to_numpy()
        solved = naive_timestamps(tk["solved_at"]).to_numpy() if "solved_at" in tk else \
            np.full(len(tk), np.datetime64("NaT"), dtype="datetime64[ns]")
        out["tickets_3m"] = _Dense.window(dense.counts(ta, tm), a, c, TICKET_WINDOW)
        # unresolved on the first day of month tm + k: solved_at missing or on/after that day
        open_counts = np.zeros((dense.n, dense.width))
        for k in range(1, TICKET_WINDOW + 1):
            still_open = np.isnat(solved) | (solved >= _month_starts(tm + k))
            open_counts += dense.counts(np.where(still_open, ta, -1), tm + k)
        out["unresolved_3m"] = open_counts[a, c]
        out["unresolved_2plus"] = out["unresolved_3m"] >= UNRESOLVED_MIN
        done = ~np.isnat(solved) & (solved < cutoff.to_datetime64())
        sm = np.where(done, _month_index(pd.Series(solved)), _NO_MONTH)
        hours = (solved - created) / np.timedelta64(1, "h")
        ok = done & (hours >= 0)
        n_solved = _Dense.window(dense.counts(np.where(ok, ta, -1), sm), a, c, SUPPORT_WINDOW)
        h_sum = _Dense.window(
            dense.counts(np.where(ok, ta, -1), sm, np.nan_to_num(hours)), a, c, SUPPORT_WINDOW
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            out["resolution_h_6m"] = np.where(n_solved > 0, h_sum / n_solved, np.nan)
        out["slow_resolution"] = np.nan_to_num(out["resolution_h_6m"]) > SLOW_RESOLUTION_H
        if "csat" in tk:
            # a rating is given once the ticket is solved, so it is dated by solved_at
            score = pd.to_numeric(tk["csat"], errors="coerce").to_numpy(dtype=float)
            rated = done & ~np.isnan(score)
            ra = np.where(rated, ta, -1)
            n_r = _Dense.window(dense.counts(ra, sm), a, c, SUPPORT_WINDOW)
            s_r = _Dense.window(dense.counts(ra, sm, np.nan_to_num(score)), a, c, SUPPORT_WINDOW)
            poor = _Dense.window(dense.counts(np.where(rated & (score <= 2), ta, -1), sm),
                                 a, c, SUPPORT_WINDOW)
            with np.errstate(divide="ignore", invalid="ignore"):
                out["csat_6m"] = np.where(n_r > 0, s_r / n_r, np.nan)
            out["poor_csat"] = poor > 0

    # ---- NPS: the latest answer of the last 12 months
    if nps_responses is not None and len(nps_responses):
        r = nps_responses[naive_timestamps(nps_responses["submitted_at"]) < cutoff]
        r = r.assign(_ts=naive_timestamps(r["submitted_at"])).sort_values("_ts")
        ra, rm = acc_idx(r["account_id"]), _month_index(r["_ts"])
        score = pd.to_numeric(r["score"], errors="coerce").to_numpy(dtype=float)
        ok = (ra >= 0) & (rm >= dense.m_lo) & ~np.isnan(score)
        flat = ra[ok] * dense.width + dense.col(rm[ok])
        last_score = np.full(dense.n * dense.width, np.nan)
        keep = pd.Series(flat).drop_duplicates(keep="last").index.to_numpy()
        last_score[flat[keep]] = score[ok][keep]
        last_score = last_score.reshape(dense.n, dense.width)
        has = ~np.isnan(last_score)
        latest = np.maximum.accumulate(np.where(has, np.arange(dense.width), -1), axis=1)
        j = latest[a, c - 1]
        fresh = (j >= 0) & (c - 1 - j < NPS_WINDOW)
        nps_score = np.where(fresh, last_score[a, np.maximum(j, 0)], np.nan)
        out["nps_score"] = nps_score
        cat = np.select([nps_score >= 9, nps_score >= 7, nps_score >= 0],
                        ["promoter", "passive", "detractor"], "no response")
        out["nps_category"] = pd.Categorical(cat, categories=NPS_LEVELS)

    # ---- voice: themes raised in the last 6 months
    if doc_themes is not None and len(doc_themes):
        d = doc_themes[naive_timestamps(doc_themes["created_at"]) < cutoff]
        da, dm = acc_idx(d["account_id"]), _month_index(d["created_at"])
        themes = d["theme"].astype(str).to_numpy()
        for theme in tqdm(sorted(set(themes)), desc="themes", disable=not progress, leave=False):
            hit = themes == theme
            raised = _Dense.window(dense.counts(np.where(hit, da, -1), dm), a, c, VOICE_WINDOW)
            out[f"theme:{theme}"] = raised > 0
    for key, value in out.items():
        if len(value) != n_pairs:  # pragma: no cover - internal invariant
            raise AssertionError(key)
    return out


# =================================================================================================
# Model design: panel columns -> numeric covariates with references and plain-words labels
# =================================================================================================
@dataclass(frozen=True)
class Covariate:
    """A candidate driver and how to say it in plain words."""

    name: str  # column of the account-period table
    kind: Literal["category", "flag", "numeric"]
    label: str  # "Plan", "Active users fell 30%+ ..."
    group: Literal["account", "behaviour", "voice"]
    level_label: str = "{label} {level}"  # for categories: "{level} billing", ...
    unit: float = 1.0  # numeric: the hazard ratio is per this many units (after transform)
    unit_label: str = ""  # "per extra ticket opened in the last 3 months"
    transform: Literal["log2"] | None = None
    reference: str | None = None  # category reference level (default: the commonest)
    feature: str | None = None  # matching classifier feature (for importances)


PANEL_COVARIATES: tuple[Covariate, ...] = (
    Covariate("billing_term", "category", "Billing term", "account", "{Level} billing"),
    Covariate("plan", "category", "Plan", "account", "{level} plan"),
    Covariate("segment", "category", "Segment", "account", "{level} segment"),
    Covariate("region", "category", "Region", "account", "Region {level}"),
    Covariate("arr", "numeric", "ARR", "account", unit_label="per doubling of ARR",
              transform="log2"),
    Covariate("usage_decline", "flag",
              "Active users fell 30%+ (last 3 months vs the 3 before)", "behaviour",
              feature="usage_change"),
    Covariate("seat_utilisation", "numeric", "Seat utilisation", "behaviour", unit=0.1,
              unit_label="per 10 points more seat utilisation"),
    Covariate("features_used", "numeric", "Key features used", "behaviour",
              unit_label="per extra key feature used"),
    Covariate("tickets_3m", "numeric", "Tickets opened in the last 3 months", "behaviour",
              unit_label="per extra ticket opened in the last 3 months"),
    Covariate("unresolved_2plus", "flag",
              "2+ tickets from the last 3 months still unresolved", "behaviour",
              feature="unresolved_3m"),
    Covariate("slow_resolution", "flag",
              "Tickets took over 3 days to resolve on average (last 6 months)", "behaviour",
              feature="resolution_h_6m"),
    Covariate("poor_csat", "flag", "Rated support 1-2 (CSAT) in the last 6 months", "voice",
              feature="csat_6m"),
    Covariate("nps_category", "category", "NPS", "voice", "NPS {level}",
              reference="promoter", feature="nps_score"),
)


def theme_covariates(themes: Iterable[str], labels: Mapping[str, str]) -> list[Covariate]:
    return [
        Covariate(f"theme:{t}", "flag",
                  f"Raised '{labels.get(t, t.replace('_', ' '))}' in the last 6 months",
                  "voice")
        for t in themes
    ]


@dataclass
class _Column:
    """One design-matrix column and where it came from."""

    column: str
    covariate: Covariate
    level: str | None = None
    reference: str | None = None
    center: float = 0.0

    @property
    def label(self) -> str:
        cov = self.covariate
        if cov.kind == "category":
            return f"{_level_text(cov, str(self.level))} (vs {self.reference})"
        return cov.label


class Design:
    """Turns a frame into a numeric covariate matrix; remembers references and centres."""

    def __init__(self, covariates: Sequence[Covariate]):
        self.covariates = list(covariates)
        self.columns: list[_Column] = []
        self.dropped: list[str] = []

    @staticmethod
    def _numeric(frame: pd.DataFrame, cov: Covariate) -> np.ndarray:
        x = pd.to_numeric(frame[cov.name], errors="coerce").to_numpy(dtype=float)
        if cov.transform == "log2":
            with np.errstate(divide="ignore", invalid="ignore"):
                x = np.where(x > 0, np.log2(np.where(x > 0, x, 1.0)), np.nan)
        return x / cov.unit

    def fit(self, frame: pd.DataFrame) -> Design:
        self.columns, self.dropped = [], []
        for cov in self.covariates:
            if cov.name not in frame:
                continue
            if cov.kind == "category":
                counts = frame[cov.name].value_counts()
                counts = counts[counts > 0]
                counts.index = counts.index.astype(str)
                if len(counts) < 2:
                    self.dropped.append(f"{cov.name}: a single value")
                    continue
                ref = cov.reference if cov.reference in counts.index else str(counts.index[0])
                self.columns += [_Column(f"{cov.name}[{lv}]", cov, str(lv), ref)
                                 for lv in counts.index if lv != ref]
            elif cov.kind == "flag":
                self.columns.append(_Column(cov.name, cov))
            else:
                x = self._numeric(frame, cov)
                centre = float(np.nanmedian(x)) if np.isfinite(x).any() else 0.0
                self.columns.append(_Column(cov.name, cov, center=centre))
        # a constant column cannot be estimated (e.g. a theme nobody raised in the fit window)
        const = [c.column for c, v in zip(self.columns, self._vectors(frame), strict=True)
                 if np.std(v) == 0]
        self.dropped += [f"{c}: no variation" for c in const]
        self.columns = [c for c in self.columns if c.column not in const]
        return self

    @property
    def names(self) -> list[str]:
        return [c.column for c in self.columns]

    def _vectors(self, frame: pd.DataFrame) -> Iterable[np.ndarray]:
        cache: dict[str, tuple[np.ndarray, dict[str, int]]] = {}
        for col in self.columns:
            cov = col.covariate
            if cov.name not in frame:  # e.g. a theme nobody had raised yet: absent = typical
                yield np.zeros(len(frame))
            elif cov.kind == "category":
                if cov.name not in cache:
                    # integer codes: comparing millions of strings per level is slow
                    cat = pd.Categorical(frame[cov.name])
                    levels = {str(v): i for i, v in enumerate(cat.categories)}
                    cache[cov.name] = (np.asarray(cat.codes), levels)
                codes, levels = cache[cov.name]
                yield (codes == levels.get(str(col.level), -2)).astype(float)
            elif cov.kind == "flag":
                yield frame[cov.name].fillna(False).to_numpy().astype(float)
            else:
                x = self._numeric(frame, cov) - col.center
                yield np.where(np.isfinite(x), x, 0.0)  # missing = typical

    def matrix(self, frame: pd.DataFrame, order: np.ndarray | None = None) -> np.ndarray:
        """The covariate matrix (rows optionally reordered by ``order``), filled in place."""
        n = len(frame) if order is None else len(order)
        X = np.empty((n, len(self.columns)))
        for j, v in enumerate(self._vectors(frame)):
            X[:, j] = v if order is None else v[order]
        return X

    def transform(self, frame: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame(self.matrix(frame), columns=self.names, index=frame.index)


# =================================================================================================
# Plain words
# =================================================================================================
def _fmt_ratio(x: float) -> str:
    if not np.isfinite(x):
        return "n/a"
    if x >= 9.95:
        return f"{x:.0f}"
    if x >= 0.995 and abs(x - 1) >= 0.095:
        return f"{x:.1f}"
    return f"{x:.2f}"


def driver_sentence(
    label: str, hr: float, lo: float, hi: float, unit_label: str = "", level: float = 0.95
) -> str:
    """'Monthly billing (vs annual): 2.3x the churn hazard, 95% CI 1.9-2.8.'"""
    unit = f" {unit_label}" if unit_label else ""
    ci = f"{level:.0%} CI {_fmt_ratio(lo)}-{_fmt_ratio(hi)}"
    if not (lo > 1 or hi < 1):
        if 0.8 < hr < 1.25:
            return f"{label}: no clear effect on churn ({_fmt_ratio(hr)}x{unit}, {ci})."
        # a sizeable estimate with a wide interval: say both, do not call it "no effect"
        return (f"{label}: {_fmt_ratio(hr)}x the churn hazard{unit}, but not statistically "
                f"clear ({ci}).")
    if hr >= 1:
        return f"{label}: {_fmt_ratio(hr)}x the churn hazard{unit}, {ci}."
    return f"{label}: {_fmt_ratio(hr)}x the churn hazard ({1 - hr:.0%} lower){unit}, {ci}."


# =================================================================================================
# Cox proportional hazards on the account-period table
# =================================================================================================
TENURE_BINS = (0, 3, 6, 12, 24, np.inf)


@dataclass
class _CoxResult:
    params: np.ndarray
    se: np.ndarray
    variance: np.ndarray
    log_likelihood: float


def _cox_one_period(
    X: np.ndarray, stop: np.ndarray, event: np.ndarray, penalizer: float = 0.0,
    max_iter: int = 50, tol: float = 1e-9, initial: np.ndarray | None = None,
) -> _CoxResult:
    """Cox partial likelihood with Efron ties, by Newton-Raphson, for counting-process rows that
    each span exactly one time unit, sorted by ``stop``.

    Why not lifelines' CoxTimeVaryingFitter: it rescans every row at every event time. When
    each row covers (stop - 1, stop] on an integer time scale, the risk set at time t is exactly
    the rows with stop == t, so the likelihood splits into one term per tenure month and one pass
    over the rows suffices: the same estimates (checked in the tests), many times faster on
    millions of account-months. ``penalizer`` is lifelines' ridge (on standardised coefficients,
    scaled by the number of rows).
    """
    n, p = X.shape
    ev = event.astype(bool)
    _, first = np.unique(stop, return_index=True)
    bounds = np.append(first, n)
    groups = [(lo, hi) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True) if ev[lo:hi].any()]
    deaths = [np.flatnonzero(ev[lo:hi]) + lo for lo, hi in groups]
    scale = X.std(0) if n else np.ones(p)
    pen = penalizer * n * np.where(scale > 0, scale, 1.0) ** 2  # lifelines: n * lambda / 2 * b^2
    x_dead = X[ev].sum(0)

    def evaluate(beta: np.ndarray, full: bool) -> tuple[float, np.ndarray, np.ndarray]:
        eta = X @ beta
        shift = float(eta.max()) if n else 0.0  # exp() without overflow; cancels in the ratio
        w = np.exp(eta - shift)
        ll, grad, hess = float(eta[ev].sum()), x_dead.copy(), np.zeros((p, p))
        for (lo, hi), di in zip(groups, deaths, strict=True):
            wg, wd = w[lo:hi], w[di]
            d = len(di)
            r = np.arange(d) / d  # Efron: tied deaths leave the risk set a fraction at a time
            den = wg.sum() - r * wd.sum()
            ll -= float(np.log(den).sum()) + d * shift
            if not full:
                continue
            Xg, Xd = X[lo:hi], X[di]
            u = (wg @ Xg - r[:, None] * (wd @ Xd)) / den[:, None]
            grad -= u.sum(0)
            s2 = Xg.T @ (Xg * wg[:, None])
            s2d = Xd.T @ (Xd * wd[:, None])
            hess -= s2 * (1 / den).sum() - s2d * (r / den).sum() - u.T @ u
        ll -= 0.5 * float((pen * beta**2).sum())
        return ll, grad - pen * beta, hess - np.diag(pen)

    beta = np.zeros(p) if initial is None else np.asarray(initial, dtype=float).copy()
    ll, grad, hess = evaluate(beta, True)
    for _ in range(max_iter):
        try:
            step = np.linalg.solve(-hess, grad)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(-hess, grad, rcond=None)[0]
        t = 1.0
        while True:  # step halving keeps every iteration uphill; no Hessian needed to check
            new_ll = evaluate(beta + t * step, False)[0]
            if new_ll >= ll - 1e-10 * (1 + abs(ll)) or t < 1e-4:
                break
            t /= 2
        beta = beta + t * step
        done = abs(new_ll - ll) < tol * (1 + abs(ll)) or np.max(np.abs(t * step), initial=0) < 1e-8
        ll, grad, hess = evaluate(beta, True)
        if done:
            break
    try:
        var = np.linalg.inv(-hess)
    except np.linalg.LinAlgError:
        var = np.linalg.pinv(-hess)
    return _CoxResult(beta, np.sqrt(np.clip(np.diag(var), 0, None)), var, ll)


def _cox_group_terms(
    X: np.ndarray, stop: np.ndarray, event: np.ndarray, beta: np.ndarray
) -> list[tuple[float, int, np.ndarray, np.ndarray]]:
    """Per event time of one-period rows sorted by stop: (time, deaths, score, information) of the
    Efron partial likelihood at ``beta`` (information = minus the Hessian)."""
    n = len(stop)
    ev = event.astype(bool)
    times, first = np.unique(stop, return_index=True)
    bounds = np.append(first, n)
    eta = X @ beta
    w = np.exp(eta - (eta.max() if n else 0.0))
    out = []
    for t, lo, hi in zip(times, bounds[:-1], bounds[1:], strict=True):
        di = np.flatnonzero(ev[lo:hi]) + lo
        if not len(di):
            continue
        wg, wd, Xg, Xd = w[lo:hi], w[di], X[lo:hi], X[di]
        r = np.arange(len(di)) / len(di)
        den = wg.sum() - r * wd.sum()
        u = (wg @ Xg - r[:, None] * (wd @ Xd)) / den[:, None]
        score = Xd.sum(0) - u.sum(0)
        info = (Xg.T @ (Xg * wg[:, None])) * (1 / den).sum() \
            - (Xd.T @ (Xd * wd[:, None])) * (r / den).sum() - u.T @ u
        out.append((float(t), len(di), score, info))
    return out


WARM_START_ROWS = 400_000
THREADS = 1  # BLAS / OpenMP threads for the heavy steps, see ``blas_threads``


def blas_threads(n: int | None = None) -> Any:
    """Cap BLAS and OpenMP threads (default ``THREADS``).

    Why: on a small shared machine, busy-waiting BLAS threads that compete with other processes
    made one Cox iteration on 3 million rows 6x slower with 2 threads than with 1.
    """
    from threadpoolctl import threadpool_limits

    return threadpool_limits(THREADS if n is None else n)


def _cox_warm(X: np.ndarray, stop: np.ndarray, event: np.ndarray, penalizer: float,
              seed: int = 0) -> _CoxResult:
    """On large tables, start Newton from a fit on a random ~200,000 rows (each row is a member
    of one risk set, so a row sample estimates the same coefficients): the full data then needs
    two or three iterations instead of six to eight."""
    initial = None
    if len(stop) > WARM_START_ROWS:
        keep = np.random.default_rng(seed).random(len(stop)) < WARM_START_ROWS / len(stop) / 2
        initial = _cox_one_period(X[keep], stop[keep], event[keep], penalizer, tol=1e-6).params
    return _cox_one_period(X, stop, event, penalizer, initial=initial)


def _fit_cox(
    X: np.ndarray, start: np.ndarray, stop: np.ndarray, event: np.ndarray, penalizer: float,
    names: Sequence[str],
) -> _CoxResult:
    """Cox PH on (start, stop] rows sorted by stop: the one-period solver when it applies,
    lifelines' CoxTimeVaryingFitter otherwise."""
    if len(stop) and np.all(stop - start == 1) and np.all(stop == np.round(stop)):
        with blas_threads():
            return _cox_warm(X, stop, event, penalizer)
    df = pd.DataFrame(X, columns=list(names)).assign(_start=start, _stop=stop, _event=event)
    cph = CoxTimeVaryingFitter(penalizer=penalizer)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lifelines' low-variance notes; constants are dropped
        cph.fit(df, event_col="_event", start_col="_start", stop_col="_stop")
    var = cph.variance_matrix_.to_numpy()
    return _CoxResult(cph.params_.to_numpy(), cph.standard_errors_.to_numpy(), var,
                      float(cph.log_likelihood_))


class ChurnCoxFitter:
    """Time-varying Cox proportional-hazards model of monthly churn, in lifelines' style.

    Estimates equal lifelines' ``CoxTimeVaryingFitter`` (Efron ties, same ridge ``penalizer``;
    checked in the tests) but come from a solver that exploits the one-month rows (see
    ``_cox_one_period``), which makes millions of account-months practical; tables of other
    shapes go to lifelines itself.

    ``fit(frame)`` takes an account-period table (``AccountPeriods.frame``): rows
    (tenure_start, tenure_stop] with ``event``; tenure in months is the time scale, so
    accounts older than the window enter late (left truncation) and active ones are censored.
    Then ``summary`` (hazard ratios, CIs, p values, plain-words sentences),
    ``check_assumptions`` (proportional hazards),
    ``predict_hazard`` / ``predict_risk`` (absolute churn probability from a piecewise-constant
    Breslow baseline by tenure band), ``reasons`` and ``plot`` (forest plot).
    """

    def __init__(
        self,
        covariates: Sequence[Covariate] | None = None,
        penalizer: float = 0.0,
        alpha: float = 0.05,
    ):
        self.covariates = covariates
        self.penalizer = penalizer
        self.alpha = alpha

    # -- fitting ------------------------------------------------------------------------------
    def fit(
        self, frame: pd.DataFrame, themes: Sequence[str] = (),
        theme_labels: Mapping[str, str] | None = None,
    ) -> ChurnCoxFitter:
        covs = list(self.covariates) if self.covariates is not None else [
            *PANEL_COVARIATES, *theme_covariates(themes, theme_labels or {})
        ]
        if self.covariates is None and not themes:
            covs += theme_covariates(
                [c.removeprefix("theme:") for c in frame.columns if c.startswith("theme:")],
                theme_labels or {},
            )
        self.design_ = Design(covs).fit(frame)
        stop = frame["tenure_stop"].to_numpy(float)
        order = np.argsort(stop, kind="stable")
        X = self.design_.matrix(frame, order)
        event = frame["event"].to_numpy(float)[order]
        res = _fit_cox(X, frame["tenure_start"].to_numpy(float)[order], stop[order], event,
                       self.penalizer, self.design_.names)
        self.params_ = pd.Series(res.params, index=self.design_.names, name="coef")
        self.standard_errors_ = pd.Series(res.se, index=self.design_.names, name="se")
        self.variance_matrix_ = pd.DataFrame(res.variance, index=self.design_.names,
                                             columns=self.design_.names)
        self.log_likelihood_ = res.log_likelihood
        self.means_ = X.mean(0)
        self._baseline(X, stop[order], event)
        self.n_rows_, self.n_events_ = len(frame), int(event.sum())
        self.n_accounts_ = int(frame["account_id"].nunique())
        return self

    def _baseline(self, X: np.ndarray, tenure: np.ndarray, event: np.ndarray) -> None:
        """Breslow estimate of the monthly baseline hazard, pooled within tenure bands."""
        lp = X @ self.params_.to_numpy()
        band = np.digitize(tenure, TENURE_BINS[1:-1], right=True)
        risk = np.bincount(band, weights=np.exp(lp), minlength=len(TENURE_BINS) - 1)
        events = np.bincount(band, weights=event, minlength=len(TENURE_BINS) - 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            h0 = np.where(risk > 0, events / risk, np.nan)
        # an empty band borrows its neighbour's rate
        self.baseline_hazard_ = pd.Series(h0).ffill().bfill().to_numpy()

    # -- results ------------------------------------------------------------------------------
    @property
    def summary(self) -> pd.DataFrame:
        """One row per covariate column: driver, covariate, label, group, reference,
        hazard_ratio, ci_low, ci_high, p, coef, se, significant, sentence, q.

        ``significant``: the interval excludes 1 and, for the voice group (themes, NPS, CSAT),
        also the Benjamini-Hochberg ``q`` within that group is below ``alpha``."""
        z = stats.norm.ppf(1 - self.alpha / 2)
        level = 1 - self.alpha
        rows = []
        for col in self.design_.columns:
            coef = float(self.params_[col.column])
            se = float(self.standard_errors_[col.column])
            hr, lo, hi = _safe_exp(coef), _safe_exp(coef - z * se), _safe_exp(coef + z * se)
            rows.append(
                {
                    "driver": col.column,
                    "covariate": col.covariate.name,
                    "label": col.label,
                    "group": col.covariate.group,
                    "reference": col.reference or "",
                    "hazard_ratio": hr,
                    "ci_low": lo,
                    "ci_high": hi,
                    "p": float(2 * stats.norm.sf(abs(coef / se))) if se > 0 else np.nan,
                    "coef": coef,
                    "se": se,
                    "significant": bool(lo > 1 or hi < 1),
                    "sentence": driver_sentence(col.label, hr, lo, hi,
                                                col.covariate.unit_label, level),
                }
            )
        out = pd.DataFrame(rows)
        # Feedback themes and survey answers are an exploratory family (a dozen themes or
        # more): one of them will often clear a 95% interval by chance, so these need a
        # Benjamini-Hochberg q < alpha as well. Account and behaviour drivers are few and
        # chosen in advance; their intervals stand as they are.
        out["q"] = np.nan
        voice = (out["group"] == "voice").to_numpy()
        if voice.any():
            out.loc[voice, "q"] = _bh(out.loc[voice, "p"].to_numpy())
            chance = voice & out["significant"].to_numpy() & (out["q"] >= self.alpha).to_numpy()
            out.loc[chance, "significant"] = False
            out.loc[chance, "sentence"] = [
                f"{s[:-1]}, but likely chance among the {int(voice.sum())} feedback signals "
                f"tested (false-discovery-adjusted q = {q:.2f})."
                for s, q in zip(out.loc[chance, "sentence"], out.loc[chance, "q"], strict=True)
            ]
        return out

    @property
    def hazard_ratios_(self) -> pd.Series:
        return np.exp(self.params_)

    def check_assumptions(
        self, frame: pd.DataFrame, p_threshold: float = 0.01, material_ratio: float = 1.25,
    ) -> pd.DataFrame:
        """Proportional-hazards check: does each hazard ratio drift with tenure?

        A score test (as R's ``cox.zph``) of adding ``covariate x log(tenure)`` for each
        covariate, evaluated at the fitted model, so no refit is needed: on this table all rows
        of a risk set share its tenure, so the extended model's score and information follow
        from per-month terms. Columns: ``drift_per_log_month`` (one-step estimate of the
        interaction), ``p``, ``q`` (Benjamini-Hochberg over the drivers: with 30 tests one
        small p is expected by chance), ``hr_late_vs_early`` (how much the hazard ratio would
        change between the 25th and 75th percentile tenure at churn) and ``violated``: q below
        ``p_threshold`` AND a change beyond ``material_ratio`` either way, since with millions
        of rows trivial drifts are "significant". The last row is the global test.
        """
        stop = frame["tenure_stop"].to_numpy(float)
        order = np.argsort(stop, kind="stable")
        stop, event = stop[order], frame["event"].to_numpy(float)[order]
        X = self.design_.matrix(frame, order)
        with blas_threads():
            terms = _cox_group_terms(X, stop, event, self.params_.to_numpy())
        # the test does not depend on centring log(t); centring only keeps the sums tame
        g = np.log(np.array([t for t, _, _, _ in terms]))
        g = g - np.average(g, weights=[d for _, d, _, _ in terms])
        k = X.shape[1]
        U = sum(gi * sc for gi, (_, _, sc, _) in zip(g, terms, strict=True))
        i_xx = sum(info for _, _, _, info in terms)
        i_xz = sum(gi * info for gi, (_, _, _, info) in zip(g, terms, strict=True))
        i_zz = sum(gi**2 * info for gi, (_, _, _, info) in zip(g, terms, strict=True))
        n = len(stop)
        scale = X.std(0) if n else np.ones(k)
        i_xx = i_xx + np.diag(self.penalizer * n * np.where(scale > 0, scale, 1.0) ** 2)
        V = i_zz - i_xz.T @ np.linalg.pinv(i_xx) @ i_xz
        diag = np.clip(np.diag(V), 1e-300, None)
        drift = U / diag
        p = stats.chi2.sf(U**2 / diag, 1)
        t_dead = stop[event > 0]
        spread = float(np.log(np.percentile(t_dead, 75)) - np.log(np.percentile(t_dead, 25))) \
            if len(t_dead) else 0.0
        ratio = np.exp(drift * spread)
        out = pd.DataFrame({"driver": self.design_.names,
                            "label": [c.label for c in self.design_.columns],
                            "drift_per_log_month": drift, "p": p, "hr_late_vs_early": ratio})
        glob = float(U @ np.linalg.pinv(V) @ U)
        out.loc[len(out)] = ["GLOBAL", "all drivers (score test)", np.nan,
                             float(stats.chi2.sf(glob, k)), np.nan]
        out["q"] = np.append(_bh(p), np.nan)
        material = (out["hr_late_vs_early"] > material_ratio) | (
            out["hr_late_vs_early"] < 1 / material_ratio)
        glob_row = out["driver"] == "GLOBAL"
        out["violated"] = np.where(glob_row, out["p"] < p_threshold,
                                   (out["q"] < p_threshold) & material)
        self.ph_test_ = out
        return out

    # -- prediction ---------------------------------------------------------------------------
    def predict_log_hazard_ratio(self, frame: pd.DataFrame) -> np.ndarray:
        return self.design_.matrix(frame) @ self.params_.to_numpy()

    def _h0(self, tenure: np.ndarray) -> np.ndarray:
        band = np.digitize(tenure, TENURE_BINS[1:-1], right=True)
        return self.baseline_hazard_[band]

    def predict_hazard(self, frame: pd.DataFrame) -> np.ndarray:
        """Probability of churning within each row's month."""
        lp = self.predict_log_hazard_ratio(frame)
        return 1 - np.exp(-self._h0(frame["tenure_stop"].to_numpy()) * np.exp(lp))

    def predict_risk(self, frame: pd.DataFrame, horizon_months: int = HORIZON_MONTHS) -> np.ndarray:
        """Probability of churning within ``horizon_months`` from each row's month, holding
        the features as they are (a customer-success view, not a forecast of the features)."""
        lp = np.exp(self.predict_log_hazard_ratio(frame))
        ten = frame["tenure_stop"].to_numpy()
        cum = sum(self._h0(ten + k) for k in range(horizon_months))
        return 1 - np.exp(-cum * lp)

    def contributions(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Per row and covariate: log hazard ratio vs the average account of the fit (what
        ``reasons`` ranks); the row sums give the row's log hazard ratio vs average."""
        parts = (self.design_.matrix(frame) - self.means_) * self.params_.to_numpy()
        cols = pd.Index([c.covariate.name for c in self.design_.columns])
        out = pd.DataFrame(parts, index=frame.index, columns=cols)
        return out.T.groupby(level=0, sort=False).sum().T

    def reasons(
        self, frame: pd.DataFrame, top: int = 3, min_ratio: float = 1.1
    ) -> list[list[str]]:
        """For each row, up to ``top`` credible reasons its risk is above typical.

        A reason is a driver whose interval excludes 1 and that multiplies this row's hazard by
        at least ``min_ratio`` compared with the average account of the fit, largest first,
        e.g. "Monthly billing (1.6x vs average)" or "Tickets opened in the last 3 months: 9
        (1.3x vs average)".
        """
        credible = set(self.summary.loc[lambda d: d["significant"], "covariate"])
        return _top_reasons(self.design_, self.params_, credible, self.means_, frame, top,
                            min_ratio)

    # -- chart --------------------------------------------------------------------------------
    def plot(self, ax: plt.Axes | None = None, groups: Sequence[str] | None = None,
             title: str = "What moves the churn hazard") -> Figure:
        """Forest plot: hazard ratio and CI per driver (log scale), significant ones coloured."""
        s = self.summary
        if groups is not None:
            s = s[s["group"].isin(groups)]
        return plot_forest(s, ax=ax, title=title)


def _top_reasons(
    design: Design, params: pd.Series, credible: set[str], means: np.ndarray,
    frame: pd.DataFrame, top: int = 3, min_ratio: float = 1.1,
) -> list[list[str]]:
    """Per row: up to ``top`` drivers that raise its hazard most compared with the average
    account (``means`` of the design columns), e.g. "Monthly billing (1.6x vs average)".

    Only covariates in ``credible`` (a hazard ratio whose interval excludes 1) count, and
    only contributions of at least ``min_ratio``. Comparing with the average rather than with
    the reference level lets a risky reference level (say, month-to-month contracts) count.
    """
    X = design.matrix(frame)
    beta = params.reindex(design.names).fillna(0.0).to_numpy()
    parts = (X - means) * beta
    n = len(frame)
    by_cov: dict[str, list[int]] = {}
    for j, col in enumerate(design.columns):
        by_cov.setdefault(col.covariate.name, []).append(j)
    scores, texts = [], []
    for name, idx in by_cov.items():
        cov = design.columns[idx[0]].covariate
        if name not in credible:
            continue
        contrib = parts[:, idx].sum(1)
        ratio = [_fmt_ratio(r) for r in np.exp(contrib)]
        if cov.kind == "numeric":
            what = [f"{cov.label}: {_fmt_value(v)}" for v in frame[name].to_numpy()]
        elif cov.kind == "flag":
            what = [cov.label] * n
        else:
            what = [_level_text(cov, str(v)) for v in frame[name].to_numpy()]
        scores.append(np.where(contrib >= math.log(min_ratio), contrib, -np.inf))
        texts.append(np.array([f"{w} ({r}x vs average)" for w, r in zip(what, ratio,
                                                                          strict=True)]))
    if not scores:
        return [[] for _ in range(n)]
    S, T = np.column_stack(scores), np.column_stack(texts)
    order = np.argsort(-S, axis=1)[:, :top]
    return [[T[i, j] for j in order[i] if np.isfinite(S[i, j])] for i in range(n)]


def _level_text(cov: Covariate, level: str) -> str:
    return cov.level_label.format(label=cov.label, level=level,
                                  Level=level[:1].upper() + level[1:])


def _fmt_value(v: Any) -> str:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return str(v)
    if not np.isfinite(x):
        return "n/a"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.2g}" if abs(x) < 10 else f"{x:.0f}"


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


# =================================================================================================
# Survival curves and log-rank tests
# =================================================================================================
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
    ax.set_title(title or f"Accounts retained by {name.lower()} (log-rank {_fmt_p(p)})")
    ax.set_xlabel("months since the account started")
    ax.set_ylabel("still a customer")
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.legend(title=name, loc="lower left")
    return fig


def _fmt_p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}" if p < 0.1 else f"p = {p:.2f}"


# =================================================================================================
# Gradient-boosted classifier and out-of-sample evaluation
# =================================================================================================
CLASSIFIER_FEATURES = (
    "tenure_stop", "billing_term", "plan", "segment", "region", "arr", "active_users_3m",
    "usage_change", "seat_utilisation", "features_used", "tickets_3m", "unresolved_3m",
    "resolution_h_6m", "csat_6m", "nps_score",
)


FEATURE_LABELS = {
    "tenure_stop": "Tenure (months)", "billing_term": "Billing term", "plan": "Plan",
    "segment": "Segment", "region": "Region", "arr": "ARR", "active_users_3m": "Active users",
    "usage_change": "Usage trend (3 vs 3 months)", "seat_utilisation": "Seat utilisation",
    "features_used": "Key features used", "tickets_3m": "Tickets (3 months)",
    "unresolved_3m": "Unresolved tickets", "resolution_h_6m": "Resolution time (6 months)",
    "csat_6m": "CSAT (6 months)", "nps_score": "Latest NPS score", "duration": "Tenure (months)",
}


def feature_label(name: str) -> str:
    """Plain name of a classifier feature (themes: "Theme: pricing value")."""
    if name.startswith("theme:"):
        return "Theme: " + name.removeprefix("theme:").replace("_", " ")
    return FEATURE_LABELS.get(name, name)


class ChurnClassifier:
    """Gradient-boosted trees (scikit-learn HistGradientBoosting) for churn in the next period.

    A flexible comparison for the Cox model: no proportional-hazards or linearity assumption,
    missing values handled natively, categories used as such. ``fit`` / ``predict_proba`` /
    ``permutation_importance`` / ``summary`` / ``plot``. Large tables are fitted on a random
    sample of ``max_train_rows`` rows (the loss is an average, so this keeps calibration).
    ``n_threads`` caps OpenMP threads: on a shared 2-core machine one thread is often faster,
    as busy-waiting threads contend with other processes.
    """

    def __init__(self, features: Sequence[str] | None = None, seed: int = 42,
                 max_iter: int = 300, learning_rate: float = 0.05,
                 max_train_rows: int = 300_000, n_threads: int | None = 1):
        self.features = features
        self.seed = seed
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_train_rows = max_train_rows
        self.n_threads = n_threads

    def _threads(self) -> Any:
        from threadpoolctl import threadpool_limits

        return threadpool_limits(self.n_threads, user_api="openmp")

    def _matrix(self, frame: pd.DataFrame) -> np.ndarray:
        """Float matrix; categories as integer codes (unknown levels and blanks -> NaN)."""
        X = np.empty((len(frame), len(self.features_)))
        for j, f in enumerate(self.features_):
            col = frame[f] if f in frame else pd.Series(np.nan, index=frame.index)
            if f in self.categories_:
                cat = pd.Categorical(col)
                lookup = {v: i for i, v in enumerate(self.categories_[f])}
                remap = np.array([lookup.get(str(v), -1) for v in cat.categories] + [-1])
                codes = remap[np.asarray(cat.codes)]  # code -1 (missing) picks the last slot
                X[:, j] = np.where(codes >= 0, codes, np.nan)
            else:
                X[:, j] = pd.to_numeric(col, errors="coerce").astype(float).to_numpy()
        return X

    def fit(self, frame: pd.DataFrame, y: Any = None) -> ChurnClassifier:
        from sklearn.ensemble import HistGradientBoostingClassifier

        if self.features is None:
            extra = [c for c in frame.columns if c.startswith("theme:")]
            self.features_ = [f for f in (*CLASSIFIER_FEATURES, *extra) if f in frame]
        else:
            self.features_ = [f for f in self.features if f in frame]
        y = frame["event"] if y is None else y
        y = np.asarray(y).astype(int)
        if len(frame) > self.max_train_rows:
            keep = np.sort(np.random.default_rng(self.seed).choice(
                len(frame), self.max_train_rows, replace=False))
            frame, y = frame.iloc[keep], y[keep]
        self.categories_ = {
            f: sorted(str(v) for v in pd.unique(frame[f].dropna()))
            for f in self.features_
            if not (pd.api.types.is_numeric_dtype(frame[f]) or pd.api.types.is_bool_dtype(frame[f]))
        }
        self.model_ = HistGradientBoostingClassifier(
            # shallow, heavily regularised trees: churn months are rare events
            learning_rate=self.learning_rate, max_iter=self.max_iter, max_leaf_nodes=8,
            min_samples_leaf=100, l2_regularization=5.0,
            categorical_features=[f in self.categories_ for f in self.features_],
            early_stopping=True, validation_fraction=0.15, n_iter_no_change=25,
            random_state=self.seed,
        )
        with self._threads():
            self.model_.fit(self._matrix(frame), y)
        return self

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        """Probability of churning in each row's period."""
        with self._threads():
            return self.model_.predict_proba(self._matrix(frame))[:, 1]

    def permutation_importance(
        self, frame: pd.DataFrame, y: Any = None, n_repeats: int = 5, max_rows: int = 20_000
    ) -> pd.DataFrame:
        """Drop in out-of-sample ROC AUC when each feature is shuffled (mean and sd), on at
        most ``max_rows`` random rows."""
        from sklearn.metrics import roc_auc_score

        y = np.asarray(frame["event"] if y is None else y).astype(int)
        rng = np.random.default_rng(self.seed)
        if len(frame) > max_rows:
            keep = np.sort(rng.choice(len(frame), max_rows, replace=False))
            frame, y = frame.iloc[keep], y[keep]
        if len(np.unique(y)) < 2:
            self.importances_ = pd.DataFrame(
                columns=["feature", "label", "importance", "importance_sd"])
            return self.importances_
        X = self._matrix(frame)
        rows = []
        with self._threads():
            base = roc_auc_score(y, self.model_.predict_proba(X)[:, 1])
            for j, f in enumerate(self.features_):
                original = X[:, j].copy()
                drops = []
                for _ in range(n_repeats):
                    X[:, j] = original[rng.permutation(len(X))]
                    drops.append(base - roc_auc_score(y, self.model_.predict_proba(X)[:, 1]))
                X[:, j] = original
                rows.append({"feature": f, "label": feature_label(f),
                             "importance": float(np.mean(drops)),
                             "importance_sd": float(np.std(drops))})
        self.importances_ = pd.DataFrame(rows).sort_values(
            "importance", ascending=False, ignore_index=True)
        return self.importances_

    @property
    def summary(self) -> pd.DataFrame:
        return self.importances_

    def plot(self, top: int = 15, title: str = "What the classifier relies on") -> Figure:
        s = self.importances_.head(top).set_index("label")["importance"]
        fig = plots.hbar(s, title=title, xlabel="drop in out-of-sample ROC AUC when shuffled",
                         annotate=False)
        return fig


@dataclass
class Evaluation:
    """Out-of-sample comparison of the Cox model and the classifier."""

    metrics: dict[str, Any]
    calibration: pd.DataFrame  # model, bin, n, predicted, observed, ci_low, ci_high
    importances: pd.DataFrame
    classifier: ChurnClassifier
    cox: ChurnCoxFitter

    def table(self) -> pd.DataFrame:
        """One row per model: the headline metrics."""
        rows = []
        for model in ("cox", "classifier"):
            m = self.metrics[model]
            rows.append({"model": model, **{k: v for k, v in m.items() if np.isscalar(v)}})
        return pd.DataFrame(rows)


def _calibration(model: str, p: np.ndarray, y: np.ndarray, bins: int = 10) -> pd.DataFrame:
    ranks = pd.Series(p).rank(method="first")
    b = pd.qcut(ranks, q=min(bins, max(1, len(p))), labels=False)
    rows = []
    for i, idx in pd.Series(np.arange(len(p))).groupby(b.to_numpy()):
        yy = y[idx.to_numpy()]
        lo, hi = wilson_interval(int(yy.sum()), len(yy))
        rows.append({"model": model, "bin": int(i) + 1, "n": len(yy),
                     "predicted": float(p[idx.to_numpy()].mean()), "observed": float(yy.mean()),
                     "ci_low": lo, "ci_high": hi})
    return pd.DataFrame(rows)


def _score(p: np.ndarray, y: np.ndarray) -> dict[str, float]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import brier_score_loss, roc_auc_score

    both = len(np.unique(y)) == 2
    logit = np.log(np.clip(p, 1e-6, 1 - 1e-6) / (1 - np.clip(p, 1e-6, 1 - 1e-6)))
    slope = np.nan
    if both:
        slope = float(LogisticRegression(C=1e6).fit(logit[:, None], y).coef_[0, 0])
    return {
        "auc": float(roc_auc_score(y, p)) if both else np.nan,
        "brier": float(brier_score_loss(y, p)),
        "expected_over_observed": float(p.sum() / y.sum()) if y.sum() else np.nan,
        "calibration_slope": slope,
    }


def evaluate(
    periods: AccountPeriods,
    *,
    holdout_months: int = 6,
    seed: int = 42,
    covariates: Sequence[Covariate] | None = None,
    importance_rows: int = 20_000,
    progress: bool = False,
) -> Evaluation:
    """Fit both models on the months before the last ``holdout_months`` and score those months.

    A temporal split is the honest test for a churn model: it predicts later months from
    earlier ones, as it will be used. Metrics per model on the held-out account-months:
    ROC AUC of next-month churn, Brier score, calibration (deciles; expected/observed events;
    calibration slope, 1 = ideal); and per account, scored in the first held-out month:
    Harrell's concordance with the time to churn and the ROC AUC of churning within the
    holdout. Permutation importances are computed for the classifier on held-out rows.
    """
    f = periods.frame
    months = np.sort(f["month"].unique())
    if len(months) <= holdout_months:
        raise ValueError(f"need more than {holdout_months} months to hold out, have {len(months)}")
    cut = months[-holdout_months]
    train, test = f[f["month"] < cut], f[f["month"] >= cut]
    steps = tqdm(total=4, desc="evaluate", disable=not progress, leave=False)
    cox = ChurnCoxFitter(covariates).fit(train, periods.themes, periods.theme_labels)
    steps.update()
    clf = ChurnClassifier(seed=seed).fit(train)
    steps.update()
    y = test["event"].to_numpy().astype(int)
    preds = {"cox": cox.predict_hazard(test), "classifier": clf.predict_proba(test)}
    first = (test["month"] == cut).to_numpy()
    per_acc = test.groupby("account_id", observed=True).agg(
        months=("month", "size"), churned=("event", "max"))
    ids = test.loc[first, "account_id"].astype(str).to_numpy()
    per_acc.index = per_acc.index.astype(str)
    window = per_acc.reindex(ids)
    metrics: dict[str, Any] = {
        "holdout_months": holdout_months,
        "holdout_start": pd.Timestamp(cut).date().isoformat(),
        "train_rows": len(train), "train_events": int(train["event"].sum()),
        "test_rows": len(test), "test_events": int(y.sum()),
        "test_accounts": len(ids),
    }
    calib = []
    for name, p in preds.items():
        m = _score(p, y)
        s = p[first]
        m["concordance"] = float(concordance_index(window["months"], -s, window["churned"]))
        m["auc_window"] = _score(s, window["churned"].to_numpy().astype(int))["auc"]
        metrics[name] = m
        calib.append(_calibration(name, p, y))
    steps.update()
    imp = clf.permutation_importance(test, max_rows=importance_rows)
    steps.update()
    steps.close()
    return Evaluation(metrics, pd.concat(calib, ignore_index=True), imp, clf, cox)


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


# =================================================================================================
# Voice-to-churn
# =================================================================================================
def _bh(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p values."""
    p = np.asarray(p, dtype=float)
    n = len(p)
    if n == 0:
        return p
    order = np.argsort(p)
    adj = p[order] * n / np.arange(1, n + 1)
    adj = np.minimum.accumulate(adj[::-1])[::-1]
    out = np.empty(n)
    out[order] = np.minimum(adj, 1.0)
    return out


def voice_to_churn(cox: ChurnCoxFitter, frame: pd.DataFrame) -> pd.DataFrame:
    """Churn hazard ratio per feedback theme and per NPS category.

    ``adjusted_hr`` comes from the fitted Cox model, i.e. adjusted for billing term, plan,
    segment, region, ARR, usage, support experience and the other themes (an account raising
    several themes is not double counted). ``crude_rate_ratio`` is the unadjusted ratio of
    monthly churn rates. ``q`` is the Benjamini-Hochberg adjusted p over all feedback signals
    in the model (themes, NPS categories, poor CSAT): with a dozen themes one will often look
    significant by chance alone, so ``significant`` requires q < 0.05 as well as an interval
    that excludes 1 (see ``ChurnCoxFitter.summary``).
    """
    summ = cox.summary
    rows = []
    ev = frame["event"].to_numpy()
    for _, r in summ.iterrows():
        cov = r["covariate"]
        if cov.startswith("theme:"):
            kind, item = "theme", cov.removeprefix("theme:")
            on = frame[cov].fillna(False).to_numpy(bool)
            off = ~on
        elif cov == "nps_category":
            kind, item = "nps", r["driver"].split("[", 1)[1].rstrip("]")
            cat = frame[cov].astype(str).to_numpy()
            on, off = cat == item, cat == r["reference"]
        else:
            continue
        d1, n1, d0, n0 = ev[on].sum(), on.sum(), ev[off].sum(), off.sum()
        rr = lo = hi = np.nan
        if d1 and d0:
            rr = (d1 / n1) / (d0 / n0)
            se = math.sqrt(1 / d1 + 1 / d0)
            lo, hi = rr * _safe_exp(-1.96 * se), rr * _safe_exp(1.96 * se)
        accounts = int(frame.loc[on, "account_id"].nunique())
        rows.append({
            "kind": kind, "item": item, "label": r["label"], "accounts": accounts,
            "account_months": int(n1), "churned": int(d1),
            "churn_per_100_months": 100 * d1 / n1 if n1 else np.nan,
            "churn_per_100_months_without": 100 * d0 / n0 if n0 else np.nan,
            "crude_rate_ratio": rr, "crude_ci_low": lo, "crude_ci_high": hi,
            "adjusted_hr": r["hazard_ratio"], "ci_low": r["ci_low"], "ci_high": r["ci_high"],
            "p": r["p"], "q": r["q"], "significant": r["significant"],
            "sentence": r["sentence"],
        })
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    return out.sort_values(["kind", "adjusted_hr"], ascending=[False, False], ignore_index=True)


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


# =================================================================================================
# At-risk accounts
# =================================================================================================
def at_risk_accounts(
    cox: ChurnCoxFitter, periods: AccountPeriods, horizon_months: int = HORIZON_MONTHS,
    top_reasons: int = 3,
) -> pd.DataFrame:
    """Current accounts ranked by churn probability over the next ``horizon_months``.

    Columns: rank, account_id, account_name, plan, segment, billing_term, tenure_months, arr,
    churn_probability, risk_vs_typical (hazard vs the median current account),
    expected_arr_loss (arr x probability), top_reasons. ``arr`` is the accounts table's
    current ARR (the ARR at stake), falling back to last month's MRR x 12.
    """
    cur = periods.current
    p = cox.predict_risk(cur, horizon_months)
    lp = cox.predict_log_hazard_ratio(cur)
    arr = pd.to_numeric(cur["arr_now"], errors="coerce").fillna(cur.get("arr"))
    reasons = cox.reasons(cur, top=top_reasons)
    out = pd.DataFrame({
        "account_id": cur["account_id"].astype(str),
        "account_name": cur["account_name"],
        **{c: cur[c].astype(str) for c in ("plan", "segment", "billing_term") if c in cur},
        "tenure_months": cur["tenure_stop"].to_numpy(),
        "arr": arr.to_numpy(),
        "churn_probability": p,
        "risk_vs_typical": np.exp(lp - np.median(lp)) if len(lp) else lp,
        "expected_arr_loss": arr.to_numpy() * p,
        "top_reasons": ["; ".join(r) if r else "no single driver stands out" for r in reasons],
    })
    out = out.sort_values(["churn_probability", "arr"], ascending=False, ignore_index=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    out.attrs["horizon_months"] = horizon_months
    return out


def risk_summary(at_risk: pd.DataFrame, periods: AccountPeriods, horizon_months: int,
                 high_risk_share: float = 0.1) -> dict[str, Any]:
    """Revenue at risk: expected ARR and accounts lost over the horizon, and the riskiest tenth."""
    n = len(at_risk)
    k = max(1, int(math.ceil(high_risk_share * n))) if n else 0
    top = at_risk.head(k)
    arr = float(at_risk["arr"].sum())
    exp_loss = float(at_risk["expected_arr_loss"].sum())
    return {
        "as_of": (periods.cutoff - pd.Timedelta(days=1)).date().isoformat(),
        "horizon_months": horizon_months,
        "accounts_scored": n,
        "arr_scored": arr,
        "expected_accounts_lost": float(at_risk["churn_probability"].sum()),
        "expected_arr_lost": exp_loss,
        "expected_arr_lost_share": exp_loss / arr if arr else np.nan,
        "high_risk_accounts": k,
        "high_risk_arr": float(top["arr"].sum()),
        "high_risk_expected_arr_lost": float(top["expected_arr_loss"].sum()),
        "high_risk_min_probability": float(top["churn_probability"].min()) if k else np.nan,
    }


# =================================================================================================
# Everything on the store's tables
# =================================================================================================
@dataclass
class ChurnAnalysis:
    """All results of ``analyze``; ``tables()`` gives what the report exports."""

    periods: AccountPeriods
    cox: ChurnCoxFitter
    ph_test: pd.DataFrame
    evaluation: Evaluation
    drivers: pd.DataFrame
    voice: pd.DataFrame
    at_risk: pd.DataFrame
    summary: dict[str, Any]
    timings: dict[str, float]

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "churn_drivers": self.drivers,
            "churn_voice": self.voice,
            "at_risk_accounts": self.at_risk,
            "churn_ph_test": self.ph_test,
            "churn_model_comparison": self.evaluation.table(),
            "churn_calibration": self.evaluation.calibration,
            "churn_importances": self.evaluation.importances,
        }


def driver_table(cox: ChurnCoxFitter, importances: pd.DataFrame | None = None) -> pd.DataFrame:
    """The Cox summary as the report's driver table, with the classifier's importance of the
    matching feature, ordered: clear drivers first, strongest effect first."""
    d = cox.summary
    if importances is not None and len(importances):
        feat = {c.covariate.name: c.covariate.feature or c.covariate.name
                for c in cox.design_.columns}
        imp = importances.set_index("feature")
        d["importance"] = d["covariate"].map(feat).map(imp["importance"])
        d["importance_sd"] = d["covariate"].map(feat).map(imp["importance_sd"])
    d["_strength"] = np.abs(np.log(d["hazard_ratio"]))
    d = d.sort_values(["significant", "_strength"], ascending=False, ignore_index=True)
    return d.drop(columns="_strength")


def analyze(
    accounts: pd.DataFrame,
    usage_monthly: pd.DataFrame | None = None,
    tickets: pd.DataFrame | None = None,
    nps_responses: pd.DataFrame | None = None,
    doc_themes: pd.DataFrame | None = None,
    *,
    start: Any = None,
    as_of: Any = None,
    theme_labels: Mapping[str, str] | None = None,
    seed: int = 42,
    holdout_months: int = 6,
    horizon_months: int = HORIZON_MONTHS,
    progress: bool = False,
) -> ChurnAnalysis:
    """Account-period table, Cox drivers + PH check, out-of-sample comparison, voice-to-churn,
    at-risk accounts and the revenue-at-risk summary, in one call."""
    with blas_threads():
        return _analyze(accounts, usage_monthly, tickets, nps_responses, doc_themes, start=start,
                        as_of=as_of, theme_labels=theme_labels, seed=seed,
                        holdout_months=holdout_months, horizon_months=horizon_months,
                        progress=progress)


def _analyze(
    accounts: pd.DataFrame,
    usage_monthly: pd.DataFrame | None,
    tickets: pd.DataFrame | None,
    nps_responses: pd.DataFrame | None,
    doc_themes: pd.DataFrame | None,
    *,
    start: Any,
    as_of: Any,
    theme_labels: Mapping[str, str] | None,
    seed: int,
    holdout_months: int,
    horizon_months: int,
    progress: bool,
) -> ChurnAnalysis:
    import time

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    periods = account_periods(accounts, usage_monthly, tickets, nps_responses, doc_themes,
                              start=start, as_of=as_of, theme_labels=theme_labels,
                              progress=progress)
    timings["table"] = time.perf_counter() - t0
    t = time.perf_counter()
    cox = ChurnCoxFitter().fit(periods.frame, periods.themes, periods.theme_labels)
    timings["cox"] = time.perf_counter() - t
    t = time.perf_counter()
    ph = cox.check_assumptions(periods.frame)
    timings["ph_check"] = time.perf_counter() - t
    t = time.perf_counter()
    ev = evaluate(periods, holdout_months=holdout_months, seed=seed, progress=progress)
    timings["evaluation"] = time.perf_counter() - t
    t = time.perf_counter()
    drivers = driver_table(cox, ev.importances)
    voice = voice_to_churn(cox, periods.frame)
    risk = at_risk_accounts(cox, periods, horizon_months)
    summary = risk_summary(risk, periods, horizon_months)
    summary.update({
        "window": [periods.first_month.date().isoformat(), periods.last_month.date().isoformat()],
        "account_months": len(periods.frame),
        "churn_events": int(periods.frame["event"].sum()),
        "accounts": int(periods.frame["account_id"].nunique()),
        "clear_drivers": drivers.loc[drivers["significant"], "sentence"].tolist(),
        "ph_violations": ph.loc[ph["violated"] & (ph["driver"] != "GLOBAL"), "label"].tolist(),
        "auc_cox": ev.metrics["cox"]["auc"],
        "auc_classifier": ev.metrics["classifier"]["auc"],
        "concordance_cox": ev.metrics["cox"]["concordance"],
        "concordance_classifier": ev.metrics["classifier"]["concordance"],
        "voice_themes_clear": voice.loc[voice["significant"] & (voice["kind"] == "theme"),
                                        "sentence"].tolist() if len(voice) else [],
        "notes": periods.notes,
    })
    timings["voice_and_risk"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - t0
    return ChurnAnalysis(periods, cox, ph, ev, drivers, voice, risk, summary, timings)


# =================================================================================================
# Any account export: ``cc-analysis churn FILE``
# =================================================================================================
_TRUE = {"1", "true", "t", "yes", "y", "churned", "churn", "lost", "cancelled", "canceled",
         "closed", "inactive", "left"}
_FALSE = {"0", "false", "f", "no", "n", "active", "retained", "current", "open", "stayed"}
_BLANK = {"", "na", "n/a", "nan", "null", "none", "-", "?", "#n/a"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_MAX_LEVELS = 25
DAYS_PER_MONTH = 365.25 / 12


def read_account_file(path: str | Path) -> tuple[pd.DataFrame, list[str]]:
    """Read a CSV / TSV / TXT (delimiter sniffed; UTF-8, falling back to cp1252), Parquet,
    JSON or Excel export with every cell as text, so coercions are ours and reported."""
    path = Path(path)
    notes: list[str] = []
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        df = pd.read_parquet(path)
        df = df.astype(object).where(df.notna(), "").astype(str)
    elif suffix in (".xlsx", ".xlsm", ".xls"):
        try:
            df = pd.read_excel(path, dtype=str, keep_default_na=False)
        except ImportError as exc:
            raise ValueError(f"{path.name}: reading Excel needs openpyxl; save it as CSV") from exc
    elif suffix in (".json", ".jsonl", ".ndjson"):
        df = pd.read_json(path, lines=suffix != ".json", dtype=False)
        df = df.astype(object).where(df.notna(), "").astype(str)
    else:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
            notes.append(f"{path.name}: not UTF-8, read as cp1252 (Windows-1252)")
        sample = "\n".join(text.splitlines()[:50])
        try:
            sep = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
        except csv.Error:
            sep = ","
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    df.columns = [str(c).strip() for c in df.columns]
    if df.empty:
        raise ValueError(f"{path.name}: no rows")
    return df, notes


def _resolve(df: pd.DataFrame, name: str | None, what: str, notes: list[str]) -> str | None:
    """The column called ``name``, matched case- and space-insensitively if need be."""
    if name is None:
        return None
    if name in df.columns:
        return name
    key = re.sub(r"[\s_]+", "", name).lower()
    hits = [c for c in df.columns if re.sub(r"[\s_]+", "", c).lower() == key]
    if len(hits) == 1:
        notes.append(f"{what} column '{name}' matched to '{hits[0]}'")
        return hits[0]
    raise KeyError(f"no {what} column '{name}'; the file has: {', '.join(df.columns)}")


def _blank(s: pd.Series) -> pd.Series:
    return s.astype(str).str.strip().str.lower().isin(_BLANK)


def parse_numbers(values: pd.Series) -> tuple[pd.Series, dict[str, int]]:
    """Text to numbers: trims spaces, drops currency/percent signs and thousands separators,
    reads (123) as -123 and a decimal comma when the column has no dots. Returns the numbers
    (blank or unreadable -> NaN) and counts of blanks, reformatted and unreadable values."""
    s = values.astype(str).str.strip()
    blank = s.str.lower().isin(_BLANK)
    t = s.str.replace(r"[\s$€£¥%]", "", regex=True)
    neg = t.str.match(r"^\(.*\)$")
    t = t.str.strip("()")
    thousands = t.str.match(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
    t = t.where(~thousands, t.str.replace(",", "", regex=False))
    if not t.str.contains(".", regex=False).any():
        t = t.str.replace(r"^([+-]?\d+),(\d+)$", r"\1.\2", regex=True)
    ok = t.str.match(_NUMBER.pattern) & ~blank
    num = pd.to_numeric(t.where(ok), errors="coerce")
    num = num.where(~neg, -num)
    counts = {"blank": int(blank.sum()), "reformatted": int((ok & (t != s)).sum()),
              "unreadable": int((~ok & ~blank).sum())}
    return num.astype(float), counts


def _nice(x: float) -> float:
    """A round step near ``x`` (1, 2, 2.5 or 5 times a power of ten)."""
    if not np.isfinite(x) or x <= 0:
        return 1.0
    e = 10 ** math.floor(math.log10(x))
    return min((m * e for m in (1, 2, 2.5, 5, 10)), key=lambda v: abs(math.log(v / x)))


@dataclass
class _Prepared:
    frame: pd.DataFrame  # id, duration, event, cleaned drivers
    covariates: list[Covariate]
    features: list[str]  # classifier features (raw cleaned columns)
    coercions: list[str]
    excluded: list[str]
    as_of: str | None


def prepare_account_table(
    df: pd.DataFrame,
    id_col: str,
    churn_col: str,
    tenure_col: str | None = None,
    start_col: str | None = None,
    end_col: str | None = None,
    *,
    as_of: Any = None,
    drop_cols: Sequence[str] = (),
    keep_cols: Sequence[str] = (),
    notes: list[str] | None = None,
) -> _Prepared:
    """Clean a one-row-per-account table for the driver models and say what was changed.

    Churn: 1/0, true/false, yes/no (and churned/active, ...). Duration in months from
    ``tenure_col`` or from ``start_col`` to ``end_col`` (blank end = still a customer at
    ``as_of``, default the latest date in the file). Every other column is a candidate
    driver: numbers (text-typed ones coerced; blanks filled with the median plus a
    "<col> is blank" flag), categories (trimmed; case variants merged; blanks kept as
    '(blank)'; rare levels pooled as 'Other'). Left out, with the reason: identifier-like
    columns, constant columns, date columns and numeric totals that grow with tenure
    (|Spearman| >= 0.8 with the duration: a total at churn measures time as a customer, not
    a driver). ``keep_cols`` overrides the last two checks; ``drop_cols`` removes columns.
    """
    coercions = list(notes or [])
    excluded: list[str] = []
    id_col = _resolve(df, id_col, "id", coercions)
    churn_col = _resolve(df, churn_col, "churn", coercions)
    tenure_col = _resolve(df, tenure_col, "tenure", coercions)
    start_col = _resolve(df, start_col, "start", coercions)
    end_col = _resolve(df, end_col, "end", coercions)
    if (tenure_col is None) == (start_col is None):
        raise ValueError("give either a tenure column (months) or a start column (with an "
                         "optional end column), not both")
    if end_col is not None and start_col is None:
        raise ValueError("an end column needs a start column")
    n0 = len(df)
    df = df.copy()
    dup = df[id_col].astype(str).str.strip().duplicated(keep="last")
    if dup.any():
        coercions.append(f"{id_col}: {int(dup.sum())} duplicate ids, kept the last row of each")
        df = df[~dup]

    flag = df[churn_col].astype(str).str.strip().str.lower().str.replace(r"\.0+$", "", regex=True)
    event = pd.Series(np.where(flag.isin(_TRUE), 1.0, np.where(flag.isin(_FALSE), 0.0, np.nan)),
                      index=df.index)
    if event.isna().any():
        bad = sorted(set(df.loc[event.isna(), churn_col].astype(str)))[:5]
        coercions.append(f"{churn_col}: {int(event.isna().sum())} rows with an unreadable churn "
                         f"value ({', '.join(repr(b) for b in bad)}) left out")

    as_of_text = None
    if tenure_col is not None:
        duration, c = parse_numbers(df[tenure_col])
        if c["blank"] or c["unreadable"]:
            coercions.append(f"{tenure_col}: {c['blank'] + c['unreadable']} blank or unreadable "
                             "tenures, rows left out")
    else:
        start = pd.to_datetime(df[start_col].where(~_blank(df[start_col])), errors="coerce",
                               format="mixed")
        end = pd.to_datetime(df[end_col].where(~_blank(df[end_col])), errors="coerce",
                             format="mixed") if end_col else pd.Series(pd.NaT, index=df.index)
        stamp = pd.Timestamp(as_of) if as_of is not None else max(start.max(), end.max())
        as_of_text = stamp.date().isoformat()
        if as_of is None:
            coercions.append(f"as-of date {as_of_text} (the latest date in the file)")
        if start.isna().any():
            coercions.append(f"{start_col}: {int(start.isna().sum())} blank or unreadable start "
                             "dates, rows left out")
        lost = (event == 1) & end.isna()
        if lost.any():
            coercions.append(f"{end_col or 'end'}: {int(lost.sum())} churned accounts without an "
                             f"end date, followed to {as_of_text}")
        odd = (event == 0) & end.notna() & (end <= stamp)
        if odd.any():
            coercions.append(f"{end_col}: {int(odd.sum())} accounts marked active have a past "
                             "end date; the churn column wins (followed to the as-of date)")
        stop = end.where(event == 1).fillna(stamp)
        duration = (stop - start).dt.days / DAYS_PER_MONTH
    neg = duration < 0
    if neg.any():
        coercions.append(f"{int(neg.sum())} negative durations, rows left out")
    duration = duration.where(~neg)
    zero = duration == 0
    if zero.any():
        # lifelines needs time > 0; tenure 0 means "less than a month"
        coercions.append(f"{int(zero.sum())} accounts with tenure 0 counted as half a month")
        duration = duration.where(~zero, 0.5)
    ok = event.notna() & duration.notna()
    df, event, duration = df[ok], event[ok], duration[ok]
    if len(df) < n0 - int(dup.sum()):
        coercions.append(f"{len(df):,} of {n0:,} rows analysed")
    if event.sum() < 10 or (event == 0).sum() < 10:
        raise ValueError(f"need at least 10 churned and 10 active accounts; have "
                         f"{int(event.sum())} and {int((event == 0).sum())}")

    used = {id_col, churn_col, tenure_col, start_col, end_col}
    keep = set(keep_cols)
    drops = {_resolve(df, c, "drop", coercions) for c in drop_cols}
    frame = pd.DataFrame({"account_id": df[id_col].astype(str).str.strip(),
                          "duration": duration.astype(float), "event": event.astype(int)})
    covs: list[Covariate] = []
    features: list[str] = []
    n = len(df)
    for col in df.columns:
        if col in used or col in drops:
            continue
        raw = df[col]
        nonblank = ~_blank(raw)
        if not nonblank.any():
            excluded.append(f"{col}: empty")
            continue
        num, c = parse_numbers(raw)
        if c["unreadable"] <= 0.05 * nonblank.sum() and num.notna().any():
            what = []
            if c["blank"]:
                what.append(f"{c['blank']} blank")
            if c["unreadable"]:
                what.append(f"{c['unreadable']} unreadable")
            values = num.dropna().unique()
            if len(values) <= 1:
                excluded.append(f"{col}: a single value")
                continue
            if len(values) == 2:  # a 0/1 style column reads best as two groups
                lv = num.map(lambda v: "(blank)" if pd.isna(v) else _fmt_level(v))
                frame[col] = lv
                covs.append(Covariate(col, "category", col, "account", "{label} = {level}"))
                features.append(col)
                if what:
                    coercions.append(f"{col}: {' and '.join(what)} values kept as '(blank)'")
                continue
            if c["reformatted"] or what:
                parts = ([f"{c['reformatted']} values stripped of signs/separators"]
                         if c["reformatted"] else [])
                if what:
                    parts.append(f"{' and '.join(what)} values read as missing")
                coercions.append(f"{col}: text read as numbers ({'; '.join(parts)})")
            rho = stats.spearmanr(num, duration, nan_policy="omit")[0]
            if abs(rho) >= 0.8 and col not in keep:
                excluded.append(f"{col}: grows with tenure (Spearman {rho:.2f} with duration), "
                                "so it measures time as a customer rather than a driver; "
                                "pass it in keep_cols to use it anyway")
                continue
            if num.isna().any():
                med = float(num.median())
                coercions.append(f"{col}: {int(num.isna().sum())} missing values filled with "
                                 f"the median {_fmt_value(med)} for the hazard model, with a "
                                 f"'{col} is blank' flag")
                frame[f"{col} is blank"] = num.isna()
                covs.append(Covariate(f"{col} is blank", "flag", f"{col} is blank", "account"))
            frame[col] = num
            sd = float(num.std())
            unit = _nice(sd)
            covs.append(Covariate(col, "numeric", col, "account", unit=unit,
                                  unit_label=f"per +{_fmt_value(unit)} {col}"))
            features.append(col)
            continue
        # dates are not drivers
        dates = pd.to_datetime(raw.where(nonblank), errors="coerce", format="mixed")
        if dates.notna().sum() >= 0.95 * nonblank.sum() and raw.str.contains(r"\d").all():
            excluded.append(f"{col}: dates (give it as --start-col/--end-col to use it)")
            continue
        cat = _tidy_category(raw.where(nonblank, None))
        merged = raw.where(nonblank, "").astype(str).str.strip().nunique() - cat.nunique()
        if merged > 0:
            coercions.append(f"{col}: {merged} spelling variants (case, spaces) merged")
        counts = cat.value_counts()
        rare = counts[counts < max(10, 0.01 * n)].index
        if len(rare) and len(counts) - len(rare) >= 1:
            cat = cat.where(~cat.isin(rare), "Other")
            coercions.append(f"{col}: {len(rare)} rare values pooled as 'Other'")
        levels = cat.nunique()
        if (levels > _MAX_LEVELS or raw.nunique() > 0.5 * n) and col not in keep:
            excluded.append(f"{col}: {raw.nunique():,} distinct values (identifier-like)")
            continue
        if levels < 2:
            excluded.append(f"{col}: a single value")
            continue
        if (~nonblank).any():
            coercions.append(f"{col}: {int((~nonblank).sum())} blank values kept as '(blank)'")
        frame[col] = cat.to_numpy()
        covs.append(Covariate(col, "category", col, "account", "{label} = {level}"))
        features.append(col)
    if not covs:
        raise ValueError("no usable driver columns left; see the excluded list")
    return _Prepared(frame.reset_index(drop=True), covs, features, coercions, excluded,
                     as_of_text)


def _fmt_level(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _drop_aliased(design: Design, frame: pd.DataFrame, excluded: list[str],
                  max_rows: int = 20_000, seed: int = 0) -> None:
    """Drop design columns that repeat the information of earlier ones (e.g. 'OnlineSecurity =
    No internet service' is exactly 'InternetService = No'): the hazard model cannot separate
    them. Checked by rank on a row sample."""
    X = design.matrix(frame)
    if len(X) > max_rows:
        X = X[np.random.default_rng(seed).choice(len(X), max_rows, replace=False)]
    sd = X.std(0)
    Z = (X - X.mean(0)) / np.where(sd > 0, sd, 1.0)
    kept: list[int] = []
    for j, col in enumerate(design.columns):
        trial = [*kept, j]
        if np.linalg.matrix_rank(Z[:, trial], tol=1e-8 * len(Z)) == len(trial):
            kept.append(j)
        else:
            excluded.append(f"{col.label}: same information as other columns (aliased)")
    design.columns = [design.columns[j] for j in kept]


def _cum_baseline(cph: CoxPHFitter, t: np.ndarray) -> np.ndarray:
    """Baseline cumulative hazard at times ``t`` (step function), extended linearly past the
    last observed time at the average rate of the last quarter of follow-up, so the longest
    tenured accounts do not get zero risk."""
    bch = cph.baseline_cumulative_hazard_.iloc[:, 0]
    times, H = bch.index.to_numpy(float), bch.to_numpy(float)
    idx = np.searchsorted(times, t, side="right") - 1
    out = np.where(idx >= 0, H[np.clip(idx, 0, None)], 0.0)
    t_max = times[-1]
    lo = np.searchsorted(times, 0.75 * t_max)
    rate = (H[-1] - H[lo]) / max(t_max - times[lo], 1e-9) if lo < len(times) - 1 else \
        H[-1] / max(t_max, 1e-9)
    return np.where(t > t_max, H[-1] + rate * (t - t_max), out)


def analyze_file(
    path: str | Path,
    id_col: str,
    churn_col: str,
    tenure_col: str | None = None,
    start_col: str | None = None,
    end_col: str | None = None,
    out_dir: str | Path = "churn-out",
    seed: int = 42,
    *,
    as_of: Any = None,
    value_col: str | None = None,
    horizon_months: int = HORIZON_MONTHS,
    drop_cols: Sequence[str] = (),
    keep_cols: Sequence[str] = (),
    folds: int = 5,
    progress: bool = False,
) -> dict[str, Any]:
    """Churn drivers of any one-row-per-account export; the ``cc-analysis churn`` command.

    Writes to ``out_dir``: ``drivers.csv`` (driver, level, hazard ratio with CI, p, the
    classifier's permutation importance, plain-words sentence), ``model_metrics.json``
    (cross-validated ROC AUC, Brier and calibration of a gradient-boosted classifier;
    cross-validated and in-sample concordance of a Cox model; the proportional-hazards test;
    what was coerced and left out) and ``at_risk.csv`` (accounts still active ranked by the
    probability of churning within ``horizon_months``, with top reasons and, given
    ``value_col``, the value at stake). Returns a summary with the file paths, headline
    numbers, ``coercions`` and ``excluded``.
    """
    from lifelines.statistics import proportional_hazard_test
    from sklearn.model_selection import StratifiedKFold, train_test_split

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    raw, notes = read_account_file(path)
    id_col = _resolve(raw, id_col, "id", notes)
    value = None
    if value_col is not None:
        value_col = _resolve(raw, value_col, "value", notes)
        value, _ = parse_numbers(raw[value_col])
    prep = prepare_account_table(raw, id_col, churn_col, tenure_col, start_col, end_col,
                                 as_of=as_of, drop_cols=drop_cols, keep_cols=keep_cols,
                                 notes=notes)
    frame = prep.frame
    if value is not None:
        vals = pd.Series(value.to_numpy(), index=raw[id_col].astype(str).str.strip())
        frame["_value"] = frame["account_id"].map(vals[~vals.index.duplicated(keep="last")])

    design = Design(prep.covariates).fit(frame)
    _drop_aliased(design, frame, prep.excluded, seed=seed)

    def fit_cox(part: pd.DataFrame, penalizer: float) -> CoxPHFitter:
        X = design.transform(part).assign(_T=part["duration"].to_numpy(),
                                          _E=part["event"].to_numpy())
        X = X.loc[:, (X.std() > 0) | X.columns.isin(["_T", "_E"])]
        cph = CoxPHFitter(penalizer=penalizer)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cph.fit(X, duration_col="_T", event_col="_E")
        return cph

    penalizer = 0.01  # mild ridge: real exports have near-duplicate and sparse columns
    try:
        cph = fit_cox(frame, penalizer)
    except Exception:  # noqa: BLE001 - lifelines raises several convergence error types
        penalizer = 0.1
        prep.coercions.append("Cox model did not converge with ridge 0.01; used 0.1")
        cph = fit_cox(frame, penalizer)

    # cross-validated concordance (Cox) and predictions (classifier), same folds
    skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    oof = np.zeros(len(frame))
    conc = []
    feats = ["duration", *prep.features]
    for tr, te in tqdm(list(skf.split(frame, frame["event"])), desc="cross-validation",
                       leave=False, disable=not progress):
        train, test = frame.iloc[tr], frame.iloc[te]
        c = fit_cox(train, penalizer)
        lp = c.predict_log_partial_hazard(design.transform(test)[c.params_.index])
        conc.append(concordance_index(test["duration"], -lp, test["event"]))
        clf = ChurnClassifier(features=feats, seed=seed).fit(train)
        oof[te] = clf.predict_proba(test)
    y = frame["event"].to_numpy()
    cls_metrics = _score(oof, y)
    calib = _calibration("classifier", oof, y)
    tr, te = train_test_split(np.arange(len(frame)), test_size=0.25, random_state=seed,
                              stratify=y)
    clf = ChurnClassifier(features=feats, seed=seed).fit(frame.iloc[tr])
    imp = clf.permutation_importance(frame.iloc[te], n_repeats=5)

    # drivers table
    z = stats.norm.ppf(0.975)
    imp_by = imp.set_index("feature")
    rows = []
    for col in design.columns:
        if col.column not in cph.params_.index:
            continue
        coef, se = float(cph.params_[col.column]), float(cph.standard_errors_[col.column])
        hr, lo, hi = _safe_exp(coef), _safe_exp(coef - z * se), _safe_exp(coef + z * se)
        src = col.covariate.name.removesuffix(" is blank")
        rows.append({
            "driver": src, "level": col.level if col.level is not None else "",
            "reference": col.reference or "", "label": col.label,
            "hazard_ratio": hr, "ci_low": lo, "ci_high": hi,
            "p": float(cph.summary.loc[col.column, "p"]),
            "significant": bool(lo > 1 or hi < 1),
            "importance": float(imp_by["importance"].get(src, np.nan)),
            "importance_sd": float(imp_by["importance_sd"].get(src, np.nan)),
            "sentence": driver_sentence(col.label, hr, lo, hi, col.covariate.unit_label),
        })
    drivers = pd.DataFrame(rows)
    drivers["_s"] = np.abs(np.log(drivers["hazard_ratio"]))
    drivers = drivers.sort_values(["significant", "_s"], ascending=False, ignore_index=True)
    drivers = drivers.drop(columns="_s")

    # proportional hazards (lifelines' Schoenfeld-residual test)
    ph_rows: list[dict[str, Any]] = []
    try:
        X = design.transform(frame)[cph.params_.index].assign(
            _T=frame["duration"].to_numpy(), _E=frame["event"].to_numpy())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = proportional_hazard_test(cph, X, time_transform="rank")
        ph = res.summary
        q = _bh(ph["p"].to_numpy())
        ph_rows = [{"driver": str(i[0] if isinstance(i, tuple) else i), "p": float(p),
                    "q": float(qq), "violated": bool(qq < 0.01)}
                   for i, p, qq in zip(ph.index, ph["p"], q, strict=True)]
    except Exception as exc:  # noqa: BLE001 - a diagnostic must not stop the analysis
        prep.coercions.append(f"proportional-hazards test skipped: {exc}")

    # at-risk accounts
    active = frame[frame["event"] == 0]
    Xa = design.transform(active)[cph.params_.index]
    t = active["duration"].to_numpy()
    inc = _cum_baseline(cph, t + horizon_months) - _cum_baseline(cph, t)
    ph_now = cph.predict_partial_hazard(Xa).to_numpy()
    prob = 1 - np.exp(-inc * ph_now)
    lp = np.log(ph_now)
    sig = set(drivers.loc[drivers["significant"], "label"])
    credible = {c.covariate.name for c in design.columns if c.label in sig}
    reasons = _top_reasons(design, cph.params_, credible, design.matrix(frame).mean(0), active)
    risk = pd.DataFrame({
        id_col: active["account_id"].to_numpy(),
        "tenure_months": np.round(t, 1),
        f"churn_probability_{horizon_months}m": prob,
        "risk_vs_typical": np.exp(lp - np.median(lp)),
    })
    if value is not None:
        risk[value_col] = active["_value"].to_numpy()
        risk["expected_value_at_risk"] = risk[value_col] * prob
    risk["top_reasons"] = ["; ".join(r) if r else "no single driver stands out" for r in reasons]
    risk = risk.sort_values(f"churn_probability_{horizon_months}m", ascending=False,
                            ignore_index=True)
    risk.insert(0, "rank", np.arange(1, len(risk) + 1))

    metrics = {
        "file": str(path),
        "accounts": len(frame),
        "churned": int(y.sum()),
        "churn_share": float(y.mean()),
        "duration": f"tenure column '{tenure_col}' (months)" if tenure_col else
        f"from '{start_col}' to '{end_col or 'as-of'}' (months)",
        "as_of": prep.as_of,
        "drivers_considered": prep.features,
        "classifier": {
            "model": "HistGradientBoostingClassifier (features: duration + drivers)",
            "cv_folds": folds, **cls_metrics,
            "calibration": calib.drop(columns="model").to_dict("records"),
            "importances": imp.to_dict("records"),
        },
        "cox": {
            "penalizer": penalizer,
            "concordance_cv": float(np.mean(conc)),
            "concordance_cv_sd": float(np.std(conc)),
            "concordance_in_sample": float(cph.concordance_index_),
            "ph_test": ph_rows,
            "ph_violations": [r["driver"] for r in ph_rows if r["violated"]],
        },
        "at_risk": {
            "horizon_months": horizon_months,
            "accounts": len(risk),
            "expected_churners": float(prob.sum()),
            **({"value_column": value_col,
                "expected_value_at_risk": float(np.nansum(risk["expected_value_at_risk"]))}
               if value is not None else {}),
        },
        "coercions": prep.coercions,
        "excluded": prep.excluded,
    }
    paths = {"drivers": out / "drivers.csv", "model_metrics": out / "model_metrics.json",
             "at_risk": out / "at_risk.csv"}
    drivers.to_csv(paths["drivers"], index=False)
    risk.to_csv(paths["at_risk"], index=False)
    from .outputs import json_safe

    paths["model_metrics"].write_text(json.dumps(json_safe(metrics), indent=2), encoding="utf-8")
    return {
        "files": {k: str(v) for k, v in paths.items()},
        "accounts": len(frame),
        "churned": int(y.sum()),
        "auc": cls_metrics["auc"],
        "concordance": float(np.mean(conc)),
        "drivers": len(drivers),
        "top_drivers": drivers.loc[drivers["significant"], "sentence"].head(5).tolist(),
        "coercions": prep.coercions,
        "excluded": prep.excluded,
    }
