"""Topic labels as phrases customers wrote: "Exchange rates", "Card not arrived", "Cancel transfer".

Owns the phrase labeller: which members of each topic are read (a bounded sample: those
nearest the centre plus a frequency-weighted draw, so labelling costs one tagger pass over a
few thousand texts however large the corpus), the candidate phrases of a text (noun phrases,
adjective + noun, noun + noun, verb + object, verb + preposition + object, subject + verb with
its negation; matched on lemmas), their score (F-measure of precision and recall over the
topic's weighted occurrences, estimated from the samples of every topic) and how a phrase is
written back (the customers' most frequent surface form and casing).

Word classes come from the tagger (``cc_analysis.nlp``) and spaCy's stop words, never from a
hand-made list: a word is filler when it turns up in most topics.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

import numpy as np
from scipy import sparse

from ..nlp import Word, tag

# members read per topic: those nearest its centre, plus a draw from the rest in proportion
# to how often each occurs (18 a topic: Banking77's 89 topics over 10,003 queries label in
# 1.8-2.1 s of CPU on the shared 2-core machine, spaCy's one-off load aside; reading 30 a
# topic changed their agreement with the human intents by about 0.01)
NEAREST = 12
SAMPLED = 6
MAX_CHARS = 300  # the start of a long text is read
MAX_WORDS = 5
MAX_NOUN_PHRASE = 3
FILLER_SPREAD = 0.5  # a lemma in at least this share of topics picks none of them out
MIN_FILLER_TOPICS = 4  # with fewer topics, spread says nothing
MIN_SCORE = 0.05
LONGER = 0.75  # a longer phrase scoring at least this share of a shorter one's F wins
N_CANDIDATES = 6

CONTENT = frozenset({"NOUN", "PROPN", "ADJ", "VERB"})
NOMINAL = frozenset({"NOUN", "PROPN"})
MODIFIER = NOMINAL | {"ADJ"}
# between a subject and its verb: auxiliaries, adverbs, "to", light verbs ("seem to work")
BRIDGE = frozenset({"AUX", "ADV", "PART"})
# Penn Treebank tags the tagger gives
PARTICLE = "RP"  # a verb's particle: "top up", "log in"
ADVERB = "RB"
BARE_VERB = "VB"  # the base form: "(does not) work"
POSSESSIVE = "PRP$"  # "my", "your"
GRADED = frozenset({"JJR", "JJS"})  # comparatives and superlatives
PARTICIPLES = frozenset({"VBN", "VBG"})  # "lost", "missing"
# a noun label made of these alone says when, not what ("Month" from "templates until month
# two"): grammar's units of time, no domain's words
TIME_UNITS = frozenset({"second", "minute", "hour", "day", "week", "month", "year", "time",
                        "morning", "afternoon", "evening", "night", "today", "yesterday",
                        "tomorrow", "weekend", "moment"})
# prepositions that say what a noun is of, for or about ("number of seats", "charge for
# users"); "templates until month (two)", "calls after lunch" say when, which names nothing
ATTACHING = frozenset({"of", "for", "in", "on", "with", "from", "to", "about", "between",
                       "across", "per", "without", "into"})
# text that is no customer's wording: links, addresses, handles, placeholders, markup
NOT_WORDS = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|@\w+|\[[^\]]{0,60}\]|<[^>]{0,60}>"
                       r"|&#?\w+;")

Key = tuple[str, ...]


def clean(text: str) -> str:
    """The text as written, links, handles, placeholders and markup cut out (they break a
    phrase rather than join two)."""
    return NOT_WORDS.sub(" ; ", html.unescape(text[:MAX_CHARS]))


def join_compounds(words: list[Word]) -> list[Word]:
    """Words the tokenizer splits, as one: hyphenated ("top-up", "e-mail": the last part's
    part of speech when it is a content word, else a noun) and a word with its particle
    ("top up", "log in": the word's)."""
    out: list[Word] = []
    i = 0
    while i < len(words):
        j = i
        while (j + 2 < len(words) and words[j + 1].text == "-" and not words[j].space
               and not words[j + 1].space and words[j].text.isalnum()
               and words[j + 2].text.isalnum()):
            j += 2
        first, last = words[i], words[j]
        if j > i:
            parts = words[i: j + 1]
            lower = "".join(w.lower for w in parts)
            # the lemma spaced: "top-up" and "top up" are one phrase, written as most write it
            word = Word("".join(w.text for w in parts), lower,
                        (lower[: -len(last.lower)] + last.lemma).replace("-", " "),
                        last.pos if last.pos in CONTENT else "NOUN", last.tag, False, False,
                        last.space, first.sentence_start)
        elif (j + 1 < len(words) and first.space and first.pos in {"VERB", "NOUN"}
              and first.text.isalpha() and words[j + 1].text.isalpha()
              # the tagger's particle; or an adverb after a stop-word noun, whose meaning
              # then lies in the pair ("top up" tagged noun + adverb)
              and (words[j + 1].tag == PARTICLE
                   or (first.stop and first.pos == "NOUN" and words[j + 1].tag == ADVERB))):
            j += 1
            p = words[j]
            word = Word(f"{first.text} {p.text}", f"{first.lower} {p.lower}",
                        f"{first.lemma} {p.lower}", first.pos, first.tag, False, False,
                        p.space, first.sentence_start)
        else:
            word = first
        out.append(word)
        i = j + 1
    return out


class Phrases:
    """Every candidate phrase of a text (``found``: lemma key -> the words as written, whether
    each one's casing counts, and the phrase's content lemmas) and the text's content lemmas
    (``lemmas``)."""

    def __init__(self, words: list[Word], is_word: Callable[[str], bool]):
        self.u = join_compounds(words)
        spelled = [len(w.lower) > 1 and all(p.isalpha() and is_word(p)
                                            for p in re.split("[- ]", w.lower))
                   for w in self.u]
        self.content = [ok and w.pos in CONTENT and not (w.stop and w.pos not in NOMINAL)
                        for w, ok in zip(self.u, spelled, strict=True)]
        # an adverb that says how ("charged twice", "loads slowly")
        self.manner = [ok and w.pos == "ADV" and not w.stop
                       for w, ok in zip(self.u, spelled, strict=True)]
        # what a phrase means: its content words that are no stop word ("top", "amount"
        # are nouns spaCy lists as stop words: part of a phrase, never the whole of it)
        self.meant = [(c and not w.stop) or m
                      for w, c, m in zip(self.u, self.content, self.manner, strict=True)]
        self.lemmas = frozenset(w.lemma for w, m in zip(self.u, self.meant, strict=True) if m)
        self.found: dict[Key, tuple[tuple[str, ...], tuple[bool, ...], frozenset[str]]] = {}
        self.nominal: set[Key] = set()  # the noun phrases among them ("Zapier workaround")
        self.nouns = frozenset(w.lemma for w, m in zip(self.u, self.meant, strict=True)
                               if m and w.pos in NOMINAL)
        # adjectives alone are candidates only if some text grades them or says them of
        # something ("very slow", "is slow"): "slow" names a complaint, "virtual" does not
        self.adjectives: set[str] = set()
        self.graded: set[str] = set()
        self.runs = dict(self._modified_nouns())
        for start, end in self.runs.items():
            for b in range(start, end + 1):
                if self.u[b].pos in NOMINAL:
                    for a in range(max(start, b - MAX_NOUN_PHRASE + 1), b + 1):
                        self._add(range(a, b + 1), nominal=True)
                        # and what it is of, for or in ("number of seats", "charge for users")
                        if (b - a < 2 and b + 1 < len(self.u) and self.u[b + 1].pos == "ADP"
                                and self.u[b + 1].lower in ATTACHING):
                            for obj in self._objects(b + 2):
                                self._add([*range(a, b + 2), *obj], nominal=True)
                    self._subject(start, b)
                elif self.u[b].pos == "ADJ":
                    self._add([b])
                    self.adjectives.add(self.u[b].lemma)
                    if self._graded(b):
                        self.graded.add(self.u[b].lemma)
        self._verbs()

    def _modified_nouns(self) -> list[tuple[int, int]]:
        """Maximal runs of content nouns and adjectives, as (first, last) positions."""
        runs, i, n = [], 0, len(self.u)
        while i < n:
            if self.content[i] and self.u[i].pos in MODIFIER:
                j = i
                while j + 1 < n and self.content[j + 1] and self.u[j + 1].pos in MODIFIER:
                    j += 1
                runs.append((i, j))
                i = j + 1
            else:
                i += 1
        return runs

    def _objects(self, j: int) -> list[list[int]]:
        """The noun phrases starting at ``j`` (articles and possessives skipped): "my new
        card" -> "new card", "card"."""
        skipped = 0
        while j < len(self.u) and skipped < 2 and (self.u[j].pos == "DET"
                                                   or self.u[j].tag == POSSESSIVE):
            j, skipped = j + 1, skipped + 1
        if j not in self.runs:
            return []
        end = self.runs[j]
        # a conjoined object is cut in half by any phrase of it: "handoffs between design
        # (and engineering)"
        if end + 2 < len(self.u) and self.u[end + 1].pos == "CCONJ" and self.runs.get(end + 2):
            return []
        out = []
        for b in range(j, min(end, j + MAX_NOUN_PHRASE - 1) + 1):
            if self.u[b].pos in NOMINAL:
                out.append(list(range(j, b + 1)))
                if b > j:
                    out.append([b])
        return out

    def _written(self, i: int) -> str:
        """The word as written; "" when its casing says nothing (a sentence's first word,
        unless an acronym); a negation written out ("not"), whatever the contraction."""
        w = self.u[i]
        if w.negation:
            return w.lemma
        if w.sentence_start and not (w.text.isupper() and len(w.text) > 1):
            return ""
        return w.text

    def _add(self, idx: Sequence[int], nominal: bool = False) -> None:
        idx = list(idx)
        if 0 < len(idx) <= MAX_WORDS:
            key = tuple(self.u[i].lemma for i in idx)
            self.found.setdefault(key, (
                tuple(self._written(i) or self.u[i].lower for i in idx),
                tuple(bool(self._written(i)) for i in idx),
                frozenset(self.u[i].lemma for i in idx if self.meant[i])))
            if nominal:
                self.nominal.add(key)

    def _graded(self, i: int) -> bool:
        """An adjective with a degree or said of something ("very slow", "slower", "is
        slow"), not one that only sorts a noun ("virtual card")."""
        w = self.u[i]
        before = self.u[i - 1] if i else None
        return (w.tag in GRADED or (before is not None and not before.negation
                                    and before.pos in {"ADV", "AUX"}))

    def _is_verb(self, i: int) -> bool:
        return i < len(self.u) and self.content[i] and self.u[i].pos == "VERB"

    def _subject(self, start: int, head: int) -> None:
        """A noun and what it does or is: "card not arrived", "payment declined", "app
        crashing", "dashboards slow" (auxiliaries, adverbs and light verbs between them
        skipped, a negation kept)."""
        k, neg, linked, n = head + 1, None, False, len(self.u)
        while k < n and k - head <= 4 and not self._is_verb(k) and (
                self.u[k].pos in BRIDGE or (self.u[k].pos == "VERB" and self.u[k].stop)):
            neg = k if self.u[k].negation else neg
            linked = linked or self.u[k].pos == "AUX"
            k += 1
        if k >= n or k - head > 4:
            return
        # a bare infinitive reads wrong without its auxiliary ("card not work", "card arrive")
        if not ((self._is_verb(k) and self.u[k].tag != BARE_VERB)
                or (linked and self.content[k] and self.u[k].pos == "ADJ")):
            return
        tail = [neg, k] if neg is not None else [k]
        for a in range(max(start, head - 1), head + 1):
            self._add([*range(a, head + 1), *tail])

    def _verbs(self) -> None:
        """A verb with its object ("cancel transfer", "waiting for card") or its manner
        ("charged twice"); a verb alone only with its particle ("top up")."""
        n = len(self.u)
        for i in range(n):
            if not self._is_verb(i):
                continue
            if " " in self.u[i].lemma:  # a lone verb ("declined") names nothing
                self._add([i])
            j, prep = i + 1, []
            if j < n and self.manner[j]:
                self._add([i, j])
            if j < n and self.u[j].pos == "ADP":
                prep, j = [j], j + 1
            for obj in self._objects(j):
                # a participle right before its noun modifies it: "lost baggage" is a noun
                # phrase, "lost my baggage" a clause
                self._add([i, *prep, *obj], nominal=not prep and obj[0] == i + 1
                          and self.u[i].tag in PARTICIPLES)


class PhraseLabeller:
    """Ranked phrase labels for the topics of one corpus (texts, their embeddings and weights:
    how often each distinct text occurs). ``is_word`` says whether a lowercase word is
    spelled right. The members read are drawn on the first partition named (the subtopics);
    a coarser one (themes) reuses them, each subtopic's sample standing for the subtopic.
    ``adjectives=False``: no adjective alone is a label; ``nouns_only``: only noun phrases
    are ("Zapier workaround", "number of seats"; not "built workaround", "legs sore")."""

    def __init__(self, texts: Sequence[str], embeddings: np.ndarray, weights: np.ndarray,
                 is_word: Callable[[str], bool], adjectives: bool = True,
                 nouns_only: bool = False):
        self.texts, self.embeddings, self.weights = texts, embeddings, weights
        self.is_word, self.adjectives = is_word, adjectives and not nouns_only
        self.nouns_only = nouns_only
        self.estimate = np.zeros(len(texts))  # occurrences each read text stands for
        self.phrases: dict[int, Phrases] = {}

    def draw(self, labels: np.ndarray, centroids: np.ndarray) -> None:
        """Read the topics of ``labels`` that no read text belongs to yet: the members
        nearest the centre, then a draw from the rest weighted by occurrences."""
        rng = np.random.default_rng(0)
        todo: list[int] = []
        for t in range(len(centroids)):
            members = np.flatnonzero(labels == t)
            if not len(members) or (self.estimate[members] > 0).any():
                continue
            c = centroids[t] / (np.linalg.norm(centroids[t]) + 1e-12)
            order = np.argsort(-(self.embeddings[members] @ c), kind="stable")
            near, rest = members[order[:NEAREST]], members[order[NEAREST:]]
            if len(rest):
                p = self.weights[rest] / self.weights[rest].sum()
                rest = rng.choice(rest, size=min(SAMPLED, len(rest)), replace=False, p=p)
            read = np.concatenate([near, rest])
            w = self.weights[read]
            self.estimate[read] = w * self.weights[members].sum() / w.sum()
            todo += [int(i) for i in read if int(i) not in self.phrases]
        for i, words in zip(todo, tag([clean(self.texts[i]) for i in todo]), strict=True):
            self.phrases[i] = Phrases(words, self.is_word)

    def ranked(self, labels: np.ndarray, centroids: np.ndarray) -> list[list[str]]:
        """Per topic of ``labels``: up to ``N_CANDIDATES`` phrase labels, best first (F-measure
        of the phrase's precision and recall over the topic's estimated occurrences); empty
        when no phrase picks the topic out."""
        n_topics = len(centroids)
        self.draw(labels, centroids)
        read = np.array(sorted(i for i in self.phrases if self.estimate[i] > 0
                               and labels[i] >= 0), dtype=int)
        if not len(read) or not n_topics:
            return [[] for _ in range(n_topics)]
        # with ``adjectives=False`` no adjective alone is a candidate, graded or not
        graded = set().union(*(self.phrases[i].graded for i in read)) if self.adjectives \
            else set()
        ungraded = {(a,) for i in read for a in self.phrases[i].adjectives if a not in graded}
        index: dict[Key, int] = {}
        meaning: list[frozenset[str]] = []  # each phrase's content lemmas
        rows, cols = [], []
        for r, i in enumerate(read):
            for key, (_, _, content) in self.phrases[i].found.items():
                if key in ungraded or (self.nouns_only and (key not in self.phrases[i].nominal
                                                            or set(key) <= TIME_UNITS)):
                    continue
                if key not in index:
                    index[key] = len(index)
                    meaning.append(content)
                rows.append(r)
                cols.append(index[key])
        keys = list(index)
        X = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(read), len(keys)))
        topic = labels[read]
        onehot = sparse.csr_matrix((np.ones(len(read)), (topic, np.arange(len(read)))),
                                   shape=(n_topics, len(read)))
        tp = (onehot @ sparse.diags(self.estimate[read]) @ X).tocsr()
        texts_with = (onehot @ X).tocsr()  # how many read texts of the topic use it
        total = np.asarray(tp.sum(axis=0)).ravel()
        size = np.asarray(onehot @ self.estimate[read]).ravel()
        read_per_topic = np.bincount(topic, minlength=n_topics)
        filler = self.filler(read, topic, n_topics)
        out = []
        for t in range(n_topics):
            row = tp.getrow(t)
            cand = row.indices
            support = np.asarray(texts_with.getrow(t)[:, cand].todense()).ravel()
            precision = row.data / total[cand]
            recall = row.data / max(size[t], 1e-12)
            f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
            # a phrase one text uses is an anecdote, unless the topic has next to no texts
            ok = (support >= min(2, read_per_topic[t])) & (f1 >= MIN_SCORE)
            scored = sorted(((float(f), keys[j], meaning[j]) for f, j in zip(f1[ok], cand[ok],
                                                                            strict=True)),
                            key=lambda x: (-x[0], -len(x[1]), x[1]))
            out.append(self.written(best_phrases(scored, filler), read[topic == t]))
        return out

    def adjectives_read(self) -> frozenset[str]:
        """The lemmas the texts read so far use as adjectives."""
        return frozenset().union(*(p.adjectives for p in self.phrases.values()))

    def not_nouns_read(self) -> frozenset[str]:
        """The content lemmas the texts read so far never use as a noun."""
        used = frozenset().union(*(p.lemmas for p in self.phrases.values()))
        return used - frozenset().union(*(p.nouns for p in self.phrases.values()))

    def filler(self, read: np.ndarray, topic: np.ndarray, n_topics: int) -> set[str]:
        """Content lemmas that turn up in most topics ("app" in app reviews): they name none
        of them alone."""
        if n_topics < MIN_FILLER_TOPICS:
            return set()
        where: dict[str, set[int]] = defaultdict(set)
        for i, t in zip(read, topic, strict=True):
            for lemma in self.phrases[i].lemmas:
                where[lemma].add(int(t))
        return {lemma for lemma, ts in where.items() if len(ts) >= FILLER_SPREAD * n_topics}

    def written(self, keys: list[Key], members: np.ndarray) -> list[str]:
        """Phrases as the topic's customers most often write them: the most frequent wording,
        each word in its most frequent casing where casing counts, first letter capitalised."""
        labels: list[str] = []
        for key in keys:
            wordings: Counter = Counter()
            casings: dict[int, Counter] = defaultdict(Counter)
            for i in members:
                if key in self.phrases[i].found:
                    form, counts, _ = self.phrases[i].found[key]
                    wordings[tuple(w.lower() for w in form)] += self.estimate[i]
                    for pos, (word, c) in enumerate(zip(form, counts, strict=True)):
                        if c:
                            casings[pos][word] += self.estimate[i]
            wording = max(wordings, key=lambda f: (wordings[f], f))
            cased = [max((c for c in casings[pos] if c.lower() == w), default=w,
                         key=lambda c: (casings[pos][c], c)) for pos, w in enumerate(wording)]
            text = " ".join(cased)
            if cased[0].islower():  # "iPhone app" stays as written
                text = text[0].upper() + text[1:]
            if text not in labels:
                labels.append(text)
        return labels


def best_phrases(scored: list[tuple[float, Key, frozenset[str]]], filler: set[str],
                 n: int = N_CANDIDATES) -> list[Key]:
    """The ``n`` best of (score, phrase, content lemmas), best first: none made of filler
    alone, no two with the same content words, and a longer phrase that says more and scores
    nearly as well (``LONGER``) in place of a shorter one ("Exchange rate" over "Rate")."""
    picked: list[Key] = []
    seen: set[frozenset[str]] = set()
    for f1, key, content in scored:
        if not content or content <= filler:
            continue
        longer = [(f, k, c) for f, k, c in scored
                  if c > content and f >= LONGER * f1 and c not in seen]
        if longer:
            _, key, content = longer[0]  # the best-scoring of them
        if content in seen:
            continue
        seen.add(content)
        picked.append(key)
        if len(picked) == n:
            break
    return picked
