"""Coercing text cells into values: blanks, yes/no words and numbers as people type them.

Owns the vocabulary of messy exports, written once: which cells count as missing, which words
mean true or false (and, for churn flags, which words mean "churned" or "still a customer"),
and reading numbers written with currency signs, thousands separators, decimal commas or
accounting parentheses. Ingest and ``cc-analysis churn`` both use it.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "f", "no", "n", "0"})
# a churn flag column says more than yes/no: "Churned", "Lost", "Active", "Retained"...
CHURNED_WORDS = TRUE_WORDS | {"churned", "churn", "lost", "cancelled", "canceled", "closed",
                              "inactive", "left"}
RETAINED_WORDS = FALSE_WORDS | {"active", "retained", "current", "open", "stayed"}
# placeholders spreadsheets and BI exports write for "no value"
BLANK_WORDS = frozenset({"", "na", "n/a", "nan", "null", "none", "-", "?", "#n/a"})
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def is_missing(values: pd.Series) -> pd.Series:
    """True where a cell is None / NaN or only white space (a typed export's missing value)."""
    s = values.astype(object)
    return s.isna() | s.map(lambda v: isinstance(v, str) and not v.strip())


def is_blank_word(values: pd.Series) -> pd.Series:
    """True where a text cell is empty or a placeholder such as "N/A", "null" or "-"."""
    return values.astype(str).str.strip().str.lower().isin(BLANK_WORDS)


def parse_flag(value: Any, true_words: frozenset[str] = TRUE_WORDS,
               false_words: frozenset[str] = FALSE_WORDS) -> bool | None:
    """A yes/no cell as a bool; None when it is neither a true nor a false word."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    word = str(value).strip().lower()
    return True if word in true_words else False if word in false_words else None


def parse_numbers(values: pd.Series) -> tuple[pd.Series, dict[str, int]]:
    """Text to numbers: trims spaces, drops currency/percent signs and thousands separators,
    reads (123) as -123 and a decimal comma when the column has no dots. Returns the numbers
    (blank or unreadable -> NaN) and counts of blanks, reformatted and unreadable values."""
    s = values.astype(str).str.strip()
    blank = s.str.lower().isin(BLANK_WORDS)
    t = s.str.replace(r"[\s$€£¥%]", "", regex=True)
    neg = t.str.match(r"^\(.*\)$")
    t = t.str.strip("()")
    thousands = t.str.match(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
    t = t.where(~thousands, t.str.replace(",", "", regex=False))
    if not t.str.contains(".", regex=False).any():
        t = t.str.replace(r"^([+-]?\d+),(\d+)$", r"\1.\2", regex=True)
    ok = t.str.match(_NUMBER.pattern) & ~blank
    num = pd.to_numeric(t.where(ok), errors="coerce")
    num = num.where(~neg, -num)
    counts = {"blank": int(blank.sum()), "reformatted": int((ok & (t != s)).sum()),
              "unreadable": int((~ok & ~blank).sum())}
    return num.astype(float), counts
