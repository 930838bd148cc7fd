"""The classifier and the out-of-sample comparison with the Cox model."""

from __future__ import annotations

import numpy as np

from cc_analysis import churn


def test_out_of_sample_evaluation(analysis) -> None:
    m = analysis.evaluation.metrics
    assert m["train_events"] > 200 and m["test_events"] > 50
    for model in ("cox", "classifier"):
        assert m[model]["auc"] > 0.6 and m[model]["concordance"] > 0.6, model
        assert 0.7 < m[model]["expected_over_observed"] < 1.3, model
    cal = analysis.evaluation.calibration
    assert set(cal["model"]) == {"cox", "classifier"} and (cal.groupby("model").size() == 10).all()
    top = analysis.evaluation.importances["feature"].head(4).tolist()
    assert "billing_term" in top
    table = analysis.evaluation.table().set_index("model")
    assert table.loc["cox", "auc"] == m["cox"]["auc"]


def test_scores_and_calibration_by_hand() -> None:
    p = np.array([0.1, 0.2, 0.8, 0.9])
    y = np.array([0, 0, 1, 1])
    s = churn.classification_scores(p, y)
    assert s["auc"] == 1.0 and np.isclose(s["brier"], (0.01 + 0.04 + 0.04 + 0.01) / 4)
    assert np.isclose(s["expected_over_observed"], 2.0 / 2)
    cal = churn.calibration_bins("m", p, y, bins=2)
    assert cal["n"].tolist() == [2, 2] and cal["observed"].tolist() == [0.0, 1.0]
    assert np.allclose(cal["predicted"], [0.15, 0.85])
    assert (cal["ci_low"] <= cal["observed"]).all() and (cal["observed"] <= cal["ci_high"]).all()
