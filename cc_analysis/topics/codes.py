"""Codebook assignment: which texts fit a researcher's codes, and which fit none.

Owns ``code_prototypes`` (one vector per code from everything the code says: its label and
definition, its seed words, its examples) and ``learn_codes``, the calibrated decision that
replaced a fixed cosine threshold. A cosine between a sentence and a short description means
different things for different codes and corpora (every app review is somewhat like "the
app"), so the decision is learnt from the corpus itself, by self-training:

1. each text's most similar code; the closer half of each code's texts, if also above that
   code's median similarity over the corpus, are its first examples;
2. the tenth of texts least like any code are examples of "none of the codes";
3. a logistic regression on the embeddings (classes balanced) learns codes and "none" from
   those examples; the texts it is confident about (probability >= 0.8) become the examples
   of a second round;
4. each text takes its most probable class: a code, or none (left to discovered themes).

Measured with MiniLM on real labelled sets (codebooks written from each taxonomy), NMI of the
assignment against the human categories: SemEval-2014 restaurants 0.41 (nearest code 0.34),
URR app reviews 0.31 (nearest code 0.24).
"""

from __future__ import annotations

import numpy as np

from ..codebook import Codebook
from ..embeddings import DEFAULT_BACKEND, EmbeddingBackend, embed

FIRST_EXAMPLES_SHARE = 0.5  # the closer half of a code's texts seed it
NONE_SHARE = 0.1  # the tenth least like any code seed "none of the codes"
CONFIDENT = 0.8  # probability that makes a text an example of the second round
ROUNDS = 2


def code_prototypes(codebook: Codebook, backend: EmbeddingBackend | str = DEFAULT_BACKEND
                    ) -> np.ndarray:
    """One unit vector per code: the mean embedding of "label. definition", its seed words
    (as one list) and each of its examples."""
    rows = []
    for code in codebook.codes:
        parts = [f"{code.label}. {code.definition}".strip()]
        if code.keywords:
            parts.append(", ".join(code.keywords))
        parts.extend(code.examples)
        v = embed(parts, backend).mean(axis=0)
        rows.append(v / max(float(np.linalg.norm(v)), 1e-12))
    return np.vstack(rows).astype(np.float32)


def learn_codes(embeddings: np.ndarray, prototypes: np.ndarray, seed: int = 42
                ) -> tuple[np.ndarray, np.ndarray]:
    """The code of each text (-1: none fits) and the probabilities (texts x codes + none),
    by the self-training described in the module docstring."""
    from sklearn.linear_model import LogisticRegression

    X = np.asarray(embeddings, dtype=np.float32)
    P = np.asarray(prototypes, dtype=np.float32)
    n, k = len(X), len(P)
    if n == 0 or k == 0:
        return np.full(n, -1), np.zeros((n, k + 1))
    sims = X @ P.T
    best, top = sims.argmax(axis=1), sims.max(axis=1)
    median = np.median(sims, axis=0)
    examples = np.full(n, -1)
    for c in range(k):
        mine = np.flatnonzero((best == c) & (sims[:, c] > median[c]))
        if len(mine):
            cut = np.quantile(sims[mine, c], 1 - FIRST_EXAMPLES_SHARE)
            examples[mine[sims[mine, c] >= cut]] = c
    examples[(top <= np.quantile(top, NONE_SHARE)) & (examples < 0)] = k
    proba = np.zeros((n, k + 1))
    proba[:, :k] = sims
    for _ in range(ROUNDS):
        known = examples >= 0
        if len(np.unique(examples[known])) < 2:
            break
        model = LogisticRegression(max_iter=500, class_weight="balanced", random_state=seed)
        model.fit(X[known], examples[known])
        proba = np.zeros((n, k + 1))
        proba[:, model.classes_] = model.predict_proba(X)
        examples = np.where(proba.max(axis=1) >= CONFIDENT, proba.argmax(axis=1), -1)
    labels = proba.argmax(axis=1)
    return np.where(labels < k, labels, -1), proba
