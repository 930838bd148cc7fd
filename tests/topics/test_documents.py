"""fit_documents: the same input and seed give the same topics."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cc_analysis import topics
from cc_analysis.store import Store


def test_same_seed_same_topics(sample_workspace: Path, sample_cache: Path) -> None:
    fb = Store(sample_workspace / "workspace.duckdb").table("feedback")
    texts = fb[fb["quarter"] == "2026Q3"]["text"].head(800).tolist()
    a = topics.fit_documents(texts, cache=sample_cache, seed=7)
    b = topics.fit_documents(texts, cache=sample_cache, seed=7)
    assert np.array_equal(a.model.doc_topics_, b.model.doc_topics_)
    assert a.model.summary()["label"].tolist() == b.model.summary()["label"].tolist()
