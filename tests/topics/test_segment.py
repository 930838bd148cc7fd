"""Segments: documents split into sentences, greetings dropped, nothing lost."""

from __future__ import annotations

from cc_analysis import topics
from cc_analysis.topics.segment import whole_documents


def test_segment_splits_sentences_and_drops_greetings() -> None:
    segs = topics.segment(["Hi team,\n\nThe dashboards are slow. Also the invoice is wrong!\n\n"
                           "Thanks", "ok", None, "Love it"])
    assert segs.to_dict("list") == {
        "doc": [0, 0, 1, 3],
        "segment": ["The dashboards are slow.", "Also the invoice is wrong!", "ok", "Love it"],
    }


def test_whole_documents_keep_each_text_as_one_segment() -> None:
    segs = whole_documents(["  The dashboards are slow. Also the invoice!  ", "", None, "ok"])
    assert segs.to_dict("list") == {
        "doc": [0, 3], "segment": ["The dashboards are slow. Also the invoice!", "ok"]}
