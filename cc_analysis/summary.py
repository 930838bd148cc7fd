"""Plain-language summaries for readers who do not read code or statistics.

Owns turning computed results (dicts and tables from ``metrics``) into sentences and
display-ready tables: numbers rounded the way people read them, intervals in words,
significance stated as "a real change" or "within the noise".
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd


def _pct(x: float, digits: int = 1) -> str:
    return (
        "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:.{digits}f}%"
    )


def _num(x: float, digits: int = 0) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:,.{digits}f}"


def nps_sentence(h: dict[str, Any]) -> str:
    """e.g. 'NPS is 21 (95% CI 16 to 26, 712 responses), down 6 points from 27 last quarter:
    a real change (p = 0.03).'"""
    s = (
        f"NPS is **{_num(h['nps'])}** (95% CI {_num(h['nps_ci_low'])} to "
        f"{_num(h['nps_ci_high'])}, {_num(h['nps_n'])} responses)"
    )
    change = h.get("nps_change")
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return s + "."
    direction = "up" if change > 0 else "down" if change < 0 else "unchanged"
    verdict = "a real change" if h.get("nps_change_significant") else "within the noise of sampling"
    return (
        f"{s}, {direction} {abs(change):.0f} points from {_num(h['nps_prev'])} last quarter: "
        f"{verdict} (p = {h['nps_change_p']:.2f})."
    )


def headline_markdown(h: dict[str, Any], prev: dict[str, Any] | None = None) -> str:
    """A short bulleted summary of the quarter's headline metrics."""

    def delta(key: str, pct: bool = True) -> str:
        if not prev or prev.get(key) is None or h.get(key) is None:
            return ""
        d = h[key] - prev[key]
        if isinstance(d, float) and math.isnan(d):
            return ""
        return (
            f" ({'+' if d >= 0 else ''}{100 * d:.1f} pts vs last quarter)"
            if pct
            else f" ({'+' if d >= 0 else ''}{d:.1f} vs last quarter)"
        )

    churned = h["logo_churn_rate"] * h["accounts_start"] if h["accounts_start"] else 0
    lines = [
        f"- {nps_sentence(h)}",
        f"- **CSAT** on support tickets: {_pct(h['csat'])} satisfied (4-5 of 5; 95% CI "
        f"{_pct(h['csat_ci_low'])} to {_pct(h['csat_ci_high'])}){delta('csat')}.",
        f"- **Customer effort** (CES, 1-7, higher is easier): {_num(h['ces'], 2)}; "
        f"{_pct(h['ces_easy_share'])} found it easy.",
        f"- **Churn**: {_num(churned)} of {_num(h['accounts_start'])} accounts left, "
        f"{_pct(h['logo_churn_rate'])} logo churn"
        f"{delta('logo_churn_rate')}, taking {_pct(h['revenue_churn_rate'])} of ARR.",
        f"- **Revenue retention**: GRR {_pct(h['grr'])}, NRR {_pct(h['nrr'])}.",
        f"- **Support speed**: median first reply {_num(h['first_reply_median_h'], 1)} h "
        f"(90% within {_num(h['first_reply_p90_h'], 1)} h); median resolution "
        f"{_num(h['resolution_median_h'], 1)} h; {_pct(h['unresolved_share'])} still unresolved.",
        f"- **Customer lifetime value** (ARPA x 80% margin / monthly churn): ${_num(h['clv'])}.",
    ]
    return "\n".join(lines)


HEADLINE_ROWS = [
    ("NPS", "nps", "nps_ci_low", "nps_ci_high", "num"),
    ("CSAT (share 4-5)", "csat", "csat_ci_low", "csat_ci_high", "pct"),
    ("CES (mean, 1-7)", "ces", "ces_ci_low", "ces_ci_high", "num2"),
    ("App reviews 4-5 stars", "review_positive_share", "review_ci_low", "review_ci_high", "pct"),
    ("Logo churn", "logo_churn_rate", None, None, "pct"),
    ("Revenue churn", "revenue_churn_rate", None, None, "pct"),
    ("Gross revenue retention", "grr", None, None, "pct"),
    ("Net revenue retention", "nrr", None, None, "pct"),
    ("Median first reply (h)", "first_reply_median_h", None, None, "num1"),
    ("P90 first reply (h)", "first_reply_p90_h", None, None, "num1"),
    ("Median resolution (h)", "resolution_median_h", None, None, "num1"),
    ("P90 resolution (h)", "resolution_p90_h", None, None, "num1"),
    ("Seat utilisation (median)", "seat_utilisation_median", None, None, "pct"),
]


def headline_table(h: dict[str, Any], prev: dict[str, Any] | None = None) -> pd.DataFrame:
    """The headline metrics as a readable table: value, 95% CI and the previous quarter."""

    def fmt(v: Any, kind: str) -> str:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return "–"
        return {"pct": _pct(v), "num": _num(v), "num1": _num(v, 1), "num2": _num(v, 2)}[kind]

    rows = []
    for label, key, lo, hi, kind in HEADLINE_ROWS:
        ci = f"{fmt(h.get(lo), kind)} to {fmt(h.get(hi), kind)}" if lo else ""
        rows.append(
            {
                "Metric": label,
                "This quarter": fmt(h.get(key), kind),
                "95% CI": ci,
                "Last quarter": fmt((prev or {}).get(key), kind),
            }
        )
    return pd.DataFrame(rows).set_index("Metric")
