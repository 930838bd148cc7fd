"""Sentiment of customer text, offline: VADER with a lexicon tuned for software feedback.

Owns one score per text in [-1, 1] (VADER's compound score) and its label (negative below
-0.05, positive above 0.05, else neutral). VADER's general-purpose lexicon misses how customers
complain about software ("slow", "crashes", "loop", "expensive"), so those words are added with
valences on VADER's -4..4 scale. Used by topics (sentiment per theme) and interviews.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .embeddings import embed

# valence on VADER's scale (-4 most negative .. +4 most positive)
DOMAIN_LEXICON = {
    "slow": -1.8, "slower": -1.8, "sluggish": -1.8, "laggy": -1.8, "lag": -1.3, "lags": -1.3,
    "crash": -2.3, "crashes": -2.3, "crashed": -2.3, "crashing": -2.3, "freezes": -2.0,
    "frozen": -1.6, "bug": -1.6, "bugs": -1.6, "buggy": -2.0, "broken": -2.2, "outage": -2.4,
    "downtime": -2.0, "timeout": -1.6, "timeouts": -1.6, "error": -1.4, "errors": -1.4,
    "fails": -1.8, "failing": -1.8, "failed": -1.8, "loop": -1.2, "loops": -1.2,
    "expensive": -1.6, "overpriced": -2.2, "pricey": -1.3, "overcharged": -2.4,
    "confusing": -1.8, "clunky": -1.7, "unusable": -2.8, "spam": -1.5, "noisy": -1.2,
    "unresolved": -1.8, "waiting": -0.9, "nobody": -0.8, "churn": -1.5, "cancel": -1.2,
    "cancelling": -1.4, "missing": -1.0, "lacks": -1.2, "lacking": -1.2, "cumbersome": -1.7,
    "intuitive": 1.9, "seamless": 2.0, "smooth": 1.5, "fast": 1.3, "snappy": 1.6,
    "responsive": 1.4, "reliable": 1.7, "lifesaver": 2.6, "game-changer": 2.4,
}
NEUTRAL_BAND = 0.05


@cache
def _analyzer() -> Any:
    """VADER's analyzer with the domain lexicon (imported on first use)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    analyzer.lexicon.update(DOMAIN_LEXICON)
    return analyzer


def score(texts: Sequence[str | None], cache: str | Path | None = None) -> np.ndarray:
    """Compound sentiment in [-1, 1] per text (0 for missing text). With ``cache`` (the
    workspace's embedding cache file), scores are kept like embeddings, so a quarterly re-run
    scores only new text."""
    if cache is not None:
        return embed(texts, _Scorer(), cache=cache)[:, 0].astype(float)
    analyzer = _analyzer()
    return np.array([analyzer.polarity_scores(t)["compound"] if isinstance(t, str) and t.strip()
                     else 0.0 for t in texts], dtype=float)


class _Scorer:
    """The scorer as an embedding backend (one-number vectors), for the embedding cache."""

    # the lexicon is part of the key: new valences mean new scores
    name = "vader+domain@" + hashlib.sha256(
        json.dumps(DOMAIN_LEXICON, sort_keys=True).encode()).hexdigest()[:12]

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        return score(texts)[:, None].astype(np.float32)


def label(scores: np.ndarray | Sequence[float]) -> pd.Series:
    """``negative`` / ``neutral`` / ``positive`` for compound scores."""
    s = np.asarray(scores, dtype=float)
    return pd.Series(np.where(s < -NEUTRAL_BAND, "negative",
                              np.where(s > NEUTRAL_BAND, "positive", "neutral")))
