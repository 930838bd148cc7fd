"""The results the metrics return: small frozen dataclasses with ``to_dict()``.

Owns the shape of every result (field names are the column names of the per-quarter tables and
of the headline) and the :class:`Estimate` protocol the per-quarter helper relies on.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import pandas as pd

from ..stats import wilson_interval
from .inputs import safe_div


class _AsDictMixin:
    """Gives a result dataclass ``to_dict()``: its fields, as :func:`dataclasses.asdict`."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]


@dataclass(frozen=True)
class NpsResult(_AsDictMixin):
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
class NpsChange(_AsDictMixin):
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
class ShareResult(_AsDictMixin):
    """A proportion (0..1) with a Wilson score interval."""

    share: float
    ci_low: float
    ci_high: float
    n: int
    successes: int
    confidence: float = 0.95

    @classmethod
    def of(cls, successes: int, n: int, confidence: float = 0.95) -> ShareResult:
        """``successes`` of ``n`` with its Wilson interval (NaN when ``n`` is 0)."""
        lo, hi = wilson_interval(successes, n, confidence)
        return cls(safe_div(successes, n), lo, hi, n, successes, confidence)

    @property
    def value(self) -> float:
        return self.share


@dataclass(frozen=True)
class CesResult(_AsDictMixin):
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
class RetentionResult(_AsDictMixin):
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
class TicketTimesResult(_AsDictMixin):
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
class ClvResult(_AsDictMixin):
    """Customer lifetime value for one quarter, in monthly units (see ``clv_for_quarter``)."""

    quarter: str
    arpa_monthly: float
    churn_rate_quarterly: float
    churn_rate_monthly: float
    gross_margin: float
    clv: float
    note: str = ""


class Estimate(Protocol):
    """What ``by_quarter`` needs of an estimator's result: a value with an interval and n."""

    @property
    def value(self) -> float: ...

    ci_low: float
    ci_high: float
    n: int

    def to_dict(self) -> dict[str, Any]: ...
