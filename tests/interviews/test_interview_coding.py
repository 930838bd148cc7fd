"""Coding: the catch-all rule of inductive themes (the codebook loader: tests/test_codebook.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

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


def test_first_pass_snippets_become_an_example_of_their_code() -> None:
    # two codes on the unit circle; three snippets close to code 0 and a paraphrase (x) that
    # is far from code 0's wording but close to what the three snippets said
    angle = np.deg2rad([0.0, 40.0, 45.0, 50.0, 75.0])
    vectors = np.stack([np.cos(angle), np.sin(angle)], axis=1).astype(np.float32)
    code_vecs = np.array([[np.cos(np.deg2rad(30)), np.sin(np.deg2rad(30))], [-1.0, 0.0]],
                         dtype=np.float32)
    sims = vectors @ code_vecs.T
    out = iv.expand_examples(sims, vectors, threshold=0.95)
    # at 0.95 only the snippets at 40 and 45 degrees take code 0 (cos 10 and 15 degrees):
    # fewer than three, so nothing is learned
    np.testing.assert_allclose(out, sims)
    out = iv.expand_examples(sims, vectors, threshold=0.9)
    # at 0.9 the snippets at 40, 45 and 50 degrees take it; their mean points at 45 degrees,
    # so the paraphrase at 75 degrees now scores cos 30 (0.87) instead of cos 45 (0.71)
    assert out[4, 0] == pytest.approx(np.cos(np.deg2rad(30)), abs=1e-5)
    assert sims[4, 0] == pytest.approx(np.cos(np.deg2rad(45)), abs=1e-5)
    np.testing.assert_allclose(out[:, 1], sims[:, 1])  # code 1 took nothing
    assert (out >= sims - 1e-6).all()  # an extra example only ever adds
