"""Plain-language summaries for readers who do not read code or statistics.

Owns turning computed results (dicts and tables from ``metrics``) into sentences and
display-ready tables: numbers rounded the way people read them, intervals in words,
significance stated as "a real change" or "within the noise". ``HEADLINE_METRICS`` is the one
list of how each headline metric is labelled and formatted (the report pages and
``reports/index.html`` both read it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .periods import Quarter


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


@dataclass(frozen=True)
class HeadlineMetric:
    """How one headline metric is shown: its label, short label (index columns), number style
    (``pct``, ``num``, ``num1``, ``num2``) and the keys of its 95% interval, if any."""

    key: str
    label: str
    short_label: str
    kind: str
    ci_low: str | None = None
    ci_high: str | None = None


HEADLINE_METRICS = (
    HeadlineMetric("nps", "NPS", "NPS", "num", "nps_ci_low", "nps_ci_high"),
    HeadlineMetric("csat", "CSAT (share 4-5)", "CSAT", "pct", "csat_ci_low", "csat_ci_high"),
    HeadlineMetric("ces", "CES (mean, 1-7)", "CES", "num2", "ces_ci_low", "ces_ci_high"),
    HeadlineMetric("review_positive_share", "App reviews 4-5 stars", "Reviews 4-5 stars", "pct",
                   "review_ci_low", "review_ci_high"),
    HeadlineMetric("logo_churn_rate", "Logo churn", "Logo churn", "pct"),
    HeadlineMetric("revenue_churn_rate", "Revenue churn", "Revenue churn", "pct"),
    HeadlineMetric("grr", "Gross revenue retention", "GRR", "pct"),
    HeadlineMetric("nrr", "Net revenue retention", "NRR", "pct"),
    HeadlineMetric("first_reply_median_h", "Median first reply (h)", "Median first reply (h)",
                   "num1"),
    HeadlineMetric("first_reply_p90_h", "P90 first reply (h)", "P90 first reply (h)", "num1"),
    HeadlineMetric("resolution_median_h", "Median resolution (h)", "Median resolution (h)",
                   "num1"),
    HeadlineMetric("resolution_p90_h", "P90 resolution (h)", "P90 resolution (h)", "num1"),
    HeadlineMetric("seat_utilisation_median", "Seat utilisation (median)", "Seat utilisation",
                   "pct"),
)
HEADLINE_BY_KEY = {m.key: m for m in HEADLINE_METRICS}
# the columns of reports/index.html, one row per quarter
INDEX_METRICS = ("nps", "csat", "logo_churn_rate", "nrr", "first_reply_median_h")


def format_value(value: Any, kind: str) -> str:
    """A number the way the report shows it ("–" when missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return {"pct": _pct, "num": _num, "num1": lambda v: _num(v, 1),
            "num2": lambda v: _num(v, 2)}[kind](float(value))


def format_metric(key: str, value: Any) -> str:
    """A headline metric's value in its own style (``format_metric("csat", 0.81)`` -> "81.0%")."""
    return format_value(value, HEADLINE_BY_KEY[key].kind)


def headline_table(h: dict[str, Any], prev: dict[str, Any] | None = None) -> pd.DataFrame:
    """The headline metrics as a readable table: value, 95% CI and the previous quarter."""
    rows = []
    for m in HEADLINE_METRICS:
        ci = (f"{format_value(h.get(m.ci_low), m.kind)} to {format_value(h.get(m.ci_high), m.kind)}"
              if m.ci_low else "")
        rows.append(
            {
                "Metric": m.label,
                "This quarter": format_value(h.get(m.key), m.kind),
                "95% CI": ci,
                "Last quarter": format_value((prev or {}).get(m.key), m.kind),
            }
        )
    return pd.DataFrame(rows).set_index("Metric")


def this_and_previous(trend: pd.DataFrame, quarter: str) -> tuple[dict[str, Any],
                                                                   dict[str, Any] | None]:
    """The rows of ``quarter`` and of the quarter before it in a per-quarter table (one row per
    quarter, a ``quarter`` column such as ``metrics.headline_trend``'s), found by label, not by
    position: the previous quarter is None when the table does not hold it."""
    rows = trend.set_index("quarter", drop=False)
    if quarter not in rows.index:
        raise KeyError(f"{quarter} is not in the table (it has {', '.join(map(str, rows.index))})")
    previous = (Quarter.parse(quarter) - 1).label
    prev = rows.loc[previous].to_dict() if previous in rows.index else None
    return rows.loc[quarter].to_dict(), prev
