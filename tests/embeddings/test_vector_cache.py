"""The embedding cache: a repeat run embeds nothing it has seen."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from cc_analysis import embeddings

TEXTS = ["The dashboards take forever to load.", "We were charged twice this month.",
         "Love how simple it is to set up a new project!", "SSO login loops after the update"]


class Counting:
    """A backend that records what it was asked to embed."""

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
