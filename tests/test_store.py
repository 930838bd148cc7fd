"""The store's conventions: the one doc-id format of the feedback table."""

from __future__ import annotations

import pandas as pd

from cc_analysis.store import feedback_doc_id


def test_feedback_doc_id_for_scalars_and_series() -> None:
    assert feedback_doc_id("ticket", 100231) == "ticket:100231"
    assert feedback_doc_id("nps", pd.Series([1, 2])).tolist() == ["nps:1", "nps:2"]
    sources = pd.Series(["review", "nps"])
    assert feedback_doc_id(sources, pd.Series(["R-7", 3])).tolist() == ["review:R-7", "nps:3"]
    assert feedback_doc_id(sources, 5).tolist() == ["review:5", "nps:5"]
