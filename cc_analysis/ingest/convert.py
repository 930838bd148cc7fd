"""Typed conversion and validation: raw cells to canonical, typed columns, or problems.

Owns mapping a source's columns to canonical names (``[sources.X.columns]``), converting each
column to its schema type (ids, text, categories, whole and decimal numbers with bounds, yes/no
flags, dates and timestamps as naive UTC), refusing blanks where a value is required and values
outside an allowed set, and duplicate keys. Up to five problems per column are reported, each
with its row and file line.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..coerce import is_missing, parse_flag
from ..config import SourceConfig
from .problems import IngestError, Problem
from .readers import read_export
from .schemas import SCHEMAS, UNIQUE_KEYS, Col

SHOWN_PER_COLUMN = 5  # problems reported per column and check: enough to see the pattern


def read_source(src: SourceConfig) -> tuple[pd.DataFrame, set[str]]:
    """Read, map and validate one tabular source.

    Returns canonical, typed columns and the person names found in the source's
    ``known_name_fields`` (e.g. the ticket requester): those are redacted wherever they recur in
    free text and are never stored themselves.
    """
    schema = SCHEMAS[src.kind]
    mapping = {canon: src.columns.get(canon, canon) for canon in schema}
    name_fields = list(src.options.get("known_name_fields", []))
    raw, lines = read_export(src, [*mapping.values(), *name_fields])
    missing = [
        (c, mapping[c]) for c, col in schema.items() if col.required and mapping[c] not in raw
    ]
    if missing:
        found = ", ".join(map(str, raw.columns[:15]))
        raise IngestError([
            Problem(src.path.name, None, raw_name,
                    f"missing column (needed as '{canon}'; map it under "
                    f"[sources.{src.name}.columns] in workspace.toml); found: {found}")
            for canon, raw_name in missing
        ])
    out = pd.DataFrame(index=raw.index)
    problems: list[Problem] = []
    for canon, col in schema.items():
        raw_name = mapping[canon]
        values = (
            raw[raw_name] if raw_name in raw else pd.Series(None, index=raw.index, dtype=object)
        )
        out[canon] = convert_column(values, col, src.path.name, raw_name, lines, problems)
    keys = list(UNIQUE_KEYS[src.kind])
    dup = out.duplicated(keys, keep="first") & out[keys].notna().all(axis=1)
    for idx in list(out.index[dup])[:SHOWN_PER_COLUMN]:
        problems.append(Problem(src.path.name, idx + 1, mapping[keys[0]],
                                f"duplicate key {tuple(out.loc[idx, keys])}",
                                line=lines[idx] if lines else None))
    if problems:
        raise IngestError(problems)
    names = {str(v).strip() for f in name_fields if f in raw for v in raw[f].dropna()}
    return out, {n for n in names if len(n.split()) >= 2}


def convert_column(
    values: pd.Series,
    col: Col,
    file: str,
    column: str,
    lines: list[int] | None,
    problems: list[Problem],
) -> pd.Series:
    """``values`` as the column's type; what does not fit is appended to ``problems`` (and
    becomes missing in the result)."""
    blank = is_missing(values)

    def flag(mask: pd.Series, message: str) -> None:
        for idx in list(values.index[mask])[:SHOWN_PER_COLUMN]:
            problems.append(Problem(file, idx + 1, column, message.format(v=values[idx]),
                                    line=lines[idx] if lines else None))

    if not col.nullable:
        flag(blank, "is blank but a value is required")
    t = col.type
    if t in ("id", "text", "category"):
        return _as_text(values, blank, col, flag)
    if t in ("int", "float"):
        nums = pd.to_numeric(
            values.where(~blank).map(
                lambda v: v.strip().replace(",", "") if isinstance(v, str) else v
            ),
            errors="coerce",
        )
        flag(nums.isna() & ~blank, "'{v}' is not a number")
        if t == "int":
            flag(nums.notna() & (nums != np.floor(nums)), "'{v}' is not a whole number")
        if col.lo is not None:
            flag(nums < col.lo, f"'{{v}}' is below the minimum {col.lo:g}")
        if col.hi is not None:
            flag(nums > col.hi, f"'{{v}}' is above the maximum {col.hi:g}")
        return nums.astype("Int64") if t == "int" else nums.astype("float64")
    if t == "bool":
        flags = values.where(~blank).map(lambda v: None if pd.isna(v) else parse_flag(v))
        flag(flags.isna() & ~blank, "'{v}' is not true/false")
        return flags.astype("boolean")
    if t in ("date", "timestamp"):
        parsed = pd.to_datetime(values.where(~blank), errors="coerce", utc=True, format="mixed")
        flag(
            parsed.isna() & ~blank,
            "'{v}' is not a valid date" if t == "date" else "'{v}' is not a valid date/time",
        )
        naive = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
        return naive.dt.normalize() if t == "date" else naive
    raise ValueError(f"unknown column type {t}")


def _as_text(values: pd.Series, blank: pd.Series, col: Col, flag: Any) -> pd.Series:
    """Ids and categories trimmed (a float id such as 1001.0 written as 1001), text as is;
    categories with ``allowed`` values lower-cased and checked."""

    def cell(v: Any) -> str | None:
        if v is None:
            return None
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v) if col.type == "text" else str(v).strip()

    result = values.where(~blank, None).map(cell)
    if col.allowed:
        result = result.map(lambda v: v.lower() if isinstance(v, str) else v)
        bad = result.notna() & ~result.isin(col.allowed)
        flag(bad, "'{v}' is not one of " + ", ".join(col.allowed))
    return result.astype(object)
