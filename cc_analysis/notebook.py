"""What every notebook starts with: the run's workspace, store, quarter and output folder.

``setup(quarter, workspace, output_dir, seed)`` turns a notebook's parameters cell into one
object, applies the house chart style and seeds the random generators, so the four notebooks
begin identically and an analysis never depends on which notebook ran before it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import plots
from .config import Workspace, load_workspace
from .outputs import RunOutputs
from .periods import Quarter, quarter_range
from .store import Store

TREND_QUARTERS = 8


@dataclass(frozen=True)
class NotebookContext:
    ws: Workspace
    store: Store
    quarter: Quarter
    quarters: list[str]  # the last eight quarter labels, oldest first, ending at ``quarter``
    out: RunOutputs
    seed: int

    @property
    def q(self) -> Quarter:
        return self.quarter


def setup(
    quarter: str, workspace: str | Path, output_dir: str | Path, seed: int
) -> NotebookContext:
    """Resolve a notebook's parameters; style charts; seed ``random`` and NumPy."""
    plots.use_style()
    random.seed(seed)
    np.random.seed(seed)
    ws = load_workspace(workspace)
    q = Quarter.parse(quarter, ws.fy_start_month)
    labels = [x.label for x in quarter_range(q - (TREND_QUARTERS - 1), q)]
    return NotebookContext(ws, Store(ws.store_path), q, labels, RunOutputs(output_dir), seed)
