"""A run's output folder: how notebooks hand results to each other and to the report.

Notebooks never share hidden state. Each writes the tables it produces as CSV under
``<output_dir>/tables/`` and small structured results as JSON under ``<output_dir>/results/``;
the quarterly-insights notebook (04) and the report index read them back from there.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd


class MissingResult(FileNotFoundError):
    """A notebook asked for a result an earlier notebook did not write."""


def json_safe(value: Any) -> Any:
    """JSON-safe: NaN becomes null, numpy and pandas scalars become Python ones."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


class RunOutputs:
    """Read and write one run's tables (CSV) and results (JSON)."""

    def __init__(self, output_dir: str | Path):
        self.root = Path(output_dir)
        self.tables_dir = self.root / "tables"
        self.results_dir = self.root / "results"

    def save_table(self, name: str, frame: pd.DataFrame, index: bool = False) -> Path:
        self.tables_dir.mkdir(parents=True, exist_ok=True)
        path = self.tables_dir / f"{name}.csv"
        frame.to_csv(path, index=index)
        return path

    def load_table(self, name: str) -> pd.DataFrame:
        path = self.tables_dir / f"{name}.csv"
        if not path.is_file():
            raise MissingResult(f"{path}: not written by an earlier notebook of this run")
        return pd.read_csv(path)

    def save_json(self, name: str, data: Any) -> Path:
        self.results_dir.mkdir(parents=True, exist_ok=True)
        path = self.results_dir / f"{name}.json"
        path.write_text(json.dumps(json_safe(data), indent=2, sort_keys=True), encoding="utf-8")
        return path

    def load_json(self, name: str) -> Any:
        path = self.results_dir / f"{name}.json"
        if not path.is_file():
            raise MissingResult(f"{path}: not written by an earlier notebook of this run")
        return json.loads(path.read_text(encoding="utf-8"))

    def has(self, name: str) -> bool:
        return (self.tables_dir / f"{name}.csv").is_file() or (
            self.results_dir / f"{name}.json"
        ).is_file()
