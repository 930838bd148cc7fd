"""Voice to churn: the planted theme found, the null themes not (after Benjamini-Hochberg)."""

from __future__ import annotations

import math

HR_FACTOR = 1.35  # see the tolerances in conftest.py


def test_voice_to_churn_finds_the_planted_theme_only(analysis) -> None:
    v = analysis.voice
    themes = v[v["kind"] == "theme"].set_index("item")
    assert len(themes) == 13
    pricing = themes.loc["pricing_value"]
    assert pricing["adjusted_hr"] > 1.2 and pricing["ci_low"] > 1 and pricing["significant"]
    assert abs(math.log(pricing["adjusted_hr"] / 1.6)) <= math.log(HR_FACTOR)
    others = themes.drop(index="pricing_value")
    assert not others["significant"].any(), others[others["significant"]].index.tolist()
    # a null theme that clears the nominal 95% interval is reported as likely chance
    nominal = others[(others["ci_low"] > 1) | (others["ci_high"] < 1)]
    assert nominal["sentence"].str.contains("likely chance among the").all()
    assert (others["adjusted_hr"] < 1.5).all()
    assert (others["ci_low"] <= 1.1).all()
    nps = v[v["kind"] == "nps"]
    assert set(nps["item"]) == {"passive", "detractor", "no response"}
