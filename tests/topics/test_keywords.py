"""c-TF-IDF: ours is BERTopic's formula, without importing BERTopic (which loads UMAP)."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from cc_analysis.topics.keywords import WordIndex, class_tfidf


def test_class_tfidf_equals_bertopics_transformer() -> None:
    from bertopic.vectorizers import ClassTfidfTransformer

    rng = np.random.default_rng(3)
    dense = rng.poisson(0.7, size=(12, 300)).astype(float)
    dense[:, 7] = 0  # a word no class uses
    dense[4] = 0  # a class with no words
    counts = sparse.csr_matrix(dense)
    for reduce in (True, False):
        # BERTopic's transform normalises its input in place: each side gets its own copy
        want = ClassTfidfTransformer(reduce_frequent_words=reduce).fit_transform(counts.copy())
        got = class_tfidf(counts.copy(), reduce_frequent_words=reduce)
        want = np.nan_to_num(np.asarray(want.todense()))
        assert np.allclose(got.toarray(), want, atol=1e-12)


def test_ctfidf_keywords_rank_each_topics_own_words() -> None:
    texts = ["refund took weeks", "refund still missing", "where is my refund",
             "login fails again", "cannot login today", "login page error"]
    index = WordIndex(texts, np.ones(len(texts)))
    words = index.ctfidf_keywords(np.array([0, 0, 0, 1, 1, 1]), 2)
    assert words[0][0] == "refund" and words[1][0] == "login"
