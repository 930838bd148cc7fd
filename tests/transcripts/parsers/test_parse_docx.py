"""Word transcripts: speaker paragraphs (with the paragraph of a bad one) and speaker tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from cc_analysis import transcripts as tx
from cc_analysis.transcripts import TranscriptError


def _docx(path: Path, paragraphs: list[str] = (), table: list[list[str]] | None = None) -> Path:
    import docx

    doc = docx.Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    if table:
        t = doc.add_table(rows=len(table), cols=len(table[0]))
        for i, row in enumerate(table):
            for j, cell in enumerate(row):
                t.cell(i, j).text = cell
    doc.save(str(path))
    return path


def test_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    p = _docx(tmp_path / "2026-04-01_acme.docx", [
        "Interview with Acme", "",
        "Jordan Reyes  00:00:03", "How do you use the mobile app?",
        "Priya Natarajan: Mostly for approvals.", "It logs me out a lot.",
    ])
    with pytest.raises(TranscriptError, match=r"2026-04-01_acme\.docx: paragraph 1: expected"):
        tx.parse_transcript(p)
    p = _docx(tmp_path / "2026-04-02_acme.docx", [
        "Jordan Reyes  00:00:03", "How do you use the mobile app?",
        "Priya Natarajan: Mostly for approvals.", "It logs me out a lot.",
    ])
    tr = tx.parse_transcript(p)
    assert [(t.speaker, t.start_s) for t in tr.turns] == [("Jordan Reyes", 3),
                                                         ("Priya Natarajan", None)]
    assert tr.turns[1].text == "Mostly for approvals. It logs me out a lot."
    p = _docx(tmp_path / "2026-04-03_table.docx", table=[
        ["Time", "Speaker", "Text"],
        ["00:00:01", "Jordan Reyes", "What slows you down?"],
        ["00:00:06", "Priya Natarajan", "Search is slow."],
    ])
    tr = tx.parse_transcript(p)
    assert [(t.speaker, t.text, t.start_s) for t in tr.turns] == [
        ("Jordan Reyes", "What slows you down?", 1), ("Priya Natarajan", "Search is slow.", 6)]
