"""Themes: communities of subtopics that customers raise together in the same documents.

Owns ``co_mention_themes``: a graph whose links are co-mentions far above chance (an exact
Poisson bound on the lift, stratified by source), grouped by Louvain communities (seeded).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse, stats


def co_mention_themes(mentions: pd.DataFrame, n_topics: int, *, exclude: Sequence[int] = (),
                      seed: int = 42, alpha: float = 0.05, min_lift: float = 2.0,
                      min_share: float = 0.1) -> np.ndarray:
    """Group topics into themes: communities of topics that documents mention together.

    ``mentions`` holds one row per (``doc``, ``topic``), and optionally the document's
    ``stratum`` (its source: tickets and reviews raise different things, and pooled they would
    make every ticket topic look related). Two topics are linked when documents mention both
    at least ``min_lift`` times as often as chance: the exact Poisson lower bound (level
    ``alpha``) of the co-mention count, over the count expected if topics were independent
    within each stratum; the link weighs log2 of that lift, capped at 4x. The bar is high
    because weak co-mention is everywhere in long reviews (a dress review praises the colour
    and the fit): on 23k clothing reviews 99% of subtopic pairs have a lift below 1.7, while a
    ticket's subject and body sit far above 2. A link also needs at least ``min_share`` of the
    smaller topic's documents to mention the other: a sentence that now and then closes a
    request ("would make our lives easier") is not part of every request it follows. The
    themes are the Louvain communities of that graph (seeded, so deterministic). Topics in
    ``exclude`` (boilerplate, codebook themes) stay themes of their own, and so does every topic
    when documents are single sentences: paraphrases are already one topic, and distinct intents
    mentioned apart stay apart.
    Returns the theme index of each topic (0..n_themes-1, in order of first topic).
    """
    import networkx as nx

    excluded = set(int(t) for t in exclude)
    m = mentions.assign(stratum=mentions.get("stratum", 0))[["doc", "topic", "stratum"]]
    m = m.drop_duplicates(["doc", "topic"])
    # chance is reckoned over every document, also those that mention only excluded topics
    m["row"] = pd.factorize(m["doc"])[0]
    stratum = m.groupby("row")["stratum"].first()
    m = m[(m["topic"] >= 0) & ~m["topic"].isin(excluded)]
    graph = nx.Graph()
    graph.add_nodes_from(range(n_topics))
    if len(m):
        X = sparse.csr_matrix((np.ones(len(m)), (m["row"].to_numpy(), m["topic"].to_numpy())),
                              shape=(len(stratum), n_topics))
        observed = (X.T @ X).toarray()
        expected = np.zeros_like(observed)
        for s in stratum.unique():
            Xs = X[np.flatnonzero(stratum.to_numpy() == s)]
            p = np.asarray(Xs.mean(axis=0)).ravel()
            expected += Xs.shape[0] * np.outer(p, p)
        lower = np.where(observed > 0, stats.chi2.ppf(alpha / 2, 2 * observed) / 2, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            lift = np.nan_to_num(lower / expected)
        docs = np.diag(observed)
        common = observed >= min_share * np.minimum.outer(docs, docs)
        strength = np.where((lift >= min_lift) & common,
                            np.clip(np.log2(np.maximum(lift, 1)), 0, 2), 0)
        i, j = np.nonzero(np.triu(strength, 1))
        graph.add_weighted_edges_from(zip(i.tolist(), j.tolist(), strength[i, j].tolist(),
                                          strict=True))
    communities = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    theme = np.empty(n_topics, dtype=int)
    for c in communities:
        theme[sorted(c)] = min(c)
    return np.unique(theme, return_inverse=True)[1]
