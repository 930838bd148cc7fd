"""The workspace store: one DuckDB file holding the redacted, validated tables.

Owns opening the database, reading tables and writing a complete new store atomically: a new
store is built in a temporary file beside the old one and moved over it only once it is complete,
so a failed or interrupted ingest leaves the previous database intact. Analyses read through
``Store``; nothing else opens the DuckDB file. It also owns the one id format of the
``feedback`` table (``doc_id``: ``<source>:<source id>``, e.g. ``ticket:100231``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd


def feedback_doc_id(source: str | pd.Series, source_id: Any) -> Any:
    """The ``feedback`` table's document id: ``<source>:<id in the source>`` (``nps:812``,
    ``ticket:100231``, ``review:R-77``). Takes scalars or aligned Series."""
    if isinstance(source_id, pd.Series):
        return source + ":" + source_id.astype(str)
    if isinstance(source, pd.Series):
        return source + f":{source_id}"
    return f"{source}:{source_id}"


class StoreError(RuntimeError):
    """The store is missing or lacks a table an analysis needs."""


class Store:
    """Read access to a workspace's DuckDB store."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def exists(self) -> bool:
        return self.path.is_file()

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        if not self.exists():
            raise StoreError(
                f"{self.path}: no store yet; run `cc-analysis ingest` for this workspace first"
            )
        con = duckdb.connect(str(self.path), read_only=True)
        try:
            yield con
        finally:
            con.close()

    def tables(self) -> list[str]:
        with self.connect() as con:
            return sorted(r[0] for r in con.execute("SHOW TABLES").fetchall())

    def table(self, name: str) -> pd.DataFrame:
        """A whole table as a DataFrame."""
        if name not in self.tables():
            raise StoreError(f"{self.path}: the store has no table '{name}'")
        with self.connect() as con:
            return con.execute(f'SELECT * FROM "{name}"').df()

    def frames(self, *names: str) -> dict[str, pd.DataFrame]:
        """Several tables at once, keyed by name; tables the store lacks are left out."""
        present = set(self.tables())
        with self.connect() as con:
            return {n: con.execute(f'SELECT * FROM "{n}"').df() for n in names if n in present}

    def query(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        with self.connect() as con:
            return con.execute(sql, params or []).df()

    def data_end(self) -> pd.Timestamp:
        """The last day the data covers: the latest feedback, ticket, usage month or churn."""
        parts = []
        tables = set(self.tables())
        if "feedback" in tables:
            parts.append("SELECT max(created_at)::DATE AS d FROM feedback")
        if "usage_monthly" in tables:
            parts.append(
                "SELECT (max(month) + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE AS d "
                "FROM usage_monthly"
            )
        if "accounts" in tables:
            parts.append(
                "SELECT max(greatest(start_date, coalesce(end_date, start_date)))::DATE "
                "AS d FROM accounts"
            )
        if not parts:
            raise StoreError(f"{self.path}: no dated tables to tell the data's last day")
        end = self.query(f"SELECT max(d) AS d FROM ({' UNION ALL '.join(parts)})")["d"].iloc[0]
        return pd.Timestamp(end)

    def latest_ingest(self) -> dict[str, Any]:
        """The most recent ingest run (sources, row counts, data hashes)."""
        row = self.query("SELECT * FROM ingest_runs ORDER BY finished_at DESC LIMIT 1")
        if row.empty:
            raise StoreError(f"{self.path}: no ingest run recorded")
        rec = row.iloc[0].to_dict()
        for key in ("sources", "data_hashes", "row_counts"):
            rec[key] = json.loads(rec[key])
        return rec


def write_store_atomically(
    path: Path, tables: Mapping[str, pd.DataFrame], meta: Mapping[str, Any]
) -> None:
    """Write every table into a fresh DuckDB file, then move it over ``path`` in one step."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.building-{os.getpid()}")
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        leftover.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(tmp))
        try:
            for name, frame in tables.items():
                con.register("_frame", frame)
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _frame')
                con.unregister("_frame")
            runs = pd.DataFrame(
                [
                    {
                        k: (json.dumps(v, sort_keys=True) if isinstance(v, dict | list) else v)
                        for k, v in meta.items()
                    }
                ]
            )
            con.register("_frame", runs)
            con.execute("CREATE TABLE ingest_runs AS SELECT * FROM _frame")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, path)
        path.with_name(path.name + ".wal").unlink(missing_ok=True)
    finally:
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
