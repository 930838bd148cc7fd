"""Tests for cc_analysis.metrics against values worked out by hand in the comments.

z for 95% is 1.959964 (normal table); z^2 = 3.841459.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cc_analysis import metrics as m
from cc_analysis.periods import Quarter

Z = 1.959964


# -- NPS ------------------------------------------------------------------------------------------
def test_nps_hand_computed_with_adjusted_wald_ci():
    # 10 scores: promoters 10,10,9,9,9 (P=5); passives 8,7,7 (3); detractors 3,0 (D=2).
    # NPS = 100 * (5 - 2) / 10 = 30.
    # Adjusted Wald: p_p = 5.75/13 = 0.442308, p_d = 2.75/13 = 0.211538, NPS_adj = 0.230769
    # var = (0.442308 + 0.211538 - 0.230769^2) / 13 = (0.653846 - 0.053254) / 13 = 0.046199
    # se = sqrt(0.046199) = 0.214940; half = 1.959964 * 0.214940 = 0.421275
    # CI = 100 * (0.230769 -/+ 0.421275) = [-19.05, 65.20]
    r = m.nps([10, 10, 9, 9, 9, 8, 7, 7, 3, 0])
    assert r.nps == pytest.approx(30.0)
    assert (r.n, r.promoters, r.passives, r.detractors) == (10, 5, 3, 2)
    assert (r.promoter_share, r.passive_share, r.detractor_share) == pytest.approx((0.5, 0.3, 0.2))
    assert r.nps_adjusted == pytest.approx(23.0769, abs=1e-3)
    assert r.ci_low == pytest.approx(-19.05, abs=0.01)
    assert r.ci_high == pytest.approx(65.20, abs=0.01)
    assert r.value == r.nps
    d = r.to_dict()
    assert d["nps"] == pytest.approx(30.0) and d["n"] == 10


def test_nps_all_promoters_ci_clipped_at_100():
    # 4 promoters: NPS = 100. p_p = 4.75/7 = 0.678571, p_d = 0.75/7 = 0.107143, adj = 0.571429
    # var = (0.785714 - 0.326531) / 7 = 0.065598; half = 1.959964 * 0.256120 = 0.501987
    # CI = [0.069442, 1.073416] * 100 -> [6.94, 107.34] -> upper clipped to 100.
    r = m.nps([9, 10, 10, 9])
    assert r.nps == 100.0
    assert r.ci_low == pytest.approx(6.94, abs=0.01)
    assert r.ci_high == 100.0


def test_nps_drops_missing_and_accepts_series_and_nullable_ints():
    s = pd.Series([10, None, 0, np.nan], dtype="Float64")
    r = m.nps(s)
    # 10 and 0 remain: P=1, D=1 -> NPS 0.
    assert r.n == 2 and r.nps == 0.0
    assert m.nps(pd.Series([9, pd.NA], dtype="Int64")).nps == 100.0
    assert m.nps(np.array([6.0, 7.0, 9.0])).nps == pytest.approx(0.0)


@pytest.mark.parametrize("bad", [[11], [-1], [7.5], ["abc"], [5, 10.01]])
def test_nps_invalid_scores_raise(bad):
    with pytest.raises(ValueError):
        m.nps(bad)


def test_nps_empty_is_nan_not_error():
    r = m.nps([])
    assert r.n == 0 and math.isnan(r.nps) and math.isnan(r.ci_low) and math.isnan(r.ci_high)
    assert m.nps(pd.Series([np.nan, np.nan])).n == 0


def test_nps_change_hand_computed():
    # prev: five 10s, five 0s -> NPS 0. adj: p_p = p_d = 5.75/13 = 0.442308, NPS_adj = 0
    #   var = (0.884615 - 0) / 13 = 0.068047
    # curr: eight 10s, two 5s -> NPS 60. p_p = 8.75/13 = 0.673077, p_d = 2.75/13 = 0.211538
    #   NPS_adj = 6/13 = 0.461538, var = (0.884615 - 0.213018) / 13 = 0.051661
    # se = sqrt(0.068047 + 0.051661) = sqrt(0.119708) = 0.345989
    # z = 0.461538 / 0.345989 = 1.33397 -> two-sided p = 2 * (1 - Phi(1.334)) = 0.1822
    # CI = 100 * (0.461538 -/+ 1.959964 * 0.345989) = 100 * (0.461538 -/+ 0.678126)
    #    = [-21.66, 113.97]
    r = m.nps_change_test([10] * 5 + [0] * 5, [10] * 8 + [5] * 2)
    assert (r.prev_nps, r.curr_nps, r.change) == pytest.approx((0.0, 60.0, 60.0))
    assert (r.prev_n, r.curr_n) == (10, 10)
    assert r.z == pytest.approx(1.33397, abs=1e-4)
    assert r.p_value == pytest.approx(0.1822, abs=1e-3)
    assert r.ci_low == pytest.approx(-21.66, abs=0.01)
    assert r.ci_high == pytest.approx(113.97, abs=0.01)
    assert r.significant is False  # a 60-point swing on n = 10 is noise


def test_nps_change_big_change_is_significant():
    # prev n=100: 20 P, 30 passives, 50 D -> NPS -30; curr: 60 P, 30, 10 D -> NPS +50.
    # adj prev = (20.75 - 50.75)/103 = -0.291262, var = (71.5/103 - 0.084834)/103 = 0.005916
    # adj curr = (60.75 - 10.75)/103 = 0.485437, var = (71.5/103 - 0.235649)/103 = 0.004452
    # z = 0.776699 / sqrt(0.010368) = 0.776699 / 0.101823 = 7.628 -> p ~ 2e-14
    prev = [10] * 20 + [8] * 30 + [2] * 50
    curr = [10] * 60 + [8] * 30 + [2] * 10
    r = m.nps_change_test(prev, curr)
    assert r.change == pytest.approx(80.0)
    assert r.z == pytest.approx(7.628, abs=1e-3)
    assert r.p_value < 1e-10 and r.significant is True
    assert r.ci_low > 0
    # Reversed direction: same test, negative change.
    back = m.nps_change_test(curr, prev)
    assert back.change == pytest.approx(-80.0) and back.significant and back.ci_high < 0


def test_nps_change_tiny_change_not_significant():
    # 40/30/30 (NPS 10) -> 41/30/29 (NPS 12): adj diff = 2/103 = 0.019417, z = 0.169, p = 0.866
    prev = [9] * 40 + [7] * 30 + [6] * 30
    curr = [9] * 41 + [7] * 30 + [6] * 29
    r = m.nps_change_test(prev, curr)
    assert r.change == pytest.approx(2.0)
    assert r.z == pytest.approx(0.1687, abs=1e-3)
    assert r.p_value == pytest.approx(0.866, abs=1e-3)
    assert not r.significant and r.ci_low < 0 < r.ci_high


def test_nps_change_with_empty_sample():
    r = m.nps_change_test([], [9, 10])
    assert math.isnan(r.change) and math.isnan(r.p_value) and r.significant is False
    assert r.curr_nps == 100.0 and r.prev_n == 0


# -- CSAT / CES / Wilson --------------------------------------------------------------------------
def test_csat_wilson_hand_computed():
    # 7 of 10 ratings are 4-5 -> 0.7.
    # Wilson: denom = 1 + 3.841459/10 = 1.384146
    # centre = (0.7 + 3.841459/20) / 1.384146 = 0.892073 / 1.384146 = 0.644493
    # half = 1.959964 / 1.384146 * sqrt(0.7*0.3/10 + 3.841459/400)
    #      = 1.416010 * sqrt(0.021 + 0.009604) = 1.416010 * 0.174939 = 0.247715
    # CI = [0.396778, 0.892209]
    r = m.csat([5, 4, 4, 3, 1, 5, 2, 4, 5, 5])
    assert r.share == pytest.approx(0.7) and r.n == 10 and r.successes == 7
    assert r.ci_low == pytest.approx(0.396778, abs=1e-5)
    assert r.ci_high == pytest.approx(0.892209, abs=1e-5)
    assert m.wilson_interval(7, 10) == pytest.approx((0.396778, 0.892209), abs=1e-5)


def test_csat_edges():
    assert math.isnan(m.csat([]).share) and m.csat([]).n == 0
    assert math.isnan(m.wilson_interval(0, 0)[0])
    all_happy = m.csat([5, 5, 4])
    assert all_happy.share == 1.0 and all_happy.ci_high == 1.0 and all_happy.ci_low < 1.0
    assert m.csat([1, None, 2]).n == 2  # missing rating dropped
    for bad in ([0], [6], [4.5]):
        with pytest.raises(ValueError):
            m.csat(bad)


def test_ces_hand_computed():
    # scores 7,6,5,4,3,6,7,5: n=8, sum=43, mean=5.375
    # squared deviations: 2.640625+0.390625+0.140625+1.890625+5.640625+0.390625+2.640625
    #   +0.140625 = 13.875; sd = sqrt(13.875/7) = 1.407886; se = 1.407886/sqrt(8) = 0.497763
    # t(0.975, 7 df) = 2.364624 -> half = 1.177022 -> CI [4.197978, 6.552022]
    # easy share: answers 5-7 = 7,6,5,6,7,5 -> 6/8 = 0.75
    # Wilson 6/8: denom = 1 + 3.841459/8 = 1.480182; centre = (0.75 + 0.240091)/1.480182
    #   = 0.668898; half = 1.959964/1.480182 * sqrt(0.75*0.25/8 + 3.841459/256)
    #   = 1.324137 * sqrt(0.0234375 + 0.0150057) = 1.324137 * 0.196070 = 0.259623
    #   -> [0.409275, 0.928521]
    r = m.ces([7, 6, 5, 4, 3, 6, 7, 5])
    assert r.mean == pytest.approx(5.375) and r.n == 8 and r.value == r.mean
    assert r.ci_low == pytest.approx(4.197978, abs=1e-5)
    assert r.ci_high == pytest.approx(6.552022, abs=1e-5)
    assert r.easy_share == pytest.approx(0.75)
    assert r.easy_ci_low == pytest.approx(0.409275, abs=1e-5)
    assert r.easy_ci_high == pytest.approx(0.928521, abs=1e-5)


def test_ces_edges():
    empty = m.ces([])
    assert empty.n == 0 and math.isnan(empty.mean) and math.isnan(empty.easy_share)
    one = m.ces([6])
    assert one.mean == 6 and math.isnan(one.ci_low) and one.easy_share == 1.0
    # 4 is the neutral midpoint of a 7-point scale: not "easy".
    assert m.ces([4, 4]).easy_share == 0.0
    # CI clipped to the scale: mean 7 with spread from a 1 cannot exceed 7.
    assert m.ces([7, 7, 1]).ci_high == 7.0
    # 5-point scale: easy = 4-5.
    assert m.ces([4, 5, 3, 1], scale=5).easy_share == pytest.approx(0.5)
    with pytest.raises(ValueError):
        m.ces([8])
    with pytest.raises(ValueError):
        m.ces([0])
    with pytest.raises(ValueError):
        m.ces([3], scale=6)


# -- per-quarter tables ---------------------------------------------------------------------------
def _responses() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "submitted_at": [
                "2025-01-05T10:00:00Z",  # 2025Q1
                "2025-03-31T23:59:59Z",  # 2025Q1, last second
                "2025-04-01T00:00:00Z",  # 2025Q2
                "2025-08-01T00:00:00Z",  # 2025Q3
            ],
            "score": [10, 0, 9, 7],
            "ces": [7, None, 3, None],
        }
    )


def test_nps_by_quarter_columns_and_values():
    t = m.nps_by_quarter(_responses())
    assert list(t.columns[:5]) == ["quarter", "value", "ci_low", "ci_high", "n"]
    assert list(t["quarter"]) == ["2025Q1", "2025Q2", "2025Q3"]
    # Q1: one promoter one detractor -> 0; Q2: one promoter -> 100; Q3: one passive -> 0.
    assert list(t["value"]) == [0.0, 100.0, 0.0]
    assert list(t["n"]) == [2, 1, 1]
    assert "promoters" in t.columns


def test_by_quarter_explicit_quarters_include_empty_ones():
    t = m.ces_by_quarter(_responses(), quarters=["2024Q4", "2025Q1", "2025Q2"])
    assert list(t["quarter"]) == ["2024Q4", "2025Q1", "2025Q2"]
    assert list(t["n"]) == [0, 1, 1]
    assert math.isnan(t["value"].iloc[0])
    assert list(t["value"].iloc[1:]) == [7.0, 3.0]
    assert list(t["easy_share"].iloc[1:]) == [1.0, 0.0]


def test_by_quarter_fiscal_year_starting_february():
    # fy_start_month=2: Feb-Apr is Q1 of the FY ending the next calendar year.
    # 2025-01-05 -> FY2025 Q4 (Nov 2024 - Jan 2025); 2025-03-31 and 2025-04-01 -> FY2026 Q1;
    # 2025-08-01 -> FY2026 Q3 (Aug-Oct 2025).
    t = m.by_quarter(_responses(), "submitted_at", "score", m.nps, fy_start_month=2)
    assert list(t["quarter"]) == ["2025Q4", "2026Q1", "2026Q3"]
    assert list(t["n"]) == [1, 2, 1]
    assert list(t["value"]) == [100.0, 0.0, 0.0]  # Q1: 0 (D) and 9 (P) -> 0


def test_by_quarter_rejects_quarter_with_other_fiscal_calendar():
    with pytest.raises(ValueError):
        m.nps_by_quarter(_responses(), quarters=[Quarter.parse("2025Q1", 2)])


def test_csat_by_quarter_and_reviews_via_generic_helper():
    tickets = pd.DataFrame(
        {"created_at": ["2025-02-01", "2025-02-02", "2025-05-01"], "csat": [5, 2, None]}
    )
    t = m.csat_by_quarter(tickets)
    assert list(t["quarter"]) == ["2025Q1", "2025Q2"]
    assert t["value"].iloc[0] == 0.5 and t["n"].iloc[1] == 0
    reviews = pd.DataFrame({"reviewed_at": ["2025-02-01", "2025-02-03"], "rating": [4, 5]})
    assert m.by_quarter(reviews, "reviewed_at", "rating", m.csat)["value"].iloc[0] == 1.0


# -- churn ----------------------------------------------------------------------------------------
def _accounts() -> pd.DataFrame:
    rows = [
        # id, arr, start, end
        ("A", 1000, "2024-01-01", None),  # active all along
        ("B", 2000, "2024-06-01", "2025-01-01"),  # ends on Q1's first day: active + churned in Q1
        ("C", 3000, "2024-06-01", "2025-03-31"),  # ends on Q1's last day: churned in Q1
        ("D", 4000, "2024-06-01", "2024-12-31"),  # ends the day before Q1: not active
        ("E", 500, "2025-01-01", None),  # starts on Q1's first day: new, not active at start
        ("F", 600, "2024-12-31", "2025-04-01"),  # starts day before Q1, ends Q2's first day
        ("G", 700, "2025-03-31", None),  # starts Q1's last day: new
        ("H", 800, "2025-04-01", None),  # starts in Q2
    ]
    return pd.DataFrame(rows, columns=["account_id", "arr", "start_date", "end_date"])


def test_churn_by_quarter_boundaries():
    t = m.churn_by_quarter(_accounts(), ["2025Q1", "2025Q2"]).set_index("quarter")
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


def test_churn_by_quarter_accepts_date_objects_and_timestamps():
    a = _accounts()
    a["start_date"] = pd.to_datetime(a["start_date"]).dt.date
    a["end_date"] = pd.to_datetime(a["end_date"])
    q1 = m.churn_by_quarter(a, [Quarter.parse("2025Q1")]).iloc[0]
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
def _usage() -> pd.DataFrame:
    rows = [
        # account, month, mrr, users, seats, reports, mobile
        ("a", "2024-12-01", 100, 4, 10, True, False),
        ("a", "2025-02-01", 110, 4, 10, True, False),  # mid-quarter rows don't matter
        ("a", "2025-03-01", 120, 5, 10, True, False),
        ("b", "2024-12-01", 200, 3, 3, True, True),
        ("b", "2025-03-01", 150, 3, 3, True, True),
        ("c", "2024-12-01", 300, 1, 5, False, False),  # no March row: churned
        ("d", "2024-12-01", 0, 1, 1, False, False),  # zero MRR: not in cohort
        ("d", "2025-03-01", 0, 1, 1, True, True),  # zero MRR: not active for adoption
        ("e", "2025-03-01", 80, 8, 4, False, False),  # new in the quarter
        ("f", "2024-12-01", 400, 2, 2, False, False),
        ("f", "2025-03-01", 0, 0, 2, False, False),  # MRR 0: churned
        ("g", "2024-12-01", 100, 1, 0, False, None),
        ("g", "2025-03-01", 100, 1, 0, False, None),  # flat; no seats; unknown mobile flag
    ]
    cols = [
        "account_id",
        "month",
        "mrr",
        "active_users",
        "licensed_seats",
        "used_reports",
        "used_mobile",
    ]
    df = pd.DataFrame(rows, columns=cols)
    df["month"] = pd.to_datetime(df["month"]).dt.date
    return df


def test_revenue_retention_hand_computed():
    r = m.revenue_retention(_usage(), "2025Q1")
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


def test_retention_by_quarter_table():
    t = m.retention_by_quarter(_usage(), ["2025Q1", "2025Q2"])
    assert list(t["quarter"]) == ["2025Q1", "2025Q2"]
    assert t["grr"].iloc[0] == pytest.approx(350 / 1100)
    # 2025Q2 cohort = March payers a 120, b 150, e 80, g 100 = 450; no June rows -> all churned
    assert t["start_mrr"].iloc[1] == 450.0 and t["grr"].iloc[1] == 0.0


# -- support times --------------------------------------------------------------------------------
def _tickets() -> pd.DataFrame:
    c = "2025-01-01T00:00:00Z"
    return pd.DataFrame(
        {
            "ticket_id": [1, 2, 3, 4, 5, 6],
            "created_at": [c, c, c, c, c, "2025-04-02T00:00:00Z"],
            "first_reply_at": [
                "2025-01-01T01:00:00Z",
                "2025-01-01T02:00:00Z",
                "2025-01-01T04:00:00Z",
                None,
                "2025-01-01T03:00:00Z",
                "2025-04-02T12:00:00Z",
            ],
            "solved_at": [
                "2025-01-01T10:00:00Z",
                "2025-01-01T20:00:00Z",
                None,
                None,
                "2025-01-02T06:00:00Z",
                "2025-04-03T00:00:00Z",
            ],
            "csat": [5, 4, None, None, 1, 5],
        }
    )


def test_ticket_times_hand_computed():
    r = m.ticket_times(_tickets().iloc[:5])
    # First reply hours: 1, 2, 4, 3 -> sorted 1,2,3,4; median 2.5;
    #   p90 (linear): position 0.9*3 = 2.7 -> 3 + 0.7*(4-3) = 3.7
    # Resolution hours: 10, 20, 30 -> median 20; p90: position 1.8 -> 20 + 0.8*10 = 28
    # Unresolved: tickets 3, 4 -> 2/5 = 0.4
    assert (r.n, r.replied, r.resolved) == (5, 4, 3)
    assert (r.first_reply_median_h, r.first_reply_p90_h) == pytest.approx((2.5, 3.7))
    assert (r.resolution_median_h, r.resolution_p90_h) == pytest.approx((20.0, 28.0))
    assert r.unresolved_share == pytest.approx(0.4)


def test_ticket_times_empty_and_by_quarter():
    e = m.ticket_times(_tickets().iloc[:0])
    assert e.n == 0 and math.isnan(e.first_reply_median_h) and math.isnan(e.unresolved_share)
    t = m.ticket_times_by_quarter(_tickets())
    assert list(t["quarter"]) == ["2025Q1", "2025Q2"]
    assert t["first_reply_median_h"].iloc[1] == 12.0 and t["resolution_median_h"].iloc[1] == 24.0
    t = m.ticket_times_by_quarter(_tickets(), quarters=["2024Q4"])
    assert t["n"].iloc[0] == 0


# -- adoption -------------------------------------------------------------------------------------
def test_adoption_hand_computed():
    r = m.adoption(_usage(), "2025Q1")
    # Active in March 2025 (MRR > 0): a, b, e, g = 4 (d has MRR 0, c and f are gone).
    # used_reports: a, b -> 2/4 = 0.5; used_mobile: b -> 1/4 (g's missing flag = not used)
    # Seats: a 5/10 = 0.5, b 3/3 = 1.0, e 8/4 = 2.0, g has 0 seats (skipped) -> median 1.0
    # Wilson 2/4: denom = 1 + 3.841459/4 = 1.960365; centre = (0.5 + 0.480182)/1.960365 = 0.5
    #   half = 1.959964/1.960365 * sqrt(0.0625 + 3.841459/64) = 0.999795 * 0.350033 = 0.349961
    assert (r.quarter, r.accounts) == ("2025Q1", 4)
    assert r.seat_utilisation_median == pytest.approx(1.0)
    assert r.features["reports"].share == 0.5
    assert r.features["mobile"].share == 0.25
    assert r.features["reports"].ci_low == pytest.approx(0.150039, abs=1e-5)
    assert r.features["reports"].ci_high == pytest.approx(0.849961, abs=1e-5)
    d = r.to_dict()
    assert d["adoption_reports"] == 0.5 and d["adoption_mobile"] == 0.25
    assert list(r.table()["feature"]) == ["reports", "mobile"]


def test_adoption_by_quarter_and_empty_quarter():
    t = m.adoption_by_quarter(_usage(), ["2025Q1", "2025Q2"])
    assert list(t["accounts"]) == [4, 0]
    assert math.isnan(t["adoption_reports"].iloc[1])
    assert math.isnan(t["seat_utilisation_median"].iloc[1])


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


# -- headline -------------------------------------------------------------------------------------
def test_headline_matches_component_functions():
    responses = pd.DataFrame(
        {
            "submitted_at": ["2024-11-01", "2024-12-01", "2025-02-01", "2025-02-02"],
            "score": [0, 0, 10, 9],
            "ces": [None, 2, 7, 6],
        }
    )
    h = m.headline(
        "2025Q1",
        nps_responses=responses,
        tickets=_tickets(),
        accounts=_accounts(),
        usage_monthly=_usage(),
    )
    assert h["quarter"] == "2025Q1"
    assert (h["nps"], h["nps_n"], h["nps_prev"], h["nps_change"]) == (100.0, 2, -100.0, 200.0)
    assert h["nps_change_significant"] in (True, False)
    assert h["ces"] == 6.5 and h["ces_easy_share"] == 1.0
    # Q1 tickets 1-5 have CSAT 5, 4, 1 -> 2/3.
    assert h["csat"] == pytest.approx(2 / 3) and h["csat_n"] == 3
    assert h["logo_churn_rate"] == pytest.approx(0.5)
    assert h["revenue_churn_rate"] == pytest.approx(5000 / 6600)
    assert h["grr"] == pytest.approx(350 / 1100) and h["nrr"] == pytest.approx(370 / 1100)
    assert h["first_reply_median_h"] == 2.5 and h["resolution_median_h"] == 20.0
    assert h["tickets_n"] == 5 and h["unresolved_share"] == pytest.approx(0.4)
    assert h["adoption_reports"] == 0.5 and h["seat_utilisation_median"] == 1.0
    assert math.isnan(h["review_positive_share"]) and h["review_n"] == 0
    assert "clv" in h and "arpa_monthly" in h


def test_headline_without_sources_has_stable_nan_keys():
    h = m.headline("2025Q1")
    full = m.headline("2025Q1", accounts=_accounts())
    assert set(h) == set(full)
    assert math.isnan(h["nps"]) and h["nps_change_significant"] is False
    assert math.isnan(h["grr"]) and math.isnan(h["clv"]) and h["accounts_start"] == 0


def test_headline_trend_rows_per_quarter():
    t = m.headline_trend(["2025Q1", "2025Q2"], accounts=_accounts(), usage_monthly=_usage())
    assert list(t["quarter"]) == ["2025Q1", "2025Q2"]
    assert list(t["logo_churn_rate"]) == pytest.approx([0.5, 0.25])
