"""Coding snippets: deductively against a codebook, inductively for what the codebook misses.

Deductive: a snippet takes a code when its score reaches the codebook's ``threshold``; the score
is the highest cosine similarity (MiniLM) between the snippet and the code's label + definition
or any of its examples, plus ``KEYWORD_BONUS`` when one of the code's keywords occurs in the
snippet. Coding a whole set of interviews, the snippets a code takes on that first pass,
averaged, then count as one more example of the code (``expand_examples``: the codebook learns
the interviews' own words for its codes, as a researcher adds quotes to a codebook while
coding). Several codes are kept (strongest first, at most ``MAX_CODES``) when they score within
``CODE_MARGIN`` of the best. Inductive: ``cc_analysis.topics.TopicModel`` partitioning the
snippets, read in their conversation (``in_conversation``), into tens of themes
(``theme_count``); a theme needs several participants.
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
EXPANSION_MIN_SNIPPETS = 3  # a code's first-pass snippets become an example from this many
INDUCTIVE_MIN_CONTENT_WORDS = 5
MIN_THEMES, MAX_THEMES = 8, 40  # inductive themes of a study (see theme_count)


def keyword_pattern(keywords: Sequence[str]) -> re.Pattern[str] | None:
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
    expand: bool = False,
) -> np.ndarray:
    """Score of every snippet (rows) for every code (columns): the best cosine similarity to
    the code's label + definition or one of its examples, plus the keyword bonus. With
    ``expand`` (not yet used by ``synthesize``: issue 11 measures it on real transcripts), the
    example :func:`expand_examples` learns from these snippets counts too."""
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
    bonus = np.zeros_like(scores)
    for j in range(len(codebook.codes)):
        scores[:, j] = sims[:, owner_arr == j].max(axis=1) if len(texts) else 0.0
        pattern = keyword_pattern(codebook.codes[j].keywords)
        if pattern is not None:
            hits = np.fromiter((bool(pattern.search(t)) for t in texts), bool, len(texts))
            bonus[:, j] = KEYWORD_BONUS * hits
    if expand:
        scores = expand_examples(scores, vectors, codebook.threshold, bonus)
    return scores + bonus


def expand_examples(similarity: np.ndarray, vectors: np.ndarray, threshold: float,
                    bonus: np.ndarray | None = None,
                    min_snippets: int = EXPANSION_MIN_SNIPPETS) -> np.ndarray:
    """Similarities with one more example per code: the mean of the snippets the code takes on
    a first pass (their best code, scoring at least ``threshold`` with ``bonus``), when there
    are ``min_snippets`` of them (pseudo-relevance feedback). A paraphrase of what several
    participants said in the interviews' own words reaches the code even where the codebook
    worded it differently; one stray snippet cannot pull a code anywhere."""
    first = similarity if bonus is None else similarity + bonus
    if not len(first):
        return similarity
    best = first.argmax(axis=1)
    out = similarity.copy()
    v = np.asarray(vectors, dtype=np.float32)
    for j in range(similarity.shape[1]):
        taken = (best == j) & (first[:, j] >= threshold)
        if taken.sum() < min_snippets:
            continue
        centre = v[taken].mean(axis=0)
        out[:, j] = np.maximum(out[:, j], v @ (centre / np.linalg.norm(centre)))
    return out


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


def theme_count(n_snippets: int) -> int:
    """How many inductive themes for ``n_snippets``: about their square root, ``MIN_THEMES`` to
    ``MAX_THEMES``, the grain researchers code at (tens of codes a study, more for bigger
    studies, never hundreds)."""
    return int(np.clip(round(np.sqrt(max(n_snippets, 0))), MIN_THEMES, MAX_THEMES))


def in_conversation(vectors: np.ndarray, interview_ids: Sequence[Any]) -> np.ndarray:
    """Each snippet's vector plus the mean of its neighbours in the conversation (the
    snippets just before and after it in the same interview; rows in conversation order),
    renormalised: the vectors themes are clustered on. Talk stays on a subject for a while,
    so what a participant says before and after a remark says what it is about. (Measured on
    the real coded studies, theme NMI against the researchers' codes with k-means at the
    square-root grain: PDPilot 0.231 -> 0.312, usability sessions 0.372 -> 0.435.)"""
    v = np.asarray(vectors, dtype=np.float32)
    ids = np.asarray(list(interview_ids), dtype=object)
    if len(v) < 2:
        return v
    same = ids[1:] == ids[:-1]
    ctx = np.zeros_like(v)
    ctx[1:][same] += v[:-1][same]
    ctx[:-1][same] += v[1:][same]
    norm = np.linalg.norm(ctx, axis=1, keepdims=True)
    mixed = v + np.divide(ctx, norm, out=np.zeros_like(ctx), where=norm > 0)
    return (mixed / np.maximum(np.linalg.norm(mixed, axis=1, keepdims=True), 1e-12)
            ).astype(np.float32)


def discover_themes(
    texts: Sequence[str],
    vectors: np.ndarray,
    participants: Sequence[str],
    *,
    seed: int = 42,
    n_themes: int | None = None,
    min_participants: int = 2,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Inductive themes with the shared topic machinery (``topics.TopicModel`` with k-means as
    its ``cluster_model``, ``n_themes`` clusters, default :func:`theme_count`).

    Returns (themes: ``topic_id, label, keywords, representative_docs, participants``;
    topic per text, -1 when unassigned or when the topic was raised by fewer than
    ``min_participants`` participants: one talkative customer is not a theme). Topics the
    model flags as boilerplate (templates repeated verbatim) are dropped.

    Why a partition and not the density-based default of feedback topics: interviews of one
    study are about one subject, one dense cloud to a density-based model, which returned a
    catch-all topic holding most snippets (PDPilot: 60%) or a handful of themes; researchers
    code at a grain of tens. Measured on the real coded studies (theme NMI against their codes,
    ``benchmarks/interviews_bench.py``), see :func:`in_conversation` for the vectors.
    """
    from sklearn.cluster import KMeans

    if not len(texts):
        return pd.DataFrame(columns=["topic_id", "label", "keywords", "representative_docs",
                                     "participants"]), np.zeros(0, dtype=int)
    k = max(1, min(n_themes or theme_count(len(texts)), len(texts)))
    # themes are named by what participants talk about (noun phrases), never by a verdict
    # ("Great") or a clause ("Built workaround")
    tm = TopicModel(seed=seed, cluster_model=KMeans(n_clusters=k, random_state=seed, n_init=3),
                    noun_labels=True).fit(list(texts), vectors)
    topics = np.asarray(tm.doc_topics_, dtype=int).copy()
    summary = tm.summary()
    summary = summary[summary["topic_id"] >= 0].copy()
    if "boilerplate" in summary:
        summary = summary[~summary["boilerplate"].astype(bool)]
    who = pd.Series(list(participants))
    summary["participants"] = [int(who[topics == t].nunique()) for t in summary["topic_id"]]
    summary = summary[summary["participants"] >= min_participants].reset_index(drop=True)
    topics[~np.isin(topics, summary["topic_id"].to_numpy())] = -1
    return summary, topics
