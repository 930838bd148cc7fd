"""Topic labels people can read: the phrase customers use that picks a topic out.

Owns naming topics: the spelling checks labels pass (English words plus the corpus's own
vocabulary; a word one edit away from a far more frequent one is a typo), ``Labeller`` (each
topic's ranked phrase labels from ``phrases``, the best single keyword when no phrase picks it
out) and ``distinct_labels`` (no two topics share a name).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache

import numpy as np
import pandas as pd

from ..embeddings import minilm_path
from .keywords import WordIndex
from .phrases import PhraseLabeller

MISCELLANEOUS = "Miscellaneous"


@cache
def known_words() -> frozenset[str]:
    """English words (the MiniLM tokenizer's whole-word vocabulary): keywords made of anything
    else are typos or ids and never name a topic."""
    vocab = (minilm_path() / "vocab.txt").read_text(encoding="utf-8").split()
    return frozenset(w for w in vocab if w.isalpha() and len(w) > 1)


def edits1(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in letters}
            | {a + c + b for a, b in splits for c in letters})


class Spelling:
    """Which words of a corpus count as spelled right, and which are typos."""

    def __init__(self, texts: Sequence[str]):
        # in how many distinct texts each lowercase word occurs
        self.counts = dict(Counter(w for t in texts
                                   for w in set(re.findall(r"[a-z]+", t.lower()))))
        # the corpus's own vocabulary ("laggy", product names) counts as spelled right; the
        # tokenizer's word list alone would reject it
        self.known = frozenset(w for w, c in self.counts.items() if c >= 3 and len(w) > 1) \
            | known_words()
        self._typos: dict[str, bool] = {}

    def is_known(self, phrase: str) -> bool:
        return all(x in self.known for x in phrase.split())

    def is_typo(self, word: str) -> bool:
        """A word one edit away from a word the corpus uses ten times as often ("lok", "wuld")."""
        if word not in self._typos:
            c = max(self.counts.get(word, 0), 1)
            self._typos[word] = any(self.counts.get(v, 0) >= 10 * c
                                    for v in edits1(word) if v != word)
        return self._typos[word]


class Labeller:
    """Names for the topics of one fitted corpus: texts, their embeddings and weights (how
    often each distinct text occurs), its word index and spelling."""

    def __init__(self, texts: Sequence[str], embeddings: np.ndarray, weights: np.ndarray,
                 words: WordIndex, spelling: Spelling, adjectives: bool = True,
                 nouns_only: bool = False):
        self.weights, self.words, self.spelling = weights, words, spelling
        self.adjectives, self.nouns_only = adjectives and not nouns_only, nouns_only
        self.phrases = PhraseLabeller(texts, embeddings, weights, self.is_word,
                                      adjectives=adjectives, nouns_only=nouns_only)
        # the single words allowed as a label: known, more than a fragment (typos are checked
        # on the best few only: the check costs an edit-distance search per word)
        self.namable = np.array([" " not in v and len(v) > 2 and v in spelling.known
                                 for v in words.vocab], dtype=bool)

    def is_word(self, word: str) -> bool:
        """Spelled right: known, and no rare near-spelling of a far more frequent word."""
        return word in self.spelling.known and not self.spelling.is_typo(word)

    def ranked_labels(self, labels: np.ndarray, centroids: np.ndarray) -> list[list[str]]:
        """Per topic of ``labels`` (centres ``centroids``): its names, best first (phrases
        customers wrote, "Card not arriving"; else the best single keyword; else
        ``MISCELLANEOUS``). The first partition named fixes which texts are read (see
        ``PhraseLabeller``)."""
        ranked = self.phrases.ranked(labels, centroids)
        exclude = (self.phrases.not_nouns_read() if self.nouns_only
                   else frozenset() if self.adjectives else self.phrases.adjectives_read())
        for t, names in enumerate(ranked):
            if not names:
                names.append(self.keyword_label(np.flatnonzero(labels == t), exclude))
        return ranked

    def keyword_label(self, members: np.ndarray, exclude: frozenset[str] = frozenset()) -> str:
        """The single keyword that best picks the topic's texts out of the corpus (balancing
        precision, its uses that fall in the topic, and recall, the topic's texts that use
        it), capitalised, none of ``exclude``; ``MISCELLANEOUS`` when none does."""
        X, w = self.words.matrix, self.weights
        if not len(members) or not X.shape[1]:
            return MISCELLANEOUS
        tp = np.asarray(X[members].T @ w[members]).ravel()
        precision = tp / np.maximum(self.words.totals, 1e-12)
        recall = tp / w[members].sum()
        namable = self.namable if not exclude else self.namable & np.array(
            [v not in exclude for v in self.words.vocab], dtype=bool)
        f1 = np.where(namable,
                      2 * precision * recall / np.maximum(precision + recall, 1e-12), 0)
        best = next((int(i) for i in np.argsort(-f1, kind="stable")[:20]
                     if not self.spelling.is_typo(self.words.vocab[i])), int(f1.argmax()))
        if f1[best] < 0.05:
            return MISCELLANEOUS
        word = str(self.words.vocab[best])
        return word[0].upper() + word[1:]


def distinct_labels(table: pd.DataFrame,
                    alternatives: Sequence[Sequence[str]] | None = None) -> pd.DataFrame:
    """Two topics never share a name. ``table`` has columns ``label``, ``keywords`` and
    ``from_codebook`` (codebook names are never changed), one row per topic in order of
    precedence; ``alternatives``: each topic's next best names. A repeated label becomes the
    topic's next best name nobody has; failing that, it is qualified by the topic's first
    keyword it lacks ("Refund (pending)"); failing that, numbered ("Refund (2)")."""
    if table.empty:
        return table
    alternatives = alternatives if alternatives is not None else [[] for _ in range(len(table))]
    taken = set(table["label"])  # a name another topic holds is no way out
    seen: set[str] = set()
    labels = []
    for label, words, fixed, others in zip(table["label"], table["keywords"],
                                           table["from_codebook"], alternatives, strict=True):
        if label in seen and not fixed:
            used = set(label.lower().split())
            # a part of the repeated label tells nothing apart ("Rate" after "Exchange rate")
            free = [a for a in others if a not in seen and a not in taken
                    and not set(a.lower().split()) <= used]
            extra = next((w for w in words if not set(w.split()) & used), None)
            if free:
                label = free[0]
            elif extra and f"{label} ({extra})" not in seen:
                label = f"{label} ({extra})"
            n = 2
            while label in seen:  # nothing left to tell them apart
                label, n = f"{label.rsplit(' (', 1)[0]} ({n})", n + 1
        seen.add(label)
        labels.append(label)
    return table.assign(label=labels)
