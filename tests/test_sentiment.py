"""Sentiment: the software lexicon's valences, and scores kept in the embedding cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cc_analysis import sentiment

TEXTS = ["The dashboards take forever to load.", "We were charged twice this month.",
         "Love how simple it is to set up a new project!", "SSO login loops after the update",
         "Can someone take a look?", "The Salesforce integration keeps dropping records and "
         "nobody from support has followed up on the ticket for a week now."]


def test_sentiment_scores_are_cached_like_embeddings(tmp_path: Path) -> None:
    cache = tmp_path / "embeddings.duckdb"
    plain = sentiment.score(TEXTS + [None])
    cached = sentiment.score(TEXTS + [None], cache=cache)
    assert np.allclose(plain, cached, atol=1e-6)
    assert plain[3] < 0 < plain[2]  # "loops" is negative in the software lexicon
    assert np.allclose(sentiment.score(TEXTS, cache=cache), plain[:-1], atol=1e-6)
