"""The charts draw what their tables hold (one mark per row, group or cell)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from cc_analysis import churn


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_forest_plot_has_one_row_per_driver(analysis) -> None:
    fig = analysis.cox.plot(groups=["account", "behaviour"])
    s = analysis.cox.summary
    s = s[s["group"].isin(["account", "behaviour"])]
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks == s["label"].iloc[::-1].tolist()


def test_km_plot_has_one_curve_per_group(analysis) -> None:
    surv = analysis.periods.survival()
    fig = churn.plot_km(surv, "billing_term")
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == sorted(surv["billing_term"].astype(str).unique())
    assert fig.axes[0].get_title(loc="left").endswith("(log-rank p < 0.001)")


def test_cohort_heatmap_labels_every_cell(frames) -> None:
    cohorts = churn.cohort_retention(frames["accounts"], frames["usage_monthly"],
                                     ["2025Q1", "2025Q2"], "2026-09-30")
    matrix = churn.cohort_matrix(cohorts)
    fig = churn.plot_cohort_heatmap(matrix)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert len(texts) == int(np.isfinite(matrix.to_numpy(float)).sum())
    assert texts[0] == f"{matrix.iloc[0, 0]:.0%}"


def test_voice_calibration_and_importance_charts(analysis) -> None:
    voice = analysis.voice
    fig = churn.plot_voice(voice)
    shown = voice[voice["churned"] >= 5]
    assert len(fig.axes[0].get_yticklabels()) == len(shown)
    fig = churn.plot_calibration(analysis.evaluation.calibration)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert sorted(labels) == ["classifier", "cox", "perfect"]
    fig = analysis.evaluation.classifier.plot(top=5)
    assert len(fig.axes[0].patches) == 5
