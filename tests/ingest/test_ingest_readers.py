"""Strict readers: configured encodings, empty files, invalid JSON, unreadable transcripts."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from cc_analysis.ingest import IngestError, ingest
from cc_analysis.store import Store


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_invalid_json_names_the_line(refused: Callable[[str, str, str], str]) -> None:
    message = refused("tickets.json", '"tickets": [', '"tickets": [[')
    for fragment in ("tickets.json", "invalid JSON", "line 1"):
        assert fragment in message, f"{fragment!r} not in: {message}"


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


def test_malformed_transcript_is_refused(tiny_workspace: Path) -> None:
    (tiny_workspace / "raw" / "interviews" / "2026-09-10_broken.vtt").write_text(
        "NOT A VTT FILE\n\nhello"
    )
    with pytest.raises(IngestError, match=r"2026-09-10_broken\.vtt"):
        ingest(tiny_workspace, progress=False)


def test_ingest_refuses_text_before_the_first_speaker(tiny_workspace: Path) -> None:
    """The CLI keeps a preamble with a warning; ingest stays strict: it names the file and
    line, and the store it had is left as it was."""
    report = ingest(tiny_workspace, progress=False)
    before = _sha(report.store_path)
    (tiny_workspace / "raw" / "interviews" / "2026-09-11_preamble.txt").write_text(
        "All right, we're recording.\nDan: How is the rollout going?\nParticipant: Slowly.\n",
        encoding="utf-8")
    with pytest.raises(IngestError, match=r"2026-09-11_preamble\.txt.*line 1"):
        ingest(tiny_workspace, progress=False)
    assert _sha(report.store_path) == before
