"""At-risk accounts and the revenue-at-risk summary notebook 04 reads."""

from __future__ import annotations

import json
import math

import numpy as np


def test_at_risk_accounts(analysis, frames) -> None:
    r = analysis.at_risk
    acc = frames["accounts"]
    active = acc[acc["end_date"].isna()]
    assert set(r["account_id"]) == set(active["account_id"])
    assert r["churn_probability"].between(0, 1).all()
    assert r["churn_probability"].is_monotonic_decreasing and r["rank"].iloc[0] == 1
    arr = active.set_index("account_id")["arr"]
    assert np.allclose(r["arr"], arr.loc[r["account_id"]].to_numpy())
    assert np.allclose(r["expected_arr_loss"], r["arr"] * r["churn_probability"])
    top = r.head(20)
    assert top["top_reasons"].str.contains("vs average").all()
    assert top["top_reasons"].str.contains("Active users fell|Monthly billing").all()
    s = analysis.summary
    assert math.isclose(s["expected_arr_lost"], r["expected_arr_loss"].sum())
    assert 0 < s["expected_arr_lost_share"] < 0.2 and s["high_risk_accounts"] == 153
    json.dumps(s)  # JSON-ready for out.save_json
