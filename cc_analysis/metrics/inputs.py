"""What every metric does with its inputs: quarter arguments, column checks, time windows.

Owns the helpers the metric modules share: rows of a quarter, one row per quarter, column
checks, safe division. Quarter arguments and time windows follow :mod:`cc_analysis.periods`
(a quarter is the half-open range [first day, next quarter's first day); aware timestamps are
compared on the UTC calendar).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import pandas as pd

from ..periods import Quarter, QuarterList, as_quarters, in_quarter, naive_timestamps, quarters_in

NAN = float("nan")

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
