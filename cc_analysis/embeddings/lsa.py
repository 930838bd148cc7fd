"""The ``lsa`` backend: TF-IDF and truncated SVD fitted on the corpus itself.

No neural model: seconds for 100k documents, for very large corpora or a quick first look.
Its vectors depend on the corpus, so they are never cached.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._base import normalise

DEFAULT_DIM = 256


class LsaBackend:
    """TF-IDF (word 1-2 grams) + truncated SVD, fitted on the texts it is given."""

    def __init__(self, dim: int = DEFAULT_DIM, seed: int = 42):
        self.dim, self.seed = dim, seed
        self.name = f"lsa-{dim}"

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        tfidf = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                                stop_words="english").fit_transform(texts)
        k = max(2, min(self.dim, tfidf.shape[1] - 1, tfidf.shape[0] - 1))
        return normalise(TruncatedSVD(k, random_state=self.seed).fit_transform(tfidf))
