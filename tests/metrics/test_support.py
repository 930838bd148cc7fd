"""Ticket first-reply and resolution times (cc_analysis.metrics.support), worked out by hand."""

from __future__ import annotations

import math

import pytest

from cc_analysis import metrics as m


def test_ticket_times_hand_computed(tickets):
    r = m.ticket_times(tickets.iloc[:5])
    # First reply hours: 1, 2, 4, 3 -> sorted 1,2,3,4; median 2.5;
    #   p90 (linear): position 0.9*3 = 2.7 -> 3 + 0.7*(4-3) = 3.7
    # Resolution hours: 10, 20, 30 -> median 20; p90: position 1.8 -> 20 + 0.8*10 = 28
    # Unresolved: tickets 3, 4 -> 2/5 = 0.4
    assert (r.n, r.replied, r.resolved) == (5, 4, 3)
    assert (r.first_reply_median_h, r.first_reply_p90_h) == pytest.approx((2.5, 3.7))
    assert (r.resolution_median_h, r.resolution_p90_h) == pytest.approx((20.0, 28.0))
    assert r.unresolved_share == pytest.approx(0.4)


def test_ticket_times_empty_and_by_quarter(tickets):
    e = m.ticket_times(tickets.iloc[:0])
    assert e.n == 0 and math.isnan(e.first_reply_median_h) and math.isnan(e.unresolved_share)
    t = m.ticket_times_by_quarter(tickets)
    assert list(t["quarter"]) == ["2025Q1", "2025Q2"]
    assert t["first_reply_median_h"].iloc[1] == 12.0 and t["resolution_median_h"].iloc[1] == 24.0
    t = m.ticket_times_by_quarter(tickets, quarters=["2024Q4"])
    assert t["n"].iloc[0] == 0
