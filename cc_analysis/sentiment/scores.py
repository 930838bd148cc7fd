"""One sentiment score per text, and its label.

Owns ``score`` (the shipped polarity model over MiniLM vectors mixed with VADER, in [-1, 1];
0 for missing text), ``label`` (negative / neutral / positive, with the neutral band calibrated
with the model) and keeping scores in the workspace's embedding cache, keyed by the weights
file's hash so new weights mean new scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..embeddings import embed, get_backend
from .polarity import PolarityModel, load_model
from .vader import vader_score


def _has_text(texts: Sequence[str | None]) -> np.ndarray:
    return np.array([isinstance(t, str) and bool(t.strip()) for t in texts], dtype=bool)


def score_embedded(texts: Sequence[str | None], embeddings: np.ndarray,
                   model: PolarityModel | None = None) -> np.ndarray:
    """Scores of texts whose vectors (from the model's backend) are already at hand."""
    model = model or load_model()
    embeddings = np.asarray(embeddings)
    if len(embeddings) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(embeddings)} embeddings")
    out = np.zeros(len(texts), dtype=float)
    has = _has_text(texts)
    if has.any():
        kept = [t for t, h in zip(texts, has, strict=True) if h]
        out[has] = model.combine(model.polarity(embeddings[has]), vader_score(kept))
    return out


class _Scorer:
    """The scorer as an embedding backend (one-number vectors), for the embedding cache."""

    def __init__(self, model: PolarityModel, cache: str | Path):
        self.model, self.cache = model, cache
        self.name = model.name

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        # the sentence vectors are cached too: the topic model and the coders reuse them
        vectors = embed(texts, self.model.backend, cache=self.cache, progress=progress)
        return score_embedded(texts, vectors, self.model)[:, None].astype(np.float32)


def score(texts: Sequence[str | None], cache: str | Path | None = None,
          embeddings: np.ndarray | None = None, backend: str | None = None) -> np.ndarray:
    """Sentiment in [-1, 1] per text (0 for missing text): the shipped polarity model.

    ``embeddings``: the texts' vectors when the caller has them (no second embedding pass);
    with ``backend`` (the spec that made them) they are used only if that backend gives the
    model's vectors, else the texts are embedded again. ``cache`` (the workspace's embedding
    cache file): scores and vectors are kept there, so a quarterly re-run scores only new text.
    """
    model = load_model()
    if embeddings is not None and (
            backend is None or get_backend(backend).name == get_backend(model.backend).name):
        return score_embedded(texts, embeddings, model)
    if cache is not None:
        return embed(texts, _Scorer(model, cache), cache=cache)[:, 0].astype(float)
    return score_embedded(texts, embed(texts, model.backend), model)


def label(scores: np.ndarray | Sequence[float], band: float | None = None) -> pd.Series:
    """``negative`` / ``neutral`` / ``positive`` per score: neutral within +-``band``
    (default: the band calibrated with the shipped model; VADER's own is ``VADER_BAND``)."""
    band = load_model().neutral_band if band is None else band
    s = np.asarray(scores, dtype=float)
    return pd.Series(np.where(s < -band, "negative", np.where(s > band, "positive", "neutral")))
