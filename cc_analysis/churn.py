"""Churn: who leaves, how fast, and in which groups.

Owns churn views built from the store's ``accounts`` table. This release provides the
descriptive breakdowns the quarterly report needs (churn by plan, billing term, segment and
region); the definitions of logo and revenue churn live in ``metrics.churn_by_quarter`` and are
reused here, never restated.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .metrics import churn_by_quarter

BREAKDOWNS = {
    "plan": "Plan",
    "billing_term": "Billing term",
    "segment": "Segment",
    "region": "Region",
}


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
