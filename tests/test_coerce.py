"""Coercing cells people typed: blanks, yes/no words and numbers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from cc_analysis.coerce import (
    CHURNED_WORDS,
    RETAINED_WORDS,
    is_blank_word,
    is_missing,
    parse_flag,
    parse_numbers,
)


def test_missing_and_blank_words() -> None:
    values = pd.Series([None, np.nan, "  ", "N/A", "null", "-", "0", "x"], dtype=object)
    assert is_missing(values).tolist() == [True, True, True, False, False, False, False, False]
    # as text, None reads "None", itself a placeholder word
    assert is_blank_word(values).tolist() == [True, True, True, True, True, True, False, False]


def test_flags() -> None:
    assert [parse_flag(v) for v in ("Yes", " t ", "0", "no", True, np.bool_(False), "maybe")] \
        == [True, True, False, False, True, False, None]
    assert parse_flag("Churned", CHURNED_WORDS, RETAINED_WORDS) is True
    assert parse_flag("active", CHURNED_WORDS, RETAINED_WORDS) is False


def test_numbers_as_people_type_them() -> None:
    values = pd.Series(["$1,234.50", "(12)", " 7 ", "45%", "", "n/a", "abc", "1e3"])
    nums, counts = parse_numbers(values)
    assert nums.tolist()[:4] == [1234.5, -12.0, 7.0, 45.0] and nums[7] == 1000.0
    assert all(math.isnan(v) for v in nums.tolist()[4:7])
    # reformatted: "$1,234.50", "(12)" and "45%" (surrounding spaces alone do not count)
    assert counts == {"blank": 2, "reformatted": 3, "unreadable": 1}
    # a decimal comma is read as such only when the column has no dots
    assert parse_numbers(pd.Series(["3,5", "10"]))[0].tolist() == [3.5, 10.0]
    assert parse_numbers(pd.Series(["3,500", "1.5"]))[0].tolist() == [3500.0, 1.5]
