"""Any transcript file or folder: malformed files name file and line, all reported together."""

from __future__ import annotations

from pathlib import Path

import pytest

from cc_analysis import transcripts as tx
from cc_analysis.transcripts import TranscriptError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "transcripts"


@pytest.mark.parametrize(("name", "message"), [
    ("bad-timing.vtt", r"bad-timing\.vtt: line 6: malformed cue timing"),
    ("no-header.vtt", r"no-header\.vtt: line 1: a WebVTT file must start with 'WEBVTT'"),
    ("time-travel.srt", r"time-travel\.srt: line 6: cue ends before it starts"),
    ("no-speaker.txt", r"no-speaker\.txt: line 1: expected 'Speaker: text'"),
    ("latin1.txt", r"latin1\.txt: line 3: not valid utf-8 text"),
    ("corrupt.docx", r"corrupt\.docx: line 1: not a readable \.docx file"),
])
def test_malformed_files_name_file_and_line(name: str, message: str) -> None:
    with pytest.raises(TranscriptError, match=message):
        tx.parse_transcript(FIXTURES / "malformed" / name)


def test_folder_reports_every_bad_file_together(tmp_path: Path) -> None:
    with pytest.raises(TranscriptError) as err:
        tx.read_transcripts(FIXTURES / "malformed")
    assert "6 transcript(s) could not be read" in str(err.value)
    with pytest.raises(TranscriptError, match="no transcripts"):
        tx.read_transcripts(tmp_path)
    assert len(tx.read_transcripts(FIXTURES)) == 5


def test_parse_transcript_files_keeps_the_good_and_names_the_bad(tmp_path: Path) -> None:
    bad = tx.transcript_files(FIXTURES / "malformed")
    good = tx.transcript_files(FIXTURES)
    transcripts, failed = tx.parse_transcript_files([*good, *bad])
    assert [t.source_file for t in transcripts] == good
    assert [path for path, _ in failed] == bad
    assert all(str(exc).startswith(path.name + ": ") for path, exc in failed)
    with pytest.raises(TranscriptError, match=r"notes\.pdf: unsupported transcript format"):
        tx.parse_transcript(tmp_path / "notes.pdf")
