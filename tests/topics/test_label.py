"""Labels: readable, spelled right, never shared by two topics."""

from __future__ import annotations

import pandas as pd

from cc_analysis import topics
from cc_analysis.topics.label import Spelling


def test_repeated_labels_are_told_apart() -> None:
    table = pd.DataFrame({"label": ["Petite · lbs", "Fit", "Petite · lbs", "Petite · lbs"],
                          "keywords": [["petite", "lbs"], ["fit"], ["lbs", "regular"],
                                       ["petite"]],
                          "from_codebook": [False] * 4})
    labels = topics.distinct_labels(table)["label"].tolist()
    assert labels == ["Petite · lbs", "Fit", "Petite · lbs · regular", "Petite · lbs (2)"]


def test_readable_label_joins_two_phrases_that_add_something() -> None:
    # "dashboards" adds nothing to "dashboards load"; filler words ("really") are dropped
    assert topics.readable_label(["dashboards load", "dashboards", "really slow", "app"]) \
        == "Dashboards load · slow"
    assert topics.readable_label(["just", "really"]) == "Miscellaneous"


def test_a_rare_near_spelling_of_a_common_word_is_a_typo() -> None:
    spelling = Spelling([f"we would like {i}" for i in range(20)] + ["we wuld like more"])
    assert spelling.is_typo("wuld") and not spelling.is_typo("would")
    assert spelling.is_known("would like") and not spelling.is_known("wuld")
