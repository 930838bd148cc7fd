"""Measures per theme, checked against hand-computed values."""

from __future__ import annotations

import pandas as pd
import pytest

from cc_analysis import topics


def test_prevalence_and_trends_by_hand() -> None:
    docs = pd.DataFrame({"doc_id": range(300), "quarter": ["A"] * 100 + ["B"] * 100 + ["C"] * 100})
    # theme x: 5 docs in A, 5 in B, 30 in C -> emerging; theme y: 20, 20, 2 -> declining
    x = list(range(0, 5)) + list(range(100, 105)) + list(range(200, 230))
    y = list(range(10, 30)) + list(range(110, 130)) + list(range(240, 242))
    dt = pd.DataFrame({"doc_id": x + y, "theme": ["x"] * len(x) + ["y"] * len(y)})
    prev = topics.prevalence(dt, docs, ["A", "B", "C"])
    row = prev[(prev.theme == "x") & (prev.quarter == "C")].iloc[0]
    assert row.share == pytest.approx(0.30) and row.ci_low < 0.30 < row.ci_high
    tr = topics.trends(prev, "C", baseline_quarters=2).set_index("theme")
    assert tr.loc["x", "trend"] == "emerging" and tr.loc["x", "baseline_share"] == 0.05
    assert tr.loc["y", "trend"] == "declining"


def test_nps_impact_by_hand() -> None:
    # 10 responses: 4 promoters, 2 passives, 4 detractors -> NPS 0.
    scores = [10, 9, 9, 10, 7, 8, 2, 3, 5, 6]
    resp = pd.DataFrame({"doc_id": [f"d{i}" for i in range(10)], "score": scores})
    # "slow" is raised by 3 detractors only; "hello" by one promoter and one detractor
    dt = pd.DataFrame({"doc_id": ["d6", "d7", "d8", "d0", "d9"],
                       "theme": ["slow", "slow", "slow", "hello", "hello"]})
    imp = topics.nps_impact(resp, dt, min_mentions=1, n_boot=200).set_index("theme")
    # if slow's 3 detractors were not detractors: 4 promoters, 1 detractor of 10 -> NPS 30
    assert imp.loc["slow", "naive_impact"] == pytest.approx(30.0)
    assert imp.loc["hello", "naive_impact"] == pytest.approx(10.0)
    assert imp.loc["slow", "effect"] < 0
    assert imp.loc["slow", "nps_impact"] > imp.loc["hello", "nps_impact"]
    # detractors mentioning only "slow" are all blamed on it: 3 of 10 responses = 30 points
    assert imp.loc["slow", "nps_impact"] == pytest.approx(30.0)
    assert imp.loc["slow", "ci_low"] <= 30.0 <= imp.loc["slow", "ci_high"]
