"""Descriptive churn: by quarter and segment (metrics' definition), cohort retention."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cc_analysis import churn, metrics


def test_churn_by_quarter_and_segment(frames) -> None:
    quarters = ["2025Q4", "2026Q1", "2026Q2", "2026Q3"]
    t = churn.churn_by_quarter_and(frames["accounts"], quarters, "segment")
    overall = metrics.churn_by_quarter(frames["accounts"], quarters)
    pd.testing.assert_frame_equal(t[t["segment"] == "All"].drop(columns="segment")
                                  .reset_index(drop=True), overall)
    parts = t[t["segment"] != "All"].groupby("quarter")[["accounts_start", "churned"]].sum()
    assert (parts.loc[quarters].to_numpy() == overall[["accounts_start", "churned"]].to_numpy()
            ).all()


def test_churn_breakdown_adds_up(frames) -> None:
    b = churn.churn_breakdown(frames["accounts"], "2026Q3")
    overall = metrics.churn_by_quarter(frames["accounts"], ["2026Q3"]).iloc[0]
    assert set(b["dimension"]) == {"Plan", "Billing term", "Segment", "Region"}
    for _, part in b.groupby("dimension"):
        assert part["churned"].sum() == overall["churned"]
        assert part["accounts_start"].sum() == overall["accounts_start"]


def test_cohort_retention(frames) -> None:
    t = churn.cohort_retention(frames["accounts"], frames["usage_monthly"],
                               ["2024Q4", "2025Q1", "2025Q2"], "2026-09-30")
    for _, g in t.groupby("cohort"):
        assert g["logo_retention"].is_monotonic_decreasing
        assert g["logo_retention"].iloc[0] <= 1
    first = t[t["cohort"] == "2024Q4"]
    assert len(first) == 8 and first["revenue_retention"].notna().all()
    m = churn.cohort_matrix(t)
    assert m.shape == (3, 8) and np.isnan(m.loc["2025Q2", 7])
