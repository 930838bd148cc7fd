"""Coding: the catch-all rule of inductive themes (the codebook loader: tests/test_codebook.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cc_analysis import interviews as iv
from cc_analysis.interviews import coding


class _FakeTopicModel:
    """The topics.TopicModel contract, lumping everything into one topic unless given a
    cluster model (like a density-based model on interviews about one subject)."""

    def __init__(self, seed: int = 42, min_topic_size: int | None = None,
                 cluster_model: object = None) -> None:
        self.cluster_model = cluster_model

    def fit(self, texts: list[str], embeddings: object) -> _FakeTopicModel:
        n = len(texts)
        if self.cluster_model is None:
            self.doc_topics_ = np.zeros(n, dtype=int)
        else:
            self.doc_topics_ = np.asarray(self.cluster_model.fit(embeddings).labels_)
        ids = sorted(set(self.doc_topics_.tolist()))
        self._summary = pd.DataFrame({
            "topic_id": ids, "label": [f"Topic {i}" for i in ids],
            "size": [int((self.doc_topics_ == i).sum()) for i in ids],
            "share": [float((self.doc_topics_ == i).mean()) for i in ids],
            "keywords": [["word"] for _ in ids], "representative_docs": [[0] for _ in ids]})
        return self

    def summary(self) -> pd.DataFrame:
        return self._summary


def test_catch_all_topic_is_partitioned(monkeypatch) -> None:
    monkeypatch.setattr(coding, "TopicModel", _FakeTopicModel)
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(4000, 16)).astype(np.float32)
    texts = [f"text {i}" for i in range(4000)]
    who = [f"P{i % 90:02d}" for i in range(4000)]
    summary, topics = iv.discover_themes(texts, vectors, who)
    assert len(summary) == 8 and (topics >= 0).all()  # 4000 / 500 themes, at least 8
    assert "catch-all" in summary.attrs["note"]
