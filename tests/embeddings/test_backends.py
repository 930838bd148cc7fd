"""Backend specs: each resolves to its backend, and an unknown one is named."""

from __future__ import annotations

import numpy as np
import pytest

from cc_analysis import embeddings


def test_unknown_backend_is_named() -> None:
    with pytest.raises(embeddings.EmbeddingError, match="unknown embedding backend"):
        embeddings.get_backend("bogus")


def test_lsa_vectors_are_unit_rows_fitted_on_the_corpus() -> None:
    backend = embeddings.get_backend("lsa-8")
    assert isinstance(backend, embeddings.LsaBackend) and backend.name == "lsa-8"
    texts = [f"invoice charged twice {i}" for i in range(10)] + \
        [f"dashboard loads slowly {i}" for i in range(10)]
    vectors = embeddings.embed(texts, backend)
    assert vectors.shape == (20, 8)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # the two kinds of text point different ways
    assert vectors[0] @ vectors[1] > 0.9 > vectors[0] @ vectors[10]


def test_int8_minilm_has_its_own_cache_key() -> None:
    # quantised vectors differ from the float model's: they must never share cache entries
    int8, onnx = embeddings.get_backend("minilm-int8"), embeddings.get_backend("minilm")
    assert isinstance(int8, embeddings.Int8SentenceTransformerBackend)
    assert int8.name == onnx.name + ":int8" and int8.onnx_key is None
