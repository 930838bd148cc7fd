"""WebVTT and SRT captions: voice tags, multi-line cues, speaker prefixes, bracket labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from cc_analysis import transcripts as tx

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "transcripts"


def test_teams_vtt_with_voice_tags_and_multiline_cues() -> None:
    tr = tx.parse_transcript(FIXTURES / "2026-03-02_teams-voice-tags.vtt")
    assert str(tr.interview_date) == "2026-03-02"
    assert tr.speakers == ["Jordan Reyes", "Maria Gonzalez"]
    first = tr.turns[1]
    # two cues of one speaker form one turn; line breaks inside a cue are joined; &amp; decoded
    assert first.text == ("Honestly the dashboards are slow, and we export everything to "
                          "spreadsheets. Research & Development builds the weekly roll-up by hand.")
    assert (first.start_s, first.end_s) == (5.1, 12.0)
    # a cue holding two voices is split between them
    assert [t.speaker for t in tr.turns[2:4]] == ["Jordan Reyes", "Maria Gonzalez"]
    assert tr.turns[-1].end_s == pytest.approx(62.25)


def test_vtt_without_voice_tags_takes_speaker_prefixes() -> None:
    tr = tx.parse_transcript(FIXTURES / "2026-03-03_zoom-no-voice.vtt")
    assert [t.speaker for t in tr.turns] == ["Jordan Reyes", "Sam Whitfield"] * 2
    # a cue without a speaker continues the previous speaker
    assert tr.turns[1].text.endswith("The SSO step was confusing for our admins. And the import "
                                     "mangled our due dates.")


def test_srt_with_speaker_prefixes_and_bracket_labels() -> None:
    tr = tx.parse_transcript(FIXTURES / "2026-03-04_descript-captions.srt")
    assert [t.speaker for t in tr.turns] == ["Jordan Reyes", "Priya Natarajan", "Jordan Reyes"]
    assert tr.turns[1].text == ("Only the mobile app, and it logs me out every day. It doesn't "
                                "work offline either.")
    assert tr.turns[2].text == "Got it, thanks." and tr.turns[2].start_s == 10.5
