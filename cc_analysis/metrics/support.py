"""Support times: first reply and resolution of tickets, overall and per quarter.

Support times (``ticket_times``), from ``tickets``
    First-reply time = ``first_reply_at - created_at``; resolution time =
    ``solved_at - created_at``; both in calendar hours, median and 90th percentile (linear
    interpolation) over the tickets that have the timestamp (negative durations, i.e. clock
    errors, are ignored). Unresolved share = tickets without ``solved_at`` / all tickets.
    Per-quarter tables assign tickets to the quarter of ``created_at``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..periods import QuarterList, naive_timestamps
from .inputs import NAN, require_columns, rows_by_quarter, safe_div
from .results import TicketTimesResult


def _hours(later: pd.Series, earlier: pd.Series) -> np.ndarray:
    h = ((later - earlier).dt.total_seconds() / 3600).to_numpy(dtype=float, na_value=np.nan)
    return h[~np.isnan(h) & (h >= 0)]


def _median_p90(h: np.ndarray) -> tuple[float, float]:
    if len(h) == 0:
        return NAN, NAN
    return float(np.median(h)), float(np.percentile(h, 90))


def ticket_times(tickets: pd.DataFrame) -> TicketTimesResult:
    """First-reply and resolution times (calendar hours) and the share of unresolved tickets."""
    require_columns(tickets, ("created_at", "first_reply_at", "solved_at"), "tickets")
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
        safe_div(int(solved.isna().sum()), n),
    )


def ticket_times_by_quarter(
    tickets: pd.DataFrame, fy_start_month: int = 1, quarters: QuarterList | None = None
) -> pd.DataFrame:
    """``ticket_times`` per quarter of ``created_at`` (quarters default to those in the data)."""
    require_columns(tickets, ("created_at",), "tickets")
    rows = [
        {"quarter": q.label, **ticket_times(part).to_dict()}
        for q, part in rows_by_quarter(tickets, "created_at", fy_start_month, quarters)
    ]
    return pd.DataFrame(rows, columns=["quarter", *TicketTimesResult.__dataclass_fields__])
