"""The topic model on hand-made embeddings: keywords and themes belong to the right topic."""

from __future__ import annotations

import numpy as np
import pytest

from cc_analysis import topics


class ThreeGroups:
    """A cluster model that puts each text in the group of its largest coordinate."""

    def fit(self, X: np.ndarray) -> ThreeGroups:
        self.labels_ = X.argmax(axis=1)
        return self


@pytest.fixture
def three_topics() -> tuple[list[str], np.ndarray]:
    texts = ([f"invoice charged twice error {i}" for i in range(40)]
             + [f"slack integration stopped posting {i}" for i in range(40)]
             + [f"dashboard loads slowly today {i}" for i in range(40)])
    emb = np.zeros((120, 3), dtype=np.float32)
    emb[np.arange(120), np.arange(120) // 40] = 1.0
    # equal sizes, the last topic's texts first: BERTopic's own numbering differs from ours
    return texts[::-1], emb[::-1]


def test_topic_keywords_come_from_the_topic_own_texts(three_topics) -> None:
    # BERTopic renumbers topics by size; keywords must still describe the right topic
    texts, emb = three_topics
    model = topics.TopicModel(cluster_model=ThreeGroups()).fit(texts, emb)
    for _, row in model.summary().iterrows():
        members = [t for t, lab in zip(texts, model.labels_, strict=True)
                   if lab == row["topic_id"]]
        for kw in row["keywords"][:3]:
            assert any(kw.split()[0] in t for t in members), (row["label"], kw)


def test_new_embeddings_take_the_theme_of_their_nearest_subtopic(three_topics) -> None:
    texts, emb = three_topics
    model = topics.TopicModel(cluster_model=ThreeGroups()).fit(texts, emb)
    assert len(model.summary()) == 3
    # a vector near each group's axis gets the theme that group's texts have
    probes = np.eye(3, dtype=np.float32) + 0.1
    expected = [model.labels_[list(emb.argmax(axis=1)).index(g)] for g in range(3)]
    assert model.transform(probes).tolist() == expected
