"""Quarters: parsing, labels and date ranges, honouring the workspace's fiscal-year start month.

A fiscal year is named by the calendar year in which it *ends* (a fiscal year starting in
February 2026 is FY2027). With the default start month (January) fiscal quarters are calendar
quarters. Two spellings are accepted everywhere: ``2026Q3`` (CLI, tables) and ``2026-Q3``
(report folder names). A quarter argument is a ``Quarter`` or a label parsed with the fiscal
start month (``as_quarter``); a quarter is the half-open range [first day, next quarter's first
day) (``quarter_bounds``, ``in_quarter``), so times on its last day are in it; timestamps are
compared on the UTC calendar (``naive_timestamps``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd

_QUARTER_RE = re.compile(r"^\s*(?:FY)?(\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Quarter:
    """A fiscal quarter. Ordering and arithmetic (``q + 1``) follow time."""

    year: int
    q: int
    fy_start_month: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.q <= 4:
            raise ValueError(f"quarter number must be 1-4, got {self.q}")
        if not 1 <= self.fy_start_month <= 12:
            raise ValueError(f"fiscal-year start month must be 1-12, got {self.fy_start_month}")

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def parse(cls, text: str, fy_start_month: int = 1) -> Quarter:
        """Parse ``2026Q3``, ``2026-Q3`` or ``FY2026Q3``."""
        m = _QUARTER_RE.match(str(text))
        if not m:
            raise ValueError(f"not a quarter: {text!r} (expected e.g. 2026Q3 or 2026-Q3)")
        return cls(int(m.group(1)), int(m.group(2)), fy_start_month)

    @classmethod
    def of(cls, when: date | datetime | pd.Timestamp, fy_start_month: int = 1) -> Quarter:
        """The fiscal quarter containing a date."""
        when = pd.Timestamp(when)
        months_into_fy = (when.month - fy_start_month) % 12
        fy_start_year = when.year if when.month >= fy_start_month else when.year - 1
        fy = fy_start_year if fy_start_month == 1 else fy_start_year + 1
        return cls(fy, months_into_fy // 3 + 1, fy_start_month)

    # -- labels -------------------------------------------------------------------------------
    @property
    def label(self) -> str:
        """``2026Q3``: the spelling used in tables and on the command line."""
        return f"{self.year}Q{self.q}"

    @property
    def folder(self) -> str:
        """``2026-Q3``: the spelling used for report folders."""
        return f"{self.year}-Q{self.q}"

    def __str__(self) -> str:
        return self.label

    # -- ranges -------------------------------------------------------------------------------
    @property
    def start(self) -> date:
        """First day of the quarter."""
        fy_start_year = self.year if self.fy_start_month == 1 else self.year - 1
        month0 = (self.fy_start_month - 1) + (self.q - 1) * 3
        return date(fy_start_year + month0 // 12, month0 % 12 + 1, 1)

    @property
    def end(self) -> date:
        """Last day of the quarter (inclusive)."""
        return (self + 1).start - timedelta(days=1)

    @property
    def end_exclusive(self) -> date:
        return (self + 1).start

    def contains(self, when: date | datetime | pd.Timestamp) -> bool:
        return self.start <= pd.Timestamp(when).date() <= self.end

    def __add__(self, n: int) -> Quarter:
        idx = self.year * 4 + (self.q - 1) + n
        return Quarter(idx // 4, idx % 4 + 1, self.fy_start_month)

    def __sub__(self, n: int) -> Quarter:
        return self + (-n)


def latest_complete_quarter(
    data_end: date | datetime | pd.Timestamp, fy_start_month: int = 1
) -> Quarter:
    """The last quarter whose final day is on or before ``data_end``."""
    data_end = pd.Timestamp(data_end).date()
    q = Quarter.of(data_end, fy_start_month)
    return q if q.end <= data_end else q - 1


def quarter_range(first: Quarter, last: Quarter) -> list[Quarter]:
    """All quarters from ``first`` to ``last`` inclusive."""
    out, q = [], first
    while q <= last:
        out.append(q)
        q = q + 1
    return out


def quarter_labels(when: pd.Series, fy_start_month: int = 1) -> pd.Series:
    """Vectorised ``Quarter.of(...).label`` for a datetime Series (NaT stays missing)."""
    ts = pd.to_datetime(when)
    months_into_fy = (ts.dt.month - fy_start_month) % 12
    fy_start_year = ts.dt.year.where(ts.dt.month >= fy_start_month, ts.dt.year - 1)
    fy = fy_start_year if fy_start_month == 1 else fy_start_year + 1
    q = months_into_fy // 3 + 1
    out = fy.astype("Int64").astype(str) + "Q" + q.astype("Int64").astype(str)
    return out.where(ts.notna())


def naive_timestamps(values: Any) -> pd.Series:
    """Datetimes as naive UTC (quarters are assigned on the UTC calendar)."""
    ts = pd.to_datetime(pd.Series(values) if not isinstance(values, pd.Series) else values)
    if ts.dt.tz is not None:
        ts = ts.dt.tz_convert("UTC").dt.tz_localize(None)
    return ts


QuarterLike = Quarter | str
QuarterList = Iterable[QuarterLike]


def as_quarter(q: QuarterLike, fy_start_month: int) -> Quarter:
    """``q`` as a Quarter of the fiscal calendar starting in ``fy_start_month``."""
    if isinstance(q, Quarter):
        # A Quarter carries its own fiscal calendar; a mismatch is almost surely a caller bug.
        if q.fy_start_month != fy_start_month:
            raise ValueError(
                f"quarter {q} uses fy_start_month={q.fy_start_month} "
                f"but fy_start_month={fy_start_month} was passed"
            )
        return q
    return Quarter.parse(q, fy_start_month)


def as_quarters(quarters: Iterable[QuarterLike], fy_start_month: int) -> list[Quarter]:
    return [as_quarter(q, fy_start_month) for q in quarters]


def quarter_bounds(q: Quarter) -> tuple[pd.Timestamp, pd.Timestamp]:
    """[start, end) as timestamps, so that times on the quarter's last day are included."""
    return pd.Timestamp(q.start), pd.Timestamp(q.end_exclusive)


def in_quarter(ts: pd.Series, q: Quarter) -> pd.Series:
    """Which of the (naive) timestamps fall in the quarter."""
    lo, hi = quarter_bounds(q)
    return (ts >= lo) & (ts < hi)


def last_month(q: Quarter) -> pd.Timestamp:
    """The first day of the quarter's last month."""
    return pd.Timestamp(q.end).replace(day=1)


def month_start(ts: pd.Series) -> pd.Series:
    """Each timestamp's first day of the month."""
    return ts.dt.to_period("M").dt.to_timestamp()


def quarters_in(ts: pd.Series, fy_start_month: int) -> list[Quarter]:
    """The quarters a time column touches, in time order."""
    found: set[Quarter] = set()
    for when in ts.dropna().dt.to_period("M").unique():
        found.add(Quarter.of(when.to_timestamp(), fy_start_month))
    return sorted(found)
