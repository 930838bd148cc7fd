"""Co-mention themes: subtopics raised together in the same documents form one theme."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cc_analysis import topics


def test_co_mention_themes_group_topics_raised_together() -> None:
    rng = np.random.default_rng(1)
    rows = []
    for doc in range(3000):
        if doc % 3 == 0:  # a billing story: each billing subtopic with probability 0.8
            rows += [(doc, t) for t in (0, 1, 2) if rng.random() < 0.8]
        elif doc % 3 == 1:  # a mobile story
            rows += [(doc, 3), (doc, 4)]
        else:
            rows.append((doc, 5))
        if doc % 3 != 2 and rng.random() < 0.3:  # topic 5 also turns up anywhere, by chance
            rows.append((doc, 5))
    mentions = pd.DataFrame(rows, columns=["doc", "topic"])
    themes = topics.co_mention_themes(mentions, 6)
    assert themes[0] == themes[1] == themes[2] != themes[3] == themes[4]
    assert themes[5] not in themes[:5]
    # boilerplate stays alone however often it is mentioned with others
    assert len(set(topics.co_mention_themes(mentions, 6, exclude=[1]))) == 4
    # single-sentence documents: nothing is mentioned together, every topic is its own theme
    alone = pd.DataFrame({"doc": range(600), "topic": np.arange(600) % 6})
    assert list(topics.co_mention_themes(alone, 6)) == list(range(6))


def test_co_mention_themes_discount_a_shared_source() -> None:
    # topics 0 and 1 are both common in reviews (a third of documents) and rare in tickets,
    # but independent within each source: pooled, they look related (lift ~3); stratified by
    # source, they are not
    rng = np.random.default_rng(2)
    rows = []
    for doc in range(6000):
        review = doc < 2000
        for t, p in ((0, 0.5 if review else 0.02), (1, 0.5 if review else 0.02),
                     (2, 1.0)):  # topic 2: something every document says
            if rng.random() < p:
                rows.append((doc, t, "review" if review else "ticket"))
    mentions = pd.DataFrame(rows, columns=["doc", "topic", "stratum"])
    pooled = topics.co_mention_themes(mentions.drop(columns="stratum"), 3)
    strat = topics.co_mention_themes(mentions, 3)
    assert pooled[0] == pooled[1]
    assert strat[0] != strat[1]
