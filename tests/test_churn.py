"""Churn drivers on the seeded sample workspace: planted truths recovered, no leakage.

Tolerances (stated once, used below):
- planted hazard ratios: the estimate is within a factor 1.35 of the planted value and the 95%
  CI contains it; the CI excludes 1 for every planted driver except "2+ unresolved tickets",
  which at 2,000 accounts has only 18 churns in exposed months (HR > 1 is required, the CI
  cannot exclude 1; at 200,000 accounts the benchmark recovers 1.83, CI 1.73-1.93).
- voice to churn: the planted pricing_value theme is significant after Benjamini-Hochberg
  (q < 0.05) with CI above 1; none of the 12 non-planted themes is significant after BH, each
  has HR < 1.5 and a CI reaching down to 1.1 or below (one of twelve nulls may cross 1 at the
  unadjusted 95% level by chance; that is what the BH step is for).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from lifelines import CoxTimeVaryingFitter
from lifelines.statistics import multivariate_logrank_test

from cc_analysis import churn, metrics
from cc_analysis.store import Store

FEATURES = [
    "active_users_3m", "usage_change", "usage_decline", "seat_utilisation", "features_used",
    "arr", "tickets_3m", "unresolved_3m", "unresolved_2plus", "resolution_h_6m",
    "slow_resolution", "csat_6m", "poor_csat", "nps_score", "nps_category",
]
PLANTED_COLUMN = {
    "billing_term_monthly": "billing_term[monthly]",
    "usage_decline": "usage_decline",
    "unresolved_tickets": "unresolved_2plus",
    "pricing_complaint": "theme:pricing_value",
    "plan_enterprise": "plan[Enterprise]",
}
HR_FACTOR = 1.35


# -------------------------------------------------------------------------------------------------
# fixtures
# -------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def truth(sample_workspace: Path) -> dict:
    return json.loads((sample_workspace / "raw" / "_truth.json").read_text())


@pytest.fixture(scope="module")
def frames(sample_workspace: Path) -> dict[str, pd.DataFrame]:
    store = Store(sample_workspace / "workspace.duckdb")
    return store.frames("accounts", "usage_monthly", "tickets", "nps_responses", "feedback")


@pytest.fixture(scope="module")
def doc_themes(sample_workspace: Path, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Planted theme labels per document joined to the store's feedback (source + source_id)."""
    docs = pd.read_csv(sample_workspace / "raw" / "_truth_documents.csv", dtype=str,
                       keep_default_na=False)
    docs = docs.assign(theme=docs["themes"].str.split(";")).explode("theme")
    docs = docs[docs["theme"] != ""]
    return churn.account_themes(docs[["source", "source_id", "theme"]], frames["feedback"])


@pytest.fixture(scope="module")
def labels(truth: dict) -> dict[str, str]:
    return {t["id"]: t["label"] for t in truth["themes"]}


@pytest.fixture(scope="module")
def analysis(frames, doc_themes, labels) -> churn.ChurnAnalysis:
    return churn.analyze(frames["accounts"], frames["usage_monthly"], frames["tickets"],
                         frames["nps_responses"], doc_themes, theme_labels=labels, seed=42)


def _build(frames, doc_themes, **kw) -> churn.AccountPeriods:
    return churn.account_periods(frames["accounts"], frames["usage_monthly"], frames["tickets"],
                                 frames["nps_responses"], doc_themes, **kw)


# -------------------------------------------------------------------------------------------------
# the account-period table
# -------------------------------------------------------------------------------------------------
def test_table_reproduces_the_planted_exposure(analysis, truth) -> None:
    """Same at-risk rows, churns and driver exposure as the generator's own bookkeeping."""
    f = analysis.periods.frame
    realised = truth["churn_model"]["realised"]
    assert len(f) == realised["account_months_at_risk"]
    assert int(f["event"].sum()) == realised["churn_events"]
    exposure = realised["driver_account_months"]
    assert int((f["billing_term"] == "monthly").sum()) == exposure["billing_term_monthly"]
    assert int((f["plan"] == "Enterprise").sum()) == exposure["plan_enterprise"]
    assert int(f["usage_decline"].sum()) == exposure["usage_decline"]
    assert int(f["unresolved_2plus"].sum()) == exposure["unresolved_tickets"]
    assert int(f["theme:pricing_value"].sum()) == exposure["pricing_complaint"]


def _truncate(frames, doc_themes, cut: pd.Timestamp):
    """Everything known before ``cut``: later rows dropped, later churn not yet happened."""
    acc = frames["accounts"]
    acc = acc[acc["start_date"] < cut].copy()
    acc.loc[acc["end_date"] >= cut, "end_date"] = pd.NaT
    return dict(
        accounts=acc,
        usage_monthly=frames["usage_monthly"][frames["usage_monthly"]["month"] < cut],
        tickets=frames["tickets"][frames["tickets"]["created_at"] < cut].assign(
            solved_at=lambda t: t["solved_at"].where(t["solved_at"] < cut)),
        nps_responses=frames["nps_responses"][frames["nps_responses"]["submitted_at"] < cut],
        doc_themes=doc_themes[doc_themes["created_at"] < cut],
    )


def _same(a: pd.Series, b: pd.Series) -> bool:
    a, b = a.reset_index(drop=True), b.reset_index(drop=True)
    if a.dtype == object or isinstance(a.dtype, pd.CategoricalDtype):
        return a.astype(str).equals(b.astype(str))
    return bool(np.allclose(a.astype(float), b.astype(float), equal_nan=True))


@pytest.mark.parametrize("month", ["2025-07-01", "2026-02-01"])
def test_features_only_use_data_from_before_the_month(analysis, frames, doc_themes, month):
    """Features of month t computed from all data equal those computed from data cut at t.

    Would fail if any feature looked at data dated on or after the first day of the month
    in which churn is measured (including ticket resolutions and churn itself).
    """
    cut = pd.Timestamp(month)
    full = analysis.periods.frame
    full = full[full["month"] == cut].assign(account_id=lambda d: d["account_id"].astype(str))
    past = churn.account_periods(**_truncate(frames, doc_themes, cut), start="2024-10-01",
                                 as_of=cut - pd.Timedelta(days=1))
    scored = past.current.set_index("account_id").loc[full["account_id"]]
    assert len(scored) == len(full) > 500
    for c in [c for c in full.columns if c.startswith("theme:")]:
        if c not in scored:  # a theme first raised after the cut: nobody had raised it yet
            scored[c] = False
    cols = FEATURES + [c for c in full.columns if c.startswith("theme:")]
    assert not [c for c in cols if not _same(full[c], scored[c])]
    assert (scored["tenure_stop"].to_numpy() == full["tenure_stop"].to_numpy()).all()


def test_activity_after_churn_cannot_flip_a_feature(frames, doc_themes, analysis) -> None:
    """Post-churn tickets, a detractor score and a pricing complaint change nothing."""
    f = analysis.periods.frame
    ev = f[(f["event"] == 1) & ~f["unresolved_2plus"] & ~f["theme:pricing_value"]
           & (f["nps_category"] != "detractor") & (f["tickets_3m"] == 0)]
    row = ev.iloc[0]
    aid = str(row["account_id"])
    end = frames["accounts"].set_index("account_id").loc[aid, "end_date"]
    after = [end, end + pd.Timedelta(days=20), end + pd.Timedelta(days=45)]
    extra_tickets = pd.DataFrame({
        "ticket_id": [f"X{i}" for i in range(3)], "account_id": aid,
        "created_at": after, "first_reply_at": pd.NaT, "solved_at": pd.NaT,
        "status": "open", "channel": "email", "subject": "", "body": "", "csat": pd.NA,
    })
    tickets = pd.concat([frames["tickets"], extra_tickets.astype(
        {"csat": frames["tickets"]["csat"].dtype})], ignore_index=True)
    nps = pd.concat([frames["nps_responses"], pd.DataFrame({
        "response_id": ["X1"], "account_id": [aid], "submitted_at": [end],
        "score": [0], "comment": ["too expensive"], "ces": pd.array([pd.NA], dtype="Int64")})],
        ignore_index=True)
    themes = pd.concat([doc_themes, pd.DataFrame({"account_id": [aid], "created_at": [end],
                                                  "theme": ["pricing_value"]})],
                       ignore_index=True)
    leaky = churn.account_periods(frames["accounts"], frames["usage_monthly"], tickets, nps,
                                  themes)
    before = f[f["account_id"].astype(str) == aid].reset_index(drop=True)
    now = leaky.frame[leaky.frame["account_id"].astype(str) == aid].reset_index(drop=True)
    assert len(now) == len(before) and now["event"].iloc[-1] == 1
    for c in FEATURES + ["theme:pricing_value"]:
        assert _same(before[c], now[c]), c
    # the injected activity is enough to flip the churn month's features if it were counted
    assert len(extra_tickets) >= churn.UNRESOLVED_MIN and not before["unresolved_2plus"].any()


def test_censoring_and_late_entry(frames, doc_themes, analysis) -> None:
    f = analysis.periods.frame
    acc = frames["accounts"].set_index("account_id")
    last = f.groupby("account_id", observed=True).agg(
        month=("month", "max"), event=("event", "max"), first_tenure=("tenure_start", "min"))
    active = acc.index[acc["end_date"].isna()]
    on = last.index.astype(str).isin(active)
    assert (last.loc[on, "event"] == 0).all()
    assert (last.loc[on, "month"] == pd.Timestamp("2026-09-01")).all()
    # accounts older than the window enter it late, at their tenure on 2024-10-01
    old = acc.index[acc["start_date"] < "2024-09-01"]
    assert (last.loc[last.index.astype(str).isin(old), "first_tenure"] > 0).all()
    # an analysis as of mid-2026 treats later churn as unknown: censored, and scored as current
    mid = _build(frames, doc_themes, as_of="2026-06-30")
    later = acc.index[(acc["end_date"] >= "2026-07-01") & (acc["start_date"] < "2026-07-01")]
    rows = mid.frame[mid.frame["account_id"].astype(str).isin(later)]
    assert len(rows) and rows["event"].sum() == 0
    assert rows["month"].max() == pd.Timestamp("2026-06-01")
    assert set(later) <= set(mid.current["account_id"])


def test_doc_themes_by_doc_id_equal_by_source(frames, doc_themes, sample_workspace) -> None:
    """topics hands over (doc_id, theme); that gives the same account themes."""
    docs = pd.read_csv(sample_workspace / "raw" / "_truth_documents.csv", dtype=str,
                       keep_default_na=False)
    docs = docs.assign(theme=docs["themes"].str.split(";")).explode("theme")
    docs = docs[docs["theme"] != ""]
    by_id = docs.assign(doc_id=docs["source"] + ":" + docs["source_id"])[["doc_id", "theme"]]
    got = churn.account_themes(by_id, frames["feedback"])
    key = ["account_id", "created_at", "theme"]
    a = got.sort_values(key).reset_index(drop=True)[key]
    b = doc_themes.sort_values(key).reset_index(drop=True)[key]
    pd.testing.assert_frame_equal(a, b)


# -------------------------------------------------------------------------------------------------
# drivers
# -------------------------------------------------------------------------------------------------
def test_cox_solver_matches_lifelines(analysis) -> None:
    f = analysis.periods.frame
    cox = analysis.cox
    X = cox.design_.transform(f).assign(_s=f["tenure_start"].astype(float),
                                        _e=f["tenure_stop"].astype(float), _ev=f["event"])
    ref = CoxTimeVaryingFitter().fit(X, event_col="_ev", start_col="_s", stop_col="_e")
    assert np.abs(cox.params_ - ref.params_[cox.params_.index]).max() < 1e-6
    assert np.abs(cox.standard_errors_ - ref.standard_errors_[cox.params_.index]).max() < 1e-5
    assert math.isclose(cox.log_likelihood_, ref.log_likelihood_, rel_tol=1e-9)


def test_recovers_planted_hazard_ratios(analysis, truth) -> None:
    s = analysis.cox.summary.set_index("driver")
    planted = truth["churn_model"]["hazard_ratios"]
    for name, col in PLANTED_COLUMN.items():
        hr, lo, hi = s.loc[col, ["hazard_ratio", "ci_low", "ci_high"]]
        assert abs(math.log(hr / planted[name])) <= math.log(HR_FACTOR), (name, hr)
        assert lo <= planted[name] <= hi, (name, lo, hi)
        assert (hr > 1) == (planted[name] > 1), name
        if name != "unresolved_tickets":
            assert lo > 1 or hi < 1, (name, lo, hi)
    base = truth["churn_model"]["base_monthly_hazard"]
    for seg in ("Mid-Market", "Enterprise"):
        hr, lo, hi = s.loc[f"segment[{seg}]", ["hazard_ratio", "ci_low", "ci_high"]]
        want = base[seg] / base["SMB"]
        assert abs(math.log(hr / want)) <= math.log(HR_FACTOR) and lo <= want <= hi, seg


def test_plain_words_sentences() -> None:
    assert churn.driver_sentence("Monthly billing (vs annual)", 2.3, 1.9, 2.8) == (
        "Monthly billing (vs annual): 2.3x the churn hazard, 95% CI 1.9-2.8.")
    assert churn.driver_sentence("Enterprise plan", 0.57, 0.37, 0.89) == (
        "Enterprise plan: 0.57x the churn hazard (43% lower), 95% CI 0.37-0.89.")
    assert "no clear effect" in churn.driver_sentence("Region APAC", 1.07, 0.82, 1.39)
    assert "not statistically clear" in churn.driver_sentence("2+ unresolved", 1.6, 0.9, 2.9)
    assert "per extra ticket" in churn.driver_sentence("Tickets", 1.1, 1.02, 1.2,
                                                       "per extra ticket")


def test_driver_table_for_the_report(analysis) -> None:
    d = analysis.drivers
    assert {"driver", "label", "hazard_ratio", "ci_low", "ci_high", "p", "importance",
            "sentence", "significant"} <= set(d.columns)
    assert d["significant"].iloc[0] and not d["significant"].iloc[-1]
    monthly = d.set_index("driver").loc["billing_term[monthly]"]
    assert monthly["sentence"].startswith("Monthly billing (vs annual): 2.")
    assert monthly["importance"] > 0  # the classifier relies on billing term too


def test_proportional_hazards_check(analysis) -> None:
    """The planted hazard is proportional: no driver drifts materially with tenure."""
    ph = analysis.ph_test
    assert not ph["violated"].any()
    assert ph.set_index("driver").loc["GLOBAL", "p"] > 0.01
    # the score test equals a refit with the interaction (Wald), as a check of the shortcut
    f = analysis.periods.frame
    X = analysis.cox.design_.transform(f)
    logt = np.log(f["tenure_stop"].astype(float))
    X = X.assign(_int=X["billing_term[monthly]"] * (logt - logt.mean()),
                 _s=f["tenure_start"].astype(float), _e=f["tenure_stop"].astype(float),
                 _ev=f["event"])
    ref = CoxTimeVaryingFitter().fit(X, event_col="_ev", start_col="_s", stop_col="_e")
    p_ref = ref.summary.loc["_int", "p"]
    p_score = ph.set_index("driver").loc["billing_term[monthly]", "p"]
    assert abs(p_ref - p_score) < 0.02


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


# -------------------------------------------------------------------------------------------------
# voice to churn
# -------------------------------------------------------------------------------------------------
def test_voice_to_churn_finds_the_planted_theme_only(analysis) -> None:
    v = analysis.voice
    themes = v[v["kind"] == "theme"].set_index("item")
    assert len(themes) == 13
    pricing = themes.loc["pricing_value"]
    assert pricing["adjusted_hr"] > 1.2 and pricing["ci_low"] > 1 and pricing["significant"]
    assert abs(math.log(pricing["adjusted_hr"] / 1.6)) <= math.log(HR_FACTOR)
    others = themes.drop(index="pricing_value")
    assert not others["significant"].any(), others[others["significant"]].index.tolist()
    # a null theme that clears the nominal 95% interval is reported as likely chance
    nominal = others[(others["ci_low"] > 1) | (others["ci_high"] < 1)]
    assert nominal["sentence"].str.contains("likely chance among the").all()
    assert (others["adjusted_hr"] < 1.5).all()
    assert (others["ci_low"] <= 1.1).all()
    nps = v[v["kind"] == "nps"]
    assert set(nps["item"]) == {"passive", "detractor", "no response"}


# -------------------------------------------------------------------------------------------------
# at-risk accounts and the summary for notebook 04
# -------------------------------------------------------------------------------------------------
def test_at_risk_accounts(analysis, frames) -> None:
    r = analysis.at_risk
    acc = frames["accounts"]
    active = acc[acc["end_date"].isna()]
    assert set(r["account_id"]) == set(active["account_id"])
    assert r["churn_probability"].between(0, 1).all()
    assert r["churn_probability"].is_monotonic_decreasing and r["rank"].iloc[0] == 1
    arr = active.set_index("account_id")["arr"]
    assert np.allclose(r["arr"], arr.loc[r["account_id"]].to_numpy())
    assert np.allclose(r["expected_arr_loss"], r["arr"] * r["churn_probability"])
    top = r.head(20)
    assert top["top_reasons"].str.contains("vs average").all()
    assert top["top_reasons"].str.contains("Active users fell|Monthly billing").all()
    s = analysis.summary
    assert math.isclose(s["expected_arr_lost"], r["expected_arr_loss"].sum())
    assert 0 < s["expected_arr_lost_share"] < 0.2 and s["high_risk_accounts"] == 153
    json.dumps(s)  # JSON-ready for out.save_json


# -------------------------------------------------------------------------------------------------
# descriptive
# -------------------------------------------------------------------------------------------------
def test_churn_by_quarter_and_segment(frames) -> None:
    quarters = ["2025Q4", "2026Q1", "2026Q2", "2026Q3"]
    t = churn.churn_by_quarter_and(frames["accounts"], quarters, "segment")
    overall = metrics.churn_by_quarter(frames["accounts"], quarters)
    pd.testing.assert_frame_equal(t[t["segment"] == "All"].drop(columns="segment")
                                  .reset_index(drop=True), overall)
    parts = t[t["segment"] != "All"].groupby("quarter")[["accounts_start", "churned"]].sum()
    assert (parts.loc[quarters].to_numpy() == overall[["accounts_start", "churned"]].to_numpy()
            ).all()


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


def test_charts_return_figures(analysis, frames) -> None:
    surv = analysis.periods.survival()
    cohorts = churn.cohort_retention(frames["accounts"], frames["usage_monthly"],
                                     ["2025Q1", "2025Q2"], "2026-09-30")
    figs = [
        analysis.cox.plot(),
        churn.plot_km(surv, "billing_term"),
        churn.plot_cohort_heatmap(churn.cohort_matrix(cohorts)),
        churn.plot_voice(analysis.voice),
        churn.plot_calibration(analysis.evaluation.calibration),
        analysis.evaluation.classifier.plot(),
    ]
    assert all(isinstance(f, plt.Figure) for f in figs)
    plt.close("all")


# -------------------------------------------------------------------------------------------------
# any account export (the `cc-analysis churn FILE` command)
# -------------------------------------------------------------------------------------------------
def _telco_like(path: Path, n: int = 1500, seed: int = 3) -> None:
    """A Telco-churn-shaped export: text-typed numbers with blanks, Yes/No churn, noise."""
    rng = np.random.default_rng(seed)
    contract = rng.choice(["Month-to-month", "One year", "Two year"], n, p=[0.55, 0.21, 0.24])
    fiber = rng.random(n) < 0.45
    hr = np.exp(np.log(3.0) * (contract == "Month-to-month") + np.log(0.4) * (
        contract == "Two year") + np.log(1.6) * fiber)
    t_churn = rng.exponential(1 / (0.012 * hr))
    t_cens = rng.uniform(0, 72, n)
    tenure = np.floor(np.minimum(np.minimum(t_churn, t_cens), 72)).astype(int)
    churned = (t_churn <= t_cens) & (t_churn <= 72)
    monthly = np.round(np.where(fiber, rng.uniform(70, 118, n), rng.uniform(20, 80, n)), 2)
    total = np.where(tenure == 0, " ", np.round(monthly * tenure, 2).astype(str))
    df = pd.DataFrame({
        "customerID": [f"{i:04d}-QWERT" for i in range(n)],
        "gender": rng.choice(["Female", "Male", "male "], n, p=[0.5, 0.45, 0.05]),
        "SeniorCitizen": rng.choice(["0", "1"], n, p=[0.84, 0.16]),
        "tenure": tenure.astype(str),
        "InternetService": np.where(fiber, "Fiber optic", "DSL"),
        "Contract": contract,
        "PaymentMethod": rng.choice(["Electronic check", "Mailed check", ""], n,
                                    p=[0.6, 0.38, 0.02]),
        "MonthlyCharges": [f"${m:,.2f}" for m in monthly],
        "TotalCharges": total,
        "SignupDate": pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 900, n), "D"),
        "Churn": np.where(churned, "Yes", "No"),
    })
    df.loc[7, "Churn"] = "maybe"
    df.to_csv(path, index=False)


def test_analyze_file_handles_a_messy_export(tmp_path: Path) -> None:
    src = tmp_path / "telco.csv"
    _telco_like(src)
    out = tmp_path / "out"
    res = churn.analyze_file(src, "customerID", "Churn", tenure_col="tenure", out_dir=out,
                             seed=1, value_col="MonthlyCharges", folds=3)
    text = " | ".join(res["coercions"])
    assert "TotalCharges: text read as numbers" in text and "blank" in text
    assert "MonthlyCharges: text read as numbers" in text  # "$1,234.50" style values
    assert "Churn: 1 rows with an unreadable churn value ('maybe')" in text
    assert "tenure 0 counted as half a month" in text
    assert "gender: 1 spelling variants" in text
    excluded = " | ".join(res["excluded"])
    assert "TotalCharges: grows with tenure" in excluded
    assert "customerID" not in excluded and "SignupDate: dates" in excluded
    assert res["accounts"] == 1499 and res["auc"] > 0.65 and res["concordance"] > 0.6

    drivers = pd.read_csv(out / "drivers.csv")
    two = drivers[(drivers["driver"] == "Contract") & (drivers["level"] == "Two year")].iloc[0]
    assert two["hazard_ratio"] < 0.4 and two["ci_high"] < 1 and two["reference"] == \
        "Month-to-month"
    assert drivers["sentence"].str.contains("the churn hazard|no clear effect").all()
    metrics_json = json.loads((out / "model_metrics.json").read_text())
    assert metrics_json["classifier"]["auc"] > 0.65 and "NaN" not in \
        (out / "model_metrics.json").read_text()
    risk = pd.read_csv(out / "at_risk.csv")
    assert len(risk) == int((pd.read_csv(src)["Churn"] == "No").sum())
    assert risk["churn_probability_3m"].is_monotonic_decreasing
    assert risk["top_reasons"].iloc[0].startswith("Contract = Month-to-month")
    assert "expected_value_at_risk" in risk


def test_analyze_file_with_start_and_end_dates(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    n = 400
    start = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 700, n), "D")
    monthly = rng.random(n) < 0.5
    life = rng.exponential(np.where(monthly, 12, 40) * 30.4)
    end = start + pd.to_timedelta(life, "D")
    gone = end < pd.Timestamp("2025-01-01")
    df = pd.DataFrame({
        "id": range(n), "plan": np.where(monthly, "monthly", "annual"),
        "seats": rng.integers(1, 50, n).astype(str),
        "started": start.strftime("%Y-%m-%d"),
        "ended": np.where(gone, end.strftime("%d %b %Y"), ""),
        "churned": np.where(gone, "TRUE", "false"),
    })
    df.to_csv(tmp_path / "acc.csv", sep=";", index=False)
    res = churn.analyze_file(tmp_path / "acc.csv", "ID", "churned", start_col="started",
                             end_col="ended", out_dir=tmp_path / "o", folds=3)
    assert any("as-of date" in c for c in res["coercions"])
    assert any("matched to 'id'" in c for c in res["coercions"])
    d = pd.read_csv(tmp_path / "o" / "drivers.csv").set_index("driver").loc["plan"]
    # planted: monthly accounts churn 40/12 = 3.3x faster (reference = the commoner plan)
    hr = d["hazard_ratio"] if d["level"] == "monthly" else 1 / d["hazard_ratio"]
    assert 2 < hr < 5.5 and d["significant"]
