"""Fixtures of the metrics tests: small store tables whose metrics the tests work out by hand."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture
def accounts() -> pd.DataFrame:
    rows = [
        # id, arr, start, end
        ("A", 1000, "2024-01-01", None),  # active all along
        ("B", 2000, "2024-06-01", "2025-01-01"),  # ends on Q1's first day: active + churned in Q1
        ("C", 3000, "2024-06-01", "2025-03-31"),  # ends on Q1's last day: churned in Q1
        ("D", 4000, "2024-06-01", "2024-12-31"),  # ends the day before Q1: not active
        ("E", 500, "2025-01-01", None),  # starts on Q1's first day: new, not active at start
        ("F", 600, "2024-12-31", "2025-04-01"),  # starts day before Q1, ends Q2's first day
        ("G", 700, "2025-03-31", None),  # starts Q1's last day: new
        ("H", 800, "2025-04-01", None),  # starts in Q2
    ]
    return pd.DataFrame(rows, columns=["account_id", "arr", "start_date", "end_date"])


@pytest.fixture
def usage_monthly() -> pd.DataFrame:
    rows = [
        # account, month, mrr, users, seats, reports, mobile
        ("a", "2024-12-01", 100, 4, 10, True, False),
        ("a", "2025-02-01", 110, 4, 10, True, False),  # mid-quarter rows don't matter
        ("a", "2025-03-01", 120, 5, 10, True, False),
        ("b", "2024-12-01", 200, 3, 3, True, True),
        ("b", "2025-03-01", 150, 3, 3, True, True),
        ("c", "2024-12-01", 300, 1, 5, False, False),  # no March row: churned
        ("d", "2024-12-01", 0, 1, 1, False, False),  # zero MRR: not in cohort
        ("d", "2025-03-01", 0, 1, 1, True, True),  # zero MRR: not active for adoption
        ("e", "2025-03-01", 80, 8, 4, False, False),  # new in the quarter
        ("f", "2024-12-01", 400, 2, 2, False, False),
        ("f", "2025-03-01", 0, 0, 2, False, False),  # MRR 0: churned
        ("g", "2024-12-01", 100, 1, 0, False, None),
        ("g", "2025-03-01", 100, 1, 0, False, None),  # flat; no seats; unknown mobile flag
    ]
    cols = [
        "account_id",
        "month",
        "mrr",
        "active_users",
        "licensed_seats",
        "used_reports",
        "used_mobile",
    ]
    df = pd.DataFrame(rows, columns=cols)
    df["month"] = pd.to_datetime(df["month"]).dt.date
    return df


@pytest.fixture
def tickets() -> pd.DataFrame:
    c = "2025-01-01T00:00:00Z"
    return pd.DataFrame(
        {
            "ticket_id": [1, 2, 3, 4, 5, 6],
            "created_at": [c, c, c, c, c, "2025-04-02T00:00:00Z"],
            "first_reply_at": [
                "2025-01-01T01:00:00Z",
                "2025-01-01T02:00:00Z",
                "2025-01-01T04:00:00Z",
                None,
                "2025-01-01T03:00:00Z",
                "2025-04-02T12:00:00Z",
            ],
            "solved_at": [
                "2025-01-01T10:00:00Z",
                "2025-01-01T20:00:00Z",
                None,
                None,
                "2025-01-02T06:00:00Z",
                "2025-04-03T00:00:00Z",
            ],
            "csat": [5, 4, None, None, 1, 5],
        }
    )

