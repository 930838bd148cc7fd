"""Plain words: the package's sentences, on hand-made inputs and on the sample analysis."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from cc_analysis import churn
from cc_analysis.outputs import json_safe


def test_driver_sentences() -> None:
    assert churn.driver_sentence("Monthly billing (vs annual)", 2.3, 1.9, 2.8) == (
        "Monthly billing (vs annual): 2.3x the churn hazard, 95% CI 1.9-2.8.")
    assert churn.driver_sentence("Enterprise plan", 0.57, 0.37, 0.89) == (
        "Enterprise plan: 0.57x the churn hazard (43% lower), 95% CI 0.37-0.89.")
    assert churn.driver_sentence("Region APAC", 1.07, 0.82, 1.39) == (
        "Region APAC: no clear effect on churn (1.07x, 95% CI 0.82-1.4).")
    assert churn.driver_sentence("2+ unresolved", 1.6, 0.9, 2.9) == (
        "2+ unresolved: 1.6x the churn hazard, but not statistically clear (95% CI 0.90-2.9).")
    assert churn.driver_sentence("Tickets", 1.1, 1.02, 1.2, "per extra ticket") == (
        "Tickets: 1.1x the churn hazard per extra ticket, 95% CI 1.02-1.2.")


def test_quarter_churn_sentence() -> None:
    trend = pd.DataFrame({"quarter": ["2026Q2", "2026Q3"], "churned": [9, 12],
                          "accounts_start": [1500, 1510], "logo_churn_rate": [0.006, 12 / 1510],
                          "arr_churned": [1e5, 250_400.4], "revenue_churn_rate": [0.01, 0.0123]})
    assert churn.quarter_churn_sentence(trend, "2026Q3") == (
        "In 2026Q3, **12 of 1,510 accounts** left (0.8% logo churn) taking **$250,400 ARR** "
        "(1.2% of ARR at the start of the quarter).")


def _drivers() -> pd.DataFrame:
    """A driver table as the package writes it: the voice row clears a 95% interval but not
    the false-discovery bar, so the package does not call it clear."""
    return pd.DataFrame({
        "driver": ["billing_term[monthly]", "theme:ui_navigation", "region[APAC]"],
        "group": ["account", "voice", "account"],
        "ci_low": [1.9, 1.01, 0.8], "ci_high": [2.8, 1.6, 1.4],
        "significant": [True, False, False],
        "sentence": ["Monthly billing: 2.3x.", "UI: 1.3x, but likely chance.", "APAC: none."],
    })


def test_clear_drivers_follow_the_packages_rule() -> None:
    """The notebook used to add back drivers whose CI excludes 1 (undoing Benjamini-Hochberg)."""
    assert churn.clear_driver_sentences(_drivers()) == ["Monthly billing: 2.3x."]
    assert churn.markdown_bullets(["a.", "b."]) == "- a.\n- b."
    assert churn.markdown_bullets([], empty="none") == "none"


def test_clear_drivers_on_the_sample(analysis) -> None:
    clear = churn.clear_driver_sentences(analysis.drivers)
    assert clear == analysis.summary["clear_drivers"]
    assert any(s.startswith("Monthly billing (vs annual)") for s in clear)
    assert any("pricing" in s.lower() for s in clear)  # the planted theme survives BH
    assert not any("likely chance" in s for s in clear)
    # a null theme whose nominal interval excludes 1 is in the table, not in the clear list
    d = analysis.drivers
    downgraded = d[~d["significant"] & ((d["ci_low"] > 1) | (d["ci_high"] < 1))]
    assert set(downgraded["sentence"]).isdisjoint(clear)


def test_ph_check_sentence() -> None:
    ph = pd.DataFrame({"driver": ["billing_term[monthly]", "arr", "GLOBAL"],
                       "label": ["Monthly billing (vs annual)", "ARR", "all drivers"],
                       "p": [0.2, 0.5, 0.31], "violated": [False, False, False]})
    assert churn.ph_check_sentence(ph) == (
        "**Proportional-hazards check.** No driver's effect drifts materially with tenure "
        "(global test p = 0.31).")
    ph["violated"] = [True, False, True]
    assert churn.ph_check_sentence(ph) == (
        "**Proportional-hazards check.** These effects change with tenure (read them as "
        "averages): Monthly billing (vs annual) (global test p = 0.31).")


def test_ph_check_sentence_on_the_sample(analysis) -> None:
    p = analysis.ph_test.set_index("driver").loc["GLOBAL", "p"]
    assert churn.ph_check_sentence(analysis.ph_test) == (
        "**Proportional-hazards check.** No driver's effect drifts materially with tenure "
        f"(global test p = {p:.2f}).")


def test_voice_markdown(analysis) -> None:
    text = churn.voice_markdown(analysis.voice)
    loud = analysis.voice[analysis.voice["significant"]]
    assert text.count("\n- ") == len(loud) - 1 and text.startswith("- ")
    assert "pricing" in text.lower()
    quiet = analysis.voice.assign(significant=False)
    assert churn.voice_markdown(quiet) == (
        "No feedback theme or NPS group stands out once the other drivers are accounted for.")
    assert churn.voice_markdown(pd.DataFrame()) == churn.voice_markdown(quiet)


def test_revenue_at_risk_sentence() -> None:
    summary = {"expected_arr_lost": 1_234_567.8, "horizon_months": 3,
               "expected_arr_lost_share": 0.0412, "arr_scored": 29_950_000.0,
               "expected_accounts_lost": 61.6, "high_risk_accounts": 153,
               "high_risk_arr": 4_100_000.4}
    assert churn.revenue_at_risk_sentence(summary) == (
        "**Revenue at risk:** $1,234,568 of ARR is expected to churn in the next 3 months "
        "(4.1% of $29,950,000), about 62 accounts. The riskiest 153 accounts hold "
        "$4,100,000 ARR.")
    # as saved to JSON by a run with no ARR scored: the share is missing, not an error
    saved = json.loads(json.dumps(json_safe({**summary, "expected_arr_lost_share": np.nan})))
    assert "(n/a of $29,950,000)" in churn.revenue_at_risk_sentence(saved)


def test_revenue_at_risk_sentence_on_the_sample(analysis) -> None:
    s = analysis.summary
    text = churn.revenue_at_risk_sentence(json.loads(json.dumps(json_safe(s))))
    assert text.startswith(f"**Revenue at risk:** ${s['expected_arr_lost']:,.0f} of ARR")
    assert f"The riskiest {s['high_risk_accounts']} accounts hold" in text


def test_account_months_sentence(analysis) -> None:
    p = analysis.periods
    text = churn.account_months_sentence(p)
    assert text == (f"**{len(p.frame):,} account-months** from Oct 2024 to Sep 2026: "
                    f"{p.frame['account_id'].nunique():,} accounts, "
                    f"{int(p.frame['event'].sum()):,} churned. Feedback themes: 13.")
    none = churn.AccountPeriods(p.frame, p.current, p.first_month, p.last_month, p.cutoff)
    assert churn.account_months_sentence(none).endswith(
        "Feedback themes: none yet (run notebook 02 first).")


def test_highest_churn_sentence() -> None:
    breakdown = pd.DataFrame({"dimension": ["Plan", "Billing term", "Billing term"],
                              "group": ["Starter", "annual", "monthly"],
                              "logo_churn_rate": [0.051, 0.012, 0.065]})
    assert churn.highest_churn_sentence(breakdown) == (
        "**Churn:** highest logo churn in billing term *monthly* (6.5%). See *Churn*.")
