"""The workspace analysis on the sample workspace: the planted feedback themes are recovered,
measured and kept under stable ids."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cc_analysis import topics
from cc_analysis.store import feedback_doc_id

NPS_LOWERING = {"performance_slowness", "billing_invoices", "support_responsiveness",
                "pricing_value", "sso_login_failures"}


@pytest.fixture(scope="module")
def planted(sample_workspace: Path) -> pd.DataFrame:
    truth = pd.read_csv(sample_workspace / "raw" / "_truth_documents.csv", keep_default_na=False)
    truth["doc_id"] = feedback_doc_id(truth["source"], truth["source_id"])
    return truth


@pytest.fixture(scope="module")
def runs(feedback_topic_runs):
    """The 2026Q2 and 2026Q3 fits (registry carried over), shared with the other tests."""
    return feedback_topic_runs


def _majority(ft: topics.FeedbackTopics, planted: pd.DataFrame) -> pd.DataFrame:
    """Per theme: the planted theme most of its documents carry, and that share (purity)."""
    m = ft.doc_themes.merge(planted[["doc_id", "themes"]], on="doc_id")
    m = m.assign(planted=m["themes"].str.split(";")).explode("planted")
    m = m[m["planted"] != ""]
    top = m.groupby("theme")["planted"].agg(lambda s: s.value_counts().index[0])
    purity = m.groupby("theme")["planted"].agg(lambda s: s.value_counts().iloc[0] / len(s))
    return pd.DataFrame({"planted": top, "purity": purity})


def test_every_planted_theme_is_recovered(runs, planted: pd.DataFrame) -> None:
    _, q3 = runs
    assert 10 <= len(q3.topics) <= 60  # tens of topics, not hundreds
    maj = _majority(q3, planted)
    planted_ids = set(";".join(planted["themes"]).split(";")) - {""}
    found = set(maj.loc[maj["purity"] >= 0.5, "planted"])
    missing = planted_ids - found
    assert not missing, f"planted themes without a topic of purity >= 0.5: {missing}"


def test_planted_themes_match_by_nmi(runs, planted: pd.DataFrame) -> None:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    _, q3 = runs
    single = planted[(planted["themes"] != "") & ~planted["themes"].str.contains(";")]
    m = q3.doc_themes.merge(single[["doc_id", "themes"]], on="doc_id")
    per_doc = m.groupby("doc_id").agg(n=("theme", "size"), theme=("theme", "first"),
                                      planted=("themes", "first"))
    # documents planted with one theme get exactly one theme (boilerplate aside; measured
    # 0.91: the rest mostly carry a chatter sentence naming a colleague) ...
    assert (per_doc["n"] == 1).mean() >= 0.85
    one = per_doc[per_doc["n"] == 1]
    # ... and it is the planted one (measured: NMI 0.941, ARI 0.925)
    assert normalized_mutual_info_score(one["planted"], one["theme"]) >= 0.85
    assert adjusted_rand_score(one["planted"], one["theme"]) >= 0.80


def test_emerging_theme_is_flagged_in_the_last_quarter(runs, planted: pd.DataFrame) -> None:
    _, q3 = runs
    maj = _majority(q3, planted)
    emerging = set(q3.trends.loc[q3.trends["trend"] == "emerging", "theme"])
    assert any(maj.loc[t, "planted"] == "sso_login_failures" for t in emerging if t in maj.index)
    # nothing else is flagged emerging with a planted majority of a stable theme
    others = {maj.loc[t, "planted"] for t in emerging if t in maj.index} - {"sso_login_failures"}
    assert others <= {"performance_slowness"}  # the one theme planted to trend upward


def test_nps_lowering_themes_rank_top_in_nps_impact(runs, planted: pd.DataFrame) -> None:
    _, q3 = runs
    maj = _majority(q3, planted)
    top = q3.nps_impact.head(5)["theme"]
    assert all(maj.loc[t, "planted"] in NPS_LOWERING for t in top), \
        q3.nps_impact.head(5).assign(planted=top.map(maj["planted"]))


def test_topic_ids_are_stable_across_consecutive_quarters(runs, planted: pd.DataFrame) -> None:
    q2, q3 = runs
    m2, m3 = _majority(q2, planted), _majority(q3, planted)
    ids2 = q2.topics.set_index("theme")["theme_id"]
    ids3 = q3.topics.set_index("theme")["theme_id"]
    # the largest topic of each planted theme keeps its id from one quarter's run to the next
    same = []
    for theme in sorted(set(m2["planted"]) & set(m3["planted"]) - {"sso_login_failures"}):
        size2 = q2.topics.set_index("theme")["size"]
        size3 = q3.topics.set_index("theme")["size"]
        a = size2[m2.index[m2["planted"] == theme]].idxmax()
        b = size3[m3.index[m3["planted"] == theme]].idxmax()
        same.append(ids2[a] == ids3[b])
    assert np.mean(same) >= 0.8, same
