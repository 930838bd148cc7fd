"""Phrase labels: the phrases customers wrote, matched on lemmas, written as most write them."""

from __future__ import annotations

import numpy as np
import pytest

from cc_analysis import nlp, topics
from cc_analysis.topics.keywords import WordIndex
from cc_analysis.topics.label import MISCELLANEOUS, Labeller, Spelling
from cc_analysis.topics.phrases import Phrases, clean


def found(text: str) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Lemma key -> the words as written, of every candidate phrase of ``text``."""
    return {k: v[0] for k, v in Phrases(nlp.tag([clean(text)])[0], lambda w: True).found.items()}


def test_candidates_are_the_phrase_shapes_a_researcher_writes() -> None:
    # subject + negated verb, the contraction written out
    assert found("My card still hasn't arrived.")[("card", "not", "arrive")] \
        == ("card", "not", "arrived")
    # verb + object, possessive skipped; a lone verb is no candidate
    cancel = found("I'd like to cancel my subscription.")
    assert ("cancel", "subscription") in cancel and ("cancel",) not in cancel
    # adjective + noun, and an adjective said of a noun
    assert found("Late flights again")[("late", "flight")] == ("late", "flights")
    assert found("The dashboards are slow")[("dashboard", "slow")] == ("dashboards", "slow")
    # noun + noun, and a noun with what it is of
    assert ("baggage", "claim") in found("The baggage claim took an hour")
    assert found("They charged the wrong number of seats")[("wrong", "number", "of", "seat")] \
        == ("wrong", "number", "of", "seats")


def test_spellings_of_one_phrase_share_a_key() -> None:
    assert ("top up", "fail") in found("My top-up failed")
    assert ("top up", "fail") in found("my top up failed")
    assert found("Exchange rates are terrible")[("exchange", "rate")] == ("exchange", "rates")


def test_handles_links_placeholders_and_markup_are_no_words() -> None:
    keys = found("@skyline_air lost my baggage, see https://t.co/x1 [NAME] &amp; <b>reply</b>")
    words = {w for key in keys for w in key}
    assert ("lose", "baggage") in keys
    assert not words & {"skyline_air", "https", "name", "amp", "b"}, keys


def corpus() -> tuple[list[str], np.ndarray]:
    """Four topics, each written several ways; every text ends with the same sign-off."""
    groups = [
        ["my card hasn't arrived yet", "the card has not arrived", "card not arrived after "
         "two weeks", "still waiting, my new card has not arrived", "why has my card not "
         "arrived", "my card hasn't arrived, what now"],
        ["what exchange rates do you use", "your exchange rates are bad", "the exchange rate "
         "was wrong", "exchange rates changed overnight", "are exchange rates fixed",
         "how are exchange rates set"],
        ["how do I cancel my subscription", "please cancel my subscription today", "I want "
         "to cancel the subscription", "cancel subscription now", "can I cancel my "
         "subscription online", "cancelling my subscription"],
        ["my baggage was lost", "they lost my baggage again", "lost baggage at the airport",
         "the airline lost our baggage", "lost baggage, no reply", "who pays for lost baggage"],
    ]
    texts = [f"{t}. Regards, the team" for g in groups for t in g]
    emb = np.zeros((len(texts), 4), dtype=np.float32)
    emb[np.arange(len(texts)), np.arange(len(texts)) // 6] = 1.0
    return texts, emb


class FourGroups:
    """A cluster model that puts each text in the group of its largest coordinate."""

    def fit(self, X: np.ndarray) -> FourGroups:
        self.labels_ = X.argmax(axis=1)
        return self


def test_topics_are_named_by_the_phrase_that_picks_them_out() -> None:
    texts, emb = corpus()
    model = topics.TopicModel(cluster_model=FourGroups(), min_topic_size=2).fit(texts, emb)
    summary = model.summary()
    named = {t: summary.at[t, "label"] for t in summary.index}
    by_group = {g: named[int(model.labels_[6 * g])] for g in range(4)}
    # the most frequent wording wins: "exchange rates" (4 of 6), "lost baggage" (5 of 6);
    # "team", in every topic's sign-off, names none of them
    assert by_group == {0: "Card not arrived", 1: "Exchange rates", 2: "Cancel subscription",
                        3: "Lost baggage"}


def test_themes_reuse_the_subtopics_reading() -> None:
    texts, emb = corpus()
    w = np.ones(len(texts))
    labeller = Labeller(texts, emb, w, WordIndex(texts, w), Spelling(texts))
    sub = np.arange(len(texts)) // 6
    labeller.ranked_labels(sub, np.eye(4, dtype=np.float32))
    read = labeller.phrases.estimate.copy()
    themes = np.array([0, 0, 1, 1])[sub]
    ranked = labeller.ranked_labels(themes, np.vstack([emb[themes == t].mean(axis=0)
                                                       for t in range(2)]))
    assert np.array_equal(labeller.phrases.estimate, read)  # no text read again
    for names in ranked:
        assert names and all(" · " not in n and 1 <= len(n.split()) <= 5 for n in names)
        assert all(n[0].isupper() for n in names)
    # a theme is named by a phrase of its own texts
    assert ranked[0][0] in {"Card not arrived", "Exchange rates"}
    assert ranked[1][0] in {"Cancel subscription", "Lost baggage"}


def test_without_a_phrase_the_best_keyword_or_miscellaneous() -> None:
    texts, emb = corpus()
    texts += ["it is what it is", "so it is", "and then?"]
    emb = np.vstack([emb, np.zeros((3, 4), dtype=np.float32)])
    w = np.ones(len(texts))
    labeller = Labeller(texts, emb, w, WordIndex(texts, w), Spelling(texts))
    labels = np.append(np.arange(24) // 6, [4, 4, 4])
    ranked = labeller.ranked_labels(labels, np.vstack([np.eye(4), np.full((1, 4), 0.1)]))
    assert ranked[4] == [MISCELLANEOUS]  # nothing but stop words
    keyword = labeller.keyword_label(np.arange(6, 12))
    assert keyword == keyword.capitalize() and " " not in keyword
    assert keyword.lower() in " ".join(texts[6:12])


@pytest.mark.parametrize("text", ["Happy holidays!!!", "12345", "@someone", "[NAME]"])
def test_no_candidate_is_a_handle_a_number_or_a_placeholder(text: str) -> None:
    keys = found(text)
    assert all(any(c.isalpha() for c in w) for key in keys for w in key)
    assert not any(w in {"someone", "name", "12345"} for key in keys for w in key)


def test_noun_labels_name_topics_by_noun_phrases_only() -> None:
    texts, emb = corpus()
    model = topics.TopicModel(cluster_model=FourGroups(), min_topic_size=2,
                              noun_labels=True).fit(texts, emb)
    summary = model.summary()
    by_group = {g: summary.at[int(model.labels_[6 * g]), "label"] for g in range(4)}
    # the clauses "Card not arrived", "Cancel subscription" and "Lost baggage" (mostly "lost
    # my baggage") give way to the noun phrase that best picks their topic out
    assert by_group[1] == "Exchange rates" and by_group[3] == "Baggage"
    for g in (0, 2):
        words = nlp.tag([by_group[g]])[0]
        assert words[-1].pos in {"NOUN", "PROPN"}, by_group
        assert by_group[g] not in {"Card not arrived", "Cancel subscription"}
    # which of a text's candidates are noun phrases
    phrases = Phrases(nlp.tag(["Someone built a Zapier workaround"])[0], lambda w: True)
    assert ("Zapier", "workaround") in phrases.nominal or ("zapier", "workaround") in \
        phrases.nominal
    assert not any(k[0] == "build" for k in phrases.nominal)
    # a participle right before its noun modifies it
    assert ("lose", "baggage") in Phrases(nlp.tag(["Lost baggage again"])[0],
                                          lambda w: True).nominal
    assert ("lose", "baggage") not in Phrases(nlp.tag(["They lost my baggage"])[0],
                                              lambda w: True).nominal
    # a preposition of time attaches nothing, and a conjoined object is never cut in half
    when = Phrases(nlp.tag(["Nobody told us about templates until month two"])[0],
                   lambda w: True).nominal
    assert ("template",) in when and not any("until" in k for k in when), when
    both = Phrases(nlp.tag(["Most of our work is handoffs between design and engineering"])[0],
                   lambda w: True).nominal
    assert ("handoff",) in both and not any("between" in k for k in both), both
    assert ("number", "of", "seat") in Phrases(
        nlp.tag(["They billed the number of seats"])[0], lambda w: True).nominal
