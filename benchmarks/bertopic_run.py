"""BERTopic as its documentation gives it, on one CSV: the cold baseline of ``topics_bench``.

Owns one run of BERTopic's default pipeline in a fresh process, so its wall time includes what
a user pays (imports, loading the model, embedding, numba compiling UMAP): the sentence
transformer all-MiniLM-L6-v2 (from the local folder given, so nothing is downloaded) and
``BERTopic(embedding_model=model).fit_transform(docs)``: no seed, no UMAP / HDBSCAN settings,
no cap on topics. Writes one topic id per row (``topic``; -1 is BERTopic's outlier topic).

    python benchmarks/bertopic_run.py docs.csv topics.csv --model PATH [--text-col text]
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("csv", help="CSV with one document per row")
    parser.add_argument("out", help="where to write the topic of each row (CSV)")
    parser.add_argument("--model", required=True, help="local all-MiniLM-L6-v2 folder")
    parser.add_argument("--text-col", default="text")
    args = parser.parse_args(argv)

    import pandas as pd
    from bertopic import BERTopic
    from sentence_transformers import SentenceTransformer

    docs = pd.read_csv(args.csv, keep_default_na=False)[args.text_col].astype(str).tolist()
    model = SentenceTransformer(args.model)
    topics, _ = BERTopic(embedding_model=model).fit_transform(docs)
    pd.DataFrame({"topic": topics}).to_csv(args.out, index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
