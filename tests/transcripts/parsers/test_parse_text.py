"""Plain-text transcripts: Otter speaker lines, Zoom timestamps, colon sentences, typos, strings."""

from __future__ import annotations

from pathlib import Path

from cc_analysis import transcripts as tx

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "transcripts"


def test_otter_export_speaker_lines_with_timestamps() -> None:
    tr = tx.parse_transcript(FIXTURES / "2026-03-05_otter-export.txt")
    assert [t.speaker for t in tr.turns] == ["Jordan Reyes", "Lena Fischer", "Jordan Reyes",
                                            "Lena Fischer", "Unknown Speaker"]
    assert [t.start_s for t in tr.turns] == [1, 9, 31, 35, 62]
    assert tr.turns[1].text.endswith("Nobody can see who approved what.")


def test_zoom_text_timestamps_colon_sentences_and_misspelt_speaker() -> None:
    tr = tx.parse_transcript(FIXTURES / "2026-03-06_zoom-timestamps.txt")
    assert tr.speakers == ["Jordan Reyes", "Tom Becker"]  # "Tom Bekcer" is a typo of Tom
    assert [t.start_s for t in tr.turns[:3]] == [2, 8, 20]
    # "Long Story Short: ..." is a sentence inside Tom's answer, not a third speaker
    assert tr.turns[3].text.endswith("Long Story Short: we keep our own lists now.")


def test_plain_speaker_lines_in_a_string() -> None:
    text = "Maria Gonzalez:\nWe export everything.\n\nJordan (00:00:05):\nWhy?\n"
    tr = tx.parse_transcript_text(text, "2026-01-05_call.txt")
    assert [(t.speaker, t.text, t.start_s) for t in tr.turns] == [
        ("Maria Gonzalez", "We export everything.", None), ("Jordan", "Why?", 5)]
    # known speakers: only they start turns ("Note: ..." stays inside the answer)
    tr = tx.parse_transcript_text("AI: Hi?\nUser: Fine.\nNote: it crashed.\n", "x.txt",
                                  speakers={"AI", "User"})
    assert tr.turns[-1].text == "Fine. Note: it crashed."
