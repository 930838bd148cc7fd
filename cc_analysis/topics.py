"""Customer feedback: what people write about, by source and quarter.

Owns the analysis of the store's ``feedback`` table (NPS comments, support tickets, app reviews).
This release provides the descriptive views the quarterly report needs (volume, scores, text
length); topic modelling with BERTopic builds on the same table.
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


def score_distribution(feedback: pd.DataFrame, quarter: str, source: str) -> pd.Series:
    """Count of each score value for one source in one quarter (e.g. NPS 0-10)."""
    f = feedback[(feedback["quarter"] == quarter) & (feedback["source"] == source)]
    scores = f["score"].dropna().astype(int)
    full = range(0, 11) if source == "nps" else range(1, 6)
    return scores.value_counts().reindex(full, fill_value=0).rename("responses")


def sample_quotes(
    feedback: pd.DataFrame, quarter: str, n: int = 5, seed: int = 0, min_words: int = 8
) -> pd.DataFrame:
    """A reproducible random sample of (already redacted) verbatims per source."""
    f = feedback[(feedback["quarter"] == quarter)]
    f = f[f["text"].str.split().str.len() >= min_words]
    parts = [g.sample(min(n, len(g)), random_state=seed) for _, g in f.groupby("source")]
    if not parts:
        return pd.DataFrame(columns=["source", "score", "text"])
    out = pd.concat(parts)[["source", "score", "text"]]
    out["source"] = out["source"].map(lambda s: SOURCE_NAMES.get(s, s))
    return out.reset_index(drop=True)
