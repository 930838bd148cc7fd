"""The ONNX Runtime engine for sentence-transformers models, and its one-time export.

Owns running a BERT-style, mean-pooled sentence-transformers model with ONNX Runtime: the same
vectors as PyTorch (cosine > 0.999999), about 1.35x faster on a CPU. The graph is exported
from the loaded (verified) PyTorch model once, into ``model_cache_dir()``, and reused.

Once the graph exists, ``OnnxEncoder.from_folder`` runs it with the model folder's own fast
tokenizer (``tokenizer.json``, read by ``tokenizers``) and never imports PyTorch,
transformers or sentence-transformers: loading those took about 11 s of a cold run, longer
than embedding a thousand sentences.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from ._base import EmbeddingError, model_cache_dir


class OnnxEncoder:
    """A BERT-style sentence-transformers model (mean pooling) run by ONNX Runtime.

    Texts are batched by length like sentence-transformers. Unlike int8 quantisation, a text's
    vector does not depend on the other texts in its batch.
    """

    def __init__(self, graph: Path, tokenizer: Any, max_seq_length: int,
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
    def for_model(cls, model: Any, key: str, max_seq_length: int) -> OnnxEncoder:
        """The encoder of a loaded sentence-transformers model; ``key`` names the exported
        file (the weights' checksum), which is written on first use."""
        modules = [type(m).__name__ for m in model]
        pooling = model[1].get_config_dict().get("pooling_mode") if len(modules) > 1 else ""
        if modules[:2] != ["Transformer", "Pooling"] or pooling != "mean":
            raise EmbeddingError(f"only mean-pooled transformers export ({modules}, {pooling})")
        graph = model_cache_dir() / f"{key}.onnx"
        if not graph.is_file():
            export_onnx(model, graph)
        return cls(graph, model.tokenizer, max_seq_length)

    @classmethod
    def from_folder(cls, graph: Path, folder: Path, max_seq_length: int) -> OnnxEncoder:
        """The encoder of an exported ``graph``, tokenising with ``folder``'s
        ``tokenizer.json`` (no PyTorch). ``folder`` must hold a mean-pooled model
        (``mean_pooled``)."""
        if not mean_pooled(folder):
            raise EmbeddingError(f"{folder}: not a mean-pooled transformer")
        config = folder / "sentence_bert_config.json"
        if config.is_file():  # sentence-transformers never exceeds the model's own limit
            limit = json.loads(config.read_text()).get("max_seq_length") or max_seq_length
            max_seq_length = min(max_seq_length, int(limit))
        return cls(graph, FastTokenizer(folder / "tokenizer.json", max_seq_length),
                   max_seq_length)

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Mean-pooled vectors (not normalised), in the order of ``texts``."""
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


class FastTokenizer:
    """A model folder's ``tokenizer.json`` called as transformers' fast tokenizer is called
    here (``padding=True, truncation=True, max_length=..., return_tensors="np"``): the same
    word pieces, padded to the longest text of the batch, cut at ``max_length``."""

    def __init__(self, path: Path, max_length: int):
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(path))
        self.tokenizer.enable_truncation(max_length=max_length)
        pad = self.tokenizer.padding or {}
        self.tokenizer.enable_padding(pad_id=pad.get("pad_id", 0),
                                      pad_type_id=pad.get("pad_type_id", 0),
                                      pad_token=pad.get("pad_token", "[PAD]"))

    def __call__(self, texts: list[str], **_: Any) -> dict[str, np.ndarray]:
        encodings = self.tokenizer.encode_batch(texts)
        return {"input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encodings],
                                           dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64)}


def mean_pooled(folder: Path) -> bool:
    """Whether a sentence-transformers folder is a transformer then mean pooling (then,
    optionally, normalisation): what ``export_onnx`` writes, read from its config files."""
    try:
        modules = json.loads((folder / "modules.json").read_text())
        kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
        pooling = json.loads((folder / modules[1]["path"] / "config.json").read_text())
    except (OSError, ValueError, KeyError, IndexError):
        return False
    return (kinds[:2] == ["Transformer", "Pooling"] and set(kinds[2:]) <= {"Normalize"}
            and pooling.get("pooling_mode_mean_tokens") is True
            and not any(v is True for k, v in pooling.items()
                        if k.startswith("pooling_mode") and k != "pooling_mode_mean_tokens")
            and (folder / "tokenizer.json").is_file())


def export_onnx(model: Any, graph: Path) -> None:
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

        def forward(self, input_ids, attention_mask, token_type_ids):
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
