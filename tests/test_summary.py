"""Plain-language summaries: one formatting rule per headline metric, quarters found by label."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cc_analysis import summary


def test_each_metric_formats_in_its_own_style() -> None:
    assert summary.format_metric("nps", 21.4) == "21"
    assert summary.format_metric("csat", 0.8123) == "81.2%"
    assert summary.format_metric("ces", 5.678) == "5.68"
    assert summary.format_metric("first_reply_median_h", 3.24) == "3.2"
    assert summary.format_metric("nrr", None) == "–"
    assert summary.format_metric("logo_churn_rate", math.nan) == "–"
    with pytest.raises(KeyError):
        summary.format_metric("no_such_metric", 1.0)


def test_index_metrics_are_headline_metrics() -> None:
    assert set(summary.INDEX_METRICS) <= set(summary.HEADLINE_BY_KEY)


def test_headline_table_shows_value_interval_and_last_quarter() -> None:
    now = {"nps": 21.0, "nps_ci_low": 16.2, "nps_ci_high": 25.9, "csat": 0.8, "csat_ci_low": 0.75,
           "csat_ci_high": 0.85}
    table = summary.headline_table(now, {"nps": 27.0, "csat": 0.82})
    assert table.loc["NPS"].tolist() == ["21", "16 to 26", "27"]
    assert table.loc["CSAT (share 4-5)"].tolist() == ["80.0%", "75.0% to 85.0%", "82.0%"]
    assert table.loc["Logo churn"].tolist() == ["–", "", "–"]
    assert len(table) == len(summary.HEADLINE_METRICS)


def test_previous_quarter_is_found_by_label_not_position() -> None:
    # rows out of order and a gap: position -2 would be the wrong quarter
    trend = pd.DataFrame({"quarter": ["2026Q3", "2025Q4", "2026Q2", "2026Q1"],
                          "nps": [30.0, 10.0, 25.0, 20.0]})
    now, prev = summary.this_and_previous(trend, "2026Q3")
    assert now["nps"] == 30.0 and prev is not None and prev["nps"] == 25.0
    now, prev = summary.this_and_previous(trend, "2026Q1")
    assert now["nps"] == 20.0 and prev["nps"] == 10.0  # 2025Q4 precedes 2026Q1
    now, prev = summary.this_and_previous(trend, "2025Q4")
    assert prev is None
    with pytest.raises(KeyError, match="2027Q1"):
        summary.this_and_previous(trend, "2027Q1")
