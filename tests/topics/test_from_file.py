"""``cc-analysis topics FILE``: topics of any CSV export, with no personal data in the output."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd


def test_topics_cli_on_any_csv(sample_workspace: Path, sample_cache: Path,
                               tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cc_analysis.cli import app

    raw = pd.read_csv(sample_workspace / "raw" / "nps_responses.csv").head(400)
    raw.to_csv(tmp_path / "export.csv", index=False)
    res = CliRunner().invoke(app, [
        "topics", str(tmp_path / "export.csv"), "--text-col", "Comment", "--time-col",
        "Submitted At", "--score-col", "Score", "--out", str(tmp_path / "out"),
        "--cache", str(sample_cache)])
    assert res.exit_code == 0, res.output
    t = pd.read_csv(tmp_path / "out" / "topics.csv")
    assert {"id", "label", "size", "share", "sentiment", "keywords", "quote_1",
            "score_difference"} <= set(t.columns)
    d = pd.read_csv(tmp_path / "out" / "document_topics.csv")
    assert d["row"].tolist() == list(range(400))
    # blank comments, and comments with no letter or digit ("-"), have no text to model
    blank = ~raw["Comment"].str.contains(r"[^\W_]", na=False)
    assert (d.loc[blank.to_numpy(), "topic_id"] == -1).all()
    assert (d.loc[blank.to_numpy(), "topic_label"] == "(no text)").all()
    assert set(d.loc[~blank.to_numpy(), "topic_id"]) <= set(t["id"])
    # the drill-down: every document's subtopic belongs to its topic
    sub = pd.read_csv(tmp_path / "out" / "subtopics.csv")
    theme_of = dict(zip(sub["id"], sub["topic_id"], strict=True))
    has = d["topic_id"] >= 0
    assert (d.loc[has, "subtopic_id"].map(theme_of) == d.loc[has, "topic_id"]).all()
    # no planted personal data in what the CLI writes
    truth = json.loads((sample_workspace / "raw" / "_truth.json").read_text())
    out_text = "".join((tmp_path / "out" / f).read_text()
                       for f in ("topics.csv", "subtopics.csv"))
    assert not [p["value"] for p in truth["pii"] if p["file"] == "nps_responses.csv"
                and p["value"] in out_text]


def test_columns_match_whatever_spaces_the_header_has(sample_workspace: Path, sample_cache: Path,
                                                     tmp_path: Path) -> None:
    from cc_analysis.topics import analyze_feedback_file

    raw = pd.read_csv(sample_workspace / "raw" / "nps_responses.csv").head(300)
    raw.rename(columns={"Comment": " Comment "}).to_csv(tmp_path / "spaced.csv", index=False)
    # the header says " Comment "; asking for it as written or trimmed finds the same column
    a = analyze_feedback_file(tmp_path / "spaced.csv", " Comment ", tmp_path / "a",
                              cache=sample_cache, progress=False)
    b = analyze_feedback_file(tmp_path / "spaced.csv", "Comment", tmp_path / "b",
                              cache=sample_cache, progress=False)
    assert a["documents"] == b["documents"]
    # every comment is modelled but those normalising leaves empty (the sample's "-" answers)
    symbols_only = raw["Comment"].notna() & ~raw["Comment"].str.contains(r"[^\W_]", na=False)
    assert a["empty_after_normalising"] == int(symbols_only.sum())
    assert a["documents"] + a["empty_after_normalising"] == int(raw["Comment"].notna().sum())
    topics_a, topics_b = (tmp_path / d / "topics.csv" for d in ("a", "b"))
    assert topics_a.read_text() == topics_b.read_text()
