"""Everything on the store's tables in one call: ``analyze`` and its ``ChurnAnalysis``.

Owns the order of the steps (account-month table, Cox drivers and their proportional-hazards
check, out-of-sample comparison with the classifier, voice to churn, at-risk accounts), the
report's driver table (``driver_table``: clear drivers first, strongest first, with the
classifier's importance of the matching feature) and the summary notebook 04 reads.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .classifier import Evaluation, evaluate
from .cox import ChurnCoxFitter
from .features import HORIZON_MONTHS
from .narrative import clear_driver_sentences, ph_violations
from .panel import AccountPeriods, account_periods
from .risk import at_risk_accounts, risk_summary
from .solver import blas_threads
from .voice import voice_to_churn


@dataclass
class ChurnAnalysis:
    """All results of ``analyze``; ``tables()`` gives what the report exports."""

    periods: AccountPeriods
    cox: ChurnCoxFitter
    ph_test: pd.DataFrame
    evaluation: Evaluation
    drivers: pd.DataFrame
    voice: pd.DataFrame
    at_risk: pd.DataFrame
    summary: dict[str, Any]
    timings: dict[str, float]

    def tables(self) -> dict[str, pd.DataFrame]:
        """The report's churn tables by name (what notebook 03 saves)."""
        return {
            "churn_drivers": self.drivers,
            "churn_voice": self.voice,
            "at_risk_accounts": self.at_risk,
            "churn_ph_test": self.ph_test,
            "churn_model_comparison": self.evaluation.table(),
            "churn_calibration": self.evaluation.calibration,
            "churn_importances": self.evaluation.importances,
        }


def driver_table(cox: ChurnCoxFitter, importances: pd.DataFrame | None = None) -> pd.DataFrame:
    """The Cox summary as the report's driver table, with the classifier's importance of the
    matching feature, ordered: clear drivers first, strongest effect first."""
    d = cox.summary
    if importances is not None and len(importances):
        feat = {c.covariate.name: c.covariate.feature or c.covariate.name
                for c in cox.design_.columns}
        imp = importances.set_index("feature")
        d["importance"] = d["covariate"].map(feat).map(imp["importance"])
        d["importance_sd"] = d["covariate"].map(feat).map(imp["importance_sd"])
    d["_strength"] = np.abs(np.log(d["hazard_ratio"]))
    d = d.sort_values(["significant", "_strength"], ascending=False, ignore_index=True)
    return d.drop(columns="_strength")


def analyze(
    accounts: pd.DataFrame,
    usage_monthly: pd.DataFrame | None = None,
    tickets: pd.DataFrame | None = None,
    nps_responses: pd.DataFrame | None = None,
    doc_themes: pd.DataFrame | None = None,
    *,
    start: Any = None,
    as_of: Any = None,
    theme_labels: Mapping[str, str] | None = None,
    seed: int = 42,
    holdout_months: int = 6,
    horizon_months: int = HORIZON_MONTHS,
    progress: bool = False,
) -> ChurnAnalysis:
    """Account-period table, Cox drivers + PH check, out-of-sample comparison, voice-to-churn,
    at-risk accounts and the revenue-at-risk summary, in one call."""
    with blas_threads():
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        periods = account_periods(accounts, usage_monthly, tickets, nps_responses, doc_themes,
                                  start=start, as_of=as_of, theme_labels=theme_labels,
                                  progress=progress)
        timings["table"] = time.perf_counter() - t0
        t = time.perf_counter()
        cox = ChurnCoxFitter().fit(periods.frame, periods.themes, periods.theme_labels)
        timings["cox"] = time.perf_counter() - t
        t = time.perf_counter()
        ph = cox.check_assumptions(periods.frame)
        timings["ph_check"] = time.perf_counter() - t
        t = time.perf_counter()
        ev = evaluate(periods, holdout_months=holdout_months, seed=seed, progress=progress)
        timings["evaluation"] = time.perf_counter() - t
        t = time.perf_counter()
        drivers = driver_table(cox, ev.importances)
        voice = voice_to_churn(cox, periods.frame)
        risk = at_risk_accounts(cox, periods, horizon_months)
        summary = risk_summary(risk, periods, horizon_months)
        summary.update({
            "window": [periods.first_month.date().isoformat(),
                       periods.last_month.date().isoformat()],
            "account_months": len(periods.frame),
            "churn_events": int(periods.frame["event"].sum()),
            "accounts": int(periods.frame["account_id"].nunique()),
            "clear_drivers": clear_driver_sentences(drivers),
            "ph_violations": ph_violations(ph),
            "auc_cox": ev.metrics["cox"]["auc"],
            "auc_classifier": ev.metrics["classifier"]["auc"],
            "concordance_cox": ev.metrics["cox"]["concordance"],
            "concordance_classifier": ev.metrics["classifier"]["concordance"],
            "voice_themes_clear": voice.loc[voice["significant"] & (voice["kind"] == "theme"),
                                            "sentence"].tolist() if len(voice) else [],
            "notes": periods.notes,
        })
        timings["voice_and_risk"] = time.perf_counter() - t
        timings["total"] = time.perf_counter() - t0
        return ChurnAnalysis(periods, cox, ph, ev, drivers, voice, risk, summary, timings)
