"""Agreement with a human coder: hand-computed kappa, segment alignment, the planted phrases."""

from __future__ import annotations

import re

import pandas as pd

from cc_analysis import interviews as iv


def test_agreement_matches_hand_computed_kappa() -> None:
    units = [f"s{i}" for i in range(10)]
    human = pd.DataFrame({"snippet_id": ["s0", "s1", "s2", "s3", "s4"], "code": ["a"] * 5})
    auto = pd.DataFrame({"snippet_id": ["s0", "s1", "s2", "s5", "s9"], "code": ["a"] * 4 + ["b"]})
    t = iv.agreement(auto, human, units, codes=["a", "b"]).set_index("code")
    # code a: TP 3, FP 1, FN 2, TN 4 -> po 0.7, pe 0.5*0.4 + 0.5*0.6 = 0.5, kappa 0.4
    assert t.loc["a", ["both", "precision", "recall", "kappa"]].tolist() == [3, 0.75, 0.6, 0.4]
    assert t.loc["b", "recall"] != t.loc["b", "recall"]  # NaN: the human never used b
    assert t.loc["b", "kappa"] == 0.0 and t.loc["b", "precision"] == 0.0
    pooled = t.loc["all codes (pooled)"]
    assert pooled["both"] == 3 and pooled["auto"] == 5 and pooled["human"] == 5


def test_align_segments_by_overlap() -> None:
    snippets = pd.DataFrame({
        "snippet_id": ["a", "b", "c"], "participant": ["P01", "P01", "P02"],
        "text": ["We typically use them to identify trends and interactions in the model.",
                 "Sorting by importance is what I always do first when I open it.",
                 "We typically use them to identify trends and interactions in the model."]})
    segments = pd.DataFrame({
        "participant": ["P01", "P01"], "code": ["trends", "ranking"],
        "segment": ["We typically use them to identify trends",
                    "Sorting by importance is what I always do first when I open it. And then "
                    "some more words that continue well past this snippet into the next one."]})
    out = iv.align_segments(snippets, segments)
    assert set(zip(out["snippet_id"], out["code"], strict=True)) == {("a", "trends"),
                                                                      ("b", "ranking")}
    assert out.attrs["unmatched"] == 0



def test_snippet_level_agreement_with_planted_phrases(
        sample: dict, planted_phrasings: dict[str, tuple[str, ...]]) -> None:
    synth = sample["synth"]

    def norm(s: str) -> str:
        return re.sub(r"[^a-z ]", "", s.lower())

    phrases = [(norm(x), t) for t, xs in planted_phrasings.items() for x in xs]
    rows = [{"snippet_id": sid, "code": t} for sid, text in
            zip(synth.snippets["snippet_id"], synth.snippets["text"], strict=True)
            for ph, t in phrases if ph[-40:] in norm(text)]
    human = pd.DataFrame(rows)
    auto = synth.assignments.rename(columns={"theme_id": "code"})
    table = iv.agreement(auto, human, synth.snippets["snippet_id"].tolist(),
                         codes=sorted(planted_phrasings)).set_index("code")
    # stated: pooled Cohen's kappa >= 0.8 and every planted code's recall >= 0.4 (onboarding,
    # the most figurative answers, is the lowest at about 0.45; the others are above 0.75)
    assert table.loc["all codes (pooled)", "kappa"] >= 0.8, table
    assert table.loc[sorted(planted_phrasings), "recall"].min() >= 0.4, table
