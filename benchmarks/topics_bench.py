"""Topic modelling benchmark: BERTopic's default pipeline against ours, in one process.

On Banking77 (10,003 labelled support queries, 77 intents) it prints, for both pipelines:
wall time (cold: embeddings computed; warm: embeddings from the cache), topic count, outlier
share, NMI and ARI against the human intent labels.

    .venv/bin/python benchmarks/topics_bench.py            # full train set (about 3-4 minutes)
    .venv/bin/python benchmarks/topics_bench.py --small    # 1,500 rows: what CI runs
    .venv/bin/python benchmarks/topics_bench.py --small --json out.json  # figures as JSON too

The dataset is read from ``../shared/datasets/banking77/train.csv`` (or ``$BANKING77``); the
benchmark exits cleanly with a message when it is absent. "Default" is
``BERTopic(embedding_model=model)`` with all-MiniLM-L6-v2 and nothing else set (UMAP 5-d +
HDBSCAN min_cluster_size 10, its documented defaults). Ours is
``cc_analysis.topics.fit_documents(..., split=False)`` as shipped: the same MiniLM run by ONNX
Runtime (same vectors as PyTorch), neighbour-smoothed embeddings, PCA, HDBSCAN, outliers
reassigned, themes; its embeddings go through the DuckDB cache. A last row runs ours with
PyTorch embeddings, so the embedding engine's share of the speed-up is visible.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "datasets" / "banking77" / "train.csv"


def _scores(labels: np.ndarray, truth: pd.Series) -> dict[str, float]:
    return {"topics": len(set(labels) - {-1}), "outliers": float(np.mean(labels == -1)),
            "nmi": normalized_mutual_info_score(truth, labels),
            "ari": adjusted_rand_score(truth, labels)}


def run_default(texts: list[str], seed: int) -> dict[str, float]:
    from bertopic import BERTopic
    from umap import UMAP

    from cc_analysis.embeddings import get_backend

    model = get_backend("minilm").model
    start = time.perf_counter()
    # BERTopic's defaults, with only the UMAP seed fixed so the run is repeatable
    umap = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine",
                random_state=seed)
    topics, _ = BERTopic(embedding_model=model, umap_model=umap).fit_transform(texts)
    return {"seconds": time.perf_counter() - start, "labels": np.asarray(topics)}


def run_ours(texts: list[str], seed: int, cache: Path, backend: str = "minilm"
             ) -> dict[str, float]:
    from cc_analysis.topics import fit_documents

    start = time.perf_counter()
    fitted = fit_documents(texts, cache=cache, seed=seed, split=False, max_topics=100,
                           backend=backend)
    labels = fitted.primary_topics(len(texts))["topic_id"].to_numpy()
    return {"seconds": time.perf_counter() - start, "labels": labels,
            "outliers_before": fitted.model.outlier_share_before_}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("BANKING77",
                                                                         DEFAULT_DATA)))
    parser.add_argument("--small", action="store_true", help="1,500 rows (CI size)")
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"skipped: {args.data} not found (the shared datasets are not beside the project)")
        return 0
    data = pd.read_csv(args.data)
    rows = 1500 if args.small else args.rows
    if rows:
        data = data.sample(rows, random_state=args.seed).reset_index(drop=True)
    texts, truth = data["text"].tolist(), data["category"]

    from cc_analysis.embeddings import get_backend

    for spec in ("minilm", "minilm-pytorch"):  # load (and export) once, outside the timings
        get_backend(spec).encode(["warm up"])
    results = {}
    default = run_default(texts, args.seed)
    results["BERTopic default"] = {"seconds": default["seconds"],
                                   **_scores(default["labels"], truth)}
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "embeddings.duckdb"
        cold = run_ours(texts, args.seed, cache)
        results["cc-analysis (cold)"] = {"seconds": cold["seconds"],
                                         **_scores(cold["labels"], truth)}
        warm = run_ours(texts, args.seed, cache)
        results["cc-analysis (warm cache)"] = {"seconds": warm["seconds"],
                                               **_scores(warm["labels"], truth)}
    with tempfile.TemporaryDirectory() as tmp:
        torch_run = run_ours(texts, args.seed, Path(tmp) / "embeddings.duckdb",
                             backend="minilm-pytorch")
        results["cc-analysis (cold, PyTorch)"] = {"seconds": torch_run["seconds"],
                                                  **_scores(torch_run["labels"], truth)}
    table = pd.DataFrame(results).T[["seconds", "topics", "outliers", "nmi", "ari"]]
    print(f"Banking77 {args.data.name}: {len(texts):,} documents, {truth.nunique()} intents")
    print(table.to_string(float_format=lambda v: f"{v:.3f}"))
    print(f"ours: {cold['outliers_before']:.1%} HDBSCAN noise reassigned to the nearest topic")
    base = results["BERTopic default"]["seconds"]
    cold_s = results["cc-analysis (cold)"]["seconds"]
    print(f"speed-up: cold {base / cold_s:.1f}x, "
          f"warm {base / results['cc-analysis (warm cache)']['seconds']:.1f}x")
    if args.json:
        args.json.write_text(json.dumps({
            "documents": len(texts), "intents": int(truth.nunique()), "rows": results,
            "outliers_reassigned": cold["outliers_before"],
            "warm_equals_cold": bool(np.array_equal(cold["labels"], warm["labels"])),
        }, indent=1, default=float))
    return 0


if __name__ == "__main__":
    sys.exit(main())
