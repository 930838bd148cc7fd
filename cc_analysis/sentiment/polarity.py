"""The polarity model: learned weights over sentence embeddings, and how they are stored.

Owns ``PolarityModel`` (a three-class logistic regression over MiniLM sentence vectors, plus the
share VADER keeps in the final score and the neutral band, all calibrated together) and the one
file that holds it, ``resources/polarity_weights.npz``: the weights (3 x 384 coefficients and 3
intercepts), three calibrated numbers and a JSON provenance record (dataset, rows, seed, date,
held-out figures, the script that made it). The file is written by
``benchmarks/train_sentiment.py`` from real human ratings (the Women's E-Commerce Clothing
Reviews, CC0); it is a derived model, not a copy of the data.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

CLASSES = ("negative", "neutral", "positive")
WEIGHTS_FILE = "polarity_weights.npz"


@dataclass(frozen=True)
class PolarityModel:
    """Softmax over ``coef @ embedding + intercept`` for (negative, neutral, positive).

    ``polarity`` is P(positive) - P(negative), in [-1, 1]; the shipped score mixes it with
    VADER's compound, ``(1 - vader_weight) * polarity + vader_weight * vader``, and moves the
    mix by ``neutral_point`` (where 3-star text sits) so that 0 means no lean either way,
    clipped to [-1, 1]. A score whose magnitude is at most ``neutral_band`` is neutral.
    """

    coef: np.ndarray  # (3, dim), rows in CLASSES order
    intercept: np.ndarray  # (3,)
    vader_weight: float
    neutral_point: float
    neutral_band: float
    backend: str = "minilm"
    provenance: dict[str, Any] = field(default_factory=dict)
    sha256: str = ""

    @property
    def name(self) -> str:
        """The cache key of its scores: new weights (a new file hash) mean new scores."""
        return f"polarity-{self.backend}-lr+vader@{self.sha256[:12]}"

    def probabilities(self, embeddings: np.ndarray) -> np.ndarray:
        """P(negative), P(neutral), P(positive) per row of ``embeddings``."""
        z = np.asarray(embeddings, dtype=np.float64) @ self.coef.T + self.intercept
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)

    def polarity(self, embeddings: np.ndarray) -> np.ndarray:
        """P(positive) - P(negative) per row, in [-1, 1]."""
        p = self.probabilities(embeddings)
        return p[:, 2] - p[:, 0]

    def combine(self, polarity: np.ndarray, vader: np.ndarray) -> np.ndarray:
        """The shipped score from the model's polarity and VADER's compound."""
        mix = ((1.0 - self.vader_weight) * np.asarray(polarity, float)
               + self.vader_weight * np.asarray(vader, float))
        return np.clip(mix - self.neutral_point, -1.0, 1.0)


def save_model(path: str | Path, coef: np.ndarray, intercept: np.ndarray, *,
               vader_weight: float, neutral_point: float, neutral_band: float, backend: str,
               provenance: dict[str, Any]) -> None:
    """Write the weights file (float32 weights, so the file stays small)."""
    coef, intercept = np.asarray(coef, np.float32), np.asarray(intercept, np.float32)
    if coef.shape[0] != len(CLASSES) or intercept.shape != (len(CLASSES),):
        raise ValueError(f"expected {len(CLASSES)} classes, got {coef.shape}, {intercept.shape}")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, coef=coef, intercept=intercept, classes=np.array(CLASSES),
             vader_weight=np.float64(vader_weight), neutral_point=np.float64(neutral_point),
             neutral_band=np.float64(neutral_band),
             backend=np.array(backend),
             provenance=np.array(json.dumps(provenance, indent=1, sort_keys=True)))


def read_model(data: bytes) -> PolarityModel:
    """A model from the bytes of a weights file."""
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        if tuple(z["classes"].tolist()) != CLASSES:
            raise ValueError(f"weights file classes {z['classes'].tolist()} are not {CLASSES}")
        return PolarityModel(coef=z["coef"].astype(np.float64),
                             intercept=z["intercept"].astype(np.float64),
                             vader_weight=float(z["vader_weight"]),
                             neutral_point=float(z["neutral_point"]),
                             neutral_band=float(z["neutral_band"]), backend=str(z["backend"]),
                             provenance=json.loads(str(z["provenance"])),
                             sha256=hashlib.sha256(data).hexdigest())


@cache
def load_model(path: str | Path | None = None) -> PolarityModel:
    """The shipped model (``resources/polarity_weights.npz``), or the one in ``path``."""
    if path is not None:
        return read_model(Path(path).read_bytes())
    return read_model(resources.files(__package__).joinpath("resources", WEIGHTS_FILE)
                      .read_bytes())
