"""``analyze`` end to end: the report's driver table, its tables and the summary."""

from __future__ import annotations

import json

from cc_analysis import churn
from cc_analysis.outputs import json_safe


def test_driver_table_for_the_report(analysis) -> None:
    d = analysis.drivers
    assert {"driver", "label", "hazard_ratio", "ci_low", "ci_high", "p", "importance",
            "sentence", "significant"} <= set(d.columns)
    assert d["significant"].iloc[0] and not d["significant"].iloc[-1]
    monthly = d.set_index("driver").loc["billing_term[monthly]"]
    assert monthly["sentence"].startswith("Monthly billing (vs annual): 2.")
    assert monthly["importance"] > 0  # the classifier relies on billing term too
    # clear drivers first, then by strength: the table equals driver_table on the model
    again = churn.driver_table(analysis.cox, analysis.evaluation.importances)
    assert again["driver"].tolist() == d["driver"].tolist()


def test_tables_and_summary(analysis) -> None:
    assert set(analysis.tables()) == {
        "churn_drivers", "churn_voice", "at_risk_accounts", "churn_ph_test",
        "churn_model_comparison", "churn_calibration", "churn_importances"}
    s = analysis.summary
    assert s["clear_drivers"] == churn.clear_driver_sentences(analysis.drivers)
    assert s["ph_violations"] == []  # the planted hazards are proportional
    assert s["accounts"] == analysis.periods.frame["account_id"].nunique()
    json.dumps(json_safe(s))  # JSON-ready for out.save_json
