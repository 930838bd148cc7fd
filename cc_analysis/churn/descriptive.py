"""Who leaves: churn by group, quarter by quarter, and retention of each start cohort.

Owns the descriptive churn tables on the accounts table: a quarter's logo and revenue churn
per plan, billing term, segment and region; the same rates quarter by quarter per group; and
logo and revenue retention of each start-quarter cohort. The rates themselves are
``metrics.churn_by_quarter``'s, reused here, never restated.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..metrics import churn_by_quarter
from ..periods import (
    Quarter,
    in_quarter,
    last_month,
    month_start,
    naive_timestamps,
    quarter_bounds,
)
from .features import BREAKDOWNS


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
        u["month"] = month_start(naive_timestamps(u["month"]))
        u = u[u["month"] <= as_of].sort_values("month")
        mrr = u.groupby(["account_id", "month"])["mrr"].sum()
        first_mrr = u.groupby("account_id")["mrr"].first()
    rows = []
    for label in cohorts:
        cq = Quarter.parse(label, fy_start_month)
        members = accounts.loc[in_quarter(start, cq).to_numpy(), "account_id"]
        in_cohort = accounts["account_id"].isin(members).to_numpy()
        n = len(members)
        base = float(first_mrr.reindex(members).fillna(0).sum()) if mrr is not None else np.nan
        k, q = 0, cq
        while n and pd.Timestamp(q.end) <= as_of:
            q_end = quarter_bounds(q)[1]
            alive = int((end[in_cohort].isna() | (end[in_cohort] >= q_end)).sum())
            rev = np.nan
            if mrr is not None and base > 0:
                last = last_month(q)
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
