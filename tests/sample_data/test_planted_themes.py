"""The planted feedback themes: truth documents, prevalence, emerging and trending themes,
score effects and wording."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd


def test_truth_documents(docs: pd.DataFrame, truth: dict, nps: pd.DataFrame, tickets: dict,
                         reviews: pd.DataFrame) -> None:
    assert docs["when"].notna().all()  # every row points at a real document
    counts = docs["source"].value_counts()
    assert counts["ticket"] == len(tickets["tickets"])
    assert counts["review"] == len(reviews)
    assert counts["nps"] == (nps["Comment"] != "").sum()
    ids = {t["id"] for t in truth["themes"]}
    assert set().union(*docs["theme_set"]) <= ids
    n_themes = docs["theme_set"].map(len)
    assert n_themes.max() == 3
    assert 0.04 < (n_themes == 0).mean() < 0.13  # chatter
    assert (n_themes == 1).mean() > (n_themes == 2).mean() > (n_themes == 3).mean()


def test_theme_truth_shape(truth: dict, quarters: list[str]) -> None:
    assert 12 <= len(truth["themes"]) <= 14
    for t in truth["themes"]:
        assert set(t["prevalence"]) == set(quarters)
        assert t["kind"] in {"complaint", "praise", "request"}
        for k in ("nps_effect", "rating_effect", "csat_effect"):
            assert isinstance(t[k], float | int)
        assert 6 <= len(t["phrasings"]) <= 12
    effects = {t["id"]: t["nps_effect"] for t in truth["themes"]}
    assert effects["performance_slowness"] == -2.5
    assert effects["ease_of_use_praise"] > 0
    assert set(truth["trending"].values()) <= {"up", "down"}


def test_emerging_theme(docs: pd.DataFrame, truth: dict, quarters: list[str],
                        has_theme: Callable) -> None:
    em = truth["emerging_theme"]
    assert em["quarter"] == "2026Q3"
    theme = next(t for t in truth["themes"] if t["id"] == em["id"])
    assert all(theme["prevalence"][q] == 0 for q in quarters[:-1])
    assert 0.09 < theme["prevalence"]["2026Q3"] < 0.15
    has = has_theme(docs, em["id"])
    assert not has[docs["quarter"] != "2026Q3"].any()
    share = has[docs["quarter"] == "2026Q3"].mean()
    assert 0.06 < share < 0.2
    words = ("sso", "okta", "sign", "login", "log in", "saml", "idp", "locked")
    texts = docs.loc[has, "text"].str.lower()
    assert texts.map(lambda s: any(w in s for w in words)).mean() > 0.85


def test_prevalence_roughly_realised(docs: pd.DataFrame, truth: dict, quarters: list[str],
                                     has_theme: Callable) -> None:
    for t in truth["themes"]:
        planted = np.mean([t["prevalence"][q] for q in quarters])
        realised = has_theme(docs, t["id"]).mean()
        assert abs(realised - planted) < 0.035, (t["id"], planted, realised)


def test_trending_themes(docs: pd.DataFrame, truth: dict, quarters: list[str],
                         has_theme: Callable) -> None:
    early = docs["quarter"].isin(quarters[:3])
    late = docs["quarter"].isin(quarters[-3:])
    for theme, direction in truth["trending"].items():
        t = next(x for x in truth["themes"] if x["id"] == theme)
        has = has_theme(docs, theme)
        e, la = has[early].mean(), has[late].mean()
        if direction == "up":
            assert t["prevalence"][quarters[-1]] > t["prevalence"][quarters[0]]
            assert la > e * 1.3
        else:
            assert t["prevalence"][quarters[-1]] < t["prevalence"][quarters[0]]
            assert la < e / 1.3


def test_nps_effects_visible(docs: pd.DataFrame, truth: dict, has_theme: Callable) -> None:
    nd = docs[docs["source"] == "nps"]
    perf = has_theme(nd, "performance_slowness")
    assert nd.loc[perf, "score"].mean() < nd.loc[~perf, "score"].mean() - 1.0
    praise = has_theme(nd, "ease_of_use_praise")
    assert nd.loc[praise, "score"].mean() > nd.loc[~praise, "score"].mean() + 0.5
    rv = docs[docs["source"] == "review"]
    perf = has_theme(rv, "performance_slowness")
    assert rv.loc[perf, "score"].mean() < rv.loc[~perf, "score"].mean() - 0.5


def test_comment_wording_matches_theme(docs: pd.DataFrame, truth: dict) -> None:
    """Documents carry (typo'd, re-cased) planted phrasings of their themes."""
    phr = {t["id"]: [p.lower() for p in t["phrasings"]] for t in truth["themes"]}
    sample = docs[docs["theme_set"].map(len) == 1].head(400)
    found = 0
    for _, row in sample.iterrows():
        (theme,) = row["theme_set"]
        text = row["text"].lower()
        # a typo touches a few words only: look for any 3-word window of a phrasing
        found += any(" ".join(p.split()[i:i + 3]) in text
                     for p in phr[theme] for i in range(max(1, len(p.split()) - 2)))
    assert found / len(sample) > 0.9

