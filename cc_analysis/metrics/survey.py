"""Survey scores: NPS (with the change between two quarters), CSAT and CES, per quarter too.

Owns the definitions below. Missing scores (NaN/None) are dropped before counting, invalid
scores raise ``ValueError``, and an empty sample gives NaN values with ``n = 0`` (a quarter
without survey responses is a fact, not an error).

NPS (``nps``)
    Integer scores 0-10: promoters 9-10, passives 7-8, detractors 0-6.
    ``NPS = 100 * (promoters - detractors) / n`` on -100..100.
    CI by the adjusted-Wald method (Rocks 2016): ``p_p = (P + 0.75) / (n + 3)``,
    ``p_d = (D + 0.75) / (n + 3)``, ``NPS_adj = p_p - p_d``,
    ``var = (p_p + p_d - NPS_adj**2) / (n + 3)``, ``CI = 100 * (NPS_adj +/- z * sqrt(var))``
    clipped to [-100, 100]. The point estimate is the plain NPS; the interval is centred on
    NPS_adj (which is what gives it good coverage for small n and extreme scores).
NPS change (``nps_change_test``)
    ``change = NPS_curr - NPS_prev`` in points. With the adjusted-Wald quantities of both
    samples, ``d = NPS_adj,curr - NPS_adj,prev`` and ``se = sqrt(var_prev + var_curr)``;
    ``CI = 100 * (d +/- z * se)`` clipped to [-200, 200], ``z_stat = d / se``, two-sided normal
    p value; ``significant`` when ``p < alpha`` (default 0.05).
CSAT (``csat``)
    Share of ratings 4-5 on a 1-5 scale, with a Wilson score interval.
CES (``ces``)
    Customer Effort Score (CES 2.0): agreement with "The company made it easy for me to handle
    my issue" on 1 (strongly disagree) .. 7 (strongly agree); higher is better. ``CES`` = mean
    agreement with a Student-t interval clipped to [1, scale]; ``easy_share`` = share answering
    above the neutral midpoint (5-7 on the 7-point scale) with a Wilson interval.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats

from ..periods import QuarterList
from ..stats import z_value
from .inputs import NAN, require_columns, rows_by_quarter
from .results import CesResult, Estimate, NpsChange, NpsResult, ShareResult

Scores = Sequence[float] | np.ndarray | pd.Series


def _clean_scores(scores: Scores, lo: int, hi: int, what: str) -> np.ndarray:
    """Validated integer scores with missing values dropped."""
    s = scores if isinstance(scores, pd.Series) else pd.Series(list(np.ravel(scores)), dtype=object)
    try:
        num = pd.to_numeric(s, errors="raise")
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{what} scores must be numeric: {exc}") from exc
    arr = pd.Series(num).astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    arr = arr[~np.isnan(arr)]
    bad = (arr != np.round(arr)) | (arr < lo) | (arr > hi)
    if bad.any():
        examples = ", ".join(str(v) for v in sorted(set(arr[bad].tolist()))[:5])
        raise ValueError(f"{what} scores must be integers {lo}-{hi}; got {examples}")
    return arr.astype(int)


def _nps_adjusted(promoters: int, detractors: int, n: int) -> tuple[float, float]:
    """Adjusted-Wald NPS (as a fraction) and its variance (Rocks 2016)."""
    pp = (promoters + 0.75) / (n + 3)
    pd_ = (detractors + 0.75) / (n + 3)
    diff = pp - pd_
    return diff, (pp + pd_ - diff * diff) / (n + 3)


def nps(scores: Scores, confidence: float = 0.95) -> NpsResult:
    """Net Promoter Score of 0-10 scores with an adjusted-Wald confidence interval."""
    s = _clean_scores(scores, 0, 10, "NPS")
    n = len(s)
    promoters, detractors = int((s >= 9).sum()), int((s <= 6).sum())
    passives = n - promoters - detractors
    if n == 0:
        return NpsResult(NAN, NAN, NAN, 0, 0, 0, 0, NAN, NAN, NAN, NAN, confidence)
    adj, var = _nps_adjusted(promoters, detractors, n)
    half = z_value(confidence) * math.sqrt(var)
    return NpsResult(
        nps=100 * (promoters - detractors) / n,
        ci_low=max(-100.0, 100 * (adj - half)),
        ci_high=min(100.0, 100 * (adj + half)),
        n=n,
        promoters=promoters,
        passives=passives,
        detractors=detractors,
        promoter_share=promoters / n,
        passive_share=passives / n,
        detractor_share=detractors / n,
        nps_adjusted=100 * adj,
        confidence=confidence,
    )


def nps_change_test(prev_scores: Scores, curr_scores: Scores, alpha: float = 0.05) -> NpsChange:
    """Is the NPS of ``curr_scores`` different from that of ``prev_scores``?

    Two-sided z test on the adjusted-Wald NPS difference; the CI of the change has confidence
    ``1 - alpha``. With an empty sample every statistic is NaN and ``significant`` is False.
    """
    prev, curr = nps(prev_scores), nps(curr_scores)
    if prev.n == 0 or curr.n == 0:
        return NpsChange(prev.nps, curr.nps, prev.n, curr.n, NAN, NAN, NAN, NAN, NAN, False, alpha)
    adj_p, var_p = _nps_adjusted(prev.promoters, prev.detractors, prev.n)
    adj_c, var_c = _nps_adjusted(curr.promoters, curr.detractors, curr.n)
    diff, se = adj_c - adj_p, math.sqrt(var_p + var_c)
    half = z_value(1 - alpha) * se
    z = diff / se
    p = float(2 * scipy_stats.norm.sf(abs(z)))
    return NpsChange(
        prev_nps=prev.nps,
        curr_nps=curr.nps,
        prev_n=prev.n,
        curr_n=curr.n,
        change=curr.nps - prev.nps,
        ci_low=max(-200.0, 100 * (diff - half)),
        ci_high=min(200.0, 100 * (diff + half)),
        z=z,
        p_value=p,
        significant=bool(p < alpha),
        alpha=alpha,
    )


def csat(scores: Scores, confidence: float = 0.95) -> ShareResult:
    """CSAT: share of 4-5 ratings on a 1-5 scale, Wilson interval. Also fits 1-5 star reviews."""
    s = _clean_scores(scores, 1, 5, "CSAT")
    return ShareResult.of(int((s >= 4).sum()), len(s), confidence)


def ces(scores: Scores, scale: int = 7, confidence: float = 0.95) -> CesResult:
    """Customer Effort Score on a 1..scale agreement item (7: "made it easy", higher = easier).

    ``mean`` with a t interval clipped to [1, scale] (NaN for fewer than 2 answers) and the
    share above the neutral midpoint (5-7 on a 7-point scale) with a Wilson interval.
    """
    if scale < 3 or scale % 2 == 0:
        raise ValueError(
            f"CES scale must be an odd number >= 3 (has a neutral midpoint), got {scale}"
        )
    s = _clean_scores(scores, 1, scale, "CES")
    n = len(s)
    easy = ShareResult.of(int((s > (scale + 1) / 2).sum()), n, confidence)
    mean = float(s.mean()) if n else NAN
    lo = hi = NAN
    if n >= 2:
        half = float(scipy_stats.t.ppf(0.5 + confidence / 2, n - 1)) * s.std(ddof=1) / math.sqrt(n)
        lo, hi = max(1.0, mean - half), min(float(scale), mean + half)
    return CesResult(mean, lo, hi, n, easy.share, easy.ci_low, easy.ci_high, scale, confidence)


def by_quarter(
    df: pd.DataFrame,
    time_col: str,
    value_col: str,
    func: Callable[[pd.Series], Estimate],
    fy_start_month: int = 1,
    quarters: QuarterList | None = None,
) -> pd.DataFrame:
    """Apply an estimator (``nps``, ``csat``, ``ces``...) to ``value_col`` per quarter.

    Rows are assigned to quarters by ``time_col``. Columns: quarter, value, ci_low, ci_high,
    n, then the estimator's other fields. ``quarters`` defaults to the quarters present in the
    data; quarters without rows get NaN and n = 0.
    """
    require_columns(df, (time_col, value_col), "frame")
    rows = []
    for q, part in rows_by_quarter(df, time_col, fy_start_month, quarters):
        r = func(part[value_col])
        d = r.to_dict()
        head = {"quarter": q.label, "value": r.value}
        head.update({k: d.pop(k) for k in ("ci_low", "ci_high", "n")})
        rows.append({**head, **d})
    cols = ["quarter", "value", "ci_low", "ci_high", "n"]
    return pd.DataFrame(rows, columns=None if rows else cols)


def nps_by_quarter(
    nps_responses: pd.DataFrame, fy_start_month: int = 1, quarters: QuarterList | None = None
) -> pd.DataFrame:
    """NPS per quarter of ``submitted_at`` (see ``by_quarter`` for columns)."""
    return by_quarter(nps_responses, "submitted_at", "score", nps, fy_start_month, quarters)


def csat_by_quarter(
    tickets: pd.DataFrame, fy_start_month: int = 1, quarters: QuarterList | None = None
) -> pd.DataFrame:
    """Ticket CSAT per quarter of the ticket's ``created_at``."""
    return by_quarter(tickets, "created_at", "csat", csat, fy_start_month, quarters)


def ces_by_quarter(
    nps_responses: pd.DataFrame, fy_start_month: int = 1, quarters: QuarterList | None = None
) -> pd.DataFrame:
    """CES (``ces`` column of the survey, 1-7) per quarter of ``submitted_at``."""
    return by_quarter(nps_responses, "submitted_at", "ces", ces, fy_start_month, quarters)
