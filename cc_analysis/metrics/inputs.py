"""What every metric does with its inputs: quarter arguments, column checks, time windows.

Owns the helpers the metric modules share. A quarter argument is a
:class:`~cc_analysis.periods.Quarter` or a label such as ``"2026Q3"`` parsed with
``fy_start_month``; a quarter is the half-open range [first day, next quarter's first day), so
that times on its last day are included. Timestamps may be naive or timezone-aware (aware ones
are compared on the UTC calendar, see :func:`~cc_analysis.periods.naive_timestamps`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import pandas as pd

from ..periods import Quarter, naive_timestamps

NAN = float("nan")

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


def rows_in_quarter(df: pd.DataFrame, time_col: str, q: Quarter) -> pd.DataFrame:
    """The rows of ``df`` whose ``time_col`` falls in the quarter."""
    return df.loc[in_quarter(naive_timestamps(df[time_col]), q).to_numpy()]


def rows_by_quarter(
    df: pd.DataFrame,
    time_col: str,
    fy_start_month: int,
    quarters: QuarterList | None,
) -> Iterator[tuple[Quarter, pd.DataFrame]]:
    """Each quarter with the rows of ``df`` whose ``time_col`` falls in it.

    ``quarters`` defaults to the quarters present in the data; a quarter without rows comes
    with an empty frame.
    """
    ts = naive_timestamps(df[time_col])
    qs = (
        quarters_in(ts, fy_start_month)
        if quarters is None
        else as_quarters(quarters, fy_start_month)
    )
    for q in qs:
        yield q, df.loc[in_quarter(ts, q).to_numpy()]


def table_by_quarter(
    metric: Callable[[pd.DataFrame, Quarter, int], Any],
    frame: pd.DataFrame,
    quarters: QuarterList,
    fy_start_month: int,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per quarter: ``metric(frame, quarter, fy_start_month).to_dict()``."""
    qs = as_quarters(quarters, fy_start_month)
    rows = [metric(frame, q, fy_start_month).to_dict() for q in qs]
    return pd.DataFrame(rows, columns=columns)


def require_columns(df: pd.DataFrame, columns: Iterable[str], table: str) -> None:
    """Raise KeyError naming the columns of ``table`` that ``df`` lacks."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KeyError(f"{table} is missing column(s) {missing}; see docs/data-formats.md")


def safe_div(num: float, den: float) -> float:
    """``num / den``, NaN when ``den`` is 0."""
    return num / den if den else NAN
