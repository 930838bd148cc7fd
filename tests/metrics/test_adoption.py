"""Feature adoption and seat utilisation (cc_analysis.metrics.adoption), worked out by hand.

z for 95% is 1.959964 (normal table); z^2 = 3.841459.
"""

from __future__ import annotations

import math

import pytest

from cc_analysis import metrics as m


def test_adoption_hand_computed(usage_monthly):
    r = m.adoption(usage_monthly, "2025Q1")
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


def test_adoption_by_quarter_and_empty_quarter(usage_monthly):
    t = m.adoption_by_quarter(usage_monthly, ["2025Q1", "2025Q2"])
    assert list(t["accounts"]) == [4, 0]
    assert math.isnan(t["adoption_reports"].iloc[1])
    assert math.isnan(t["seat_utilisation_median"].iloc[1])
