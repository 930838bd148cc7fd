"""Typed conversion and validation: every refusal names file, row, line and column."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from cc_analysis.ingest import Col, Problem, convert_column


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("accounts.csv", "Billing Term", "Billing",
         ["accounts.csv", "column 'Billing Term'", "missing column"]),
        ("accounts.csv", "2026-02-01", "2026-02-31",
         ["accounts.csv", "row 3", "line 4", "column 'Start Date'", "2026-02-31"]),
        ("nps_responses.csv", ",3,Dashboards", ",11,Dashboards",
         ["nps_responses.csv", "row 2", "column 'Score'", "above the maximum 10"]),
        ("nps_responses.csv", "2026-08-11T09:30:00Z", "yesterday",
         ["nps_responses.csv", "row 2", "column 'Submitted At'", "not a valid date"]),
        ("accounts.csv", "ACC-2,Bluepeak", "ACC-1,Bluepeak",
         ["accounts.csv", "row 2", "duplicate key"]),
        ("accounts.csv", "Growth,monthly", "Growth,weekly",
         ["accounts.csv", "row 1", "column 'Billing Term'", "not one of monthly, annual"]),
        ("tickets.json", '"created_at": "2026-08-01T08:00:00Z"', '"created_at": "01/08/2026x"',
         ["tickets.json", "row 2", "column 'created_at'"]),
    ],
)
def test_invalid_values_are_refused_and_previous_store_survives(
    refused: Callable[[str, str, str], str], file: str, old: str, new: str,
    expected: list[str],
) -> None:
    message = refused(file, old, new)
    for fragment in expected:
        assert fragment in message, f"{fragment!r} not in: {message}"


def test_flags_read_yes_no_words_and_refuse_the_rest() -> None:
    problems: list[Problem] = []
    values = pd.Series(["yes", "No", " TRUE ", "1", "f", "", None, "maybe", True])
    got = convert_column(values, Col("bool", nullable=True), "usage.csv", "Used Reports",
                         [2, 3, 4, 5, 6, 7, 8, 9, 10], problems)
    assert str(got.dtype) == "boolean"
    assert got.tolist() == [True, False, True, True, False, pd.NA, pd.NA, pd.NA, True]
    assert [str(p) for p in problems] == [
        "usage.csv, row 8 (line 9), column 'Used Reports': 'maybe' is not true/false"]


def test_blank_cells_are_missing_and_refused_where_required() -> None:
    problems: list[Problem] = []
    values = pd.Series(["ACC-1", "  ", None, 1001.0])
    got = convert_column(values, Col("id"), "accounts.csv", "Account ID", None, problems)
    # a float id read from JSON or Parquet is written as a whole number
    assert got.tolist() == ["ACC-1", None, None, "1001"]
    assert [(p.row, p.message) for p in problems] == [
        (2, "is blank but a value is required"), (3, "is blank but a value is required")]
