"""Sentiment of customer text, offline: a polarity model learned from real human ratings.

Owns one score per text in [-1, 1] and its label, for sentiment per theme (topics) and per
snippet (interviews). No word list of ours: the score is a three-class logistic regression on
the MiniLM sentence vectors the topic model already computes (``polarity``; weights learned
from 18,112 star-rated clothing reviews and their titles by ``benchmarks/train_sentiment.py``,
shipped in ``resources/polarity_weights.npz``), mixed half and half with VADER's compound
score (the library's own lexicon, nothing added); where 3-star text sits (the neutral point)
and the neutral band were calibrated on held-out reviews. Plain VADER stays available as the
baseline (``vader_score``). Scores are cached beside the embeddings, keyed by the weights
file's hash.

Files: ``vader`` (the baseline), ``polarity`` (the model and its file), ``scores`` (``score``,
``label``, the cache). Scoring the clause around an aspect term instead of the whole sentence
was measured and did not help (``benchmarks/sentiment_bench.py``), so it is not offered.
"""

from __future__ import annotations

from .polarity import CLASSES, WEIGHTS_FILE, PolarityModel, load_model, read_model, save_model
from .scores import label, score, score_embedded
from .vader import VADER_BAND, vader_score

__all__ = [
    "CLASSES",
    "VADER_BAND",
    "WEIGHTS_FILE",
    "PolarityModel",
    "label",
    "load_model",
    "read_model",
    "save_model",
    "score",
    "score_embedded",
    "vader_score",
]
