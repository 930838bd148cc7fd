"""Account themes: the hand-over from topics, by doc id or by source + source id."""

from __future__ import annotations

import pandas as pd

from cc_analysis import churn
from cc_analysis.store import feedback_doc_id


def test_doc_themes_by_doc_id_equal_by_source(frames, doc_themes, planted_docs) -> None:
    """topics hands over (doc_id, theme); that gives the same account themes."""
    docs = planted_docs
    by_id = docs.assign(doc_id=feedback_doc_id(docs["source"], docs["source_id"]))[
        ["doc_id", "theme"]]
    got = churn.account_themes(by_id, frames["feedback"])
    key = ["account_id", "created_at", "theme"]
    a = got.sort_values(key).reset_index(drop=True)[key]
    b = doc_themes.sort_values(key).reset_index(drop=True)[key]
    pd.testing.assert_frame_equal(a, b)


def test_rare_themes_are_left_out() -> None:
    """A theme raised by fewer than ``min_accounts`` accounts carries no hazard ratio."""
    rows = [{"account_id": f"A{i}", "created_at": "2026-01-05", "theme": "common"}
            for i in range(5)] + [{"account_id": "A0", "created_at": "2026-01-05",
                                   "theme": "rare"}]
    got = churn.account_themes(pd.DataFrame(rows), min_accounts=2)
    assert set(got["theme"]) == {"common"} and len(got) == 5
    assert churn.feature_label("theme:pricing_value") == "Theme: pricing value"
