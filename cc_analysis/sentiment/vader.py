"""Plain VADER: the baseline the polarity model is measured against, and one of its inputs.

Owns ``vader_score``, VADER's compound score in [-1, 1] with the library's own lexicon and rules
and nothing added, and ``VADER_BAND``, the neutral band VADER's authors recommend (+-0.05).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np

# Hutto & Gilbert (2014): compound >= 0.05 positive, <= -0.05 negative, else neutral
VADER_BAND = 0.05


@cache
def _analyzer() -> Any:
    """VADER's analyzer, as shipped (imported on first use)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def vader_score(texts: Sequence[str | None]) -> np.ndarray:
    """VADER's compound score per text in [-1, 1] (0 for missing or blank text)."""
    analyzer = _analyzer()
    return np.array([analyzer.polarity_scores(t)["compound"] if isinstance(t, str) and t.strip()
                     else 0.0 for t in texts], dtype=float)
