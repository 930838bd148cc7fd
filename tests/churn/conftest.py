"""Churn fixtures on the seeded sample workspace, built once per session: the store's frames,
the planted truth, the planted document themes and the full ``churn.analyze`` result.

Tolerances used across the churn tests (stated once):
- planted hazard ratios: the estimate is within a factor ``HR_FACTOR`` = 1.35 of the planted
  value and the 95% CI contains it; the CI excludes 1 for every planted driver except "2+
  unresolved tickets", which at 2,000 accounts has only 18 churns in exposed months (HR > 1 is
  required, the CI cannot exclude 1; at 200,000 accounts the benchmark recovers 1.83, CI
  1.73-1.93).
- voice to churn: the planted pricing_value theme is significant after Benjamini-Hochberg
  (q < 0.05) with CI above 1; none of the 12 non-planted themes is significant after BH, each
  has HR < 1.5 and a CI reaching down to 1.1 or below (one of twelve nulls may cross 1 at the
  unadjusted 95% level by chance; that is what the BH step is for).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from cc_analysis import churn
from cc_analysis.store import Store


@pytest.fixture(scope="session")
def truth(sample_workspace: Path) -> dict:
    return json.loads((sample_workspace / "raw" / "_truth.json").read_text())


@pytest.fixture(scope="session")
def frames(sample_workspace: Path) -> dict[str, pd.DataFrame]:
    store = Store(sample_workspace / "workspace.duckdb")
    return store.frames("accounts", "usage_monthly", "tickets", "nps_responses", "feedback")


@pytest.fixture(scope="session")
def planted_docs(sample_workspace: Path) -> pd.DataFrame:
    """The generator's planted themes, one row per (document, theme): source, source_id."""
    docs = pd.read_csv(sample_workspace / "raw" / "_truth_documents.csv", dtype=str,
                       keep_default_na=False)
    docs = docs.assign(theme=docs["themes"].str.split(";")).explode("theme")
    return docs[docs["theme"] != ""]


@pytest.fixture(scope="session")
def doc_themes(planted_docs: pd.DataFrame, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Planted theme labels per document joined to the store's feedback (source + source_id)."""
    return churn.account_themes(planted_docs[["source", "source_id", "theme"]],
                                frames["feedback"])


@pytest.fixture(scope="session")
def labels(truth: dict) -> dict[str, str]:
    return {t["id"]: t["label"] for t in truth["themes"]}


@pytest.fixture(scope="session")
def analysis(frames, doc_themes, labels) -> churn.ChurnAnalysis:
    return churn.analyze(frames["accounts"], frames["usage_monthly"], frames["tickets"],
                         frames["nps_responses"], doc_themes, theme_labels=labels, seed=42)
