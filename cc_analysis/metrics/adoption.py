"""Product adoption: feature use and seat utilisation of the accounts active in a quarter.

Adoption (``adoption``), from ``usage_monthly``
    Accounts active in the quarter's last month (a row with MRR > 0 in that month). For each
    ``used_*`` flag: share of those accounts with the flag set in that month (Wilson CI).
    Seat utilisation: median over those accounts of ``active_users / licensed_seats``
    (accounts with no licensed seats are skipped).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..periods import (
    QuarterLike,
    QuarterList,
    as_quarter,
    last_month,
    month_start,
    naive_timestamps,
)
from .inputs import NAN, require_columns, table_by_quarter
from .results import AdoptionResult, ShareResult


def adoption(
    usage_monthly: pd.DataFrame,
    quarter: QuarterLike,
    fy_start_month: int = 1,
    confidence: float = 0.95,
) -> AdoptionResult:
    """Share of active accounts using each ``used_*`` feature in the quarter's last month."""
    q = as_quarter(quarter, fy_start_month)
    require_columns(usage_monthly, ("account_id", "month", "mrr"), "usage_monthly")
    flags = [c for c in usage_monthly.columns if str(c).startswith("used_")]
    month = month_start(naive_timestamps(usage_monthly["month"]))
    mrr = pd.to_numeric(usage_monthly["mrr"], errors="coerce").fillna(0.0)
    rows = usage_monthly.loc[((month == last_month(q)) & (mrr > 0)).to_numpy()]
    agg: dict[str, Any] = {}
    data = pd.DataFrame({"account_id": rows["account_id"].to_numpy()})
    for c in flags:
        # Missing flags count as "not used"; any() tolerates duplicate account-month rows.
        data[c] = rows[c].astype("boolean").fillna(False).astype(bool).to_numpy()
        agg[c] = "any"
    for c in ("active_users", "licensed_seats"):
        if c in rows.columns:
            data[c] = pd.to_numeric(rows[c], errors="coerce").to_numpy(dtype=float)
            agg[c] = "sum"
    per_account = data.groupby("account_id").agg(agg) if agg else data.drop_duplicates()
    n = len(per_account) if agg else int(data["account_id"].nunique())
    util = NAN
    if {"active_users", "licensed_seats"} <= set(per_account.columns):
        seats = per_account["licensed_seats"]
        ratio = (per_account["active_users"] / seats)[seats > 0].dropna()
        util = float(ratio.median()) if len(ratio) else NAN
    features = {
        c.removeprefix("used_"): ShareResult.of(int(per_account[c].sum()), n, confidence)
        for c in flags
    }
    return AdoptionResult(q.label, n, util, features)


def adoption_by_quarter(
    usage_monthly: pd.DataFrame, quarters: QuarterList, fy_start_month: int = 1
) -> pd.DataFrame:
    """One row per quarter: quarter, accounts, seat_utilisation_median, adoption_<feature>..."""
    return table_by_quarter(adoption, usage_monthly, quarters, fy_start_month)

