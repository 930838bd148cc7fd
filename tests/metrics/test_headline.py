"""The quarter's headline (cc_analysis.metrics.headline): the component metrics under stable
keys, against values worked out by hand in the comments (z for 95% is 1.959964)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cc_analysis import metrics as m


def test_headline_matches_component_functions(accounts, usage_monthly, tickets):
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
        tickets=tickets,
        accounts=accounts,
        usage_monthly=usage_monthly,
    )
    assert h["quarter"] == "2025Q1"
    assert (h["nps"], h["nps_n"], h["nps_prev"], h["nps_change"]) == (100.0, 2, -100.0, 200.0)
    # 2024Q4: two detractors (NPS -100); 2025Q1: two promoters (NPS 100). Adjusted Wald:
    #   prev p_p = 0.75/5 = 0.15, p_d = 2.75/5 = 0.55, adj = -0.4, var = (0.7 - 0.16)/5 = 0.108;
    #   curr mirrors it: adj = 0.4, var = 0.108.
    # d = 0.8, se = sqrt(0.216) = 0.464758, z = 1.72133 -> two-sided p = 0.0852 > 0.05:
    # a 200-point swing on two answers a quarter is not significant.
    # CI = 100 * (0.8 -/+ 1.959964 * 0.464758) = [-11.09, 171.09]
    assert h["nps_change_p"] == pytest.approx(0.0852, abs=1e-3)
    assert h["nps_change_ci_low"] == pytest.approx(-11.09, abs=0.01)
    assert h["nps_change_ci_high"] == pytest.approx(171.09, abs=0.01)
    assert h["nps_change_significant"] is False
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
    # Q1 paying account-months (usage fixture): a Feb 110, a Mar 120, b Mar 150, e Mar 80,
    #   g Mar 100 -> ARPA = 560 / 5 = 112. Quarterly logo churn 0.5 -> monthly
    #   1 - 0.5^(1/3) = 0.206299; CLV = 112 * 0.8 / 0.206299 = 434.32
    assert h["arpa_monthly"] == pytest.approx(112.0)
    assert h["clv"] == pytest.approx(434.32, abs=0.01)


def test_headline_without_sources_has_stable_nan_keys(accounts):
    h = m.headline("2025Q1")
    full = m.headline("2025Q1", accounts=accounts)
    assert set(h) == set(full)
    assert math.isnan(h["nps"]) and h["nps_change_significant"] is False
    assert math.isnan(h["grr"]) and math.isnan(h["clv"]) and h["accounts_start"] == 0


def test_headline_trend_rows_per_quarter(accounts, usage_monthly):
    t = m.headline_trend(["2025Q1", "2025Q2"], accounts=accounts, usage_monthly=usage_monthly)
    assert list(t["quarter"]) == ["2025Q1", "2025Q2"]
    assert list(t["logo_churn_rate"]) == pytest.approx([0.5, 0.25])
