"""Labels: spelled right, never shared by two topics."""

from __future__ import annotations

import pandas as pd

from cc_analysis import topics
from cc_analysis.topics.label import Spelling


def test_repeated_labels_take_the_next_best_phrase() -> None:
    table = pd.DataFrame({"label": ["Exchange rate", "Refund", "Exchange rate", "Exchange rate",
                                    "Exchange rate"],
                          "keywords": [["exchange"], ["refund"], ["rate", "cash"],
                                       ["exchange rate", "card"], ["rate"]],
                          "from_codebook": [False] * 5})
    alternatives = [["Rate"], ["Refund status"],
                    # a part of the repeated label tells nothing apart; a phrase another
                    # topic holds is no way out either
                    ["Rate", "Refund", "Wrong exchange rate for cash"],
                    ["Exchange"], []]
    labels = topics.distinct_labels(table, alternatives)["label"].tolist()
    # then the first keyword the label lacks; then a number
    assert labels == ["Exchange rate", "Refund", "Wrong exchange rate for cash",
                      "Exchange rate (card)", "Exchange rate (2)"]


def test_codebook_names_are_never_changed() -> None:
    table = pd.DataFrame({"label": ["Billing", "Billing"], "keywords": [["a"], ["b"]],
                          "from_codebook": [False, True]})
    assert topics.distinct_labels(table, [["Invoices"], ["Other"]])["label"].tolist() \
        == ["Billing", "Billing"]


def test_a_rare_near_spelling_of_a_common_word_is_a_typo() -> None:
    spelling = Spelling([f"we would like {i}" for i in range(20)] + ["we wuld like more"])
    assert spelling.is_typo("wuld") and not spelling.is_typo("would")
    assert spelling.is_known("would like") and not spelling.is_known("wuld")
