"""One ingest run: canonical types, redaction before storage, every problem reported, hashes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from cc_analysis.ingest import IngestError, ingest
from cc_analysis.store import Store


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _all_text(store_path: Path) -> str:
    """Every value of every table in the store, as one string."""
    con = duckdb.connect(str(store_path), read_only=True)
    try:
        parts = []
        for (name,) in con.execute("SHOW TABLES").fetchall():
            for row in con.execute(f'SELECT * FROM "{name}"').fetchall():
                parts.append(" ".join(map(str, row)))
        return "\n".join(parts)
    finally:
        con.close()


def test_tiny_workspace_ingests_with_canonical_types(tiny_workspace: Path) -> None:
    raw_before = {p: _sha(p) for p in (tiny_workspace / "raw").rglob("*") if p.is_file()}
    report = ingest(tiny_workspace, progress=False)
    store = Store(report.store_path)
    assert report.row_counts["accounts"] == 3
    assert report.row_counts["tickets"] == 2
    assert report.row_counts["interviews"] == 2
    accounts = store.table("accounts").set_index("account_id")
    assert accounts.loc["ACC-3", "billing_term"] == "monthly"  # "Monthly" normalised
    assert str(accounts.loc["ACC-2", "end_date"].date()) == "2026-08-20"
    nps = store.table("nps_responses").set_index("response_id")
    assert nps.loc["R1", "score"] == 9 and nps.loc["R1", "ces"] == 6
    tickets = store.table("tickets").set_index("ticket_id")
    assert tickets.loc["1001", "csat"] == 4 and tickets.loc["1001", "channel"] == "email"
    feedback = store.table("feedback")
    assert set(feedback["source"]) == {"nps", "ticket", "review"}
    assert (feedback["quarter"] == "2026Q3").all()
    # raw files are never modified
    assert raw_before == {p: _sha(p) for p in (tiny_workspace / "raw").rglob("*") if p.is_file()}


def test_personal_data_never_reaches_the_store(tiny_workspace: Path) -> None:
    report = ingest(tiny_workspace, progress=False)
    text = _all_text(report.store_path)
    for value in (
        "(415) 555-0123",
        "Maria Gonzalez",
        "Maria",
        "jo@example.com",
        "Tom Becker",
        "4111 1111 1111 1111",
        "maria@redwood.example",
        "415-555-0199",
        "Sam Whitfield",
        "Jordan Reyes",
        "owner@vendor.example",
        "m@x.example",
        "tom@northwind.example",
        "kim77",
        "Ann Lee",
    ):
        assert value not in text, f"{value!r} leaked into the store"
    turns = Store(report.store_path).table("interview_turns")
    assert set(turns["speaker"]) == {"P01", "P02", "R1"}
    assert set(turns.loc[turns["speaker"] == "R1", "role"]) == {"interviewer"}
    assert "P01" in turns.loc[turns["turn"] == 1, "text"].iloc[0]  # "Thanks for joining, P01"
    log = Store(report.store_path).table("redaction_log")
    assert log["count"].sum() >= 6
    assert set(log.columns) == {"source", "field", "kind", "count"}  # counts, never values


def _break(ws: Path, file: str, old: str, new: str) -> None:
    path = ws / "raw" / file
    path.write_text(path.read_text().replace(old, new, 1))


def test_all_problems_are_reported_together(tiny_workspace: Path) -> None:
    _break(tiny_workspace, "accounts.csv", "Billing Term", "Billing")
    _break(tiny_workspace, "app_reviews.csv", "2026-07-05", "sometime")
    with pytest.raises(IngestError) as err:
        ingest(tiny_workspace, progress=False)
    assert "accounts.csv" in str(err.value) and "app_reviews.csv" in str(err.value)


def test_missing_store_says_to_ingest_first(tmp_path: Path) -> None:
    from cc_analysis.store import StoreError

    with pytest.raises(StoreError, match="run `cc-analysis ingest`"):
        Store(tmp_path / "nope.duckdb").table("accounts")


def test_ingest_records_data_hashes(tiny_workspace: Path) -> None:
    report = ingest(tiny_workspace, progress=False)
    run = Store(report.store_path).latest_ingest()
    assert run["data_hashes"]["raw/accounts.csv"] == _sha(tiny_workspace / "raw" / "accounts.csv")
    # the run records what it wrote: the same row counts the report gave
    assert run["row_counts"] == report.row_counts and report.row_counts["feedback"] == 6
    assert set(run["data_hashes"]) == {"raw/accounts.csv", "raw/usage_monthly.parquet",
                                       "raw/tickets.json", "raw/nps_responses.csv",
                                       "raw/app_reviews.csv",
                                       "raw/interviews/2026-08-14_redwood-foods.vtt",
                                       "raw/interviews/2026-09-02_northwind.txt"}


def test_generic_speaker_labels_are_people_per_file_and_not_names(tiny_workspace: Path) -> None:
    # chat-style transcripts: the same generic labels in two files
    folder = tiny_workspace / "raw" / "interviews"
    for day, answer in (("10", "The AI summaries save me an hour a week."),
                        ("11", "Search is slow, and the AI summaries are often wrong.")):
        (folder / f"2026-09-{day}_chat.txt").write_text(
            f"AI: What do you use most?\n\nParticipant: {answer}\n\nAI: Thanks!\n")
    store = Store(ingest(tiny_workspace, progress=False).store_path)
    interviews = store.table("interviews").set_index("source_file")
    # "Participant" in two files is two people; "AI" is the interviewer
    assert interviews.loc["2026-09-10_chat.txt", "participant"] == "P03"
    assert interviews.loc["2026-09-11_chat.txt", "participant"] == "P04"
    turns = store.table("interview_turns")
    chat = turns[turns["source_file"].str.endswith("_chat.txt")]
    assert set(chat.loc[chat["role"] == "interviewer", "speaker"]) == {"R2"}
    # the word "AI" in an answer is not taken for the interviewer's name
    assert chat.loc[chat["role"] == "participant", "text"].tolist() == [
        "The AI summaries save me an hour a week.",
        "Search is slow, and the AI summaries are often wrong."]
