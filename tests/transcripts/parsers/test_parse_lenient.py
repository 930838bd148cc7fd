"""Transcripts as they come: text before the first speaker is kept (with a warning naming file
and line) unless the parse is strict; numbered and generic role labels; a folder keeps its good
files when one cannot be read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cc_analysis import transcripts as tx
from cc_analysis.transcripts import UNKNOWN_SPEAKER, TranscriptError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "transcripts"
# written for this test: a recording that starts before anyone is introduced, numbered roles
PREAMBLE = ("All right.\nis it recording? ok\n\nInterviewer 1: How do you plan the quarter?\n"
            "Interviewee: With a spreadsheet, honestly.\nInterviewer 2: And who sees it?\n"
            "Interviewee: Only the two of us.\n")


def test_text_before_the_first_speaker_is_kept_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "2026-05-04_call.txt"
    path.write_text(PREAMBLE, encoding="utf-8")
    with pytest.raises(TranscriptError, match=r"2026-05-04_call\.txt: line 1: expected"):
        tx.parse_transcript(path)  # strict: what ingest does
    tr = tx.parse_transcript(path, strict=False)
    assert [(t.speaker, t.text) for t in tr.turns[:2]] == [
        (UNKNOWN_SPEAKER, "All right. is it recording? ok"),
        ("Interviewer 1", "How do you plan the quarter?")]
    assert tr.speakers == [UNKNOWN_SPEAKER, "Interviewer 1", "Interviewee", "Interviewer 2"]
    # one warning per run of such lines, naming file and line, never repeating the text
    assert tr.warnings == ("2026-05-04_call.txt: line 1: text before the first speaker kept "
                           "as 'Unknown speaker'",)
    assert tx.parse_transcript(FIXTURES / "2026-03-05_otter-export.txt", strict=False
                               ).warnings == ()


def test_roles_of_numbered_generic_and_unknown_speakers(tmp_path: Path) -> None:
    files = []
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(PREAMBLE, encoding="utf-8")
        files.append(tx.parse_transcript(tmp_path / name, strict=False))
    assert {tx.generic_label(s) for s in files[0].speakers} == {
        "unknown speaker", "interviewer", "interviewee"}
    distinct = tx.distinct_generic_speakers(files)
    interviewers = tx.detect_interviewers(distinct)
    assert interviewers == {"Interviewer 1", "Interviewer 2"}
    # "Interviewee" and the unknown speaker of two files are four people, none an interviewer
    others = [s for tr in distinct for s in tr.speakers if s not in interviewers]
    assert len(others) == len(set(others)) == 4 and not any(s in {"Interviewee",
                                                                  UNKNOWN_SPEAKER}
                                                              for s in others)


def test_a_word_document_with_a_title_paragraph(tmp_path: Path) -> None:
    import docx

    doc = docx.Document()
    for p in ("Customer call, notes by the team", "Dan: What changed?",
              "Participant: The export."):
        doc.add_paragraph(p)
    path = tmp_path / "notes.docx"
    doc.save(str(path))
    with pytest.raises(TranscriptError, match=r"notes\.docx: paragraph 1: expected"):
        tx.parse_transcript(path)
    tr = tx.parse_transcript(path, strict=False)
    assert tr.speakers == [UNKNOWN_SPEAKER, "Dan", "Participant"]
    assert tr.warnings == ("notes.docx: paragraph 1: text before the first speaker kept as "
                           "'Unknown speaker'",)


def test_a_file_without_any_speaker_is_unreadable_even_leniently(tmp_path: Path) -> None:
    path = tmp_path / "memo.txt"
    path.write_text("We talked about pricing.\nThey want a discount.\n", encoding="utf-8")
    with pytest.raises(TranscriptError, match=r"memo\.txt: line 1: no line has a speaker"):
        tx.parse_transcript(path, strict=False)


def test_collect_keeps_the_readable_files_and_names_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(FIXTURES / "malformed", folder)
    shutil.copy(FIXTURES / "2026-03-05_otter-export.txt", folder)
    transcripts, failed = tx.collect_transcripts(folder)
    # the preamble file is read leniently; the five truly broken files are named, with lines
    assert sorted(t.source_file.name for t in transcripts) == [
        "2026-03-05_otter-export.txt", "no-speaker.txt"]
    assert sorted(p.name for p, _ in failed) == ["bad-timing.vtt", "corrupt.docx",
                                                 "latin1.txt", "no-header.vtt",
                                                 "time-travel.srt"]
    assert all(": line " in str(exc) for _, exc in failed)
    with pytest.raises(TranscriptError, match="6 transcript"):
        tx.read_transcripts(folder)  # strict: the folder is refused, every bad file named
    for p in folder.iterdir():
        if p.name in {"no-speaker.txt", "2026-03-05_otter-export.txt"}:
            p.unlink()
    with pytest.raises(TranscriptError, match="none of the 5 transcript"):
        tx.collect_transcripts(folder)
