"""Who is at risk now: accounts ranked by churn probability, with reasons and value at stake.

Owns the scoring of accounts by a fitted ``ChurnCoxFitter`` (probability of churning over the
horizon, hazard vs the typical account, top reasons), the ranked at-risk list of the accounts
active at the cutoff, and the revenue-at-risk summary. ``cc-analysis churn FILE`` ranks its
active accounts with the same scoring.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .cox import ChurnCoxFitter
from .features import HORIZON_MONTHS
from .narrative import reasons_text
from .panel import AccountPeriods


def risk_scores(
    cox: ChurnCoxFitter, frame: pd.DataFrame, horizon_months: int = HORIZON_MONTHS,
    top_reasons: int = 3,
) -> dict[str, np.ndarray | list[str]]:
    """Per row of ``frame``: ``churn_probability`` within ``horizon_months``,
    ``risk_vs_typical`` (hazard vs the median row) and ``top_reasons`` (text)."""
    p = cox.predict_risk(frame, horizon_months)
    lp = cox.predict_log_hazard_ratio(frame)
    return {
        "churn_probability": p,
        "risk_vs_typical": np.exp(lp - np.median(lp)) if len(lp) else lp,
        "top_reasons": [reasons_text(r) for r in cox.reasons(frame, top=top_reasons)],
    }


def ranked(table: pd.DataFrame, by: str | Sequence[str]) -> pd.DataFrame:
    """``table`` sorted by ``by`` (largest first) with a leading 1-based ``rank`` column."""
    out = table.sort_values(by, ascending=False, ignore_index=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out


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
    scores = risk_scores(cox, cur, horizon_months, top_reasons)
    p = scores["churn_probability"]
    arr = pd.to_numeric(cur["arr_now"], errors="coerce").fillna(cur.get("arr"))
    out = pd.DataFrame({
        "account_id": cur["account_id"].astype(str),
        "account_name": cur["account_name"],
        **{c: cur[c].astype(str) for c in ("plan", "segment", "billing_term") if c in cur},
        "tenure_months": cur["tenure_stop"].to_numpy(),
        "arr": arr.to_numpy(),
        "churn_probability": p,
        "risk_vs_typical": scores["risk_vs_typical"],
        "expected_arr_loss": arr.to_numpy() * p,
        "top_reasons": scores["top_reasons"],
    })
    out = ranked(out, ["churn_probability", "arr"])
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
