"""Any account export (the ``cc-analysis churn FILE`` command): messy columns coerced and
reported, the same ChurnCoxFitter as the account-month analysis, files written."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cc_analysis import churn


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


@pytest.fixture(scope="module")
def telco(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("telco") / "telco.csv"
    _telco_like(src)
    return src


def test_analyze_account_file_handles_a_messy_export(telco: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = churn.analyze_account_file(telco, "customerID", "Churn", tenure_col="tenure",
                                     out_dir=out, seed=1, value_col="MonthlyCharges", folds=3)
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
    assert drivers.columns.tolist() == churn.from_file.DRIVER_COLUMNS
    two = drivers[(drivers["driver"] == "Contract") & (drivers["level"] == "Two year")].iloc[0]
    assert two["hazard_ratio"] < 0.4 and two["ci_high"] < 1 and two["reference"] == \
        "Month-to-month"
    assert drivers["sentence"].str.contains("the churn hazard|no clear effect").all()
    metrics_json = json.loads((out / "model_metrics.json").read_text())
    assert metrics_json["classifier"]["auc"] > 0.65 and "NaN" not in \
        (out / "model_metrics.json").read_text()
    risk = pd.read_csv(out / "at_risk.csv")
    assert len(risk) == int((pd.read_csv(telco)["Churn"] == "No").sum())
    assert risk["churn_probability_3m"].is_monotonic_decreasing
    assert risk["top_reasons"].iloc[0].startswith("Contract = Month-to-month")
    assert "expected_value_at_risk" in risk
    assert np.allclose(risk["expected_value_at_risk"],
                       risk["MonthlyCharges"] * risk["churn_probability_3m"])


def test_the_file_drivers_are_the_models_summary(telco: Path, tmp_path: Path) -> None:
    """One path: drivers.csv is ChurnCoxFitter's summary of the cleaned table, same order as
    the report's driver table; the PH test is lifelines' Schoenfeld test on that model."""
    raw = pd.read_csv(telco, dtype=str, keep_default_na=False)
    prep = churn.prepare_account_table(raw, "customerID", "Churn", tenure_col="tenure")
    design = churn.Design(prep.covariates).fit(prep.frame)
    cox = churn.ChurnCoxFitter(penalizer=0.01).fit(prep.frame, design=design)
    res = churn.analyze_account_file(telco, "customerID", "Churn", tenure_col="tenure",
                                     out_dir=tmp_path, folds=3)
    drivers = pd.read_csv(tmp_path / "drivers.csv", keep_default_na=False)
    summary = cox.summary.set_index("label").loc[drivers["label"]]
    assert np.allclose(drivers["hazard_ratio"], summary["hazard_ratio"], rtol=1e-12)
    assert drivers["sentence"].tolist() == summary["sentence"].tolist()
    assert res["top_drivers"] == churn.clear_driver_sentences(drivers)[:5]
    metrics_json = json.loads((tmp_path / "model_metrics.json").read_text())
    ph = cox.check_assumptions(prep.frame)
    assert [r["driver"] for r in metrics_json["cox"]["ph_test"]] == ph["driver"].tolist()
    assert np.allclose([r["p"] for r in metrics_json["cox"]["ph_test"]], ph["p"])


def test_a_blank_flag_is_reported_under_its_column(telco: Path, tmp_path: Path) -> None:
    """Kept on purpose, TotalCharges gets a median fill and a 'TotalCharges is blank' flag;
    both rows of drivers.csv name the TotalCharges column and carry its importance."""
    churn.analyze_account_file(telco, "customerID", "Churn", tenure_col="tenure",
                               out_dir=tmp_path, folds=3, keep_cols=["TotalCharges"])
    d = pd.read_csv(tmp_path / "drivers.csv", keep_default_na=False)
    total = d[d["driver"] == "TotalCharges"].set_index("label")
    assert set(total.index) == {"TotalCharges", "TotalCharges is blank"}
    assert total["importance"].nunique() == 1 and total["importance"].iloc[0] != ""


def test_analyze_account_file_with_start_and_end_dates(tmp_path: Path) -> None:
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
    res = churn.analyze_account_file(tmp_path / "acc.csv", "ID", "churned", start_col="started",
                                     end_col="ended", out_dir=tmp_path / "o", folds=3)
    assert any("as-of date" in c for c in res["coercions"])
    assert any("matched to 'id'" in c for c in res["coercions"])
    d = pd.read_csv(tmp_path / "o" / "drivers.csv").set_index("driver").loc["plan"]
    # planted: monthly accounts churn 40/12 = 3.3x faster (reference = the commoner plan)
    hr = d["hazard_ratio"] if d["level"] == "monthly" else 1 / d["hazard_ratio"]
    assert 2 < hr < 5.5 and d["significant"]


def test_unreadable_inputs_are_refused_with_the_file_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such file"):
        churn.analyze_account_file(tmp_path / "missing.csv", "id", "churn", tenure_col="t",
                                   out_dir=tmp_path / "o")
    (tmp_path / "empty.csv").write_text("id,churn,t\n")
    with pytest.raises(ValueError, match="empty.csv: no rows"):
        churn.analyze_account_file(tmp_path / "empty.csv", "id", "churn", tenure_col="t",
                                   out_dir=tmp_path / "o")
    few = pd.DataFrame({"id": range(30), "churn": ["yes"] * 5 + ["no"] * 25,
                        "t": range(1, 31), "plan": ["a", "b"] * 15})
    few.to_csv(tmp_path / "few.csv", index=False)
    with pytest.raises(ValueError, match="need at least 10 churned and 10 active accounts"):
        churn.analyze_account_file(tmp_path / "few.csv", "id", "churn", tenure_col="t",
                                   out_dir=tmp_path / "o")
