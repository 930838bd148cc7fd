"""Keywords: which texts use which word, and each topic's words by class-based TF-IDF.

Owns the word index of a fitted corpus (1-2 grams, English stop words dropped, each text counted
once per word) and BERTopic's c-TF-IDF ranking of a topic's words over its distinct texts.
Labels (``label``) rest on the same index.

``class_tfidf`` is BERTopic's formula (``bertopic.vectorizers.ClassTfidfTransformer`` with
``reduce_frequent_words=True``) written out: importing ``bertopic`` loads UMAP and compiles
its numba code, about 7 s of every cold run for a few lines of arithmetic. A test holds it
equal to BERTopic's class.
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
        if not self.matrix.shape[1] or not n_topics:
            return [[] for _ in range(n_topics)]
        onehot = sparse.csr_matrix((np.ones(len(labels)), (labels, np.arange(len(labels)))),
                                   shape=(n_topics, len(labels)))
        counts = (onehot @ self.matrix).tocsr()
        scores = class_tfidf(counts).toarray()
        order = np.argsort(-scores, axis=1, kind="stable")[:, :top]
        return [[self.vocab[j] for j in row if scores[t, j] > 0]
                for t, row in enumerate(order)]


def class_tfidf(counts: sparse.spmatrix, reduce_frequent_words: bool = True) -> sparse.csr_matrix:
    """BERTopic's c-TF-IDF of a classes x words count matrix: each class's counts L1-normalised
    (square-rooted when ``reduce_frequent_words``), times idf = log(1 + A / df), with A the
    mean number of words per class (truncated to an integer, as BERTopic does) and df a word's
    count over all classes."""
    counts = sparse.csr_matrix(counts, dtype=np.float64)
    df = np.asarray(counts.sum(axis=0)).ravel()
    avg_words = int(np.asarray(counts.sum(axis=1)).mean()) if counts.shape[0] else 0
    with np.errstate(divide="ignore"):
        idf = np.where(df > 0, np.log(avg_words / np.where(df > 0, df, 1.0) + 1.0), 0.0)
    sums = np.asarray(counts.sum(axis=1)).ravel()
    tf = sparse.diags(np.divide(1.0, sums, out=np.zeros_like(sums), where=sums > 0)) @ counts
    tf = sparse.csr_matrix(tf)
    if reduce_frequent_words:
        tf.data = np.sqrt(tf.data)
    return sparse.csr_matrix(tf @ sparse.diags(idf))
