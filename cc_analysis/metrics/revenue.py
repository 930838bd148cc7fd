"""Revenue metrics: logo and revenue churn by quarter, GRR/NRR, customer lifetime value.

Owns the definitions below; the churn analysis (``churn``) builds on ``churn_by_quarter``.

Logo and revenue churn (``churn_by_quarter``), from ``accounts``
    Active at quarter start: ``start_date < quarter start`` and (``end_date`` missing or
    ``end_date >= quarter start``). Churned: active at start and ``end_date`` within the
    quarter. Logo churn rate = churned / active at start. ARR at start = sum of ``arr`` of the
    accounts active at start; ARR churned = sum of ``arr`` of the churned ones; revenue churn
    rate = ARR churned / ARR at start. New accounts: ``start_date`` within the quarter (an
    account starting on the first day is new, not active at start). ``arr`` is the account's
    current ARR (ARR at churn for churned accounts), so ARR figures are approximations.
GRR / NRR (``revenue_retention``), from ``usage_monthly``
    Cohort: accounts with MRR > 0 in the month before the quarter starts (starting MRR).
    Each is compared with its MRR in the quarter's last month (no row or MRR <= 0 = churned,
    ending MRR 0). Expansion = sum of increases; contraction = sum of decreases of accounts
    still paying; churned MRR = starting MRR of churned accounts.
    ``GRR = (start - contraction - churned) / start``,
    ``NRR = (start + expansion - contraction - churned) / start``. New accounts are excluded.
CLV (``clv``, ``clv_for_quarter``)
    ``CLV = ARPA * gross_margin / churn_rate`` with ARPA and churn rate in the same period
    unit (a geometric customer lifetime of ``1 / churn_rate`` periods). ``clv_for_quarter``
    uses monthly units: ARPA = total MRR over the quarter's three months / paying
    account-months, monthly churn = ``1 - (1 - quarterly logo churn) ** (1/3)``; gross margin
    defaults to 0.8.
"""

from __future__ import annotations

import math

import pandas as pd

from ..periods import (
    QuarterLike,
    QuarterList,
    as_quarter,
    as_quarters,
    in_quarter,
    last_month,
    month_start,
    naive_timestamps,
    quarter_bounds,
)
from .inputs import NAN, require_columns, safe_div, table_by_quarter
from .results import ClvResult, RetentionResult

DEFAULT_GROSS_MARGIN = 0.8


def churn_by_quarter(
    accounts: pd.DataFrame, quarters: QuarterList, fy_start_month: int = 1
) -> pd.DataFrame:
    """Logo and revenue churn per quarter from the ``accounts`` table.

    Columns: quarter, accounts_start, churned, logo_churn_rate, arr_start, arr_churned,
    revenue_churn_rate, new_accounts, accounts_end. Active at start: ``start_date < start``
    and (no ``end_date`` or ``end_date >= start``); churned: active at start with ``end_date``
    in the quarter; new: ``start_date`` in the quarter; accounts_end: active at the next
    quarter's start. Rates are NaN when nobody was active at the start. Missing ARR counts as 0.
    """
    require_columns(accounts, ("arr", "start_date", "end_date"), "accounts")
    start = naive_timestamps(accounts["start_date"])
    end = naive_timestamps(accounts["end_date"])
    arr = pd.to_numeric(accounts["arr"], errors="coerce").fillna(0.0)
    rows = []
    for q in as_quarters(quarters, fy_start_month):
        lo, hi = quarter_bounds(q)
        active = (start < lo) & (end.isna() | (end >= lo))
        churned = active & (end < hi)  # end >= lo already holds for active accounts
        active_end = (start < hi) & (end.isna() | (end >= hi))
        n_start, n_churned = int(active.sum()), int(churned.sum())
        arr_start, arr_churned = float(arr[active].sum()), float(arr[churned].sum())
        rows.append(
            {
                "quarter": q.label,
                "accounts_start": n_start,
                "churned": n_churned,
                "logo_churn_rate": safe_div(n_churned, n_start),
                "arr_start": arr_start,
                "arr_churned": arr_churned,
                "revenue_churn_rate": safe_div(arr_churned, arr_start),
                "new_accounts": int(in_quarter(start, q).sum()),
                "accounts_end": int(active_end.sum()),
            }
        )
    return pd.DataFrame(rows)


def _mrr_by_month(usage_monthly: pd.DataFrame) -> pd.DataFrame:
    """account_id, month (first of month), mrr; duplicate account-months summed."""
    require_columns(usage_monthly, ("account_id", "month", "mrr"), "usage_monthly")
    frame = pd.DataFrame(
        {
            "account_id": usage_monthly["account_id"].to_numpy(),
            "month": month_start(naive_timestamps(usage_monthly["month"])).to_numpy(),
            "mrr": pd.to_numeric(usage_monthly["mrr"], errors="coerce").fillna(0.0).to_numpy(),
        }
    )
    return frame.groupby(["account_id", "month"], as_index=False)["mrr"].sum()


def revenue_retention(
    usage_monthly: pd.DataFrame, quarter: QuarterLike, fy_start_month: int = 1
) -> RetentionResult:
    """GRR and NRR of the accounts paying in the month before ``quarter`` starts.

    Starting MRR is taken from the month before the quarter, ending MRR from the quarter's
    last month (missing or <= 0 = churned). GRR/NRR are NaN when the cohort is empty.
    """
    q = as_quarter(quarter, fy_start_month)
    mrr = _mrr_by_month(usage_monthly)
    base = pd.Timestamp(q.start) - pd.DateOffset(months=1)
    start = mrr[mrr["month"] == base].set_index("account_id")["mrr"]
    start = start[start > 0]
    end = mrr[mrr["month"] == last_month(q)].set_index("account_id")["mrr"]
    end = end.reindex(start.index, fill_value=0.0)
    gone = end <= 0
    delta = end - start
    s0 = float(start.sum())
    expansion = float(delta[delta > 0].sum())
    contraction = float(-delta[(delta < 0) & ~gone].sum())
    churned = float(start[gone].sum())
    return RetentionResult(
        quarter=q.label,
        accounts=len(start),
        churned_accounts=int(gone.sum()),
        start_mrr=s0,
        end_mrr=float(end[~gone].sum()),
        expansion_mrr=expansion,
        contraction_mrr=contraction,
        churned_mrr=churned,
        grr=safe_div(s0 - contraction - churned, s0),
        nrr=safe_div(s0 + expansion - contraction - churned, s0),
    )


def retention_by_quarter(
    usage_monthly: pd.DataFrame, quarters: QuarterList, fy_start_month: int = 1
) -> pd.DataFrame:
    """``revenue_retention`` for several quarters, one row each."""
    return table_by_quarter(revenue_retention, usage_monthly, quarters, fy_start_month,
                            columns=list(RetentionResult.__dataclass_fields__))


def clv(arpa: float, *, churn_rate: float, gross_margin: float = DEFAULT_GROSS_MARGIN) -> float:
    """CLV = ARPA * gross margin / churn rate (ARPA and churn rate per the same period).

    Keyword-only so that margin and churn (both fractions) cannot be swapped by position.
    Raises ValueError when churn_rate is 0: with no churn the expected lifetime, and so the
    CLV, is unbounded; measure churn over a longer window instead.
    """
    if not 0 <= churn_rate <= 1:  # also rejects NaN
        raise ValueError(f"churn_rate must be a per-period fraction in (0, 1], got {churn_rate}")
    if churn_rate == 0:
        raise ValueError(
            "churn_rate is 0: expected customer lifetime (1 / churn) and CLV are unbounded; "
            "use churn measured over a longer window"
        )
    if not 0 < gross_margin <= 1:
        raise ValueError(f"gross_margin must be a fraction in (0, 1], got {gross_margin}")
    if arpa < 0:
        raise ValueError(f"arpa must be >= 0, got {arpa}")
    return arpa * gross_margin / churn_rate


def clv_for_quarter(
    accounts: pd.DataFrame,
    usage_monthly: pd.DataFrame,
    quarter: QuarterLike,
    fy_start_month: int = 1,
    gross_margin: float = DEFAULT_GROSS_MARGIN,
) -> ClvResult:
    """CLV in USD from one quarter's data, in monthly units.

    ARPA = total MRR in the quarter's three months / account-months with MRR > 0; monthly
    churn = ``1 - (1 - logo churn rate of the quarter) ** (1/3)``. A quarter without churn
    gives ``clv = inf`` with a note (not an error: the report should say why, not crash).
    """
    q = as_quarter(quarter, fy_start_month)
    mrr = _mrr_by_month(usage_monthly)
    months = [pd.Timestamp(q.start) + pd.DateOffset(months=i) for i in range(3)]
    paying = mrr[mrr["month"].isin(months) & (mrr["mrr"] > 0)]
    arpa = safe_div(float(paying["mrr"].sum()), len(paying))
    churn_q = float(churn_by_quarter(accounts, [q], fy_start_month)["logo_churn_rate"].iloc[0])
    churn_m = 1 - (1 - churn_q) ** (1 / 3) if not math.isnan(churn_q) else NAN
    note = ""
    if math.isnan(arpa) or math.isnan(churn_m):
        value, note = NAN, "no paying accounts or no accounts active at quarter start"
    elif churn_m == 0:
        value, note = math.inf, "no churn in the quarter: CLV unbounded (use a longer window)"
    else:
        value = clv(arpa, churn_rate=churn_m, gross_margin=gross_margin)
    return ClvResult(q.label, arpa, churn_q, churn_m, gross_margin, value, note)
