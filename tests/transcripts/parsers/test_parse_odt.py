"""OpenDocument transcripts, and documents where only the moderator is labelled (think-aloud
sessions): written with odfpy here, and the real usability-study sessions in ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

from cc_analysis import transcripts as tx
from cc_analysis.transcripts import UNKNOWN_SPEAKER, TranscriptError

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "datasets"


def _odt(path: Path, paragraphs: list[str]) -> Path:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    doc = OpenDocumentText()
    for p in paragraphs:
        doc.text.addElement(P(text=p))
    doc.save(str(path))
    return path


def test_odt_speaker_paragraphs(tmp_path: Path) -> None:
    path = _odt(tmp_path / "2026-06-02_call.odt", [
        "Dan: What slowed you down this month?", "Participant: The export, again.",
        "It times out on big accounts.", "Dan: How often?", "Participant: Weekly."])
    tr = tx.parse_transcript(path)
    assert [(t.speaker, t.text) for t in tr.turns] == [
        ("Dan", "What slowed you down this month?"),
        ("Participant", "The export, again. It times out on big accounts."),
        ("Dan", "How often?"), ("Participant", "Weekly.")]
    assert tr.interview_date.isoformat() == "2026-06-02" and tr.warnings == ()
    (tmp_path / "broken.odt").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(TranscriptError, match=r"broken\.odt: line 1: not a readable \.odt"):
        tx.parse_transcript(tmp_path / "broken.odt")


def test_only_the_moderator_labelled_is_one_voice_with_interjections(tmp_path: Path) -> None:
    paragraphs = ["1 Open the reports tab.", "Okay, I see the tab.", "This list is long.",
                  "MODERATOR: Could you start with task one?", "Sure.", "(reads the task)",
                  "I would sort these by date.", "2 Export a report.", "Where is export?",
                  "Found it, under the menu."]
    path = _odt(tmp_path / "P9.odt", paragraphs)
    with pytest.raises(TranscriptError, match=r"P9\.odt: paragraph 1: expected"):
        tx.parse_transcript(path)  # strict (ingest): refused, file and paragraph named
    tr = tx.parse_transcript(path, strict=False)
    # the labelled speaker keeps only their own paragraph; the rest is the other voice
    assert [t.speaker for t in tr.turns] == [UNKNOWN_SPEAKER, "MODERATOR", UNKNOWN_SPEAKER]
    assert tr.turns[1].text == "Could you start with task one?"
    assert tr.warnings == ("P9.odt: most paragraphs name no speaker; each of those is read as "
                           "'Unknown speaker' (one voice with interjections)",)
    # a turn-by-turn document is never read that way: an unlabelled paragraph continues
    turn_by_turn = _odt(tmp_path / "t.odt", ["Dan: Why?", "Participant: Cost.", "And time.",
                                             "Dan: Thanks."])
    assert tx.parse_transcript(turn_by_turn, strict=False).turns[1].text == "Cost. And time."


def test_every_real_transcript_folder_parses() -> None:
    usability = SHARED / "usability_interviews" / "transcripts"
    pdpilot = SHARED / "pdpilot_interviews" / "transcripts"
    if not usability.is_dir() or not pdpilot.is_dir():
        pytest.skip("../shared/datasets/usability_interviews or pdpilot_interviews is absent")
    sessions, failed = tx.collect_transcripts(usability)
    assert len(sessions) == 17 and failed == []
    for tr in sessions:
        # measured: only the moderator is labelled (1-24 paragraphs a session); the
        # participant's think-aloud is the unknown voice, most of each session's words
        assert set(tr.speakers) <= {UNKNOWN_SPEAKER, "MODERATOR"}, tr.speakers
        words = {s: sum(len(t.text.split()) for t in tr.turns if t.speaker == s)
                 for s in tr.speakers}
        assert words[UNKNOWN_SPEAKER] > 0.8 * sum(words.values()), tr.source_file.name
        assert len(tr.warnings) == 1 and "one voice" in tr.warnings[0]
    interviews, failed = tx.collect_transcripts(pdpilot)
    assert len(interviews) == 7 and failed == []
    assert all(tr.warnings == () and tr.speakers == ["Dan", "Participant"]
               for tr in interviews)
