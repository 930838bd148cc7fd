"""Topics of any table export: the ``cc-analysis topics FILE`` command.

Owns ``analyze_feedback_file``: read a CSV, redact and normalise its text, fit topics, and write
the topic, subtopic and document tables (plus score effects, topics over time and by group when
those columns are named).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..codebook import Codebook
from ..embeddings import DEFAULT_BACKEND
from ..files import read_table_file
from ..normalise import DEFAULT, NormaliseOptions, count_emptied
from ..periods import naive_timestamps, quarter_labels
from ..privacy import Redactor
from .documents import DocumentTopics, fit_documents
from .impact import breakdown, prevalence, score_impact, trends
from .model import MAX_TOPICS


def analyze_feedback_file(path: str | Path, text_col: str, out_dir: str | Path, *,
                          time_col: str | None = None, segment_col: str | None = None,
                          score_col: str | None = None, codebook: str | Path | None = None,
                          backend: str = DEFAULT_BACKEND, cache: str | Path | None = None,
                          seed: int = 42, split: bool = True, max_topics: int | None = MAX_TOPICS,
                          min_topic_size: int | None = None,
                          normalise: NormaliseOptions | None = DEFAULT,
                          progress: bool = True) -> dict[str, Any]:
    """Topics of any CSV export. Writes ``topics.csv`` (id, label, size, share, sentiment,
    keywords, boilerplate flag, subtopics, representative quotes, and score effects with
    ``score_col``), ``subtopics.csv`` (the drill-down: each subtopic with its topic) and
    ``document_topics.csv`` (row: 0-based data row, topic_id, topic_label, subtopic_id,
    subtopic_label, other_topics), plus
    ``topics_over_time.csv`` with ``time_col`` and ``topics_by_segment.csv`` with
    ``segment_col``. ``normalise``: what ``cc_analysis.normalise`` takes out of the text before
    the model sees it (``None``: nothing). Returns a summary dict (``documents``: rows with
    text to model; ``empty_after_normalising``: rows whose text normalising left empty, such
    as a bare link; ``notes``: what the reader assumed, such as a Windows-1252 encoding).
    """
    path, out = Path(path), Path(out_dir)
    frame, notes = read_table_file(path, sniff=False)
    # the reader strips the header's spaces; a name given as the header wrote it still matches
    text_col, time_col, segment_col, score_col = (
        c.strip() if c else c for c in (text_col, time_col, segment_col, score_col))
    for col in (text_col, time_col, segment_col, score_col):
        if col and col not in frame:
            raise ValueError(f"{path.name}: no column '{col}' (columns: {', '.join(frame)})")
    # personal data never reaches the model or the output
    texts = Redactor().redact_series(frame[text_col].fillna("")).tolist()
    cb = Codebook.load(codebook) if codebook else None
    fitted = fit_documents(texts, backend=backend, cache=cache, seed=seed, split=split,
                           codebook=cb, max_topics=max_topics, min_topic_size=min_topic_size,
                           normalise=normalise, progress=progress)
    summary = fitted.model.summary()
    labels = dict(zip(summary["topic_id"], summary["label"], strict=True))
    docs = fitted.primary_topics(len(frame))
    docs["topic_label"] = docs["topic_id"].map(labels).fillna("(no text)")
    # document-topic pairs, as the measures in ``impact`` take them
    pairs = fitted.doc_topics().rename(columns={"doc": "row"})
    doc_themes = pairs.rename(columns={"row": "doc_id", "topic_id": "theme"})
    n_docs = int((docs["topic_id"] >= 0).sum())
    table = _topic_table(fitted, pairs, n_docs)
    if score_col:
        _add_score_effects(table, frame[score_col], doc_themes)
    out.mkdir(parents=True, exist_ok=True)
    written = {"topics": out / "topics.csv", "subtopics": out / "subtopics.csv",
               "document_topics": out / "document_topics.csv"}
    table.sort_values("size", ascending=False).to_csv(written["topics"], index=False)
    _add_main_subtopic(docs, fitted)
    docs[["row", "topic_id", "topic_label", "subtopic_id", "subtopic_label",
          "other_topics"]].to_csv(written["document_topics"], index=False)
    _subtopic_table(fitted, labels).to_csv(written["subtopics"], index=False)
    if time_col:
        written.update(_over_time(frame[time_col], docs, doc_themes, labels, out))
    if segment_col:
        dd = pd.DataFrame({"doc_id": range(len(frame)), "group": frame[segment_col]})
        by = breakdown(doc_themes, dd.replace({"group": {"": None}}), "group")
        by.index = by.index.map(labels)
        written["topics_by_segment"] = out / "topics_by_segment.csv"
        by.to_csv(written["topics_by_segment"])
    # where the documents went: a code of the codebook (their main theme) or a discovered theme
    coded = set(summary.loc[summary["from_codebook"], "topic_id"])
    n_coded = int(docs["topic_id"].isin(coded).sum())
    return {"documents": n_docs, "rows": len(frame), "topics": len(table),
            "coded_documents": n_coded, "discovered_documents": n_docs - n_coded,
            "subtopics": len(fitted.model.subtopics_), "backend": backend,
            "segments": len(fitted.segments),
            "empty_after_normalising": count_emptied(texts, fitted.texts),
            "outlier_share_before_reassignment": fitted.model.outlier_share_before_,
            "files": {name: str(p) for name, p in written.items()}, "notes": notes}


def _topic_table(fitted: DocumentTopics, pairs: pd.DataFrame, n_docs: int) -> pd.DataFrame:
    """One row per topic: documents raising it (``size``), segments, sentiment, keywords,
    subtopics and the most representative quotes."""
    summary = fitted.model.summary()
    docs_per_topic = pairs.groupby("topic_id")["row"].nunique()
    table = pd.DataFrame({
        "id": summary["topic_id"], "label": summary["label"],
        "size": summary["topic_id"].map(docs_per_topic).fillna(0).astype(int),
        "share": summary["topic_id"].map(docs_per_topic).fillna(0) / max(n_docs, 1),
        "segments": summary["size"], "sentiment": summary["sentiment"].round(3),
        "keywords": summary["keywords"].map(lambda k: ", ".join(k[:8])),
        "boilerplate": summary["boilerplate"],
        "subtopics": summary["subtopics"].map(lambda k: " | ".join(k)),
    })
    for i in range(fitted.model.n_quotes):
        table[f"quote_{i + 1}"] = summary["representative_docs"].map(
            lambda ix, i=i: fitted.unique_segments[ix[i]] if len(ix) > i else "")
    return table


def _add_score_effects(table: pd.DataFrame, score: pd.Series, doc_themes: pd.DataFrame) -> None:
    """Mean score of the documents raising each topic, and its difference from the rest with
    a 95% interval (``score_impact``)."""
    scores = pd.to_numeric(score, errors="coerce")
    d = pd.DataFrame({"doc_id": range(len(score)), "score": scores, "score_kind": "score"})
    impact = score_impact(d, doc_themes, "score").set_index("theme")
    table["mean_score"] = table["id"].map(impact["mean_with"]).round(3)
    table["score_difference"] = table["id"].map(impact["difference"]).round(3)
    table["score_diff_ci_low"] = table["id"].map(impact["ci_low"]).round(3)
    table["score_diff_ci_high"] = table["id"].map(impact["ci_high"]).round(3)


def _add_main_subtopic(docs: pd.DataFrame, fitted: DocumentTopics) -> None:
    """Each document's subtopic: that of its first segment in its main topic (else of its
    first segment; -1 without text)."""
    segs, subs = fitted.segments, fitted.model.subtopics_
    first = segs.drop_duplicates("doc").set_index("doc")
    main_sub = segs[segs["topic_id"] == segs["doc"].map(
        docs.set_index("row")["topic_id"])].drop_duplicates("doc").set_index("doc")
    docs["subtopic_id"] = docs["row"].map(main_sub["subtopic_id"]).fillna(
        docs["row"].map(first["subtopic_id"])).fillna(-1).astype(int)
    docs["subtopic_label"] = docs["subtopic_id"].map(
        dict(zip(subs["topic_id"], subs["label"], strict=True))).fillna("(no text)")


def _subtopic_table(fitted: DocumentTopics, labels: dict[int, str]) -> pd.DataFrame:
    """One row per subtopic, with its topic, sorted by topic then size."""
    subs = fitted.model.subtopics_
    sub_docs = fitted.segments.groupby("subtopic_id")["doc"].nunique()
    return pd.DataFrame({
        "id": subs["topic_id"], "topic_id": subs["theme_id"],
        "topic_label": subs["theme_id"].map(labels), "label": subs["label"],
        "size": subs["topic_id"].map(sub_docs).fillna(0).astype(int),
        "segments": subs["size"], "sentiment": subs["sentiment"].round(3),
        "keywords": subs["keywords"].map(lambda k: ", ".join(k[:8])),
        "quote": subs["representative_docs"].map(fitted.first_quote),
    }).sort_values(["topic_id", "segments"], ascending=[True, False])


def _over_time(when_text: pd.Series, docs: pd.DataFrame, doc_themes: pd.DataFrame,
               labels: dict[int, str], out: Path) -> dict[str, Path]:
    """Topic prevalence per calendar quarter (``topics_over_time.csv``) and, with two quarters
    or more, the last quarter's emerging and declining topics (``topic_trends.csv``)."""
    when = pd.to_datetime(when_text, errors="coerce", format="mixed", utc=True)
    period = quarter_labels(naive_timestamps(when))
    dd = pd.DataFrame({"doc_id": range(len(when_text)), "quarter": period})
    dd = dd[dd["quarter"].notna() & (docs["topic_id"] >= 0)]
    qs = sorted(dd["quarter"].unique())
    prev = prevalence(doc_themes[doc_themes["doc_id"].isin(dd["doc_id"])], dd, qs)
    prev["label"] = prev["theme"].map(labels)
    written = {"topics_over_time": out / "topics_over_time.csv"}
    prev.to_csv(written["topics_over_time"], index=False)
    if len(qs) >= 2:
        tr = trends(prev, qs[-1])
        tr["label"] = tr["theme"].map(labels)
        written["topic_trends"] = out / "topic_trends.csv"
        tr.to_csv(written["topic_trends"], index=False)
    return written
