"""Pain point / need / goal / praise: the rule-based first pass, on hand-written answers and on
two real studies coded by researchers (../shared)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cc_analysis import interviews as iv

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"

# written for this test (not taken from the sample generator): each line exercises one rule
KIND_EXAMPLES = [
    ("It would be nice to filter the list by owner.", "need"),
    ("Is there a way to export only this week's entries?", "need"),
    ("It would be great if the export were quicker, I love the charts.", "need"),  # wish > praise
    ("Our goal is to close the books two days earlier each month.", "goal"),
    ("We mostly use this to see which accounts need attention first.", "goal"),
    ("The import keeps failing and the error message tells me nothing.", "pain point"),
    ("I couldn't find where the settings were hidden.", "pain point"),
    ("What a terrible, awful experience.", "pain point"),  # sentiment alone
    ("The new calendar view is very useful for planning.", "praise"),
    ("It works well and the team enjoyed the switch.", "praise"),
    ("What a wonderful, delightful experience.", "praise"),  # sentiment alone
    ("We moved offices last month.", "other"),
]


def test_pain_need_goal_praise_classification() -> None:
    texts, want = zip(*KIND_EXAMPLES, strict=True)
    got = iv.classify_snippets(list(texts))
    assert set(got) <= set(iv.SNIPPET_KINDS)
    assert list(got) == list(want), [x for x in zip(texts, got, want, strict=True) if x[1] != x[2]]


def test_cues_are_phrases_matched_as_whole_words() -> None:
    pattern = iv.cue_pattern(["would be nice", "a way to"])
    assert pattern.findall("It WOULD  be nice. Is there a way to?") == ["WOULD  be nice",
                                                                        "a way to"]
    assert not pattern.search("a wayto") and not pattern.search("it would be nicer")
    assert iv.cue_pattern(["i'd suggest"]).search("I’d suggest a filter")  # curly apostrophe


# The usability study's codes (Navarro-Gallinad et al. 2022) and PDPilot's code groups that say
# which kind a highlight is; the other codes (e.g. "Moderator assist") say nothing about it.
USABILITY_KINDS = {
    "need": ["Additional feature suggestion", "Additional explanation"],
    "pain point": ["System issue", "Navigation complex", "Task sequence complex",
                   "Wording not clear", "Metadata content not useful or confusing",
                   "Plot design complex", "Query process complex",
                   "Event concept and approach not clear", "Search information process complex"],
    "praise": ["Query inputs and elements useful", "Export (meta)data useful",
               "Visualization useful", "Metadata content clear and useful",
               "Data table features useful", "Simple export", "Query process clear",
               "Search feature simple", "Home tab elements useful", "Overall positive experience"],
}


def _pdpilot_kind(path: str) -> str | None:
    group = path.split(" > ")[0]
    if group == "PDPilot improvements":
        return "need"
    if group == "Explainability purposes":
        return "goal"
    if path == "Benefits of PDPilot > Compliment" or "Liked" in path or path.endswith("useful"):
        return "praise"
    return "pain point" if group == "PDPilot General Usage" else None


def _one_kind(texts: pd.Series, kinds: pd.Series) -> pd.DataFrame:
    """Distinct texts whose codes all say the same kind."""
    d = pd.DataFrame({"text": texts.astype(str), "kind": kinds}).dropna()
    n = d.groupby("text")["kind"].nunique()
    return d[d["text"].isin(n[n == 1].index)].drop_duplicates("text").reset_index(drop=True)


def test_kinds_on_real_coded_interviews() -> None:
    usability = SHARED / "usability_interviews" / "codes" / "highlights.csv"
    pdpilot = SHARED / "pdpilot_interviews" / "coded_segments.csv"
    if not usability.exists() or not pdpilot.exists():
        pytest.skip("../shared/datasets/usability_interviews or pdpilot_interviews is absent")
    h = pd.read_csv(usability)
    h = h[~h["content"].astype(str).str.contains("MODERATOR:")]  # the moderator's words
    tag_kind = {t: k for k, tags in USABILITY_KINDS.items() for t in tags}
    u = _one_kind(h["content"], h["tag"].map(tag_kind))
    p = pd.read_csv(pdpilot)
    p = _one_kind(p["segment"], p["code_path"].map(_pdpilot_kind))
    acc_u = (pd.Series(iv.classify_snippets(u["text"].tolist())) == u["kind"]).mean()
    acc_p = (pd.Series(iv.classify_snippets(p["text"].tolist())) == p["kind"]).mean()
    # measured: 0.361 of 1,490 usability highlights and 0.508 of 128 PDPilot segments get the
    # researchers' kind with the shipped sentiment score (with VADER and the weights chosen for
    # it: 0.305 and 0.492; the earlier cue list, written from the sample generator's phrasings:
    # 0.153 and 0.383)
    assert acc_u >= 0.33 and acc_p >= 0.47, (acc_u, acc_p, len(u), len(p))
