"""The sample workspace's calendar: its eight quarters, the account history before them, and
the month-index and timestamp helpers the simulation and the writers share.

Months are counted from ``HISTORY_START`` (month 0 = 2022-01); feedback, tickets and churn only
exist from ``DATA_START`` (month ``FIRST_DATA_MONTH``).
"""

from __future__ import annotations

from calendar import monthrange  # the standard library's (absolute import)
from datetime import UTC, date, datetime

from ..periods import Quarter, quarter_range

QUARTERS: list[Quarter] = quarter_range(Quarter(2024, 4), Quarter(2026, 3))
QUARTER_LABELS: list[str] = [q.label for q in QUARTERS]
DATA_START: date = QUARTERS[0].start  # 2024-10-01
DATA_END: date = QUARTERS[-1].end  # 2026-09-30
HISTORY_START = date(2022, 1, 1)
N_HISTORY_MONTHS = ((DATA_END.year - HISTORY_START.year) * 12 + DATA_END.month
                    - HISTORY_START.month + 1)
FIRST_DATA_MONTH = ((DATA_START.year - HISTORY_START.year) * 12 + DATA_START.month
                    - HISTORY_START.month)
EXPORT_TIME = "2026-10-01T00:00:00Z"


def month_start(m: int) -> date:
    """The first day of history month ``m``."""
    return date(HISTORY_START.year + m // 12, m % 12 + 1, 1)


def days_in_month(m: int) -> int:
    d = month_start(m)
    return monthrange(d.year, d.month)[1]


def epoch_seconds(d: date) -> int:
    """Seconds since 1970-01-01 at midnight UTC of ``d``."""
    return (d - date(1970, 1, 1)).days * 86400


DATA_END_EXCLUSIVE_TS = epoch_seconds(QUARTERS[-1].end_exclusive)


def iso_utc(ts: float) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` of a timestamp in seconds (fraction dropped)."""
    return datetime.fromtimestamp(int(ts), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
