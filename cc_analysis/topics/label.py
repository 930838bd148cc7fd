"""Topic labels people can read: a sentence customers wrote, or keywords that pick a topic out.

Owns naming topics: the spelling checks labels pass (English words plus the corpus's own
vocabulary; a word one edit away from a far more frequent one is a typo), the sentence label
of a subtopic (the most-written central sentence), the keyword label of a theme (keywords
balancing precision and recall), ``readable_label`` and ``distinct_labels`` (no two topics
share a name).
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

LABEL_STOP_WORDS = frozenset({
    "ve", "ll", "don", "doesn", "isn", "just", "really", "like", "get", "got", "use", "would",
    "also", "one", "make", "need", "still", "every", "much", "lot"})
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
                 words: WordIndex, spelling: Spelling):
        self.texts, self.embeddings, self.weights = texts, embeddings, weights
        self.words, self.spelling = words, spelling
        # the 1-2 grams allowed in a keyword label: spelled right, no filler, no fragments
        self.namable = np.array([
            all(x in spelling.known and x not in LABEL_STOP_WORDS and len(x) > 2
                for x in v.split()) for v in words.vocab], dtype=bool)

    def sentence_label(self, members: np.ndarray, centroid: np.ndarray) -> str | None:
        """The short sentence people read at a glance: among the texts nearest the centre
        ("Dashboards take forever to load"), the one written most often (typos and prefixed
        variants are rarer than the plain phrasing), 2-14 correctly spelled words."""
        sims = self.embeddings[members] @ (centroid / (np.linalg.norm(centroid) + 1e-12))
        best, picked = -np.inf, None
        for j in np.argsort(-sims, kind="stable")[:30]:
            tokens = re.findall(r"[A-Za-z0-9']+", self.texts[members[j]])
            words = [t.lower() for t in tokens if "'" not in t and t.isalpha()]
            if not (2 <= len(tokens) <= 14) or "[" in self.texts[members[j]] or any(
                    w not in self.spelling.known or self.spelling.is_typo(w) for w in words):
                continue
            if picked is None:
                top = sims[j]
            elif sims[j] < top - 0.1:
                break
            score = self.weights[members[j]]
            if score > best:
                best, picked = score, self.texts[members[j]]
        if picked is None:
            return None
        # the sentence as written (heights, sizes and all), without its closing punctuation
        name = " ".join(picked.split()).strip(" .!?,;:-")
        return name[0].upper() + name[1:]

    def keyword_label(self, members: np.ndarray) -> str:
        """Two keywords that pick the topic's texts out of the corpus: the first best balances
        precision (its uses that fall in the topic) and recall (the topic's texts that use
        it); the second does the same for the texts the first misses ("Integration · sync")."""
        X, w = self.words.matrix, self.weights
        vocab = self.words.vocab
        size = w[members].sum()
        picked: list[str] = []
        rest = members
        for _ in range(2):
            if not len(rest):
                break
            tp = np.asarray(X[rest].T @ w[rest]).ravel()
            precision = tp / np.maximum(self.words.totals, 1e-12)
            recall = tp / size
            f1 = np.where(self.namable,
                          2 * precision * recall / np.maximum(precision + recall, 1e-12), 0)
            for word in picked:  # nothing that repeats a word already used
                f1[[i for i, v in enumerate(vocab) if set(v.split()) & set(word.split())]] = 0
            best = next((int(i) for i in np.argsort(-f1, kind="stable")[:20]
                         if not any(self.spelling.is_typo(x) for x in vocab[i].split())),
                        int(f1.argmax()))
            if f1[best] < 0.05:
                break
            picked.append(vocab[best])
            rest = rest[np.asarray(X[rest, best].todense()).ravel() == 0]
        return readable_label(picked) if picked else MISCELLANEOUS


def readable_label(keywords: Sequence[str], max_parts: int = 2) -> str:
    """A short human-style name from ranked keywords: the best phrase first, then a second
    one that adds something ("Dashboards load · slow")."""
    parts: list[str] = []
    used: set[str] = set()
    for kw in keywords:
        words = [w for w in kw.split() if w not in LABEL_STOP_WORDS]
        if not words or set(words) <= used:
            continue
        parts.append(" ".join(words))
        used.update(words)
        if len(parts) == max_parts:
            break
    if not parts:
        return MISCELLANEOUS
    text = " · ".join(parts)
    return text[0].upper() + text[1:]


def distinct_labels(table: pd.DataFrame) -> pd.DataFrame:
    """Two topics never share a name: a repeated label gains the topic's next keyword that it
    does not already contain ("Petite · lbs", "Petite · lbs · regular"); ``table`` has columns
    ``label``, ``keywords`` and ``from_codebook`` (codebook names are never changed)."""
    if table.empty:
        return table
    seen: set[str] = set()
    labels = []
    for label, words, fixed in zip(table["label"], table["keywords"], table["from_codebook"],
                                   strict=True):
        if label in seen and not fixed:
            used = set(label.lower().replace("·", " ").split())
            extra = next((w for w in words if not set(w.split()) & used), None)
            label = f"{label} · {extra}" if extra else label
            n = 2
            while label in seen:  # no keyword left to tell them apart
                label, n = f"{label.rsplit(' (', 1)[0]} ({n})", n + 1
        seen.add(label)
        labels.append(label)
    return table.assign(label=labels)
