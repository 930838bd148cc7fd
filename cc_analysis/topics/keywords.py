"""Keywords: which texts use which word, and each topic's words by class-based TF-IDF.

Owns the word index of a fitted corpus (1-2 grams, English stop words dropped, each text counted
once per word) and BERTopic's c-TF-IDF ranking of a topic's words over its distinct texts.
Labels (``label``) rest on the same index.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

TOP_KEYWORDS = 30


class WordIndex:
    """Which texts use which word (binary 1-2 gram counts), and how often each word is used
    counting ``weights`` (how often each distinct text occurs)."""

    def __init__(self, texts: Sequence[str], weights: np.ndarray):
        from sklearn.feature_extraction.text import CountVectorizer

        vec = CountVectorizer(binary=True, stop_words="english", ngram_range=(1, 2),
                              min_df=3 if len(texts) > 300 else 1, dtype=np.float32)
        try:
            self.matrix = vec.fit_transform(texts).tocsr()
            self.vocab = vec.get_feature_names_out()
        except ValueError:  # nothing but stop words
            self.matrix, self.vocab = sparse.csr_matrix((len(texts), 0)), np.array([])
        self.totals = np.asarray(self.matrix.T @ weights).ravel()

    def ctfidf_keywords(self, labels: np.ndarray, n_topics: int,
                        top: int = TOP_KEYWORDS) -> list[list[str]]:
        """Each topic's words ranked by BERTopic's class-based TF-IDF (frequent words
        discounted), counted over the topic's distinct texts."""
        from bertopic.vectorizers import ClassTfidfTransformer

        if not self.matrix.shape[1] or not n_topics:
            return [[] for _ in range(n_topics)]
        onehot = sparse.csr_matrix((np.ones(len(labels)), (labels, np.arange(len(labels)))),
                                   shape=(n_topics, len(labels)))
        counts = (onehot @ self.matrix).tocsr()
        scores = ClassTfidfTransformer(reduce_frequent_words=True).fit_transform(counts)
        scores = scores.toarray() if sparse.issparse(scores) else np.asarray(scores)
        order = np.argsort(-scores, axis=1, kind="stable")[:, :top]
        return [[self.vocab[j] for j in row if scores[t, j] > 0]
                for t, row in enumerate(order)]
