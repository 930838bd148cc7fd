"""Kaplan-Meier and the log-rank test with late entry."""

from __future__ import annotations

import math

from lifelines.statistics import multivariate_logrank_test

from cc_analysis import churn


def test_km_and_logrank(analysis) -> None:
    surv = analysis.periods.survival()
    table = churn.km_table(surv).set_index(["dimension", "group"])
    assert table.loc[("Billing term", "monthly"), "logrank_p"] < 1e-6
    assert table.loc[("Billing term", "monthly"), "retained_12m"] < \
        table.loc[("Billing term", "annual"), "retained_12m"]
    # without late entry the test is lifelines' multivariate log-rank test
    fresh = surv.assign(entry=0)
    ours = churn.logrank_test(fresh, "plan")
    ref = multivariate_logrank_test(fresh["duration"], fresh["plan"].astype(str), fresh["event"])
    assert math.isclose(ours.test_statistic, ref.test_statistic, rel_tol=1e-9)
