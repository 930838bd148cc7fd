"""Coding snippets: deductively against a codebook, inductively for what the codebook misses.

Deductive: a snippet takes a code when its score reaches the codebook's ``threshold``; the score
is the highest cosine similarity (MiniLM) between the snippet and the code's label + definition
or any of its examples, plus ``KEYWORD_BONUS`` when one of the code's keywords occurs in the
snippet. Several codes are kept (strongest first, at most ``MAX_CODES``) when they score within
``CODE_MARGIN`` of the best. Inductive: ``cc_analysis.topics.TopicModel`` on the same vectors;
a theme needs several participants, and a catch-all topic is partitioned with k-means.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Codebook
from ..embeddings import DEFAULT_BACKEND, embed
from ..topics import TopicModel

KEYWORD_BONUS = 0.1
CODE_MARGIN = 0.12  # a second code must score within this of the best one
MAX_CODES = 3
INDUCTIVE_MIN_CONTENT_WORDS = 5
CATCH_ALL_SHARE = 0.35  # an inductive topic holding more of the snippets is a catch-all


def _keyword_pattern(keywords: Sequence[str]) -> re.Pattern[str] | None:
    """Keywords match as words; long ones also as prefixes ('report' -> 'reporting')."""
    if not keywords:
        return None
    alts = [re.escape(k.lower()) + (r"\w*" if len(k) >= 5 else r"s?") for k in keywords]
    return re.compile(r"\b(?:" + "|".join(alts) + r")\b", re.IGNORECASE)


def code_scores(
    vectors: np.ndarray,
    texts: Sequence[str],
    codebook: Codebook,
    backend: str = DEFAULT_BACKEND,
    cache: str | Path | None = None,
) -> np.ndarray:
    """Score of every snippet (rows) for every code (columns): the best cosine similarity to
    the code's label + definition or one of its examples, plus the keyword bonus."""
    texts_c: list[str] = []
    owner: list[int] = []
    for j, c in enumerate(codebook.codes):
        for t in (f"{c.label}: {c.definition}", *c.examples):
            texts_c.append(t)
            owner.append(j)
    code_vecs = embed(texts_c, backend, cache=cache)
    sims = np.asarray(vectors, dtype=np.float32) @ code_vecs.T
    owner_arr = np.asarray(owner)
    scores = np.full((len(texts), len(codebook.codes)), -1.0, dtype=np.float32)
    for j in range(len(codebook.codes)):
        scores[:, j] = sims[:, owner_arr == j].max(axis=1) if len(texts) else 0.0
        pattern = _keyword_pattern(codebook.codes[j].keywords)
        if pattern is not None:
            hits = np.fromiter((bool(pattern.search(t)) for t in texts), bool, len(texts))
            scores[:, j] += KEYWORD_BONUS * hits
    return scores


def assign_codes(
    scores: np.ndarray,
    threshold: float,
    margin: float = CODE_MARGIN,
    max_codes: int = MAX_CODES,
) -> list[list[tuple[int, float]]]:
    """Per snippet: (code index, score) at or above ``threshold`` and within ``margin`` of the
    snippet's best code, strongest first, at most ``max_codes``."""
    out: list[list[tuple[int, float]]] = []
    for row in scores:
        order = np.argsort(-row)[:max_codes]
        best = row[order[0]] if len(order) else -1.0
        out.append([(int(j), float(row[j])) for j in order
                    if row[j] >= threshold and row[j] >= best - margin])
    return out


def discover_themes(
    texts: Sequence[str],
    vectors: np.ndarray,
    participants: Sequence[str],
    *,
    seed: int = 42,
    min_topic_size: int | None = None,
    min_participants: int = 2,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Inductive themes with the shared topic machinery (``topics.TopicModel``; its default
    topic size unless ``min_topic_size`` is given).

    Returns (themes: ``topic_id, label, keywords, representative_docs, participants``;
    topic per text, -1 when unassigned or when the topic was raised by fewer than
    ``min_participants`` participants: one talkative customer is not a theme). Topics the
    model flags as boilerplate (templates repeated verbatim) are dropped. When the default
    (density-based) clustering puts more than ``CATCH_ALL_SHARE`` of the snippets into one
    topic, as it does when every interview is about the same subject, the topic model is
    refitted with k-means (its ``cluster_model`` plug-in; about one theme per 500 snippets, 8
    to 40 themes).
    """

    def fit(**kw: Any) -> TopicModel:
        return TopicModel(seed=seed, min_topic_size=min_topic_size, **kw).fit(list(texts),
                                                                              vectors)

    tm = fit()
    topics = np.asarray(tm.doc_topics_, dtype=int).copy()
    largest = np.bincount(topics[topics >= 0]).max(initial=0) / max(1, len(topics))
    if largest > CATCH_ALL_SHARE and len(texts) >= 200:
        # Interviews about one subject are one dense cloud to a density-based model: it returns
        # a catch-all topic. Partition instead, into about one theme per 500 snippets.
        from sklearn.cluster import KMeans

        k = int(np.clip(round(len(texts) / 500), 8, 40))
        tm = fit(cluster_model=KMeans(n_clusters=k, random_state=seed, n_init=3))
        topics = np.asarray(tm.doc_topics_, dtype=int).copy()
        note = (f"Inductive themes: the default topic model put {largest:.0%} of the snippets "
                f"into one catch-all topic; they were partitioned into {k} themes (k-means) "
                "instead.")
    else:
        note = ""
    summary = tm.summary()
    summary = summary[summary["topic_id"] >= 0].copy()
    if "boilerplate" in summary:
        summary = summary[~summary["boilerplate"].astype(bool)]
    who = pd.Series(list(participants))
    summary["participants"] = [int(who[topics == t].nunique()) for t in summary["topic_id"]]
    summary = summary[summary["participants"] >= min_participants].reset_index(drop=True)
    topics[~np.isin(topics, summary["topic_id"].to_numpy())] = -1
    summary.attrs["note"] = note
    return summary, topics
