"""Coding: today's interview codebook format through the shared loader, and the catch-all rule."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cc_analysis import codebook
from cc_analysis import interviews as iv
from cc_analysis.interviews import coding

CODEBOOK = Path(__file__).resolve().parents[2] / "data" / "codebook_interviews.yaml"


def test_codebook_yaml_csv_and_errors(tmp_path: Path) -> None:
    # interviews code with the one shared Codebook (cc_analysis.codebook), re-exported
    assert (iv.Codebook, iv.CodebookError, iv.load_codebook) == (
        codebook.Codebook, codebook.CodebookError, codebook.load_codebook)
    book = iv.load_codebook(CODEBOOK)
    assert book.version == "2026.1" and len(book.sha256) == 64
    assert book.version_tag.startswith("2026.1 (sha256 ")
    assert "reporting_needs" in book.ids and all(c.definition and c.examples for c in book.codes)
    csv = tmp_path / "book.csv"
    csv.write_text("code,label,definition,examples,keywords,version\n"
                   "speed,Speed,Slow pages,Pages load slowly|Search lags,slow|lag,v3\n"
                   "price,Price,Costs too much,Too expensive,,\n")
    small = iv.load_codebook(csv)
    assert small.version == "v3" and small.codes[0].examples == ("Pages load slowly",
                                                                 "Search lags")
    csv.write_text("code,label,definition,version\nspeed,Speed,Slow pages,1\nspeed,Fast,x,\n")
    with pytest.raises(iv.CodebookError, match=r"duplicate code"):
        iv.load_codebook(csv)
    bad = tmp_path / "book.yaml"
    bad.write_text("version: 1\ncodes:\n  - code: speed\n    label: Speed\n")
    with pytest.raises(iv.CodebookError, match=r"book\.yaml: codes\[0\]: missing definition"):
        iv.load_codebook(bad)
    bad.write_text("codes:\n  - {code: a, label: A, definition: d}\n")
    with pytest.raises(iv.CodebookError, match="no 'version'"):
        iv.load_codebook(bad)
    bad.write_text("version: 1\ncodes: [\n")
    with pytest.raises(iv.CodebookError, match=r"line \d+: not valid YAML"):
        iv.load_codebook(bad)



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
