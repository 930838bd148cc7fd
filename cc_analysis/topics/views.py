"""Descriptive views of the feedback table, before any topic model: notebook 02's opening.

Owns how much feedback came in per quarter and source, and what each source looks like in a
quarter (documents, accounts reached, scores, length).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

SOURCE_NAMES = {"nps": "NPS comments", "ticket": "Support tickets", "review": "App reviews"}


def feedback_volume(feedback: pd.DataFrame, quarters: Sequence[str]) -> pd.DataFrame:
    """Documents per quarter (rows) and source (columns), zero-filled."""
    f = feedback[feedback["quarter"].isin(quarters)]
    table = pd.crosstab(f["quarter"], f["source"]).reindex(index=list(quarters), fill_value=0)
    return table.rename(columns=SOURCE_NAMES).rename_axis(index="quarter", columns=None)


def source_summary(feedback: pd.DataFrame, quarter: str) -> pd.DataFrame:
    """Per source for one quarter: documents, accounts reached, score mean, words per document."""
    f = feedback[feedback["quarter"] == quarter].copy()
    f["words"] = f["text"].str.split().str.len()
    out = f.groupby("source").agg(
        documents=("doc_id", "count"),
        accounts=("account_id", "nunique"),
        score_kind=("score_kind", "first"),
        mean_score=("score", "mean"),
        scored=("score", "count"),
        median_words=("words", "median"),
    )
    out.index = out.index.map(lambda s: SOURCE_NAMES.get(s, s))
    return out.round(2).rename_axis("source").reset_index()
