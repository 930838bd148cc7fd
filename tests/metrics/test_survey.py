"""NPS (adjusted-Wald CI, change test), CSAT, CES and their per-quarter tables
(cc_analysis.metrics.survey), against values worked out by hand in the comments.

z for 95% is 1.959964 (normal table); z^2 = 3.841459.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cc_analysis import metrics as m
from cc_analysis.periods import Quarter
from cc_analysis.stats import wilson_interval


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
    assert wilson_interval(7, 10) == pytest.approx((0.396778, 0.892209), abs=1e-5)


def test_csat_edges():
    assert math.isnan(m.csat([]).share) and m.csat([]).n == 0
    assert math.isnan(wilson_interval(0, 0)[0])
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
