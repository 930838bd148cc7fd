"""Sentence embeddings behind one small interface, with pluggable backends and a cache.

Owns turning texts into L2-normalised float32 vectors, BERTopic-style: the interface is in
``_base`` (``EmbeddingBackend``: a ``name`` that is the cache key, and ``encode``), each backend
in a file of its own, and ``get_backend(spec)`` resolves a spec:

- ``minilm`` (default): all-MiniLM-L6-v2 from the offline package, weights' sha256 checked,
  run by ONNX Runtime (``onnx_runtime``; the graph exported once into ``model_cache_dir()``);
  ``minilm-pytorch`` gives the same vectors without it (``minilm``);
- ``minilm-int8``: quantised, faster, not reproducible across batches (``int8``);
- ``st:<name-or-path>``: any sentence-transformers model already on disk
  (``sentence_transformer``);
- ``lsa`` / ``lsa-<dim>``: TF-IDF + truncated SVD fitted on the corpus (``lsa``).

``embed`` reuses vectors from the DuckDB ``EmbeddingCache`` (keyed by model and the text's
sha256), so a quarterly re-run embeds only the text it has not seen. Nothing is ever
downloaded: ``HF_HUB_OFFLINE`` is set.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from ._base import EmbeddingBackend, EmbeddingError, empty_vectors, model_cache_dir, normalise
from .int8 import Int8SentenceTransformerBackend
from .lsa import DEFAULT_DIM, LsaBackend
from .minilm import MINILM_SHA256, MINILM_SPECS, minilm_backend, minilm_path
from .onnx_runtime import OnnxEncoder
from .sentence_transformer import SentenceTransformerBackend
from .vector_cache import EmbeddingCache, text_hash

DEFAULT_BACKEND = "minilm"

__all__ = [
    "DEFAULT_BACKEND",
    "MINILM_SHA256",
    "EmbeddingBackend",
    "EmbeddingCache",
    "EmbeddingError",
    "Int8SentenceTransformerBackend",
    "LsaBackend",
    "OnnxEncoder",
    "SentenceTransformerBackend",
    "embed",
    "get_backend",
    "minilm_path",
    "model_cache_dir",
    "normalise",
    "prepare",
    "text_hash",
]


@cache
def get_backend(spec: str = DEFAULT_BACKEND) -> EmbeddingBackend:
    """Resolve a backend spec: ``minilm``, ``minilm-pytorch``, ``minilm-int8``, ``st:<path>``
    or ``lsa`` / ``lsa-<dim>``.

    Cached per spec, so a model is loaded once per process however often it is asked for.
    """
    if spec in MINILM_SPECS:
        return minilm_backend(spec)
    if spec.startswith("st:"):
        return SentenceTransformerBackend(Path(spec[3:]).expanduser())
    if spec == "lsa" or spec.startswith("lsa-"):
        return LsaBackend(int(spec.split("-")[1]) if "-" in spec else DEFAULT_DIM)
    raise EmbeddingError(f"unknown embedding backend {spec!r} "
                         "(minilm, minilm-pytorch, minilm-int8, st:PATH, lsa)")


def prepare(spec: str = DEFAULT_BACKEND) -> None:
    """Pay a backend's one-off costs (MiniLM: export its ONNX graph), so that no analysis
    run pays them; ``make setup`` calls it."""
    backend = get_backend(spec)
    if hasattr(backend, "prepare"):
        backend.prepare()


def embed(texts: Sequence[str], backend: EmbeddingBackend | str = DEFAULT_BACKEND,
          cache: EmbeddingCache | str | Path | None = None, progress: bool = False) -> np.ndarray:
    """Embed texts, reusing cached vectors and caching the new ones.

    Corpus-fitted backends (``lsa``) are never cached: their vectors change with the corpus.
    """
    backend = get_backend(backend) if isinstance(backend, str) else backend
    texts = [t if isinstance(t, str) else "" for t in texts]
    if cache is None or isinstance(backend, LsaBackend):
        return backend.encode(texts, progress=progress)
    cache = cache if isinstance(cache, EmbeddingCache) else EmbeddingCache(cache)
    hashes = [text_hash(t) for t in texts]
    found = cache.get(backend.name, hashes)
    missing = list(dict.fromkeys(h for h in hashes if h not in found))
    if missing:
        by_hash = dict(zip(hashes, texts, strict=True))
        new_texts = [by_hash[h] for h in missing]
        vectors = backend.encode(new_texts, progress=progress)
        cache.put(backend.name, missing, vectors)
        found.update(zip(missing, vectors, strict=True))
    if not texts:
        return empty_vectors()
    return np.vstack([found[h] for h in hashes])
