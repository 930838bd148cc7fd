"""Logo and revenue churn, GRR/NRR and CLV (cc_analysis.metrics.revenue), against values
worked out by hand in the comments."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cc_analysis import metrics as m
from cc_analysis.periods import Quarter


# -- churn ----------------------------------------------------------------------------------------
def test_churn_by_quarter_boundaries(accounts):
    t = m.churn_by_quarter(accounts, ["2025Q1", "2025Q2"]).set_index("quarter")
    q1 = t.loc["2025Q1"]
    # Active at 2025-01-01: A, B, C, F = 4; churned in Q1: B, C = 2 -> 0.5
    # ARR at start 1000 + 2000 + 3000 + 600 = 6600; churned 2000 + 3000 = 5000 -> 0.757576
    # New: E, G = 2. Active at 2025-04-01: A, E, F, G = 4 (= 4 - 2 + 2).
    assert (q1.accounts_start, q1.churned, q1.new_accounts, q1.accounts_end) == (4, 2, 2, 4)
    assert q1.logo_churn_rate == pytest.approx(0.5)
    assert (q1.arr_start, q1.arr_churned) == (6600.0, 5000.0)
    assert q1.revenue_churn_rate == pytest.approx(5000 / 6600)
    q2 = t.loc["2025Q2"]
    # Active at 2025-04-01: A, E, F, G; F churns on 2025-04-01 -> 1/4; ARR 500/2800. New: H.
    assert (q2.accounts_start, q2.churned, q2.new_accounts, q2.accounts_end) == (4, 1, 1, 4)
    assert q2.logo_churn_rate == pytest.approx(0.25)
    assert q2.arr_start == 1000 + 500 + 600 + 700
    assert q2.revenue_churn_rate == pytest.approx(600 / 2800)


def test_churn_by_quarter_accepts_date_objects_and_timestamps(accounts):
    accounts["start_date"] = pd.to_datetime(accounts["start_date"]).dt.date
    accounts["end_date"] = pd.to_datetime(accounts["end_date"])
    q1 = m.churn_by_quarter(accounts, [Quarter.parse("2025Q1")]).iloc[0]
    assert (q1.accounts_start, q1.churned) == (4, 2)


def test_churn_by_quarter_fiscal_february():
    # fy_start_month=2: 2025Q4 = FY2025 Q4 = 2024-11-01 .. 2025-01-31.
    a = pd.DataFrame(
        [
            ("P", 100, "2024-10-31", "2025-01-31"),  # active at start, churns on last day
            ("Q", 200, "2024-11-01", None),  # starts first day: new
            ("R", 300, "2024-01-01", "2024-10-31"),  # gone before the quarter
            ("S", 400, "2024-01-01", "2025-02-01"),  # churns first day of next quarter
        ],
        columns=["account_id", "arr", "start_date", "end_date"],
    )
    q = m.churn_by_quarter(a, ["2025Q4"], fy_start_month=2).iloc[0]
    # Active at start: P, S = 2; churned: P -> 0.5; ARR 500, churned 100 -> 0.2; new: Q
    assert (q.quarter, q.accounts_start, q.churned, q.new_accounts) == ("2025Q4", 2, 1, 1)
    assert q.revenue_churn_rate == pytest.approx(0.2)
    # The same label under calendar quarters (Oct-Dec 2025) sees nothing of this.
    cal = m.churn_by_quarter(a, ["2025Q4"]).iloc[0]
    assert cal.accounts_start == 1 and cal.churned == 0  # only Q is active then


def test_churn_by_quarter_empty():
    empty = pd.DataFrame(columns=["account_id", "arr", "start_date", "end_date"])
    q = m.churn_by_quarter(empty, ["2025Q1"]).iloc[0]
    assert q.accounts_start == 0 and math.isnan(q.logo_churn_rate)
    assert math.isnan(q.revenue_churn_rate)


# -- revenue retention ----------------------------------------------------------------------------
def test_revenue_retention_hand_computed(usage_monthly):
    r = m.revenue_retention(usage_monthly, "2025Q1")
    # Cohort (Dec 2024 MRR > 0): a 100, b 200, c 300, f 400, g 100 -> start 1100, 5 accounts
    # March: a 120 (+20 expansion), b 150 (-50 contraction), c missing (-300 churn),
    #   f 0 (-400 churn), g 100 (flat). Expansion 20, contraction 50, churned 700.
    # GRR = (1100 - 50 - 700) / 1100 = 350/1100 = 0.318182
    # NRR = (1100 + 20 - 50 - 700) / 1100 = 370/1100 = 0.336364; end MRR = 120+150+100 = 370
    assert (r.quarter, r.accounts, r.churned_accounts) == ("2025Q1", 5, 2)
    assert (r.start_mrr, r.end_mrr) == (1100.0, 370.0)
    assert (r.expansion_mrr, r.contraction_mrr, r.churned_mrr) == (20.0, 50.0, 700.0)
    assert r.grr == pytest.approx(350 / 1100)
    assert r.nrr == pytest.approx(370 / 1100)
    assert r.to_dict()["nrr"] == pytest.approx(0.336364, abs=1e-6)


def test_revenue_retention_fiscal_february_and_empty_cohort():
    u = pd.DataFrame(
        {
            "account_id": ["x", "x", "y"],
            "month": ["2025-01-01", "2025-04-01", "2025-01-01"],
            "mrr": [100.0, 150.0, 100.0],
        }
    )
    # fy 2: 2026Q1 = Feb-Apr 2025 -> start month Jan 2025, end month Apr 2025.
    # start 200; x +50 expansion, y churned 100: GRR = 100/200 = 0.5, NRR = 150/200 = 0.75
    r = m.revenue_retention(u, "2026Q1", fy_start_month=2)
    assert (r.grr, r.nrr) == pytest.approx((0.5, 0.75))
    # Calendar 2025Q2 (Apr-Jun) starts from March: nobody paying -> NaN, not an error.
    empty = m.revenue_retention(u, "2025Q2")
    assert empty.accounts == 0 and math.isnan(empty.grr) and math.isnan(empty.nrr)


def test_retention_by_quarter_table(usage_monthly):
    t = m.retention_by_quarter(usage_monthly, ["2025Q1", "2025Q2"])
    assert list(t["quarter"]) == ["2025Q1", "2025Q2"]
    assert t["grr"].iloc[0] == pytest.approx(350 / 1100)
    # 2025Q2 cohort = March payers a 120, b 150, e 80, g 100 = 450; no June rows -> all churned
    assert t["start_mrr"].iloc[1] == 450.0 and t["grr"].iloc[1] == 0.0


# -- CLV ------------------------------------------------------------------------------------------
def test_clv_formula():
    # 100 * 0.8 / 0.05 = 1600; default margin 0.8: 100 * 0.8 / 0.02 = 4000
    assert m.clv(100, churn_rate=0.05, gross_margin=0.8) == pytest.approx(1600)
    assert m.clv(100, churn_rate=0.02) == pytest.approx(4000)
    with pytest.raises(ValueError, match="unbounded"):
        m.clv(100, churn_rate=0)
    with pytest.raises(ValueError):
        m.clv(100, churn_rate=1.5)
    with pytest.raises(ValueError):
        m.clv(100, churn_rate=float("nan"))
    with pytest.raises(TypeError):
        m.clv(100, 0.8, 0.05)  # keyword-only: margin and churn can't be swapped by position


def test_clv_for_quarter_hand_computed():
    # Accounts: 4 active at 2025-01-01, one churns in Q1 -> quarterly churn 0.25
    # monthly churn = 1 - 0.75^(1/3) = 1 - 0.908560 = 0.091440
    accounts = pd.DataFrame(
        [
            ("x", 1200, "2024-01-01", None),
            ("y", 2400, "2024-01-01", None),
            ("z", 3600, "2024-01-01", "2025-01-31"),
            ("w", 0, "2024-01-01", None),
        ],
        columns=["account_id", "arr", "start_date", "end_date"],
    )
    # MRR in Jan-Mar: x 100 x3, y 200 x3, z 300 in Jan, w 0 (not paying)
    # ARPA = (300 + 600 + 300) / 7 account-months = 171.428571
    # CLV = 171.428571 * 0.8 / 0.091440 = 1499.82
    usage = pd.DataFrame(
        {
            "account_id": ["x"] * 3 + ["y"] * 3 + ["z", "w", "x"],
            "month": ["2025-01-01", "2025-02-01", "2025-03-01"] * 2
            + ["2025-01-01"] * 2
            + ["2025-04-01"],  # April (Q2) ignored for Q1
            "mrr": [100.0] * 3 + [200.0] * 3 + [300.0, 0.0, 100.0],
        }
    )
    r = m.clv_for_quarter(accounts, usage, "2025Q1")
    assert r.churn_rate_quarterly == pytest.approx(0.25)
    assert r.churn_rate_monthly == pytest.approx(0.091440, abs=1e-6)
    assert r.arpa_monthly == pytest.approx(171.428571, abs=1e-5)
    assert r.clv == pytest.approx(1499.82, abs=0.01)
    # No churn in Q2 (z already gone): unbounded, reported rather than raised.
    r2 = m.clv_for_quarter(accounts, usage, "2025Q2")
    assert r2.arpa_monthly == 100.0
    assert r2.clv == math.inf and "unbounded" in r2.note
    # No data at all for the quarter: NaN with a reason.
    assert math.isnan(m.clv_for_quarter(accounts, usage.iloc[:0], "2025Q1").clv)
