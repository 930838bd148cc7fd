"""The workspace analysis: the themes of a quarter's feedback, measured every way.

Owns ``analyze_feedback`` (topic-model the feedback of the history ending at a quarter, give
themes stable ids from the registry, and measure each for the quarter) and its result,
``FeedbackTopics``: what notebook 02 shows and the report tables hold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..codebook import Codebook
from ..embeddings import DEFAULT_BACKEND
from ..normalise import DEFAULT, NormaliseOptions, count_emptied
from ..periods import quarter_labels
from ..store import feedback_doc_id
from .documents import DocumentTopics, fit_documents
from .impact import breakdown, nps_impact, prevalence, reach, score_impact, trends
from .model import MAX_TOPICS
from .registry import TopicRegistry
from .stages import tag_stages


@dataclass
class FeedbackTopics:
    """Everything notebook 02 and the quarterly summary need, for one quarter."""

    quarter: str
    topics: pd.DataFrame  # theme_id, theme, label, size, share, keywords, quotes, status, ...
    segments: pd.DataFrame  # doc_id, segment, theme_id, theme, stage, sentiment
    doc_themes: pd.DataFrame  # doc_id, theme (one row per document-theme)
    prevalence: pd.DataFrame
    trends: pd.DataFrame
    nps_impact: pd.DataFrame
    csat_impact: pd.DataFrame
    rating_impact: pd.DataFrame
    reach: pd.DataFrame
    by_source: pd.DataFrame
    by_plan: pd.DataFrame
    by_segment: pd.DataFrame
    by_channel: pd.DataFrame
    stages: pd.DataFrame  # theme x stage segment counts
    subtopics: pd.DataFrame = field(default_factory=pd.DataFrame)  # theme, subtopic, share, quote
    vanished: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)


def analyze_feedback(feedback: pd.DataFrame, quarter: str, quarters: Sequence[str], *,
                     accounts: pd.DataFrame | None = None, tickets: pd.DataFrame | None = None,
                     nps_responses: pd.DataFrame | None = None,
                     backend: str = DEFAULT_BACKEND, cache: str | Path | None = None,
                     registry: TopicRegistry | None = None, codebook: Codebook | None = None,
                     stages: Mapping[str, str] | None = None, seed: int = 42,
                     min_topic_size: int | None = None, max_topics: int | None = MAX_TOPICS,
                     fy_start_month: int = 1,
                     normalise: NormaliseOptions | Mapping[str, NormaliseOptions] | None = DEFAULT,
                     progress: bool = False) -> FeedbackTopics:
    """Topic-model the feedback of ``quarters`` (history ending at ``quarter``) and measure
    every theme for ``quarter``. ``normalise``: text normalisation options, or a mapping from
    the feedback's ``source`` (``ticket``, ``nps``, ``review``) to options, as
    ``Workspace.normalise_options`` gives them from ``workspace.toml``; ``None``: off."""
    fb = feedback[feedback["quarter"].isin(quarters)].reset_index(drop=True)
    fitted = fit_documents(fb["text"].tolist(), backend=backend, cache=cache, seed=seed,
                           codebook=codebook, min_topic_size=min_topic_size,
                           max_topics=max_topics, strata=fb["source"].tolist(),
                           normalise=normalise, progress=progress)
    model, segs = fitted.model, fitted.segments
    segs["doc_id"] = fb["doc_id"].to_numpy()[segs["doc"].to_numpy()]
    pos = fitted.unique_segments.get_indexer(segs["segment"])
    registry = registry or TopicRegistry()
    ids = registry.match(model, quarter)
    summary = model.summary().merge(ids, on="topic_id")
    summary["quotes"] = summary["representative_docs"].map(fitted.quotes)
    segs = segs.merge(ids[["topic_id", "theme_id", "theme"]], on="topic_id")
    segs["stage"] = tag_stages(fitted.embeddings[pos], stages, backend)
    subtopics = _subtopic_table(fitted, ids)
    boiler = set(summary.loc[summary["boilerplate"], "theme"])
    summary.loc[summary["boilerplate"], "status"] = "boilerplate"
    doc_themes = segs.loc[~segs["theme"].isin(boiler), ["doc_id", "theme"]].drop_duplicates()
    now = fb[fb["quarter"] == quarter]
    summary["docs_this_quarter"] = summary["theme"].map(
        doc_themes[doc_themes["doc_id"].isin(now["doc_id"])].groupby("theme").size()
    ).fillna(0).astype(int)
    prev = prevalence(doc_themes, fb, quarters)
    trend = trends(prev, quarter)
    dt_now = doc_themes[doc_themes["doc_id"].isin(set(now["doc_id"]))]
    responses = quarter_nps_responses(nps_responses, now, quarter, fy_start_month)
    impact = nps_impact(responses, dt_now, seed=seed)
    docs_now = _with_groups(now, accounts, tickets)
    empty = pd.DataFrame()
    return FeedbackTopics(
        quarter=quarter,
        topics=summary.sort_values("size", ascending=False).reset_index(drop=True),
        segments=segs, doc_themes=doc_themes, prevalence=prev, trends=trend,
        nps_impact=impact,
        csat_impact=score_impact(now, dt_now, "csat"),
        rating_impact=score_impact(now, dt_now, "rating"),
        reach=reach(dt_now, now, accounts) if accounts is not None else empty,
        by_source=breakdown(dt_now, docs_now, "source"),
        by_plan=breakdown(dt_now, docs_now, "plan") if "plan" in docs_now else empty,
        by_segment=breakdown(dt_now, docs_now, "segment") if "segment" in docs_now else empty,
        by_channel=breakdown(dt_now, docs_now, "channel") if "channel" in docs_now else empty,
        stages=pd.crosstab(segs["theme"], segs["stage"]), subtopics=subtopics,
        vanished=list(getattr(registry, "vanished_", [])),
        params={"backend": backend, "seed": seed, "min_topic_size": min_topic_size,
                "max_topics": max_topics, "segments": len(segs),
                "unique_segments": len(fitted.unique_segments),
                "empty_after_normalising": count_emptied(fb["text"].tolist(), fitted.texts),
                "outlier_share_before_reassignment": model.outlier_share_before_,
                "codebook": codebook.source if codebook else None,
                "codebook_version": codebook.version if codebook else None},
    )


def _subtopic_table(fitted: DocumentTopics, ids: pd.DataFrame) -> pd.DataFrame:
    """The drill-down: each subtopic with its theme's stable name, its share of the theme and
    its most representative sentence."""
    sub = fitted.model.subtopics_.merge(ids[["topic_id", "theme"]].rename(
        columns={"topic_id": "theme_id"}), on="theme_id")
    return pd.DataFrame({
        "theme": sub["theme"], "subtopic": sub["label"], "segments": sub["size"],
        "share_of_theme": sub["size"] / sub.groupby("theme")["size"].transform("sum"),
        "sentiment": sub["sentiment"],
        "quote": sub["representative_docs"].map(fitted.first_quote),
    }).sort_values(["theme", "segments"], ascending=[True, False]).reset_index(drop=True)


def _with_groups(docs: pd.DataFrame, accounts: pd.DataFrame | None,
                 tickets: pd.DataFrame | None) -> pd.DataFrame:
    """The documents with the groups breakdowns use: plan and segment (from the account),
    channel (tickets)."""
    docs = docs.copy()
    if accounts is not None:
        docs = docs.merge(accounts[["account_id", "plan", "segment"]], on="account_id",
                          how="left")
    if tickets is not None:
        ch = tickets.assign(doc_id=feedback_doc_id("ticket", tickets["ticket_id"]))
        docs = docs.merge(ch[["doc_id", "channel"]], on="doc_id", how="left")
    return docs


def quarter_nps_responses(nps_responses: pd.DataFrame | None, now: pd.DataFrame, quarter: str,
                          fy_start_month: int) -> pd.DataFrame:
    """The quarter's NPS responses as doc_id, score, including those without a comment (NPS
    counts every response); without the responses table, the quarter's NPS comments."""
    if nps_responses is None:
        d = now[now["source"] == "nps"]
        return d[["doc_id", "score"]]
    r = nps_responses.assign(quarter=quarter_labels(nps_responses["submitted_at"],
                                                    fy_start_month))
    r = r[r["quarter"] == quarter]
    return pd.DataFrame({"doc_id": feedback_doc_id("nps", r["response_id"]),
                         "score": r["score"]})
