"""The topic model: subtopics of segments, grouped into the themes customers raise together.

Owns ``TopicModel`` (``fit`` / ``summary``, in lifelines' style): codebook themes assigned
first so known themes keep their names; the rest clustered (pluggable, default
``SmoothedHDBSCAN``); every segment assigned (outliers reassigned to the nearest topic, and
reported); subtopics grouped into themes by co-mention; per topic its keywords (c-TF-IDF),
label, size, share, most representative texts and a boilerplate flag (sentences repeated
verbatim everywhere). Same input and seed give the same topics.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..codebook import Codebook
from .cluster import SmoothedHDBSCAN
from .codes import learn_codes
from .keywords import WordIndex
from .label import Labeller, Spelling, distinct_labels
from .themes import co_mention_themes

if TYPE_CHECKING:  # matplotlib loads only when a chart is drawn (ingest draws none)
    from matplotlib.figure import Figure

BOILERPLATE_DIVERSITY = 0.1  # distinct sentences per occurrence below which text is a template
BOILERPLATE_MIN_SHARE = 0.01
MAX_TOPICS = 100  # the most themes a model reports (closest subtopics merged beyond it)


class TopicModel:
    """Topics for short customer feedback, in lifelines' style (``fit`` / ``summary`` / ``plot``).

    Two levels. **Subtopics** are clusters of segments that say the same thing ("charged twice
    this month"); **topics** (themes) group the subtopics customers raise together (billing:
    double charges, wrong seat counts, missing VAT), found by ``co_mention_themes`` when ``fit``
    is told which documents hold which texts. ``summary()`` and ``labels_`` are the themes
    (tens, for people to read); ``subtopics_`` and ``sublabels_`` the drill-down.

    Parameters: ``seed``; ``min_topic_size`` (default: about n/300, at least 10);
    ``max_topics`` (default ``MAX_TOPICS``: the closest subtopics are merged down to that many,
    so a report never lists hundreds); ``cluster_model`` (any object with
    ``fit(X)`` and ``labels_``, default ``SmoothedHDBSCAN``); ``codebook`` plus
    ``codebook_embeddings`` (one vector per code from its label, definition, seed words and
    examples, embedded with the same model: ``code_prototypes``); which texts fit a
    code is learnt from the corpus (``learn_codes``), the rest form discovered themes, and
    ``coded_share_`` says how much went to the codes. ``adjective_labels=False``: a topic is
    never named by an adjective alone ("Great", "Hard"), for texts where those are verdicts
    rather than complaints; feedback keeps them ("Slow" names a complaint).
    ``noun_labels=True``: topics are named by noun phrases only ("Zapier workaround", not
    "Built workaround"), the way researchers name interview themes.
    """

    def __init__(self, seed: int = 42, min_topic_size: int | None = None,
                 max_topics: int | None = MAX_TOPICS,
                 cluster_model: Any = None, codebook: Codebook | None = None,
                 codebook_embeddings: np.ndarray | None = None,
                 n_keywords: int = 10, n_quotes: int = 3, adjective_labels: bool = True,
                 noun_labels: bool = False):
        self.seed, self.min_topic_size, self.max_topics = seed, min_topic_size, max_topics
        self.cluster_model = cluster_model or SmoothedHDBSCAN(seed, min_topic_size,
                                                              max_topics=max_topics)
        self.codebook, self.codebook_embeddings = codebook, codebook_embeddings
        self.n_keywords, self.n_quotes = n_keywords, n_quotes
        self.adjective_labels, self.noun_labels = adjective_labels, noun_labels

    # -- fitting -------------------------------------------------------------------------------
    def fit(self, texts: Sequence[str], embeddings: np.ndarray,
            weights: Sequence[int] | None = None,
            mentions: pd.DataFrame | None = None) -> TopicModel:
        """Fit on texts and their embeddings. ``weights``: how often each (distinct) text
        occurs in the corpus, when duplicates were collapsed before fitting; it makes sizes count
        occurrences and lets boilerplate (few sentences repeated verbatim) be flagged.
        ``mentions``: which document holds which text (columns ``doc`` and ``text``, the
        position in ``texts``, optionally ``stratum``: the document's source); with it,
        subtopics mentioned together are grouped into themes (``co_mention_themes``)."""
        texts = [t if isinstance(t, str) else "" for t in texts]
        self.weights_ = np.ones(len(texts)) if weights is None else np.asarray(weights, float)
        emb = np.asarray(embeddings, dtype=np.float32)
        if len(texts) != len(emb):
            raise ValueError(f"{len(texts)} texts but {len(emb)} embeddings")
        labels, names = self._assign(emb)
        self.texts_, self.embeddings_ = texts, emb
        self._spelling = Spelling(texts)
        self._words = WordIndex(texts, self.weights_)
        self._labeller = Labeller(texts, emb, self.weights_, self._words, self._spelling,
                                  adjectives=self.adjective_labels,
                                  nouns_only=self.noun_labels)
        sub, sub_names = self._renumber(labels, names)
        self.sublabels_ = sub
        self.subtopics_, self.sub_centroids_ = self._describe(sub, sub_names)
        # themes: subtopics mentioned together; boilerplate and codebook themes stand alone
        alone = self.subtopics_.loc[self.subtopics_["boilerplate"]
                                    | self.subtopics_["from_codebook"], "topic_id"].tolist()
        if mentions is not None and len(self.subtopics_) > 1:
            pairs = pd.DataFrame({"doc": mentions["doc"].to_numpy(),
                                  "topic": sub[mentions["text"].to_numpy()],
                                  "stratum": mentions["stratum"].to_numpy()
                                  if "stratum" in mentions else 0})
            group = co_mention_themes(pairs, len(self.subtopics_), exclude=alone,
                                      seed=self.seed)
        else:
            group = np.arange(len(self.subtopics_))
        theme_names = {int(group[t]): n for t, n in sub_names.items()}
        self.labels_, names = self._renumber(group[sub] if len(sub) else sub, theme_names)
        if len(np.unique(group)) == len(group):  # no grouping: each subtopic is a theme
            self.topics_ = self.subtopics_.assign(subtopics=self.subtopics_["label"].map(
                lambda x: [x]))
            self.centroids_ = self.sub_centroids_
        else:
            self.topics_, self.centroids_ = self._describe(self.labels_, names, sub)
        self.subtopics_.insert(1, "theme_id", self.subtopics_["topic_id"].map(
            dict(zip(sub, self.labels_, strict=True))).astype(int))
        return self

    def _assign(self, emb: np.ndarray) -> tuple[np.ndarray, dict[int, str]]:
        """A topic for every text: codebook codes first (their names kept), then the cluster
        model on the rest, then any outliers left to the most similar topic centroid; sets
        ``outlier_share_before_``."""
        labels = np.full(len(emb), -1, dtype=int)
        names: dict[int, str] = {}
        next_id = 0
        if self.codebook is not None:
            if self.codebook_embeddings is None:
                raise ValueError("a codebook needs codebook_embeddings (code_prototypes)")
            coded, _ = learn_codes(emb, self.codebook_embeddings, seed=self.seed)
            labels[coded >= 0] = coded[coded >= 0]
            names = dict(enumerate(self.codebook.labels))
            next_id = len(self.codebook.codes)
        self.coded_share_ = float(self.weights_[labels >= 0].sum() / max(self.weights_.sum(), 1))
        rest = np.flatnonzero(labels < 0)
        if len(rest):
            self.cluster_model.fit(emb[rest])
            found = np.asarray(self.cluster_model.labels_)
            labels[rest] = np.where(found >= 0, found + next_id, -1)
        outliers = labels < 0
        noise = getattr(self.cluster_model, "noise_share_", 0.0) * len(rest)
        self.outlier_share_before_ = float((outliers.sum() + noise) / max(len(labels), 1))
        if outliers.any() and (~outliers).any():
            ids = np.unique(labels[~outliers])
            cents = np.vstack([emb[labels == t].mean(axis=0) for t in ids])
            labels[outliers] = ids[(emb[outliers] @ cents.T).argmax(axis=1)]
        return labels, names

    @staticmethod
    def _renumber(labels: np.ndarray, names: dict[int, str]) -> tuple[np.ndarray,
                                                                      dict[int, str]]:
        """Ids 0..k-1 by descending size (codebook themes keep their names)."""
        ids, counts = np.unique(labels[labels >= 0], return_counts=True)
        order = ids[np.lexsort((ids, -counts))]
        remap = {old: new for new, old in enumerate(order)}
        return (np.array([remap.get(v, -1) for v in labels], dtype=int),
                {remap[o]: n for o, n in names.items() if o in remap})

    def _describe(self, labels: np.ndarray, names: dict[int, str],
                  sub: np.ndarray | None = None) -> tuple[pd.DataFrame, np.ndarray]:
        """One row per topic of ``labels``: label, size, share, keywords, representative docs,
        boilerplate flag; plus the centroids. With ``sub`` (the subtopic of each text), topics
        made of several subtopics quote their largest subtopics."""
        n_topics = int(labels.max()) + 1 if len(labels) else 0
        keywords = self._words.ctfidf_keywords(labels, n_topics)
        centroids = np.vstack([self.embeddings_[labels == t].mean(axis=0)
                               for t in range(n_topics)]) if n_topics \
            else np.zeros((0, self.embeddings_.shape[1]))
        total = self.weights_.sum()
        # the phrases customers wrote that pick each topic out, best first
        names_ranked = self._labeller.ranked_labels(labels, centroids)
        rows = []
        for t in range(n_topics):
            members = np.flatnonzero(labels == t)
            words = keywords[t]
            clean = [w for w in words if self._spelling.is_known(w)] or words
            occurrences = float(self.weights_[members].sum())
            parts = [] if sub is None else self._parts(sub, members)
            if len(parts) > 1:
                quotes = [self.subtopics_.at[p, "representative_docs"][0]
                          for p in parts[: self.n_quotes]]
            else:
                quotes = self._representatives(members, centroids[t])
            row = {
                "topic_id": t,
                "label": names.get(t) or names_ranked[t][0],
                "size": int(occurrences),
                "share": occurrences / total,
                "keywords": clean[: self.n_keywords],
                "representative_docs": quotes,
                "from_codebook": t in names,
                # the same few sentences repeated verbatim across many documents: templates,
                # macros, pleasantries; reported, but not a theme customers raise
                "boilerplate": bool(len(members) / occurrences < BOILERPLATE_DIVERSITY
                                    and occurrences / total >= BOILERPLATE_MIN_SHARE),
            }
            if sub is not None:
                row["subtopics"] = [self.subtopics_.at[p, "label"] for p in parts]
            rows.append(row)
        return distinct_labels(pd.DataFrame(rows), [n[1:] for n in names_ranked]), centroids

    def _parts(self, sub: np.ndarray, members: np.ndarray) -> list[int]:
        """The subtopics of a theme, largest first."""
        ids = np.unique(sub[members])
        sizes = self.subtopics_.set_index("topic_id").loc[ids, "size"]
        return sizes.sort_values(ascending=False, kind="stable").index.tolist()

    def _representatives(self, members: np.ndarray, centroid: np.ndarray) -> list[int]:
        """The members closest to the centroid, distinct texts, 6-40 words preferred."""
        sims = self.embeddings_[members] @ centroid
        lengths = np.array([len(self.texts_[i].split()) for i in members])
        penalty = np.where((lengths >= 6) & (lengths <= 40), 0.0, 0.05)
        out, seen = [], set()
        for j in np.argsort(-(sims - penalty), kind="stable"):
            key = self.texts_[members[j]].lower().strip()
            if key not in seen:
                seen.add(key)
                out.append(int(members[j]))
            if len(out) == self.n_quotes:
                break
        return out

    # -- results -------------------------------------------------------------------------------
    @property
    def doc_topics_(self) -> np.ndarray:
        """The theme of each text (as ``labels_``)."""
        return self.labels_

    def summary(self) -> pd.DataFrame:
        """One row per theme: topic_id, label, size, share, keywords, representative_docs,
        from_codebook, boilerplate, subtopics (their labels, largest first)."""
        return self.topics_.copy()

    def transform(self, embeddings: np.ndarray) -> np.ndarray:
        """The theme of new embeddings: the theme of their nearest subtopic centre."""
        sub = (np.asarray(embeddings, dtype=np.float32) @ self.sub_centroids_.T).argmax(axis=1)
        return self.subtopics_["theme_id"].to_numpy()[sub]

    def plot(self, top: int = 15) -> Figure:
        """Theme sizes, largest first."""
        from .. import plots

        s = self.topics_.head(top).set_index("label")["share"]
        return plots.hbar(s, title="Largest themes (share of segments)", as_percent=True)
