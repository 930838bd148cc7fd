"""The account-month table: one row per account and calendar month at risk, leak-free.

Owns ``account_periods`` and ``AccountPeriods``: every feature of month *t* is computed from
data dated strictly before the first day of *t*; the event is churn (``end_date``) within *t*.
Accounts still active are censored at the last complete month; accounts that started before
the analysis window enter it late (left truncation on the tenure time scale). The same code
scores the accounts active at the cutoff. The features are trailing-window sums over an
account-by-month grid (``AccountMonthGrid``), so millions of account-months stay fast.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm  # plain bars: tqdm.auto warns inside papermill kernels without ipywidgets

from ..periods import naive_timestamps
from .features import (
    BREAKDOWNS,
    LOOKBACK_MONTHS,
    NPS_LEVELS,
    NPS_WINDOW,
    SLOW_RESOLUTION_H,
    SUPPORT_WINDOW,
    TICKET_WINDOW,
    UNRESOLVED_MIN,
    USAGE_DECLINE,
    USAGE_WINDOW,
    VOICE_WINDOW,
    tidy_category,
)

_NO_MONTH = np.iinfo(np.int64).max // 4


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


class AccountMonthGrid:
    """An account-by-month grid: one row per account, one column per calendar month from
    ``m_lo`` on, ``width`` months wide. Events (tickets, usage rows, answers) are counted into
    its cells, and a feature of month t is a sum over the cells of the k months before t."""

    def __init__(self, n: int, m_lo: int, width: int):
        self.n, self.m_lo, self.width = n, m_lo, width

    def column(self, months: np.ndarray) -> np.ndarray:
        """Grid columns of month indices."""
        return months - self.m_lo

    def counts(self, a: np.ndarray, m: np.ndarray, w: np.ndarray | None = None) -> np.ndarray:
        """The (n, width) grid of event counts (or sums of ``w``) per account a and month m;
        events of unknown accounts (a < 0) or outside the grid's months are left out."""
        ok = (a >= 0) & (m >= self.m_lo) & (m < self.m_lo + self.width)
        flat = a[ok] * self.width + (m[ok] - self.m_lo)
        vals = None if w is None else w[ok]
        out = np.bincount(flat, weights=vals, minlength=self.n * self.width)
        return out.reshape(self.n, self.width).astype(float)

    @staticmethod
    def trailing_sum(arr: np.ndarray, a: np.ndarray, c: np.ndarray, k: int) -> np.ndarray:
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
    m_lo, width = first - LOOKBACK_MONTHS, (last + 1) - (first - LOOKBACK_MONTHS) + 1
    grid = AccountMonthGrid(len(acc), m_lo, width)
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
        grid, index, a_all, t_all, cutoff, usage_monthly, tickets, nps_responses, doc_themes,
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
            codes, levels = pd.factorize(tidy_category(acc[col]), sort=True)
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
    grid: AccountMonthGrid,
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
    c = grid.column(t)
    trailing = grid.trailing_sum
    n_pairs = len(a)
    out: dict[str, np.ndarray] = {}

    def acc_idx(values: pd.Series) -> np.ndarray:
        return index.get_indexer(values.astype(str))

    # ---- usage (a month's row is known once the month is over, so rows of months < t)
    if usage is not None and len(usage):
        u = usage[naive_timestamps(usage["month"]) < cutoff]
        ua, um = acc_idx(u["account_id"]), _month_index(u["month"])
        users = pd.to_numeric(u["active_users"], errors="coerce").to_numpy(dtype=float)
        seen = grid.counts(ua, um) > 0
        active = np.where(seen, grid.counts(ua, um, np.nan_to_num(users)), np.nan)
        last3 = trailing(np.nan_to_num(active), a, c, USAGE_WINDOW)
        prev3 = trailing(np.nan_to_num(active), a, c - USAGE_WINDOW, USAGE_WINDOW)
        n6 = trailing(seen.astype(float), a, c, 2 * USAGE_WINDOW)
        n3 = trailing(seen.astype(float), a, c, USAGE_WINDOW)
        full = n6 == 2 * USAGE_WINDOW
        with np.errstate(divide="ignore", invalid="ignore"):
            out["active_users_3m"] = np.where(n3 > 0, last3 / np.maximum(n3, 1), np.nan)
            change = np.where(full & (prev3 > 0), last3 / prev3 - 1.0, np.nan)
        out["usage_change"] = change
        out["usage_decline"] = np.nan_to_num(change, nan=0.0) <= -USAGE_DECLINE
        prev = active[a, c - 1]
        if "licensed_seats" in u:
            seats = grid.counts(
                ua, um, pd.to_numeric(u["licensed_seats"], errors="coerce").fillna(0).to_numpy()
            )[a, c - 1]
            with np.errstate(divide="ignore", invalid="ignore"):
                out["seat_utilisation"] = np.where(seats > 0, prev / seats, np.nan)
        flags = [col for col in u.columns if str(col).startswith("used_")]
        if flags:
            used = u[flags].astype("boolean").fillna(False).astype(int).sum(axis=1).to_numpy()
            nf = grid.counts(ua, um, used.astype(float))[a, c - 1]
            out["features_used"] = np.where(np.isnan(prev), np.nan, nf)
        if "mrr" in u:
            mrr = pd.to_numeric(u["mrr"], errors="coerce").fillna(0).to_numpy()
            m_prev = grid.counts(ua, um, mrr)[a, c - 1]
            out["arr"] = np.where(np.isnan(prev), np.nan, 12.0 * m_prev)

    # ---- support tickets
    if tickets is not None and len(tickets):
        tk = tickets[(naive_timestamps(tickets["created_at"]) < cutoff).to_numpy()]
        ta, tm = acc_idx(tk["account_id"]), _month_index(tk["created_at"])
        created = naive_timestamps(tk["created_at"]).to_numpy()
        solved = naive_timestamps(tk["solved_at"]).to_numpy() if "solved_at" in tk else \
            np.full(len(tk), np.datetime64("NaT"), dtype="datetime64[ns]")
        out["tickets_3m"] = trailing(grid.counts(ta, tm), a, c, TICKET_WINDOW)
        # unresolved on the first day of month tm + k: solved_at missing or on/after that day
        open_counts = np.zeros((grid.n, grid.width))
        for k in range(1, TICKET_WINDOW + 1):
            still_open = np.isnat(solved) | (solved >= _month_starts(tm + k))
            open_counts += grid.counts(np.where(still_open, ta, -1), tm + k)
        out["unresolved_3m"] = open_counts[a, c]
        out["unresolved_2plus"] = out["unresolved_3m"] >= UNRESOLVED_MIN
        done = ~np.isnat(solved) & (solved < cutoff.to_datetime64())
        sm = np.where(done, _month_index(pd.Series(solved)), _NO_MONTH)
        hours = (solved - created) / np.timedelta64(1, "h")
        ok = done & (hours >= 0)
        n_solved = trailing(grid.counts(np.where(ok, ta, -1), sm), a, c, SUPPORT_WINDOW)
        h_sum = trailing(
            grid.counts(np.where(ok, ta, -1), sm, np.nan_to_num(hours)), a, c, SUPPORT_WINDOW
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            out["resolution_h_6m"] = np.where(n_solved > 0, h_sum / n_solved, np.nan)
        out["slow_resolution"] = np.nan_to_num(out["resolution_h_6m"]) > SLOW_RESOLUTION_H
        if "csat" in tk:
            # a rating is given once the ticket is solved, so it is dated by solved_at
            score = pd.to_numeric(tk["csat"], errors="coerce").to_numpy(dtype=float)
            rated = done & ~np.isnan(score)
            ra = np.where(rated, ta, -1)
            n_r = trailing(grid.counts(ra, sm), a, c, SUPPORT_WINDOW)
            s_r = trailing(grid.counts(ra, sm, np.nan_to_num(score)), a, c, SUPPORT_WINDOW)
            poor = trailing(grid.counts(np.where(rated & (score <= 2), ta, -1), sm),
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
        ok = (ra >= 0) & (rm >= grid.m_lo) & ~np.isnan(score)
        flat = ra[ok] * grid.width + grid.column(rm[ok])
        last_score = np.full(grid.n * grid.width, np.nan)
        keep = pd.Series(flat).drop_duplicates(keep="last").index.to_numpy()
        last_score[flat[keep]] = score[ok][keep]
        last_score = last_score.reshape(grid.n, grid.width)
        has = ~np.isnan(last_score)
        latest = np.maximum.accumulate(np.where(has, np.arange(grid.width), -1), axis=1)
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
            raised = trailing(grid.counts(np.where(hit, da, -1), dm), a, c, VOICE_WINDOW)
            out[f"theme:{theme}"] = raised > 0
    for key, value in out.items():
        if len(value) != n_pairs:  # pragma: no cover - internal invariant
            raise AssertionError(key)
    return out
