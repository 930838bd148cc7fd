"""Voice to churn: what customers said before they left, adjusted for everything else.

Owns ``voice_to_churn``: per feedback theme and NPS category, the adjusted hazard ratio of the
fitted Cox model next to the crude ratio of monthly churn rates, with the false-discovery
correction the model's summary applies to the whole family of feedback signals.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .cox import ChurnCoxFitter, safe_exp


def voice_to_churn(cox: ChurnCoxFitter, frame: pd.DataFrame) -> pd.DataFrame:
    """Churn hazard ratio per feedback theme and per NPS category.

    ``adjusted_hr`` comes from the fitted Cox model, i.e. adjusted for billing term, plan,
    segment, region, ARR, usage, support experience and the other themes (an account raising
    several themes is not double counted). ``crude_rate_ratio`` is the unadjusted ratio of
    monthly churn rates. ``q`` is the Benjamini-Hochberg adjusted p over all feedback signals
    in the model (themes, NPS categories, poor CSAT): with a dozen themes one will often look
    significant by chance alone, so ``significant`` requires q < 0.05 as well as an interval
    that excludes 1 (see ``ChurnCoxFitter.summary``).
    """
    summ = cox.summary
    rows = []
    ev = frame["event"].to_numpy()
    for _, r in summ.iterrows():
        cov = r["covariate"]
        if cov.startswith("theme:"):
            kind, item = "theme", cov.removeprefix("theme:")
            on = frame[cov].fillna(False).to_numpy(bool)
            off = ~on
        elif cov == "nps_category":
            kind, item = "nps", r["driver"].split("[", 1)[1].rstrip("]")
            cat = frame[cov].astype(str).to_numpy()
            on, off = cat == item, cat == r["reference"]
        else:
            continue
        d1, n1, d0, n0 = ev[on].sum(), on.sum(), ev[off].sum(), off.sum()
        rr = lo = hi = np.nan
        if d1 and d0:
            rr = (d1 / n1) / (d0 / n0)
            se = math.sqrt(1 / d1 + 1 / d0)
            lo, hi = rr * safe_exp(-1.96 * se), rr * safe_exp(1.96 * se)
        accounts = int(frame.loc[on, "account_id"].nunique())
        rows.append({
            "kind": kind, "item": item, "label": r["label"], "accounts": accounts,
            "account_months": int(n1), "churned": int(d1),
            "churn_per_100_months": 100 * d1 / n1 if n1 else np.nan,
            "churn_per_100_months_without": 100 * d0 / n0 if n0 else np.nan,
            "crude_rate_ratio": rr, "crude_ci_low": lo, "crude_ci_high": hi,
            "adjusted_hr": r["hazard_ratio"], "ci_low": r["ci_low"], "ci_high": r["ci_high"],
            "p": r["p"], "q": r["q"], "significant": r["significant"],
            "sentence": r["sentence"],
        })
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    return out.sort_values(["kind", "adjusted_hr"], ascending=[False, False], ignore_index=True)
