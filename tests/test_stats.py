"""Shared statistics against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cc_analysis.stats import bh_adjust, wilson_interval, z_value


def test_z_value() -> None:
    assert z_value(0.95) == pytest.approx(1.959964, abs=1e-6)
    assert z_value(0.90) == pytest.approx(1.644854, abs=1e-6)
    with pytest.raises(ValueError, match="confidence"):
        z_value(1.0)


def test_wilson_interval_by_hand() -> None:
    # 7 of 10 (worked in tests/metrics/test_survey.py): [0.396778, 0.892209]
    assert wilson_interval(7, 10) == pytest.approx((0.396778, 0.892209), abs=1e-6)
    # 0 of 20: the lower bound is 0, the upper z^2 / (n + z^2) = 3.841459 / 23.841459 = 0.161125
    low, high = wilson_interval(0, 20)
    assert low == 0.0 and high == pytest.approx(0.161125, abs=1e-6)
    assert all(math.isnan(x) for x in wilson_interval(0, 0))


def test_bh_adjust_by_hand() -> None:
    # p sorted: 0.01, 0.02, 0.03, 0.5 (n = 4): raw p*n/rank = 0.04, 0.04, 0.04, 0.5;
    # the running minimum from the top keeps them; returned in input order
    p = np.array([0.5, 0.03, 0.01, 0.02])
    assert bh_adjust(p) == pytest.approx([0.5, 0.04, 0.04, 0.04])
    # p*n/rank above 1 is capped, and a later smaller value pulls earlier ones down
    assert bh_adjust(np.array([0.9, 0.6])) == pytest.approx([0.9, 0.9])
    assert bh_adjust(np.array([0.04, 0.049])) == pytest.approx([0.049, 0.049])
    assert len(bh_adjust(np.array([]))) == 0
