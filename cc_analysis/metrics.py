"""Headline customer metrics and their confidence intervals, overall and per fiscal quarter.

This module owns the *definitions* of the numbers in the quarterly report: NPS, CSAT, CES,
logo and revenue churn, gross/net revenue retention, support response times, feature adoption
and CLV. Every function is pure: it takes pandas objects with the canonical store columns
(``docs/data-formats.md``) and returns a small frozen dataclass (with ``to_dict()``) or a tidy
DataFrame. No database access, no plotting. Quarter logic comes from :mod:`cc_analysis.periods`
(fiscal-year aware); a quarter argument is a :class:`~cc_analysis.periods.Quarter` or a label
such as ``"2026Q3"`` parsed with ``fy_start_month``.

Timestamps may be naive or timezone-aware; aware ones are converted to UTC and made naive
before they are assigned to quarters. Empty inputs give NaN values with ``n = 0`` rather than
raising (a quarter without survey responses is a fact, not an error); invalid scores raise
``ValueError``. Missing scores (NaN/None) are dropped before counting.

Definitions
-----------
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
Logo and revenue churn (``churn_by_quarter``), from ``accounts``
    Active at quarter start: ``start_date < quarter start`` and (``end_date`` missing or
    ``end_date >= quarter start``). Churned: active at start and ``end_date`` within the
    quarter. Logo churn rate = churned / active at start. ARR at start = sum of ``arr`` of the
    accounts active at start; ARR churned = sum of ``arr`` of the churned ones; revenue churn
    rate = ARR churned / ARR at start. New accounts: ``start_date`` within the quarter (an
    account starting on the first day is new, not active at start). ``arr`` is the account's
    current ARR (ARR at churn for churned accounts), so ARR figures are approximations.
GRR / NRR (``revenue_retention``), from ``usage_monthly``
    Cohort: accounts with MRR > 0 in the month before the quarter starts (starting MRR).
    Each is compared with its MRR in the quarter's last month (no row or MRR <= 0 = churned,
    ending MRR 0). Expansion = sum of increases; contraction = sum of decreases of accounts
    still paying; churned MRR = starting MRR of churned accounts.
    ``GRR = (start - contraction - churned) / start``,
    ``NRR = (start + expansion - contraction - churned) / start``. New accounts are excluded.
Support times (``ticket_times``), from ``tickets``
    First-reply time = ``first_reply_at - created_at``; resolution time =
    ``solved_at - created_at``; both in calendar hours, median and 90th percentile (linear
    interpolation) over the tickets that have the timestamp (negative durations, i.e. clock
    errors, are ignored). Unresolved share = tickets without ``solved_at`` / all tickets.
    Per-quarter tables assign tickets to the quarter of ``created_at``.
Adoption (``adoption``), from ``usage_monthly``
    Accounts active in the quarter's last month (a row with MRR > 0 in that month). For each
    ``used_*`` flag: share of those accounts with the flag set in that month (Wilson CI).
    Seat utilisation: median over those accounts of ``active_users / licensed_seats``
    (accounts with no licensed seats are skipped).
CLV (``clv``, ``clv_for_quarter``)
    ``CLV = ARPA * gross_margin / churn_rate`` with ARPA and churn rate in the same period
    unit (a geometric customer lifetime of ``1 / churn_rate`` periods). ``clv_for_quarter``
    uses monthly units: ARPA = total MRR over the quarter's three months / paying
    account-months, monthly churn = ``1 - (1 - quarterly logo churn) ** (1/3)``; gross margin
    defaults to 0.8.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd
from scipy import stats

from cc_analysis.periods import Quarter, naive_timestamps

__all__ = [
    "DEFAULT_GROSS_MARGIN",
    "AdoptionResult",
    "CesResult",
    "ClvResult",
    "NpsChange",
    "NpsResult",
    "RetentionResult",
    "ShareResult",
    "TicketTimesResult",
    "adoption",
    "adoption_by_quarter",
    "by_quarter",
    "ces",
    "ces_by_quarter",
    "churn_by_quarter",
    "clv",
    "clv_for_quarter",
    "csat",
    "csat_by_quarter",
    "headline",
    "headline_trend",
    "nps",
    "naive_timestamps",
    "nps_by_quarter",
    "nps_change_test",
    "retention_by_quarter",
    "revenue_retention",
    "ticket_times",
    "ticket_times_by_quarter",
    "wilson_interval",
]

DEFAULT_GROSS_MARGIN = 0.8
NAN = float("nan")

QuarterLike = Quarter | str
Scores = Sequence[float] | np.ndarray | pd.Series


# -- result types ---------------------------------------------------------------------------------
class _Dictable:
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]


@dataclass(frozen=True)
class NpsResult(_Dictable):
    """NPS on -100..100 with an adjusted-Wald interval (see module docstring)."""

    nps: float
    ci_low: float
    ci_high: float
    n: int
    promoters: int
    passives: int
    detractors: int
    promoter_share: float
    passive_share: float
    detractor_share: float
    nps_adjusted: float  # centre of the interval, 100 * NPS_adj
    confidence: float = 0.95

    @property
    def value(self) -> float:
        return self.nps


@dataclass(frozen=True)
class NpsChange(_Dictable):
    """Change in NPS between two samples (current minus previous) with a z test."""

    prev_nps: float
    curr_nps: float
    prev_n: int
    curr_n: int
    change: float
    ci_low: float
    ci_high: float
    z: float
    p_value: float
    significant: bool
    alpha: float = 0.05


@dataclass(frozen=True)
class ShareResult(_Dictable):
    """A proportion (0..1) with a Wilson score interval."""

    share: float
    ci_low: float
    ci_high: float
    n: int
    successes: int
    confidence: float = 0.95

    @property
    def value(self) -> float:
        return self.share


@dataclass(frozen=True)
class CesResult(_Dictable):
    """Customer Effort Score: mean agreement (t interval) and share agreeing (Wilson)."""

    mean: float
    ci_low: float
    ci_high: float
    n: int
    easy_share: float
    easy_ci_low: float
    easy_ci_high: float
    scale: int = 7
    confidence: float = 0.95

    @property
    def value(self) -> float:
        return self.mean


@dataclass(frozen=True)
class RetentionResult(_Dictable):
    """Gross and net revenue retention of one quarter's starting-MRR cohort."""

    quarter: str
    accounts: int
    churned_accounts: int
    start_mrr: float
    end_mrr: float
    expansion_mrr: float
    contraction_mrr: float
    churned_mrr: float
    grr: float
    nrr: float


@dataclass(frozen=True)
class TicketTimesResult(_Dictable):
    """First-reply and resolution times in calendar hours."""

    n: int
    replied: int
    first_reply_median_h: float
    first_reply_p90_h: float
    resolved: int
    resolution_median_h: float
    resolution_p90_h: float
    unresolved_share: float


@dataclass(frozen=True)
class AdoptionResult:
    """Feature adoption among accounts active in a quarter's last month."""

    quarter: str
    accounts: int
    seat_utilisation_median: float
    features: dict[str, ShareResult] = field(default_factory=dict, hash=False)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "quarter": self.quarter,
            "accounts": self.accounts,
            "seat_utilisation_median": self.seat_utilisation_median,
        }
        out.update({f"adoption_{name}": r.share for name, r in self.features.items()})
        return out

    def table(self) -> pd.DataFrame:
        """One row per feature: feature, share, ci_low, ci_high, n, successes."""
        rows = [{"feature": name, **r.to_dict()} for name, r in self.features.items()]
        cols = ["feature", "share", "ci_low", "ci_high", "n", "successes"]
        return pd.DataFrame(rows, columns=[*cols, "confidence"])[cols]


@dataclass(frozen=True)
class ClvResult(_Dictable):
    """Customer lifetime value for one quarter, in monthly units (see ``clv_for_quarter``)."""

    quarter: str
    arpa_monthly: float
    churn_rate_quarterly: float
    churn_rate_monthly: float
    gross_margin: float
    clv: float
    note: str = ""


class _Estimate(Protocol):
    @property
    def value(self) -> float: ...

    ci_low: float
    ci_high: float
    n: int

    def to_dict(self) -> dict[str, Any]: ...


# -- input helpers --------------------------------------------------------------------------------
def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    return float(stats.norm.ppf(0.5 + confidence / 2))


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


def _as_quarter(q: QuarterLike, fy_start_month: int) -> Quarter:
    if isinstance(q, Quarter):
        # A Quarter carries its own fiscal calendar; a mismatch is almost surely a caller bug.
        if q.fy_start_month != fy_start_month:
            raise ValueError(
                f"quarter {q} uses fy_start_month={q.fy_start_month} "
                f"but fy_start_month={fy_start_month} was passed"
            )
        return q
    return Quarter.parse(q, fy_start_month)


def _as_quarters(quarters: Iterable[QuarterLike], fy_start_month: int) -> list[Quarter]:
    return [_as_quarter(q, fy_start_month) for q in quarters]


def _bounds(q: Quarter) -> tuple[pd.Timestamp, pd.Timestamp]:
    """[start, end) as timestamps, so that times on the quarter's last day are included."""
    return pd.Timestamp(q.start), pd.Timestamp(q.end_exclusive)


def _in_quarter(ts: pd.Series, q: Quarter) -> pd.Series:
    lo, hi = _bounds(q)
    return (ts >= lo) & (ts < hi)


def _quarters_in(ts: pd.Series, fy_start_month: int) -> list[Quarter]:
    """The quarters a time column touches, in time order."""
    found: set[Quarter] = set()
    for when in ts.dropna().dt.to_period("M").unique():
        found.add(Quarter.of(when.to_timestamp(), fy_start_month))
    return sorted(found)


def _require(df: pd.DataFrame, columns: Iterable[str], table: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KeyError(f"{table} is missing column(s) {missing}; see docs/data-formats.md")


def _month_start(ts: pd.Series) -> pd.Series:
    return ts.dt.to_period("M").dt.to_timestamp()


def _safe_div(num: float, den: float) -> float:
    return num / den if den else NAN


# -- survey scores --------------------------------------------------------------------------------
def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion; (nan, nan) when n == 0."""
    if n == 0:
        return NAN, NAN
    z = _z(confidence)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def _share(successes: int, n: int, confidence: float = 0.95) -> ShareResult:
    lo, hi = wilson_interval(successes, n, confidence)
    return ShareResult(_safe_div(successes, n), lo, hi, n, successes, confidence)


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
    half = _z(confidence) * math.sqrt(var)
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
    half = _z(1 - alpha) * se
    z = diff / se
    p = float(2 * stats.norm.sf(abs(z)))
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
    return _share(int((s >= 4).sum()), len(s), confidence)


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
    easy = _share(int((s > (scale + 1) / 2).sum()), n, confidence)
    mean = float(s.mean()) if n else NAN
    lo = hi = NAN
    if n >= 2:
        half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * s.std(ddof=1) / math.sqrt(n)
        lo, hi = max(1.0, mean - half), min(float(scale), mean + half)
    return CesResult(mean, lo, hi, n, easy.share, easy.ci_low, easy.ci_high, scale, confidence)


def by_quarter(
    df: pd.DataFrame,
    time_col: str,
    value_col: str,
    func: Callable[[pd.Series], _Estimate],
    fy_start_month: int = 1,
    quarters: Iterable[QuarterLike] | None = None,
) -> pd.DataFrame:
    """Apply an estimator (``nps``, ``csat``, ``ces``...) to ``value_col`` per quarter.

    Rows are assigned to quarters by ``time_col``. Columns: quarter, value, ci_low, ci_high,
    n, then the estimator's other fields. ``quarters`` defaults to the quarters present in the
    data; quarters without rows get NaN and n = 0.
    """
    _require(df, (time_col, value_col), "frame")
    ts = naive_timestamps(df[time_col])
    qs = (
        _quarters_in(ts, fy_start_month)
        if quarters is None
        else _as_quarters(quarters, fy_start_month)
    )
    rows = []
    for q in qs:
        r = func(df.loc[_in_quarter(ts, q).to_numpy(), value_col])
        d = r.to_dict()
        head = {"quarter": q.label, "value": r.value}
        head.update({k: d.pop(k) for k in ("ci_low", "ci_high", "n")})
        rows.append({**head, **d})
    cols = ["quarter", "value", "ci_low", "ci_high", "n"]
    return pd.DataFrame(rows, columns=None if rows else cols)


def nps_by_quarter(
    nps_responses: pd.DataFrame,
    fy_start_month: int = 1,
    quarters: Iterable[QuarterLike] | None = None,
) -> pd.DataFrame:
    """NPS per quarter of ``submitted_at`` (see ``by_quarter`` for columns)."""
    return by_quarter(nps_responses, "submitted_at", "score", nps, fy_start_month, quarters)


def csat_by_quarter(
    tickets: pd.DataFrame,
    fy_start_month: int = 1,
    quarters: Iterable[QuarterLike] | None = None,
) -> pd.DataFrame:
    """Ticket CSAT per quarter of the ticket's ``created_at``."""
    return by_quarter(tickets, "created_at", "csat", csat, fy_start_month, quarters)


def ces_by_quarter(
    nps_responses: pd.DataFrame,
    fy_start_month: int = 1,
    quarters: Iterable[QuarterLike] | None = None,
) -> pd.DataFrame:
    """CES (``ces`` column of the survey, 1-7) per quarter of ``submitted_at``."""
    return by_quarter(nps_responses, "submitted_at", "ces", ces, fy_start_month, quarters)


# -- churn and revenue ----------------------------------------------------------------------------
def churn_by_quarter(
    accounts: pd.DataFrame, quarters: Iterable[QuarterLike], fy_start_month: int = 1
) -> pd.DataFrame:
    """Logo and revenue churn per quarter from the ``accounts`` table.

    Columns: quarter, accounts_start, churned, logo_churn_rate, arr_start, arr_churned,
    revenue_churn_rate, new_accounts, accounts_end. Active at start: ``start_date < start``
    and (no ``end_date`` or ``end_date >= start``); churned: active at start with ``end_date``
    in the quarter; new: ``start_date`` in the quarter; accounts_end: active at the next
    quarter's start. Rates are NaN when nobody was active at the start. Missing ARR counts as 0.
    """
    _require(accounts, ("arr", "start_date", "end_date"), "accounts")
    start = naive_timestamps(accounts["start_date"])
    end = naive_timestamps(accounts["end_date"])
    arr = pd.to_numeric(accounts["arr"], errors="coerce").fillna(0.0)
    rows = []
    for q in _as_quarters(quarters, fy_start_month):
        lo, hi = _bounds(q)
        active = (start < lo) & (end.isna() | (end >= lo))
        churned = active & (end < hi)  # end >= lo already holds for active accounts
        active_end = (start < hi) & (end.isna() | (end >= hi))
        n_start, n_churned = int(active.sum()), int(churned.sum())
        arr_start, arr_churned = float(arr[active].sum()), float(arr[churned].sum())
        rows.append(
            {
                "quarter": q.label,
                "accounts_start": n_start,
                "churned": n_churned,
                "logo_churn_rate": _safe_div(n_churned, n_start),
                "arr_start": arr_start,
                "arr_churned": arr_churned,
                "revenue_churn_rate": _safe_div(arr_churned, arr_start),
                "new_accounts": int(_in_quarter(start, q).sum()),
                "accounts_end": int(active_end.sum()),
            }
        )
    return pd.DataFrame(rows)


def _mrr_by_month(usage_monthly: pd.DataFrame) -> pd.DataFrame:
    """account_id, month (first of month), mrr; duplicate account-months summed."""
    _require(usage_monthly, ("account_id", "month", "mrr"), "usage_monthly")
    frame = pd.DataFrame(
        {
            "account_id": usage_monthly["account_id"].to_numpy(),
            "month": _month_start(naive_timestamps(usage_monthly["month"])).to_numpy(),
            "mrr": pd.to_numeric(usage_monthly["mrr"], errors="coerce").fillna(0.0).to_numpy(),
        }
    )
    return frame.groupby(["account_id", "month"], as_index=False)["mrr"].sum()


def _last_month(q: Quarter) -> pd.Timestamp:
    return pd.Timestamp(q.end).replace(day=1)


def revenue_retention(
    usage_monthly: pd.DataFrame, quarter: QuarterLike, fy_start_month: int = 1
) -> RetentionResult:
    """GRR and NRR of the accounts paying in the month before ``quarter`` starts.

    Starting MRR is taken from the month before the quarter, ending MRR from the quarter's
    last month (missing or <= 0 = churned). GRR/NRR are NaN when the cohort is empty.
    """
    q = _as_quarter(quarter, fy_start_month)
    mrr = _mrr_by_month(usage_monthly)
    base = pd.Timestamp(q.start) - pd.DateOffset(months=1)
    start = mrr[mrr["month"] == base].set_index("account_id")["mrr"]
    start = start[start > 0]
    end = mrr[mrr["month"] == _last_month(q)].set_index("account_id")["mrr"]
    end = end.reindex(start.index, fill_value=0.0)
    gone = end <= 0
    delta = end - start
    s0 = float(start.sum())
    expansion = float(delta[delta > 0].sum())
    contraction = float(-delta[(delta < 0) & ~gone].sum())
    churned = float(start[gone].sum())
    return RetentionResult(
        quarter=q.label,
        accounts=len(start),
        churned_accounts=int(gone.sum()),
        start_mrr=s0,
        end_mrr=float(end[~gone].sum()),
        expansion_mrr=expansion,
        contraction_mrr=contraction,
        churned_mrr=churned,
        grr=_safe_div(s0 - contraction - churned, s0),
        nrr=_safe_div(s0 + expansion - contraction - churned, s0),
    )


def retention_by_quarter(
    usage_monthly: pd.DataFrame, quarters: Iterable[QuarterLike], fy_start_month: int = 1
) -> pd.DataFrame:
    """``revenue_retention`` for several quarters, one row each."""
    rows = [
        revenue_retention(usage_monthly, q, fy_start_month).to_dict()
        for q in _as_quarters(quarters, fy_start_month)
    ]
    return pd.DataFrame(rows, columns=list(RetentionResult.__dataclass_fields__))


# -- support --------------------------------------------------------------------------------------
def _hours(later: pd.Series, earlier: pd.Series) -> np.ndarray:
    h = ((later - earlier).dt.total_seconds() / 3600).to_numpy(dtype=float, na_value=np.nan)
    return h[~np.isnan(h) & (h >= 0)]


def _median_p90(h: np.ndarray) -> tuple[float, float]:
    if len(h) == 0:
        return NAN, NAN
    return float(np.median(h)), float(np.percentile(h, 90))


def ticket_times(tickets: pd.DataFrame) -> TicketTimesResult:
    """First-reply and resolution times (calendar hours) and the share of unresolved tickets."""
    _require(tickets, ("created_at", "first_reply_at", "solved_at"), "tickets")
    created = naive_timestamps(tickets["created_at"])
    replied = naive_timestamps(tickets["first_reply_at"])
    solved = naive_timestamps(tickets["solved_at"])
    first, resolution = _hours(replied, created), _hours(solved, created)
    n = len(tickets)
    return TicketTimesResult(
        n,
        len(first),
        *_median_p90(first),
        len(resolution),
        *_median_p90(resolution),
        _safe_div(int(solved.isna().sum()), n),
    )


def ticket_times_by_quarter(
    tickets: pd.DataFrame,
    fy_start_month: int = 1,
    quarters: Iterable[QuarterLike] | None = None,
) -> pd.DataFrame:
    """``ticket_times`` per quarter of ``created_at`` (quarters default to those in the data)."""
    _require(tickets, ("created_at",), "tickets")
    ts = naive_timestamps(tickets["created_at"])
    qs = (
        _quarters_in(ts, fy_start_month)
        if quarters is None
        else _as_quarters(quarters, fy_start_month)
    )
    rows = [
        {"quarter": q.label, **ticket_times(tickets.loc[_in_quarter(ts, q).to_numpy()]).to_dict()}
        for q in qs
    ]
    return pd.DataFrame(rows, columns=["quarter", *TicketTimesResult.__dataclass_fields__])


# -- product adoption -----------------------------------------------------------------------------
def adoption(
    usage_monthly: pd.DataFrame,
    quarter: QuarterLike,
    fy_start_month: int = 1,
    confidence: float = 0.95,
) -> AdoptionResult:
    """Share of active accounts using each ``used_*`` feature in the quarter's last month."""
    q = _as_quarter(quarter, fy_start_month)
    _require(usage_monthly, ("account_id", "month", "mrr"), "usage_monthly")
    flags = [c for c in usage_monthly.columns if str(c).startswith("used_")]
    month = _month_start(naive_timestamps(usage_monthly["month"]))
    mrr = pd.to_numeric(usage_monthly["mrr"], errors="coerce").fillna(0.0)
    rows = usage_monthly.loc[((month == _last_month(q)) & (mrr > 0)).to_numpy()]
    agg: dict[str, Any] = {}
    data = pd.DataFrame({"account_id": rows["account_id"].to_numpy()})
    for c in flags:
        # Missing flags count as "not used"; any() tolerates duplicate account-month rows.
        data[c] = rows[c].astype("boolean").fillna(False).astype(bool).to_numpy()
        agg[c] = "any"
    for c in ("active_users", "licensed_seats"):
        if c in rows.columns:
            data[c] = pd.to_numeric(rows[c], errors="coerce").to_numpy(dtype=float)
            agg[c] = "sum"
    per_account = data.groupby("account_id").agg(agg) if agg else data.drop_duplicates()
    n = len(per_account) if agg else int(data["account_id"].nunique())
    util = NAN
    if {"active_users", "licensed_seats"} <= set(per_account.columns):
        seats = per_account["licensed_seats"]
        ratio = (per_account["active_users"] / seats)[seats > 0].dropna()
        util = float(ratio.median()) if len(ratio) else NAN
    features = {
        c.removeprefix("used_"): _share(int(per_account[c].sum()), n, confidence) for c in flags
    }
    return AdoptionResult(q.label, n, util, features)


def adoption_by_quarter(
    usage_monthly: pd.DataFrame, quarters: Iterable[QuarterLike], fy_start_month: int = 1
) -> pd.DataFrame:
    """One row per quarter: quarter, accounts, seat_utilisation_median, adoption_<feature>..."""
    rows = [
        adoption(usage_monthly, q, fy_start_month).to_dict()
        for q in _as_quarters(quarters, fy_start_month)
    ]
    return pd.DataFrame(rows)


# -- customer lifetime value ----------------------------------------------------------------------
def clv(arpa: float, *, churn_rate: float, gross_margin: float = DEFAULT_GROSS_MARGIN) -> float:
    """CLV = ARPA * gross margin / churn rate (ARPA and churn rate per the same period).

    Keyword-only so that margin and churn (both fractions) cannot be swapped by position.
    Raises ValueError when churn_rate is 0: with no churn the expected lifetime, and so the
    CLV, is unbounded; measure churn over a longer window instead.
    """
    if not 0 <= churn_rate <= 1:  # also rejects NaN
        raise ValueError(f"churn_rate must be a per-period fraction in (0, 1], got {churn_rate}")
    if churn_rate == 0:
        raise ValueError(
            "churn_rate is 0: expected customer lifetime (1 / churn) and CLV are unbounded; "
            "use churn measured over a longer window"
        )
    if not 0 < gross_margin <= 1:
        raise ValueError(f"gross_margin must be a fraction in (0, 1], got {gross_margin}")
    if arpa < 0:
        raise ValueError(f"arpa must be >= 0, got {arpa}")
    return arpa * gross_margin / churn_rate


def clv_for_quarter(
    accounts: pd.DataFrame,
    usage_monthly: pd.DataFrame,
    quarter: QuarterLike,
    fy_start_month: int = 1,
    gross_margin: float = DEFAULT_GROSS_MARGIN,
) -> ClvResult:
    """CLV in USD from one quarter's data, in monthly units.

    ARPA = total MRR in the quarter's three months / account-months with MRR > 0; monthly
    churn = ``1 - (1 - logo churn rate of the quarter) ** (1/3)``. A quarter without churn
    gives ``clv = inf`` with a note (not an error: the report should say why, not crash).
    """
    q = _as_quarter(quarter, fy_start_month)
    mrr = _mrr_by_month(usage_monthly)
    months = [pd.Timestamp(q.start) + pd.DateOffset(months=i) for i in range(3)]
    paying = mrr[mrr["month"].isin(months) & (mrr["mrr"] > 0)]
    arpa = _safe_div(float(paying["mrr"].sum()), len(paying))
    churn_q = float(churn_by_quarter(accounts, [q], fy_start_month)["logo_churn_rate"].iloc[0])
    churn_m = 1 - (1 - churn_q) ** (1 / 3) if not math.isnan(churn_q) else NAN
    note = ""
    if math.isnan(arpa) or math.isnan(churn_m):
        value, note = NAN, "no paying accounts or no accounts active at quarter start"
    elif churn_m == 0:
        value, note = math.inf, "no churn in the quarter: CLV unbounded (use a longer window)"
    else:
        value = clv(arpa, churn_rate=churn_m, gross_margin=gross_margin)
    return ClvResult(q.label, arpa, churn_q, churn_m, gross_margin, value, note)


# -- headline -------------------------------------------------------------------------------------
_NPS_COLS = ("submitted_at", "score", "ces")
_TICKET_COLS = ("created_at", "first_reply_at", "solved_at", "csat")
_ACCOUNT_COLS = ("account_id", "arr", "start_date", "end_date")
_USAGE_COLS = ("account_id", "month", "mrr", "active_users", "licensed_seats")
_REVIEW_COLS = ("reviewed_at", "rating")


def _or_empty(df: pd.DataFrame | None, cols: Sequence[str]) -> pd.DataFrame:
    # Missing sources give NaN metrics, so headline dicts always have the same keys.
    return df if df is not None else pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})


def _rows(df: pd.DataFrame, time_col: str, q: Quarter) -> pd.DataFrame:
    return df.loc[_in_quarter(naive_timestamps(df[time_col]), q).to_numpy()]


def headline(
    quarter: QuarterLike,
    *,
    nps_responses: pd.DataFrame | None = None,
    tickets: pd.DataFrame | None = None,
    accounts: pd.DataFrame | None = None,
    usage_monthly: pd.DataFrame | None = None,
    reviews: pd.DataFrame | None = None,
    fy_start_month: int = 1,
    gross_margin: float = DEFAULT_GROSS_MARGIN,
) -> dict[str, Any]:
    """All headline metrics of one quarter as one flat dict (NaN where a source is missing).

    Keys: quarter; nps, nps_ci_low, nps_ci_high, nps_n; nps_prev, nps_change,
    nps_change_ci_low, nps_change_ci_high, nps_change_p, nps_change_significant (vs the
    previous quarter); csat, csat_ci_low, csat_ci_high, csat_n; ces, ces_ci_low, ces_ci_high,
    ces_easy_share, ces_n; review_positive_share, review_ci_low, review_ci_high, review_n
    (share of 4-5 star reviews); accounts_start, new_accounts, logo_churn_rate, arr_start,
    revenue_churn_rate; grr, nrr; first_reply_median_h, first_reply_p90_h,
    resolution_median_h, resolution_p90_h, unresolved_share, tickets_n;
    seat_utilisation_median, adoption_<feature>...; arpa_monthly, clv.
    """
    q = _as_quarter(quarter, fy_start_month)
    responses = _or_empty(nps_responses, _NPS_COLS)
    tix = _or_empty(tickets, _TICKET_COLS)
    accts = _or_empty(accounts, _ACCOUNT_COLS)
    usage = _or_empty(usage_monthly, _USAGE_COLS)
    revs = _or_empty(reviews, _REVIEW_COLS)

    now = _rows(responses, "submitted_at", q)
    before = _rows(responses, "submitted_at", q - 1)
    n_now, change = nps(now["score"]), nps_change_test(before["score"], now["score"])
    sat = csat(_rows(tix, "created_at", q)["csat"])
    effort = ces(now["ces"])
    stars = csat(_rows(revs, "reviewed_at", q)["rating"])
    churn = churn_by_quarter(accts, [q], fy_start_month).iloc[0]
    ret = revenue_retention(usage, q, fy_start_month)
    times = ticket_times(_rows(tix, "created_at", q))
    adopt = adoption(usage, q, fy_start_month).to_dict()
    value = clv_for_quarter(accts, usage, q, fy_start_month, gross_margin)

    return {
        "quarter": q.label,
        "nps": n_now.nps,
        "nps_ci_low": n_now.ci_low,
        "nps_ci_high": n_now.ci_high,
        "nps_n": n_now.n,
        "nps_prev": change.prev_nps,
        "nps_change": change.change,
        "nps_change_ci_low": change.ci_low,
        "nps_change_ci_high": change.ci_high,
        "nps_change_p": change.p_value,
        "nps_change_significant": change.significant,
        "csat": sat.share,
        "csat_ci_low": sat.ci_low,
        "csat_ci_high": sat.ci_high,
        "csat_n": sat.n,
        "ces": effort.mean,
        "ces_ci_low": effort.ci_low,
        "ces_ci_high": effort.ci_high,
        "ces_easy_share": effort.easy_share,
        "ces_n": effort.n,
        "review_positive_share": stars.share,
        "review_ci_low": stars.ci_low,
        "review_ci_high": stars.ci_high,
        "review_n": stars.n,
        "accounts_start": int(churn["accounts_start"]),
        "new_accounts": int(churn["new_accounts"]),
        "logo_churn_rate": float(churn["logo_churn_rate"]),
        "arr_start": float(churn["arr_start"]),
        "revenue_churn_rate": float(churn["revenue_churn_rate"]),
        "grr": ret.grr,
        "nrr": ret.nrr,
        "first_reply_median_h": times.first_reply_median_h,
        "first_reply_p90_h": times.first_reply_p90_h,
        "resolution_median_h": times.resolution_median_h,
        "resolution_p90_h": times.resolution_p90_h,
        "unresolved_share": times.unresolved_share,
        "tickets_n": times.n,
        "seat_utilisation_median": adopt.pop("seat_utilisation_median"),
        **{k: v for k, v in adopt.items() if k.startswith("adoption_")},
        "arpa_monthly": value.arpa_monthly,
        "clv": value.clv,
    }


def headline_trend(quarters: Iterable[QuarterLike], **frames_and_options: Any) -> pd.DataFrame:
    """``headline`` for each quarter (e.g. the last 8), one row per quarter.

    Keyword arguments are passed to ``headline`` (the frames, ``fy_start_month``,
    ``gross_margin``).
    """
    fy = int(frames_and_options.get("fy_start_month", 1))
    return pd.DataFrame([headline(q, **frames_and_options) for q in _as_quarters(quarters, fy)])
