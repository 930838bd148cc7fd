"""The ``st:PATH`` backend: any sentence-transformers model already on disk.

Owns loading a local sentence-transformers folder (never from a hub), on the CPU, truncated at
128 word pieces, and encoding with it, on ONNX Runtime when the model is a verified one (an
``onnx_key`` names its exported graph), else PyTorch. PyTorch is also the fallback when ONNX
Runtime fails, and ``CC_ANALYSIS_ONNX=0`` forces it: both give the same vectors. With the
graph exported (``prepare``; ``make setup`` does it), ONNX runs without loading PyTorch.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ._base import EmbeddingError, empty_vectors, model_cache_dir, normalise
from .onnx_runtime import OnnxEncoder, mean_pooled


class SentenceTransformerBackend:
    """A sentence-transformers model loaded from a local folder (never from a hub)."""

    def __init__(self, path: str | Path, name: str | None = None, batch_size: int = 64,
                 max_seq_length: int = 128, onnx_key: str | None = None):
        path = Path(path)
        if not path.exists():
            raise EmbeddingError(f"{path}: no such model folder (models are never downloaded)")
        self.path, self.batch_size, self.max_seq_length = path, batch_size, max_seq_length
        self.name = name or f"st:{path.name}"
        self._model: Any = None
        # a verified model may run on ONNX Runtime: same vectors (cosine > 0.999999), ~1.35x
        # faster on a CPU; the key names the exported file (the weights' checksum)
        self.onnx_key = onnx_key
        self._onnx: OnnxEncoder | None | bool = None

    @property
    def model(self) -> Any:
        """The ``SentenceTransformer``, loaded on first use (its import is slow)."""
        if self._model is None:
            self._model = self.load_model()
        return self._model

    def load_model(self) -> Any:
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(max(1, os.cpu_count() or 1))
        model = SentenceTransformer(str(self.path), device="cpu")
        # feedback is short; truncating at 128 word pieces keeps long tickets affordable
        model.max_seq_length = min(model.max_seq_length, self.max_seq_length)
        return model

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        if not len(texts):
            return empty_vectors()
        onnx = self._onnx_encoder()
        if onnx is not None:
            return normalise(onnx.encode(list(texts), progress=progress))
        vectors = self.model.encode(list(texts), batch_size=self.batch_size,
                                    show_progress_bar=progress, convert_to_numpy=True)
        return normalise(vectors)

    def prepare(self) -> None:
        """Pay the one-off costs now: export the ONNX graph if it is not there yet."""
        self._onnx_encoder()

    def _onnx_encoder(self) -> OnnxEncoder | None:
        if self._onnx is None:
            self._onnx = False
            if self.onnx_key and os.environ.get("CC_ANALYSIS_ONNX", "1") != "0":
                graph = model_cache_dir() / f"{self.onnx_key}.onnx"
                try:
                    if graph.is_file() and mean_pooled(self.path):
                        self._onnx = OnnxEncoder.from_folder(graph, self.path,
                                                             self.max_seq_length)
                    else:
                        self._onnx = OnnxEncoder.for_model(self.model, self.onnx_key,
                                                           self.max_seq_length)
                except Exception as exc:  # any failure: PyTorch computes the same vectors
                    warnings.warn(f"ONNX Runtime unavailable ({exc}); embedding with PyTorch",
                                  stacklevel=2)
        return self._onnx or None
