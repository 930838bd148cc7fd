"""Plain words: every sentence the churn analysis writes for a reader, and how it rounds.

Owns the wording, so the notebooks and the command line print the package's sentences instead
of assembling their own: one driver's hazard ratio ("Monthly billing (vs annual): 2.3x the
churn hazard, 95% CI 1.9-2.8."), the reasons an account is at risk, the quarter's churn, the
proportional-hazards verdict, the clear drivers and feedback signals, and the revenue at risk.
Functions here take tables and dicts the other steps produce; they compute nothing new.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .panel import AccountPeriods

NO_STANDOUT_REASON = "no single driver stands out"
NO_VOICE_SIGNAL = ("No feedback theme or NPS group stands out once the other drivers are "
                   "accounted for.")


# -- rounding -------------------------------------------------------------------------------------
def format_ratio(x: float) -> str:
    """A hazard ratio as people read it: 12, 2.3, 1.05, 0.57; "n/a" when not finite."""
    if not np.isfinite(x):
        return "n/a"
    if x >= 9.95:
        return f"{x:.0f}"
    if x >= 0.995 and abs(x - 1) >= 0.095:
        return f"{x:.1f}"
    return f"{x:.2f}"


def format_value(v: Any) -> str:
    """A driver's value in a reason or unit: 1,234 / 45 / 2.5 / text as it is."""
    try:
        x = float(v)
    except (TypeError, ValueError):
        return str(v)
    if not np.isfinite(x):
        return "n/a"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.2g}" if abs(x) < 10 else f"{x:.0f}"


def format_p(p: float) -> str:
    """'p < 0.001', 'p = 0.042', 'p = 0.31'."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}" if p < 0.1 else f"p = {p:.2f}"


# -- one driver -----------------------------------------------------------------------------------
def driver_sentence(
    label: str, hr: float, lo: float, hi: float, unit_label: str = "", level: float = 0.95
) -> str:
    """'Monthly billing (vs annual): 2.3x the churn hazard, 95% CI 1.9-2.8.'"""
    unit = f" {unit_label}" if unit_label else ""
    ci = f"{level:.0%} CI {format_ratio(lo)}-{format_ratio(hi)}"
    if not (lo > 1 or hi < 1):
        if 0.8 < hr < 1.25:
            return f"{label}: no clear effect on churn ({format_ratio(hr)}x{unit}, {ci})."
        # a sizeable estimate with a wide interval: say both, do not call it "no effect"
        return (f"{label}: {format_ratio(hr)}x the churn hazard{unit}, but not statistically "
                f"clear ({ci}).")
    if hr >= 1:
        return f"{label}: {format_ratio(hr)}x the churn hazard{unit}, {ci}."
    return f"{label}: {format_ratio(hr)}x the churn hazard ({1 - hr:.0%} lower){unit}, {ci}."


def chance_sentence(sentence: str, tested: int, q: float) -> str:
    """A driver sentence whose interval excludes 1 but whose false-discovery-adjusted ``q``
    does not clear the bar among ``tested`` signals: said, and said to be likely chance."""
    return (f"{sentence[:-1]}, but likely chance among the {tested} feedback signals tested "
            f"(false-discovery-adjusted q = {q:.2f}).")


def reason_phrase(what: str, ratio: float) -> str:
    """One reason an account is at risk: 'Monthly billing (1.6x vs average)'."""
    return f"{what} ({format_ratio(ratio)}x vs average)"


def reasons_text(reasons: Sequence[str]) -> str:
    """An account's reasons joined for a table cell, or that none stands out."""
    return "; ".join(reasons) if reasons else NO_STANDOUT_REASON


# -- the analysis in a few sentences --------------------------------------------------------------
def markdown_bullets(sentences: Iterable[str], empty: str = "") -> str:
    """Sentences as a Markdown bullet list; ``empty`` when there are none."""
    lines = [f"- {s}" for s in sentences]
    return "\n".join(lines) if lines else empty


def quarter_churn_sentence(trend: pd.DataFrame, quarter: str) -> str:
    """The quarter's logo and revenue churn from ``metrics.churn_by_quarter``'s table."""
    now = trend.set_index("quarter").loc[quarter]
    return (f"In {quarter}, **{int(now.churned)} of {int(now.accounts_start):,} accounts** left "
            f"({now.logo_churn_rate:.1%} logo churn) taking **${now.arr_churned:,.0f} ARR** "
            f"({now.revenue_churn_rate:.1%} of ARR at the start of the quarter).")


def account_months_sentence(periods: AccountPeriods) -> str:
    """What the driver models were fitted on: account-months, window, accounts, churns, themes."""
    f = periods.frame
    themes = len(periods.themes) or "none yet (run notebook 02 first)"
    return (f"**{len(f):,} account-months** from {periods.first_month:%b %Y} to "
            f"{periods.last_month:%b %Y}: {f['account_id'].nunique():,} accounts, "
            f"{int(f['event'].sum()):,} churned. Feedback themes: {themes}.")


def clear_driver_sentences(drivers: pd.DataFrame) -> list[str]:
    """The sentences of the drivers the analysis calls clear, in the table's order.

    Clear = the ``significant`` column of ``ChurnCoxFitter.summary``: the interval excludes 1
    and, for feedback themes and survey answers, the Benjamini-Hochberg q is below alpha too.
    """
    if drivers.empty:
        return []
    return drivers.loc[drivers["significant"].astype(bool), "sentence"].tolist()


def ph_violations(ph_test: pd.DataFrame) -> list[str]:
    """Labels of the drivers whose effect drifts materially with tenure (``check_assumptions``)."""
    drifting = ph_test["violated"].astype(bool) & (ph_test["driver"] != "GLOBAL")
    return ph_test.loc[drifting, "label"].tolist()


def ph_check_sentence(ph_test: pd.DataFrame) -> str:
    """The proportional-hazards verdict in Markdown, with the global test's p value."""
    drifting = ph_violations(ph_test)
    glob = float(ph_test.set_index("driver").loc["GLOBAL", "p"])
    msg = ("No driver's effect drifts materially with tenure" if not drifting else
           "These effects change with tenure (read them as averages): " + "; ".join(drifting))
    return f"**Proportional-hazards check.** {msg} (global test p = {glob:.2f})."


def voice_markdown(voice: pd.DataFrame) -> str:
    """The feedback themes and NPS groups that clear the false-discovery bar, as bullets."""
    loud = voice[voice["significant"].astype(bool)] if len(voice) else voice
    return markdown_bullets(loud["sentence"] if len(loud) else [], empty=NO_VOICE_SIGNAL)


def revenue_at_risk_sentence(summary: Mapping[str, Any]) -> str:
    """The revenue at risk in Markdown, from ``ChurnAnalysis.summary`` (or the
    ``churn_summary`` JSON a run saves): expected ARR and accounts lost over the horizon, and
    the ARR the riskiest accounts hold."""
    share = summary.get("expected_arr_lost_share")
    share_text = f"{share:.1%}" if share is not None and math.isfinite(share) else "n/a"
    return (f"**Revenue at risk:** ${summary['expected_arr_lost']:,.0f} of ARR is expected to "
            f"churn in the next {summary['horizon_months']} months ({share_text} of "
            f"${summary['arr_scored']:,.0f}), about {summary['expected_accounts_lost']:.0f} "
            f"accounts. The riskiest {summary['high_risk_accounts']} accounts hold "
            f"${summary['high_risk_arr']:,.0f} ARR.")


def highest_churn_sentence(breakdown: pd.DataFrame) -> str:
    """The group with the highest logo churn in a ``churn_breakdown`` table (one row per
    dimension and group), as one line."""
    worst = breakdown.sort_values("logo_churn_rate", ascending=False).iloc[0]
    return (f"**Churn:** highest logo churn in {worst['dimension'].lower()} *{worst['group']}* "
            f"({worst['logo_churn_rate']:.1%}). See *Churn*.")
