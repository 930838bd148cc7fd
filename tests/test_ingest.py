"""Ingest: validation with precise errors, redaction before storage, atomic store replacement."""

from __future__ import annotations

import hashlib
import json
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


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "accounts.csv",
            "Billing Term",
            "Billing",
            ["accounts.csv", "column 'Billing Term'", "missing column"],
        ),
        (
            "accounts.csv",
            "2026-02-01",
            "2026-02-31",
            ["accounts.csv", "row 3", "line 4", "column 'Start Date'", "2026-02-31"],
        ),
        (
            "nps_responses.csv",
            ",3,Dashboards",
            ",11,Dashboards",
            ["nps_responses.csv", "row 2", "column 'Score'", "above the maximum 10"],
        ),
        (
            "nps_responses.csv",
            "2026-08-11T09:30:00Z",
            "yesterday",
            ["nps_responses.csv", "row 2", "column 'Submitted At'", "not a valid date"],
        ),
        (
            "accounts.csv",
            "ACC-2,Bluepeak",
            "ACC-1,Bluepeak",
            ["accounts.csv", "row 2", "duplicate key"],
        ),
        (
            "accounts.csv",
            "Growth,monthly",
            "Growth,weekly",
            ["accounts.csv", "row 1", "column 'Billing Term'", "not one of monthly, annual"],
        ),
        (
            "tickets.json",
            '"created_at": "2026-08-01T08:00:00Z"',
            '"created_at": "01/08/2026x"',
            ["tickets.json", "row 2", "column 'created_at'"],
        ),
        (
            "tickets.json",
            '"tickets": [',
            '"tickets": [[',
            ["tickets.json", "invalid JSON", "line 1"],
        ),
    ],
)
def test_malformed_sources_are_refused_and_previous_store_survives(
    tiny_workspace: Path, file: str, old: str, new: str, expected: list[str]
) -> None:
    report = ingest(tiny_workspace, progress=False)
    before = _sha(report.store_path)
    _break(tiny_workspace, file, old, new)
    with pytest.raises(IngestError) as err:
        ingest(tiny_workspace, progress=False)
    message = str(err.value)
    for fragment in expected:
        assert fragment in message, f"{fragment!r} not in: {message}"
    assert "previous store was left unchanged" in message
    assert _sha(report.store_path) == before
    assert Store(report.store_path).table("accounts").shape[0] == 3
    assert not list(report.store_path.parent.glob("*.building*"))


def test_wrong_encoding_names_file_row_and_column(tiny_workspace: Path) -> None:
    path = tiny_workspace / "raw" / "nps_responses.csv"
    text = path.read_text().replace("Dashboards are slow", "Dashboards are slow – très lent")
    path.write_bytes(text.encode("cp1252"))
    with pytest.raises(IngestError) as err:
        ingest(tiny_workspace, progress=False)
    message = str(err.value)
    assert "nps_responses.csv" in message and "row 2" in message and "line 3" in message
    assert "column 'Comment'" in message and "not valid utf-8" in message


def test_declared_encoding_is_honoured(tiny_workspace: Path) -> None:
    path = tiny_workspace / "raw" / "nps_responses.csv"
    path.write_bytes(path.read_text().replace("slow", "slow – très lent").encode("cp1252"))
    toml = tiny_workspace / "workspace.toml"
    toml.write_text(
        toml.read_text().replace(
            'path = "raw/nps_responses.csv"', 'path = "raw/nps_responses.csv"\nencoding = "cp1252"'
        )
    )
    report = ingest(tiny_workspace, progress=False)
    comments = Store(report.store_path).table("nps_responses")["comment"].dropna()
    assert comments.str.contains("très lent").any()


@pytest.mark.parametrize("content", ["", "Response ID,Account ID,Submitted At,Score,Comment,CES\n"])
def test_empty_file_is_refused(tiny_workspace: Path, content: str) -> None:
    report = ingest(tiny_workspace, progress=False)
    before = _sha(report.store_path)
    (tiny_workspace / "raw" / "nps_responses.csv").write_text(content)
    with pytest.raises(
        IngestError, match=r"nps_responses\.csv: (file is empty|has a header but no)"
    ):
        ingest(tiny_workspace, progress=False)
    assert _sha(report.store_path) == before


def test_all_problems_are_reported_together(tiny_workspace: Path) -> None:
    _break(tiny_workspace, "accounts.csv", "Billing Term", "Billing")
    _break(tiny_workspace, "app_reviews.csv", "2026-07-05", "sometime")
    with pytest.raises(IngestError) as err:
        ingest(tiny_workspace, progress=False)
    assert "accounts.csv" in str(err.value) and "app_reviews.csv" in str(err.value)


def test_malformed_transcript_is_refused(tiny_workspace: Path) -> None:
    (tiny_workspace / "raw" / "interviews" / "2026-09-10_broken.vtt").write_text(
        "NOT A VTT FILE\n\nhello"
    )
    with pytest.raises(IngestError, match=r"2026-09-10_broken\.vtt"):
        ingest(tiny_workspace, progress=False)


def test_missing_store_says_to_ingest_first(tmp_path: Path) -> None:
    from cc_analysis.store import StoreError

    with pytest.raises(StoreError, match="run `cc-analysis ingest`"):
        Store(tmp_path / "nope.duckdb").table("accounts")


def test_ingest_records_data_hashes(tiny_workspace: Path) -> None:
    report = ingest(tiny_workspace, progress=False)
    run = Store(report.store_path).latest_ingest()
    assert run["data_hashes"]["raw/accounts.csv"] == _sha(tiny_workspace / "raw" / "accounts.csv")
    assert json.dumps(run["row_counts"])
