"""The headline of a quarter: every metric in one flat dict, and the same for several quarters.

Owns which numbers make the headline and under which keys (``summary`` and ``report`` format
them; notebook 04 tabulates ``headline_trend``). A missing source gives NaN metrics, so that
every headline has the same keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..periods import QuarterLike, QuarterList, as_quarter, as_quarters
from .adoption import adoption
from .inputs import rows_in_quarter
from .revenue import DEFAULT_GROSS_MARGIN, churn_by_quarter, clv_for_quarter, revenue_retention
from .support import ticket_times
from .survey import ces, csat, nps, nps_change_test

_NPS_COLS = ("submitted_at", "score", "ces")
_TICKET_COLS = ("created_at", "first_reply_at", "solved_at", "csat")
_ACCOUNT_COLS = ("account_id", "arr", "start_date", "end_date")
_USAGE_COLS = ("account_id", "month", "mrr", "active_users", "licensed_seats")
_REVIEW_COLS = ("reviewed_at", "rating")


def _or_empty(df: pd.DataFrame | None, cols: Sequence[str]) -> pd.DataFrame:
    # Missing sources give NaN metrics, so headline dicts always have the same keys.
    return df if df is not None else pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})


def headline(
    quarter: QuarterLike,
    *,
    nps_responses: pd.DataFrame | None = None,
    tickets: pd.DataFrame | None = None,
    accounts: pd.DataFrame | None = None,
    usage_monthly: pd.DataFrame | None = None,
    reviews: pd.DataFrame | None = None,
    fy_start_month: int = 1,
    gross_margin: float = DEFAULT_GROSS_MARGIN,
) -> dict[str, Any]:
    """All headline metrics of one quarter as one flat dict (NaN where a source is missing).

    Keys: quarter; nps, nps_ci_low, nps_ci_high, nps_n; nps_prev, nps_change,
    nps_change_ci_low, nps_change_ci_high, nps_change_p, nps_change_significant (vs the
    previous quarter); csat, csat_ci_low, csat_ci_high, csat_n; ces, ces_ci_low, ces_ci_high,
    ces_easy_share, ces_n; review_positive_share, review_ci_low, review_ci_high, review_n
    (share of 4-5 star reviews); accounts_start, new_accounts, logo_churn_rate, arr_start,
    revenue_churn_rate; grr, nrr; first_reply_median_h, first_reply_p90_h,
    resolution_median_h, resolution_p90_h, unresolved_share, tickets_n;
    seat_utilisation_median, adoption_<feature>...; arpa_monthly, clv.
    """
    q = as_quarter(quarter, fy_start_month)
    responses = _or_empty(nps_responses, _NPS_COLS)
    tix = _or_empty(tickets, _TICKET_COLS)
    accts = _or_empty(accounts, _ACCOUNT_COLS)
    usage = _or_empty(usage_monthly, _USAGE_COLS)
    revs = _or_empty(reviews, _REVIEW_COLS)

    now = rows_in_quarter(responses, "submitted_at", q)
    before = rows_in_quarter(responses, "submitted_at", q - 1)
    n_now, change = nps(now["score"]), nps_change_test(before["score"], now["score"])
    sat = csat(rows_in_quarter(tix, "created_at", q)["csat"])
    effort = ces(now["ces"])
    stars = csat(rows_in_quarter(revs, "reviewed_at", q)["rating"])
    churn = churn_by_quarter(accts, [q], fy_start_month).iloc[0]
    ret = revenue_retention(usage, q, fy_start_month)
    times = ticket_times(rows_in_quarter(tix, "created_at", q))
    adopt = adoption(usage, q, fy_start_month).to_dict()
    value = clv_for_quarter(accts, usage, q, fy_start_month, gross_margin)

    return {
        "quarter": q.label,
        "nps": n_now.nps,
        "nps_ci_low": n_now.ci_low,
        "nps_ci_high": n_now.ci_high,
        "nps_n": n_now.n,
        "nps_prev": change.prev_nps,
        "nps_change": change.change,
        "nps_change_ci_low": change.ci_low,
        "nps_change_ci_high": change.ci_high,
        "nps_change_p": change.p_value,
        "nps_change_significant": change.significant,
        "csat": sat.share,
        "csat_ci_low": sat.ci_low,
        "csat_ci_high": sat.ci_high,
        "csat_n": sat.n,
        "ces": effort.mean,
        "ces_ci_low": effort.ci_low,
        "ces_ci_high": effort.ci_high,
        "ces_easy_share": effort.easy_share,
        "ces_n": effort.n,
        "review_positive_share": stars.share,
        "review_ci_low": stars.ci_low,
        "review_ci_high": stars.ci_high,
        "review_n": stars.n,
        "accounts_start": int(churn["accounts_start"]),
        "new_accounts": int(churn["new_accounts"]),
        "logo_churn_rate": float(churn["logo_churn_rate"]),
        "arr_start": float(churn["arr_start"]),
        "revenue_churn_rate": float(churn["revenue_churn_rate"]),
        "grr": ret.grr,
        "nrr": ret.nrr,
        "first_reply_median_h": times.first_reply_median_h,
        "first_reply_p90_h": times.first_reply_p90_h,
        "resolution_median_h": times.resolution_median_h,
        "resolution_p90_h": times.resolution_p90_h,
        "unresolved_share": times.unresolved_share,
        "tickets_n": times.n,
        "seat_utilisation_median": adopt.pop("seat_utilisation_median"),
        **{k: v for k, v in adopt.items() if k.startswith("adoption_")},
        "arpa_monthly": value.arpa_monthly,
        "clv": value.clv,
    }


def headline_trend(quarters: QuarterList, **frames_and_options: Any) -> pd.DataFrame:
    """``headline`` for each quarter (e.g. the last 8), one row per quarter.

    Keyword arguments are passed to ``headline`` (the frames, ``fy_start_month``,
    ``gross_margin``).
    """
    fy = int(frames_and_options.get("fy_start_month", 1))
    return pd.DataFrame([headline(q, **frames_and_options) for q in as_quarters(quarters, fy)])
