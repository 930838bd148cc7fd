"""The unified feedback table: one row per piece of customer text, one doc-id format."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cc_analysis.ingest import FEEDBACK_COLUMNS, feedback_table, ingest
from cc_analysis.store import Store, feedback_doc_id


def test_feedback_rows_per_source_with_the_store_doc_id(tiny_workspace: Path) -> None:
    report = ingest(tiny_workspace, progress=False)
    fb = Store(report.store_path).table("feedback")
    assert fb.columns.tolist() == FEEDBACK_COLUMNS
    # NPS R3 has no comment: no row; tickets join subject and body; reviews title and text
    assert fb["doc_id"].tolist() == ["nps:R1", "nps:R2", "ticket:1001", "ticket:1002",
                                     "review:V1", "review:V2"]
    assert (fb["doc_id"] == feedback_doc_id(fb["source"], fb["source_id"])).all()
    rows = fb.set_index("doc_id")
    assert rows.loc["ticket:1002", "text"] == "SSO loop\nOkta login loops after the update"
    assert rows.loc["review:V2", "text"] == "Crashes\nThe mobile app crashes on login"
    assert rows.loc["nps:R2", ["score", "score_kind"]].tolist() == [3, "nps"]
    assert rows.loc["ticket:1001", ["score", "score_kind"]].tolist() == [4, "csat"]
    assert pd.isna(rows.loc["review:V1", "account_id"])


def test_no_text_sources_give_an_empty_table_with_the_columns() -> None:
    assert feedback_table({}, 1).columns.tolist() == FEEDBACK_COLUMNS
