"""Scores of a topic run against human labels: the figures every row of ``topics_bench`` has.

Owns turning one run's output (a topic per document, and for codebook runs the codes each
document was given) into: topics, outlier share, NMI and ARI (sklearn) on the documents with a
single human label, the share of documents given a code, and macro-F1 of the codes against
the human categories (multi-label: a document may carry several codes and several categories),
plus the mean and sd of those figures over repeated runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

if TYPE_CHECKING:
    from labelled_sets import LabelledSet


def cluster_scores(topics: Sequence[int], data: LabelledSet) -> dict[str, float]:
    """Topics found (-1 not counted), outlier share (topic -1), NMI and ARI against the single
    labels (documents without one left out; -1 counts as one more cluster, as users see it)."""
    topics = np.asarray(topics, dtype=int)
    keep = np.array([x is not None for x in data.label])
    truth = [x for x in data.label if x is not None]
    return {"topics": int(len(set(topics.tolist()) - {-1})),
            "outliers": float(np.mean(topics == -1)),
            "nmi": float(normalized_mutual_info_score(truth, topics[keep])),
            "ari": float(adjusted_rand_score(truth, topics[keep]))}


def code_scores(codes: Sequence[frozenset[str]], data: LabelledSet,
                code_names: Sequence[str]) -> dict[str, float]:
    """Share of documents given at least one code, and macro-F1 over the codebook's codes:
    per code, F1 of "the run gave it" against "a human gave it" over all documents, then the
    mean over codes (a code nobody gave and the run never gave scores 0; none is so here)."""
    names = [n.casefold() for n in code_names]
    f1s = []
    for name in names:
        pred = np.array([name in c for c in codes])
        true = np.array([name in c for c in data.categories])
        tp = float(np.sum(pred & true))
        denom = float(pred.sum() + true.sum())
        f1s.append(2 * tp / denom if denom else 0.0)
    return {"coded": float(np.mean([len(c) > 0 for c in codes])),
            "macro_f1": float(np.mean(f1s)),
            "f1_per_code": dict(zip(names, (round(f, 4) for f in f1s), strict=True))}


def mean_of_runs(runs: Sequence[dict]) -> dict:
    """One row from repeated runs: the mean of each number, with ``<name>_sd`` (sample sd,
    ``None`` for a single run) for NMI, ARI, topics and macro-F1; ``runs`` says how many."""
    out: dict = {"runs": len(runs)}
    for key, value in runs[0].items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            out[key] = value
            continue
        values = np.array([r[key] for r in runs], dtype=float)
        out[key] = float(values.mean())
        if key in ("nmi", "ari", "topics", "macro_f1"):
            out[f"{key}_sd"] = float(values.std(ddof=1)) if len(values) > 1 else None
    return out
