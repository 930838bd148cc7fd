"""The embedding interface every backend implements, and what all backends share.

Owns ``EmbeddingBackend`` (a ``name`` that identifies model *and* weights, the cache key, and
``encode(texts) -> float32 rows``), ``EmbeddingError``, L2 normalisation, where derived model
files live, and the offline switches: nothing is ever downloaded, so the Hugging Face libraries
are told they are offline before any of them is imported.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

# the width of an empty result (MiniLM's): callers stack results without special cases
EMPTY_WIDTH = 384


class EmbeddingError(RuntimeError):
    """A model is missing, or its weights do not match the expected checksum."""


class EmbeddingBackend(Protocol):
    name: str  # cache key: identifies model *and* weights

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray: ...


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length, as float32 (zero rows stay zero)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def empty_vectors() -> np.ndarray:
    return np.zeros((0, EMPTY_WIDTH), dtype=np.float32)


def model_cache_dir() -> Path:
    """Where derived model files (the ONNX export) live: ``$CC_ANALYSIS_MODEL_CACHE`` or
    ``~/.cache/cc-analysis``."""
    return Path(os.environ.get("CC_ANALYSIS_MODEL_CACHE",
                               Path.home() / ".cache" / "cc-analysis")).expanduser()
