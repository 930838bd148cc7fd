"""Clustering segment embeddings into subtopics: exact nearest neighbours and the default model.

Owns ``knn`` (exact cosine neighbours, in blocks) and ``SmoothedHDBSCAN``, the default
BERTopic-pluggable cluster model (``fit(X)`` sets ``labels_``): neighbour-smoothed embeddings,
PCA, HDBSCAN, noise reassigned, near-duplicate clusters merged.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def unit_rows(a: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (near-zero rows are not blown up)."""
    return a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)


# torch's top-k beats NumPy's argpartition by about 1.5x (measured on 2 cores: 10,000 rows
# 0.8 s vs 1.3 s, 30,000 rows 6.8 s vs 9.5 s), but importing torch costs about 3 s: it pays
# from here on. The choice depends on the input alone, never on what is already imported:
# the two can break near-ties differently, and a run must give the same topics in any process.
TORCH_KNN_FROM = 50_000


def knn(X: np.ndarray, k: int, block: int = 4096) -> np.ndarray:
    """Exact cosine nearest neighbours of L2-normalised rows (self excluded, in no particular
    order), in blocks; with torch's top-k for large inputs (``TORCH_KNN_FROM``)."""
    torch = None
    if len(X) >= TORCH_KNN_FROM:
        try:
            import torch
        except ImportError:  # pragma: no cover - torch is a core dependency
            torch = None
    out = []
    # a contiguous transpose, made once: multiplying by a transposed view is ~40% slower
    XT = torch.from_numpy(np.ascontiguousarray(X.T)) if torch is not None else X.T
    for s in range(0, len(X), block):
        if torch is not None:
            sims = torch.from_numpy(X[s:s + block]) @ XT
            sims[torch.arange(sims.shape[0]), torch.arange(s, s + sims.shape[0])] = -2.0
            out.append(torch.topk(sims, k, dim=1).indices.numpy())
        else:
            sims = X[s:s + block] @ XT
            sims[np.arange(sims.shape[0]), np.arange(s, s + sims.shape[0])] = -2.0
            out.append(np.argpartition(sims, -k, axis=1)[:, -k:])
    return np.vstack(out)


class SmoothedHDBSCAN:
    """The default cluster model (BERTopic-pluggable: ``fit(X)`` sets ``labels_``).

    1. each embedding is averaged with its 10 nearest neighbours, twice: like UMAP it pulls
       paraphrases together, without UMAP's numba warm-up (a minute on a cold CPU);
    2. PCA to 20 dimensions (seeded: the only random step);
    3. HDBSCAN with ``min_cluster_size = max(15, n // 300)``: the topic count comes from the data;
    4. HDBSCAN's noise points (about a fifth of short texts) go to the nearest topic centre in
       the smoothed space; ``noise_share_`` reports how many;
    5. topics whose centres are near duplicates (cosine >= ``merge_cos``) are merged.
    Measured on Banking77 (10,003 queries, 77 intents): 88 topics, NMI 0.81, no outliers left,
    about 8 CPU seconds; BERTopic's default: 296 topics, NMI 0.75, 11% outliers.
    """

    def __init__(self, seed: int = 42, min_topic_size: int | None = None,
                 n_neighbors: int = 10, smooth_iters: int = 2, n_components: int = 20,
                 min_samples: int = 5, merge_cos: float = 0.90, max_topics: int | None = None,
                 selection: str = "leaf"):
        self.seed, self.min_topic_size, self.n_neighbors = seed, min_topic_size, n_neighbors
        self.smooth_iters, self.n_components = smooth_iters, n_components
        self.min_samples, self.merge_cos, self.max_topics = min_samples, merge_cos, max_topics
        self.selection = selection

    def fit(self, X: np.ndarray, y: Any = None) -> SmoothedHDBSCAN:
        from hdbscan import HDBSCAN
        from sklearn.decomposition import PCA
        from threadpoolctl import threadpool_limits

        X = unit_rows(np.ascontiguousarray(X, dtype=np.float32))
        n = len(X)
        self.noise_share_ = 0.0
        if n < 30:
            self.labels_ = np.zeros(n, dtype=int)
            return self
        Z = X
        neighbours = knn(X, min(self.n_neighbors, n - 1))
        for _ in range(self.smooth_iters):
            Z = unit_rows(Z + Z[neighbours].sum(axis=1))
        # one BLAS thread: PCA's randomised solver gives slightly different components with
        # another thread count (up to 7e-5 here), enough to move HDBSCAN's borderline points,
        # and a seeded run must give the same topics in every process (a notebook, the CLI, a
        # test after other tests); it is no slower (10,000 x 384: 0.07 s)
        with threadpool_limits(1):
            P = PCA(n_components=min(self.n_components, X.shape[1]),
                    random_state=self.seed).fit_transform(Z)
        size = self.min_topic_size or max(10, n // 300)
        labels = HDBSCAN(min_cluster_size=size, min_samples=self.min_samples,
                         cluster_selection_method=self.selection).fit_predict(P)
        if (labels >= 0).sum() == 0:
            self.labels_ = np.zeros(n, dtype=int)
            return self
        noise = labels < 0
        self.noise_share_ = float(noise.mean())
        ids = np.unique(labels[~noise])
        cents = unit_rows(np.stack([Z[labels == k].mean(axis=0) for k in ids]))
        labels[noise] = ids[np.argmax(Z[noise] @ cents.T, axis=1)]
        self.labels_ = self._merge(Z, labels)
        return self

    def _merge(self, Z: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """Greedily merge the closest pair of topic centres while they are near duplicates
        (or while there are more than ``max_topics``)."""
        while True:
            ids = np.unique(labels)
            if len(ids) < 2:
                break
            cents = unit_rows(np.stack([Z[labels == k].mean(axis=0) for k in ids]))
            sims = cents @ cents.T
            np.fill_diagonal(sims, -1)
            i, j = np.unravel_index(np.argmax(sims), sims.shape)
            too_many = self.max_topics is not None and len(ids) > self.max_topics
            if sims[i, j] < self.merge_cos and not too_many:
                break
            labels[labels == ids[j]] = ids[i]
        return np.unique(labels, return_inverse=True)[1]
